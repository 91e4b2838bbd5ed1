# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: ollama_driver_problem
short_description: Why an Ollama release would not use this host's NVIDIA GPUs, or an empty string
version_added: 0.3.0
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
description:
  - From 0.30.11 Ollama ignores a GPU whose NVIDIA driver is older than 550 (570 for compute capability 5.0 to 6.2,
    Maxwell and Pascal) and runs every model on the CPU without an error. This filter compares the driver and cards
    that M(selfhosted.genai.nvidia_host_info) reports with the floor of an Ollama version and says what to do.
  - An unknown Ollama version gets the floor of the newest release; a card of unknown compute capability the
    general floor; no driver loaded is no problem here (the container toolkit's checks say so).
options:
  _input:
    description:
      - The Ollama version (V(0.34.0)) or an image whose tag is one; anything unreadable counts as the newest release.
    type: str
    required: true
  driver_version:
    description: The NVIDIA driver's version, RV(selfhosted.genai.nvidia_host_info#module:driver_version).
    type: str
    required: true
  gpus:
    description: The cards, RV(selfhosted.genai.nvidia_host_info#module:gpus) (each with C(name) and C(compute_capability)).
    type: list
    elements: dict
    required: true
  variable:
    description: The variable that names the Ollama release, for the message.
    type: str
    default: ollama_image
"""

EXAMPLES = r"""
- name: Look at the driver and the cards
  selfhosted.genai.nvidia_host_info:
  register: nvidia

- name: Refuse a driver Ollama would ignore
  ansible.builtin.assert:
    that: __problem == ''
    fail_msg: "{{ __problem }}"
  vars:
    __problem: "{{ '0.34.0' | selfhosted.genai.ollama_driver_problem(nvidia.driver_version, nvidia.gpus) }}"
"""

RETURN = r"""
_value:
  description: Which card, which driver it needs and where to get it, or an empty string.
  type: str
  sample: "Ollama 0.34.0 does not use NVIDIA L4 (compute capability 8.9) with NVIDIA driver 535.261.03: it needs driver 550 or later, ..."
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_release import driver_problem


class FilterModule:
    def filters(self):
        return {"ollama_driver_problem": driver_problem}
