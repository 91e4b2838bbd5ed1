# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: ollama_model_problem
short_description: Why an Ollama model name is invalid, or an empty string
version_added: 0.1.0
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
description:
  - Checks a model reference with the rules of the Ollama server (host, namespace, model, tag) without contacting
    anything, so that roles can refuse a bad name before they change anything.
options:
  _input:
    description: The model reference, V([[host/]namespace/]model[:tag]).
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Refuse invalid names early
  ansible.builtin.assert:
    that: item | selfhosted.genai.ollama_model_problem == ''
    fail_msg: "ollama_models: {{ item | selfhosted.genai.ollama_model_problem }}"
  loop: ["gemma3:270m", "bad name"]
"""

RETURN = r"""
_value:
  description: The broken rule, or an empty string for a valid name.
  type: str
  sample: "invalid model name 'bad name': it contains white space"
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_name import name_problem


class FilterModule:
    def filters(self):
        return {"ollama_model_problem": name_problem}
