# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""One schema for a model's options: model_argument_spec() in module_utils. These tests fail when a copy drifts:
the module's DOCUMENTATION, or the one-line-per-option task of the ollama role that passes ollama_models entries."""

from __future__ import annotations

from pathlib import Path

import yaml

from ansible_collections.selfhosted.genai.plugins.doc_fragments._ollama import ModuleDocFragment
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_client import connection_argument_spec
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_model import model_argument_spec
from ansible_collections.selfhosted.genai.plugins.modules import ollama_model

COLLECTION = Path(__file__).resolve().parents[3]
ROLE_TASKS = COLLECTION / "roles" / "ollama" / "tasks" / "main.yml"
# What the role sets for every entry rather than per entry.
ROLE_WIDE = {"ollama_url", "registry_hosts"}


def _tasks(tasks: list):
    for task in tasks or []:
        yield task
        for section in ("block", "rescue", "always"):
            yield from _tasks(task.get(section))


def _ensure_models_task() -> dict:
    tasks = [task for task in _tasks(yaml.safe_load(ROLE_TASKS.read_text())) if task.get("name") == "Ensure the models"]
    assert len(tasks) == 1, f"expected one task 'Ensure the models' in {ROLE_TASKS}"
    return tasks[0]


def test_the_module_builds_its_spec_from_the_model_spec():
    spec = ollama_model.argument_spec()
    assert {key: spec[key] for key in model_argument_spec()} == model_argument_spec()
    assert set(spec) == set(model_argument_spec()) | set(connection_argument_spec()) | {"registry_hosts", "source_record"}


def test_the_role_passes_every_option_of_an_entry_and_no_other():
    arguments = _ensure_models_task()["selfhosted.genai.ollama_model"]
    assert set(arguments) - ROLE_WIDE == set(model_argument_spec())
    assert set(arguments) >= ROLE_WIDE
    for key in model_argument_spec():
        if key == "name":
            continue
        # Each option is taken from the entry's key of the same name, or left to the module's default.
        assert arguments[key] in (f"{{{{ item.{key} | default(omit) }}}}", f"{{{{ item['{key}'] | default(omit) }}}}"), key


def _documented_options() -> dict:
    options = dict(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"])
    options.update(yaml.safe_load(ollama_model.DOCUMENTATION)["options"])
    return options


def _comparable(spec: dict) -> dict:
    """The parts of an option that DOCUMENTATION repeats, with the spec's implicit defaults made explicit."""
    result = {
        "type": spec.get("type", "str"),
        "default": spec.get("default"),
        "choices": spec.get("choices"),
        "elements": spec.get("elements"),
        "required": spec.get("required", False),
    }
    if spec.get("options") or spec.get("suboptions"):
        result["options"] = {name: _comparable(sub) for name, sub in (spec.get("options") or spec.get("suboptions")).items()}
    return result


def test_the_documentation_matches_the_spec():
    documented = _documented_options()
    spec = ollama_model.argument_spec()
    assert set(documented) == set(spec)
    for name in spec:
        assert _comparable(documented[name]) == _comparable(spec[name]), name
