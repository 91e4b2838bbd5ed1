# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: ollama_offload
short_description: Where each loaded Ollama model sits, all on the GPU, split, or on the CPU
version_added: 0.2.0
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
description:
  - Reads the models of Ollama's C(/api/ps) (for example the RV(selfhosted.genai.ollama_model_info#module:running)
    list) and tells for each how much of it is in GPU memory.
  - A model split between GPU and CPU (placement V(partial)) runs much slower than one fully offloaded.
options:
  _input:
    description: The loaded models, each with C(name), C(size) and C(size_vram) as C(/api/ps) lists them.
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Fail when a loaded model is not entirely on the GPU
  ansible.builtin.assert:
    that: item.placement == 'gpu'
    fail_msg: "{{ item.name }} has {{ item.gpu_percent }} % of its {{ item.size }} bytes on the GPU"
  loop: "{{ info.running | selfhosted.genai.ollama_offload }}"
"""

RETURN = r"""
_value:
  description: One entry per model.
  type: list
  elements: dict
  contains:
    name:
      description: The model's name.
      type: str
    size:
      description: Bytes the loaded model takes (weights, context, buffers).
      type: int
    size_vram:
      description: The part of O(size) in GPU memory.
      type: int
    gpu_percent:
      description: O(size_vram) as a percentage of O(size), one decimal.
      type: float
    placement:
      description: V(gpu) (all of it), V(partial) (split between GPU and CPU) or V(cpu) (none on the GPU).
      type: str
  sample: [{"name": "gemma3:270m", "size": 541000000, "size_vram": 270500000, "gpu_percent": 50.0, "placement": "partial"}]
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_offload import offload_of


class FilterModule:
    def filters(self):
        return {"ollama_offload": offload_of}
