#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: ollama_model_info
short_description: List the models an Ollama server has and runs
version_added: 0.1.0
description:
  - Returns the installed models (optionally only some), the models loaded in memory with how much of each sits
    in GPU memory, and the server's version. Changes nothing.
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
extends_documentation_fragment:
  - selfhosted.genai._ollama
  - selfhosted.genai._attributes.INFO_MODULE
options:
  name:
    description:
      - Only these models, compared by Ollama's rules (V(gemma3) matches V(gemma3:latest)).
      - An invalid name is an error; a valid name that is not installed is simply not listed.
    type: list
    elements: str
    default: []
seealso:
  - module: selfhosted.genai.ollama_model
"""

EXAMPLES = r"""
- name: What does Ollama have?
  selfhosted.genai.ollama_model_info:
  register: ollama

- name: Fail when the chat model is not on the GPU
  ansible.builtin.assert:
    that: ollama.running | selectattr('name', 'equalto', 'gemma3:270m') | map(attribute='size_vram') | first > 0
    fail_msg: gemma3:270m runs on the CPU

- name: Is this model installed?
  selfhosted.genai.ollama_model_info:
    name: [gemma3:270m]
  register: gemma

- name: Say so
  ansible.builtin.debug:
    msg: "{{ 'installed' if gemma.models else 'missing' }}"
"""

RETURN = r"""
version:
  description: The Ollama server's version.
  returned: always
  type: str
  sample: 0.24.0
models:
  description: Installed models, as /api/tags lists them.
  returned: always
  type: list
  elements: dict
  sample:
    - name: gemma3:270m
      digest: 9a754356e7c923ad4d9302d4ba4f4e27996a22221aa163269a860c684192eb36
      size: 253113526
      modified_at: "2026-11-25T15:46:01.161907547Z"
      details: {"format": "gguf", "family": "gemma3", "quantization_level": "Q4_K_M"}
running:
  description: Models loaded in memory, as /api/ps lists them; C(size_vram) is the part in GPU memory (0 means CPU only).
  returned: always
  type: list
  elements: dict
  sample:
    - name: gemma3:270m
      size: 541000000
      size_vram: 541000000
      expires_at: "2026-11-25T16:01:02Z"
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_client import (
    OllamaClient,
    OllamaError,
    connection_argument_spec,
)
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_name import InvalidModelName, ModelName


def matching(entries: list, wanted: set) -> list:
    if not wanted:
        return entries
    kept = []
    for entry in entries:
        try:
            if ModelName.parse(entry.get("name", "")) in wanted:
                kept.append(entry)
        except InvalidModelName:
            continue
    return kept


def main() -> None:
    spec = connection_argument_spec()
    spec["name"] = {"type": "list", "elements": "str", "default": []}
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    try:
        wanted = {ModelName.parse(name) for name in module.params["name"]}
    except InvalidModelName as exc:
        module.fail_json(msg=str(exc))
    client = OllamaClient.from_module(module)
    try:
        result = {
            "version": client.version(),
            "models": matching(client.list_models(), wanted),
            "running": matching(client.running_models(), wanted),
        }
    except OllamaError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
