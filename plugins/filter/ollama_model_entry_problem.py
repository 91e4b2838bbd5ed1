# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: ollama_model_entry_problem
short_description: What is wrong with one model entry (a name or a dict of ollama_model options), or an empty string
version_added: 0.1.0
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
description:
  - Checks one entry of a list of models, such as the ollama role's C(ollama_models), against the very option spec
    of the P(selfhosted.genai.ollama_model#module) module (names, types, choices, required options, mutually
    exclusive options), the rules between its options, the model name (Ollama's rules) and the types of the model
    parameters Ollama expects. Nothing is contacted, so a role can refuse a bad entry before it changes anything.
  - Options the module takes beside an entry's (the connection options and O(selfhosted.genai.ollama_model#module:registry_hosts))
    are refused as unknown, because the role sets them for every entry.
options:
  _input:
    description: A model name, or a dict of P(selfhosted.genai.ollama_model#module) options with at least C(name).
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Refuse bad entries before any change
  ansible.builtin.assert:
    that: item | selfhosted.genai.ollama_model_entry_problem == ''
    fail_msg: "ollama_models entry {{ item.name | default(item) | to_json }}: {{ item | selfhosted.genai.ollama_model_entry_problem }}"
  loop:
    - gemma3:270m
    - {name: terse, from: gemma3:270m, parameters: {temperature: "0.2"}}
    - {name: bad, from: gemma3:270m, parameters: {temperature: hot}}
"""

RETURN = r"""
_value:
  description: Every problem found, separated by C(; ), each naming the option; an empty string for a good entry.
  type: str
  sample: "parameters: 'temperature' must be a number, not 'hot'"
"""

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_model import (
    MUTUALLY_EXCLUSIVE,
    model_argument_spec,
    option_problems,
)
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_name import name_problem
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_parameters import ParameterProblem, check_parameters


def _as_options(entry) -> dict | None:
    if isinstance(entry, str):
        return {"name": entry}
    if isinstance(entry, dict):
        return dict(entry)
    return None


def ollama_model_entry_problem(entry) -> str:
    options = _as_options(entry)
    if options is None or "name" not in options:
        return "must be a name or a dict with a name (and other selfhosted.genai.ollama_model options)"
    spec = model_argument_spec()
    unknown = sorted(str(key) for key in options if key not in spec)
    if unknown:
        # Said here rather than by the validator, whose message for them lacks the context AnsibleModule adds.
        return f"unknown keys {', '.join(unknown)}; known: {', '.join(spec)}"
    result = ArgumentSpecValidator(spec, mutually_exclusive=MUTUALLY_EXCLUSIVE).validate(options)
    if result.error_messages:
        return "; ".join(result.error_messages)
    params = result.validated_parameters
    problems = [name_problem(params["name"])] + option_problems(params)
    if params.get("parameters") is not None:
        try:
            check_parameters(params["parameters"])
        except ParameterProblem as exc:
            problems.append(str(exc))
    return "; ".join(problem for problem in problems if problem)


class FilterModule:
    def filters(self):
        return {"ollama_model_entry_problem": ollama_model_entry_problem}
