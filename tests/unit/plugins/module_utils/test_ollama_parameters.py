# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""Model parameters against the types of Ollama 0.24.0's api.Options: converted when unambiguous, refused
otherwise, every problem named."""

from __future__ import annotations

import re

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_parameters import (
    PARAMETER_TYPES,
    ParameterProblem,
    check_parameters,
)


def test_the_known_parameters_are_those_of_ollama_0_34():
    assert sorted(PARAMETER_TYPES) == sorted([
        "num_ctx", "num_batch", "num_gpu", "main_gpu", "use_mmap", "num_thread", "draft_num_predict", "num_keep", "seed",
        "num_predict",
        "top_k", "top_p", "min_p", "typical_p", "repeat_last_n", "temperature", "repeat_penalty", "presence_penalty",
        "frequency_penalty", "stop",
    ])


def test_the_parameter_0_34_added_is_an_integer():
    assert check_parameters({"draft_num_predict": "4"}) == {"draft_num_predict": 4}
    with pytest.raises(ParameterProblem, match=re.escape("'draft_num_predict' must be an integer, not 2.5")):
        check_parameters({"draft_num_predict": 2.5})


def test_good_values_are_converted_to_ollamas_types():
    checked = check_parameters({
        "temperature": "0.2", "top_p": 1, "num_ctx": "8192", "num_predict": 16.0, "seed": -1,
        "use_mmap": "false", "stop": "<end_of_turn>",
    })
    assert checked == {
        "temperature": 0.2, "top_p": 1.0, "num_ctx": 8192, "num_predict": 16, "seed": -1,
        "use_mmap": False, "stop": ["<end_of_turn>"],
    }
    assert isinstance(checked["top_p"], float)
    assert isinstance(checked["num_ctx"], int)
    assert not isinstance(checked["num_ctx"], bool)
    assert check_parameters(None) == {}
    assert check_parameters({"stop": ["a", "b"], "use_mmap": True}) == {"stop": ["a", "b"], "use_mmap": True}


@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"temperature": [1, 2]}, "parameters: 'temperature' must be a number, not [1, 2]"),
        ({"temperature": "hot"}, "parameters: 'temperature' must be a number, not 'hot'"),
        ({"temperature": True}, "parameters: 'temperature' must be a number, not True"),
        ({"temperature": "nan"}, "parameters: 'temperature' must be a number, not 'nan'"),
        ({"num_ctx": 2.5}, "parameters: 'num_ctx' must be an integer, not 2.5"),
        ({"num_ctx": "big"}, "parameters: 'num_ctx' must be an integer, not 'big'"),
        ({"use_mmap": "maybe"}, "parameters: 'use_mmap' must be a boolean (true or false), not 'maybe'"),
        ({"stop": [1]}, "parameters: 'stop' must be a string or a list of strings, not [1]"),
        ({"stop": {"a": 1}}, "parameters: 'stop' must be a string or a list of strings, not {'a': 1}"),
    ],
)
def test_wrong_types_are_refused_naming_the_parameter_and_the_type(parameters, message):
    with pytest.raises(ParameterProblem) as error:
        check_parameters(parameters)
    assert str(error.value) == message


def test_unknown_names_are_refused_and_all_problems_are_listed():
    with pytest.raises(ParameterProblem) as error:
        check_parameters({"temprature": 0.2, "top_k": "x"})
    message = str(error.value)
    assert message.startswith("parameters: unknown parameter 'temprature' (Ollama knows: draft_num_predict, frequency_penalty, main_gpu,")
    assert message.endswith("; 'top_k' must be an integer, not 'x'")
