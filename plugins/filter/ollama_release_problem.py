# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: ollama_release_problem
short_description: Why this collection cannot run an Ollama release, or an empty string
version_added: 0.3.0
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
description:
  - Compares an Ollama version (an image tag such as V(0.34.0), or what C(/api/version) answers) with the releases
    this collection supports, so that the ollama role refuses one it cannot run before it changes anything.
  - A version it cannot read (V(latest), a digest) is no problem here; the role then checks the running server's own
    version.
options:
  _input:
    description: The version (V(0.34.0), V(v0.34.0)) or an image whose tag is one (V(docker.io/ollama/ollama:0.34.0)).
    type: str
    required: true
  variable:
    description: The variable the message tells the user to change.
    type: str
    default: ollama_image
"""

EXAMPLES = r"""
- name: Refuse a release the role cannot run
  ansible.builtin.assert:
    that: "'0.20.0' | selfhosted.genai.ollama_release_problem == ''"
    fail_msg: "{{ '0.20.0' | selfhosted.genai.ollama_release_problem }}"
"""

RETURN = r"""
_value:
  description: What is wrong and what to set, or an empty string for a supported release.
  type: str
  sample: "Ollama 0.20.0 is older than 0.24.0, the oldest release this collection runs (...). Set ollama_image to ..."
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_release import release_problem


class FilterModule:
    def filters(self):
        return {"ollama_release_problem": release_problem}
