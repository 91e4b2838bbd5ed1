# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role's check of an ollama_models entry: the module's own spec, its rules, the name and the parameters."""

from __future__ import annotations

import pytest

from ansible_collections.selfhosted.genai.plugins.filter.ollama_model_entry_problem import FilterModule, ollama_model_entry_problem


@pytest.mark.parametrize(
    "entry",
    [
        "gemma3:270m",
        {"name": "gemma3:270m", "state": "latest", "retries": "5"},
        {"name": "terse", "from": "gemma3:270m", "system": "Be terse.", "parameters": {"temperature": "0.2", "stop": "\n"}},
        {"name": "imported", "source": "/srv/m.gguf", "messages": [{"role": "user", "content": "Hi"}]},
    ],
)
def test_good_entries_pass(entry):
    assert ollama_model_entry_problem(entry) == ""


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"state": "latest"}, "must be a name or a dict with a name"),
        (42, "must be a name or a dict with a name"),
        ({"name": "gemma3", "colour": "red"}, "unknown keys colour; known: name, state, insecure, source, from,"),
        ({"name": "gemma3", "ollama_url": "http://x"}, "unknown keys ollama_url;"),
        ({"name": "gemma3", "retries": "many"}, "argument 'retries' is of type str and we were unable to convert to int"),
        ({"name": "gemma3", "state": "installed"}, "value of state must be one of: present, latest, absent, got: installed"),
        ({"name": "m", "from": "b", "parameters": [1]}, "argument 'parameters' is of type list"),
        ({"name": "m", "from": "b", "source": "/x.gguf"}, "parameters are mutually exclusive: source|from"),
        ({"name": "m", "from": "b", "messages": [{"role": "robot", "content": "x"}]}, "value of role must be one of"),
        ("gemma3:bad tag", "contains white space"),
        ({"name": "gemma3", "system": "Be terse."}, "system need 'from'"),
        ({"name": "m", "from": "b", "state": "latest"}, "state=latest is for models pulled from a registry"),
        ({"name": "m", "from": "b", "parameters": {"temperature": "hot"}}, "parameters: 'temperature' must be a number, not 'hot'"),
        ({"name": "m", "from": "b", "parameters": {"temprature": 1}}, "parameters: unknown parameter 'temprature'"),
        ({"name": "m", "retries": -1}, "retries must be 0 or more, not -1"),
        (
            {"name": "m", "source": "/x.gguf", "quantize": "q2_K"},
            "quantize 'q2_K' is not a type Ollama quantizes to; one of BF16, F16, F32, Q4_K_M, Q4_K_S, Q8_0",
        ),
        ({"name": "m", "from": "b", "quantize": "q8_0"}, "quantize works with 'source'"),
        ({"name": "m", "quantize": "q8_0"}, "quantize needs 'source'"),
        ({"name": "m", "quantize": "q8_0", "system": "Be terse."}, "system need 'from'"),
    ],
)
def test_bad_entries_are_named(entry, message):
    assert message in ollama_model_entry_problem(entry)


def test_the_filter_is_registered():
    assert FilterModule().filters() == {"ollama_model_entry_problem": ollama_model_entry_problem}
