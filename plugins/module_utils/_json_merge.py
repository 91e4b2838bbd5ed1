# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""Merging settings into a JSON configuration file (Docker's daemon.json) without losing what is there."""

from __future__ import annotations

import copy
import json


class MalformedJson(ValueError):
    """The existing file is not a JSON object; it must be fixed by hand, so it is left untouched."""


def parse_existing(text: str | None, path: str) -> dict:
    """The current settings: {} for a missing or empty file; an error for anything but a JSON object."""
    if text is None or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise MalformedJson(f"{path} is not valid JSON ({exc}); fix or remove it, it was left untouched") from exc
    if not isinstance(value, dict):
        raise MalformedJson(f"{path} holds a JSON {type(value).__name__}, not an object; fix it, it was left untouched")
    return value


def deep_merge(current: dict, wanted: dict) -> dict:
    """current with wanted laid over it: nested objects merge key by key, anything else is replaced.

    Keys of current that wanted does not mention are kept, so settings made by others survive."""
    merged = copy.deepcopy(current)
    for key, value in wanted.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def remove_keys(current: dict, paths: list) -> dict:
    """current without the given keys; a path is a list of keys into nested objects. Missing keys are ignored."""
    result = copy.deepcopy(current)
    for path in paths:
        node = result
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
            if node is None:
                break
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return result


def render(settings: dict) -> str:
    """Stable text for the file: sorted keys, so that a second run writes nothing."""
    return json.dumps(settings, indent=2, sort_keys=True) + "\n"
