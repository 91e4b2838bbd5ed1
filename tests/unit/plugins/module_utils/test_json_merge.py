# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._json_merge import (
    MalformedJson,
    deep_merge,
    parse_existing,
    remove_keys,
    render,
)

EXISTING = {
    "data-root": "/srv/docker",
    "runtimes": {"crun": {"path": "/usr/bin/crun"}},
    "log-opts": {"max-size": "50m", "labels": "team"},
    "insecure-registries": ["old.example:5000"],
}


def test_keys_not_mentioned_survive():
    merged = deep_merge(EXISTING, {"log-driver": "json-file"})
    assert merged == dict(EXISTING, **{"log-driver": "json-file"})


def test_a_new_runtime_joins_the_existing_ones():
    merged = deep_merge(EXISTING, {"runtimes": {"nvidia": {"path": "nvidia-container-runtime", "args": []}}})
    assert merged["runtimes"] == {
        "crun": {"path": "/usr/bin/crun"},
        "nvidia": {"path": "nvidia-container-runtime", "args": []},
    }


def test_nested_values_are_replaced_key_by_key_and_lists_as_a_whole():
    merged = deep_merge(EXISTING, {"log-opts": {"max-size": "10m"}, "insecure-registries": ["new.example:5000"]})
    assert merged["log-opts"] == {"max-size": "10m", "labels": "team"}
    assert merged["insecure-registries"] == ["new.example:5000"]


def test_merge_does_not_modify_its_inputs():
    wanted = {"runtimes": {"nvidia": {"path": "x"}}}
    before = json.dumps(EXISTING, sort_keys=True)
    deep_merge(EXISTING, wanted)
    assert json.dumps(EXISTING, sort_keys=True) == before
    assert wanted == {"runtimes": {"nvidia": {"path": "x"}}}


def test_merging_what_is_there_changes_nothing():
    assert deep_merge(EXISTING, {"runtimes": {"crun": {"path": "/usr/bin/crun"}}}) == EXISTING


def test_remove_by_dotted_path():
    assert "crun" not in remove_keys(EXISTING, [["runtimes", "crun"]])["runtimes"]
    assert "insecure-registries" not in remove_keys(EXISTING, [["insecure-registries"]])
    assert remove_keys(EXISTING, [["no", "such", "key"], ["data-root", "not-an-object"]]) == EXISTING


@pytest.mark.parametrize("text", [None, "", "  \n"])
def test_missing_or_empty_file_is_an_empty_object(text):
    assert parse_existing(text, "/etc/docker/daemon.json") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"log-driver": "json-file",}', "is not valid JSON"),
        ("{'single': 'quotes'}", "is not valid JSON"),
        ('["a", "list"]', "holds a JSON list, not an object"),
        ('"text"', "holds a JSON str, not an object"),
    ],
)
def test_malformed_file_is_refused_with_a_clear_message(text, message):
    with pytest.raises(MalformedJson) as error:
        parse_existing(text, "/etc/docker/daemon.json")
    assert message in str(error.value)
    assert "/etc/docker/daemon.json" in str(error.value)
    assert "left untouched" in str(error.value)


def test_render_is_stable():
    assert render({"b": 1, "a": {"d": 2, "c": 3}}) == render({"a": {"c": 3, "d": 2}, "b": 1})
    assert render({}) == "{}\n"
