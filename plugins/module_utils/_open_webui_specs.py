# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's plugins use it.

"""The options of one Open WebUI user, group and model, said once: the open_webui_user, open_webui_group and
open_webui_model modules are built from them (beside the connection options), and the open_webui role checks each
entry of open_webui_users, open_webui_groups and open_webui_models against them before any change (filter
open_webui_entry_problem)."""

from __future__ import annotations

import copy
import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

STATE = {"type": "str", "choices": ["present", "absent"], "default": "present"}

USER_SPEC = {
    "email": {"type": "str", "required": True},
    "state": STATE,
    "name": {"type": "str"},
    "role": {"type": "str", "choices": ["admin", "user", "pending"]},
    "password": {"type": "str", "no_log": True},
    "update_password": {"type": "str", "choices": ["always", "on_create"], "default": "on_create", "no_log": False},
    "groups": {"type": "list", "elements": "str"},
}

GROUP_SPEC = {
    "name": {"type": "str", "required": True},
    "state": STATE,
    "description": {"type": "str"},
    "permissions": {"type": "dict"},
    "members": {"type": "list", "elements": "str"},
}

MODEL_SPEC = {
    "id": {"type": "str", "required": True},
    "state": STATE,
    "base_model": {"type": "str"},
    "name": {"type": "str"},
    "description": {"type": "str"},
    "system": {"type": "str"},
    "params": {"type": "dict"},
    "capabilities": {"type": "dict"},
    "tool_ids": {"type": "list", "elements": "str"},
    "access": {
        "type": "dict",
        "options": {
            "everyone": {"type": "bool", "default": False},
            "groups": {"type": "list", "elements": "str", "default": []},
            "users": {"type": "list", "elements": "str", "default": []},
        },
    },
    "active": {"type": "bool"},
}

# The role's variable, the module, the spec and the key that names an entry, per kind of entry.
KINDS = {
    "group": ("open_webui_groups", "open_webui_group", GROUP_SPEC, "name"),
    "user": ("open_webui_users", "open_webui_user", USER_SPEC, "email"),
    "model": ("open_webui_models", "open_webui_model", MODEL_SPEC, "id"),
}


def entry_problem(entry, kind: str) -> str:
    """'' for an entry the module would accept; else what is wrong with it, naming its keys (never its values)."""
    _variable, module, spec, _key = KINDS[kind]
    if not isinstance(entry, dict):
        return f"must be a dict of selfhosted.genai.{module} options, not a {type(entry).__name__}"
    unknown = sorted(str(name) for name in entry if name not in spec)
    if unknown:
        return f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; known: {', '.join(spec)}"
    result = ArgumentSpecValidator(copy.deepcopy(spec)).validate(dict(entry))
    # A nested key the validator does not know reads "access.everybody. Supported parameters include: ...".
    return "; ".join(_NESTED_UNKNOWN.sub(r"unknown key \1; known: \2", message) for message in result.error_messages)


_NESTED_UNKNOWN = re.compile(r"^([\w.]+)\. Supported parameters include: (.*?)\.?$")


def entries_problems(entries, kind: str) -> list:
    """One message per wrong entry of the role's list, naming the variable, the entry's position and its name."""
    variable, _module, _spec, key = KINDS[kind]
    if not isinstance(entries, list):
        return [f"{variable} must be a list, not a {type(entries).__name__}"]
    problems = []
    for index, entry in enumerate(entries):
        problem = entry_problem(entry, kind)
        if problem:
            named = f" ({entry[key]})" if isinstance(entry, dict) and isinstance(entry.get(key), str) else ""
            problems.append(f"{variable}[{index}]{named}: {problem}")
    return problems
