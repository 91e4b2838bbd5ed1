# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""One schema per Open WebUI entry: the specs in module_utils/_open_webui_specs.py. The modules are built from them,
the role passes each entry's keys one per option (checked here against the spec), and the role's check refuses
what the module would refuse, naming the entry and the key, never a value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_specs import KINDS, entries_problems
from ansible_collections.selfhosted.genai.plugins.modules import open_webui_group, open_webui_model, open_webui_user

COLLECTION = Path(__file__).resolve().parents[3]
MANAGE = COLLECTION / "roles" / "open_webui" / "tasks" / "manage.yml"
MODULES = {"user": open_webui_user, "group": open_webui_group, "model": open_webui_model}


def _tasks(tasks):
    for task in tasks or []:
        yield task
        for section in ("block", "rescue", "always"):
            yield from _tasks(task.get(section))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_role_passes_every_option_of_an_entry(kind):
    _variable, module, spec, _key = KINDS[kind]
    tasks = [task for task in _tasks(yaml.safe_load(MANAGE.read_text())) if f"selfhosted.genai.{module}" in task]
    assert len(tasks) == 1, module
    arguments = tasks[0][f"selfhosted.genai.{module}"]
    assert set(arguments) == set(spec), module


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_modules_document_every_option_of_the_spec(kind):
    _variable, _module, spec, _key = KINDS[kind]
    documented = yaml.safe_load(MODULES[kind].DOCUMENTATION)["options"]
    assert set(spec) <= set(documented)


def test_a_typo_names_the_entry_and_the_key_not_the_value():
    problems = entries_problems([{"email": "grace@example.org", "pasword": "secret-value-1"}], "user")
    assert problems == [
        "open_webui_users[0] (grace@example.org): unknown key pasword; known: email, state, name, role, password, update_password, groups"
    ]
    assert "secret-value-1" not in problems[0]


@pytest.mark.parametrize(
    ("entries", "kind", "message"),
    [
        ([{"name": "Alice"}], "user", "open_webui_users[0]: missing required arguments: email"),
        ([{"name": "team", "members": ["a@b.c"], "state": "gone"}], "group", "value of state must be one of: present, absent, got: gone"),
        ([{"id": "m", "access": {"groups": ["team"], "everybody": True}}], "model", "(m): unknown key access.everybody; known: everyone, groups, users"),
        (["helper"], "model", "open_webui_models[0]: must be a dict of selfhosted.genai.open_webui_model options, not a str"),
        ({"id": "m"}, "model", "open_webui_models must be a list, not a dict"),
    ],
)
def test_wrong_entries_are_named(entries, kind, message):
    problems = entries_problems(entries, kind)
    assert len(problems) == 1 and message in problems[0], problems


def test_right_entries_are_no_problem():
    assert entries_problems([{"email": "a@b.c", "password": "long-enough", "groups": ["team"]}], "user") == []
    assert entries_problems([{"name": "team", "permissions": {"chat": {"file_upload": False}}}], "group") == []
    assert entries_problems([{"id": "m", "base_model": "gemma3:270m", "access": {"groups": ["team"]}}], "model") == []
