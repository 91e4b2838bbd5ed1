# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""Model parameters checked against the types Ollama expects, before anything is sent.

Ollama's /api/create stores parameters as given; only at generation does api.Options.FromMap check their JSON
types, so a wrong type is stored silently and then breaks every generation of the model. The names and types
below are those of the Options and Runner structs of Ollama 0.34.0 (api/types.go): 0.24.0's, plus
draft_num_predict (tokens a draft model proposes per step, for speculative decoding); none was removed."""

from __future__ import annotations

import math

INTEGER = "integer"
FLOAT = "number"
BOOLEAN = "boolean"
STRING_LIST = "list of strings"

PARAMETER_TYPES = {
    # Runner: fixed when the model is loaded.
    "num_ctx": INTEGER,
    "num_batch": INTEGER,
    "num_gpu": INTEGER,
    "main_gpu": INTEGER,
    "use_mmap": BOOLEAN,
    "num_thread": INTEGER,
    "draft_num_predict": INTEGER,
    # Options: read at each generation.
    "num_keep": INTEGER,
    "seed": INTEGER,
    "num_predict": INTEGER,
    "top_k": INTEGER,
    "top_p": FLOAT,
    "min_p": FLOAT,
    "typical_p": FLOAT,
    "repeat_last_n": INTEGER,
    "temperature": FLOAT,
    "repeat_penalty": FLOAT,
    "presence_penalty": FLOAT,
    "frequency_penalty": FLOAT,
    "stop": STRING_LIST,
}

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


class ParameterProblem(ValueError):
    """A parameter Ollama would store but could not use."""


def _show(value) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _to_float(name: str, value) -> float:
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise ParameterProblem(f"'{name}' must be a number, not {_show(value)}")
    return number


def _to_integer(name: str, value) -> int:
    try:
        number = _to_float(name, value)
    except ParameterProblem:
        number = None
    # Ollama truncates 2.5 to 2 without a word; refuse it instead of guessing.
    if number is None or not number.is_integer():
        raise ParameterProblem(f"'{name}' must be an integer, not {_show(value)}")
    return int(number)


def _to_boolean(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ParameterProblem(f"'{name}' must be a boolean (true or false), not {_show(value)}")


def _to_string_list(name: str, value) -> list:
    # A lone stop word is common in Modelfiles; Ollama wants a list even for one.
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not all(isinstance(item, str) for item in values):
        raise ParameterProblem(f"'{name}' must be a string or a list of strings, not {_show(value)}")
    return list(values)


_CONVERTERS = {INTEGER: _to_integer, FLOAT: _to_float, BOOLEAN: _to_boolean, STRING_LIST: _to_string_list}


def check_parameters(parameters: dict | None) -> dict:
    """The parameters converted to the JSON types Ollama expects ("0.2" becomes 0.2, "8192" becomes 8192).

    Raises ParameterProblem naming every parameter that is unknown or cannot be converted."""
    checked: dict = {}
    problems: list = []
    for name, value in (parameters or {}).items():
        kind = PARAMETER_TYPES.get(str(name))
        if kind is None:
            problems.append(f"unknown parameter '{name}' (Ollama knows: {', '.join(sorted(PARAMETER_TYPES))})")
            continue
        try:
            checked[str(name)] = _CONVERTERS[kind](str(name), value)
        except ParameterProblem as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterProblem("parameters: " + "; ".join(problems))
    return checked
