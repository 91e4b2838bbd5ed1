# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils import _ollama_model as logic
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_model import (
    DELETE,
    NOTHING,
    PULL,
)

OLD = "1" * 64
NEW = "2" * 64


# state x (missing, present and current, present and outdated) -> action. Check mode takes the same
# decision (the module only skips the call), so one table serves both.
@pytest.mark.parametrize(
    ("state", "local", "remote", "action"),
    [
        ("present", None, None, PULL),
        ("present", OLD, None, NOTHING),
        ("latest", None, None, PULL),
        ("latest", OLD, OLD, NOTHING),
        ("latest", OLD, NEW, PULL),
        ("absent", None, None, NOTHING),
        ("absent", OLD, None, DELETE),
    ],
)
def test_registry_decision_table(state, local, remote, action):
    assert logic.plan_registry_model(state, local, remote) == action


def test_present_never_needs_the_registry_for_an_existing_model():
    # remote=None would raise for 'latest'; for 'present' it must not even be consulted.
    assert logic.plan_registry_model("present", OLD, None) == NOTHING


def test_latest_refuses_to_decide_without_the_registry_digest():
    with pytest.raises(ValueError, match="needs the registry's digest"):
        logic.plan_registry_model("latest", OLD, None)


def test_unknown_state_is_an_error():
    with pytest.raises(ValueError, match="unknown state"):
        logic.plan_registry_model("installed", OLD, None)


SHOW_TEXT = "\n".join(
    [
        "num_ctx                        8192",
        'stop                           "<end_of_turn>"',
        'stop                           "\\n"',
        "temperature                    0.2",
        "penalize_newline               true",
    ]
)


def test_parameters_text_of_api_show_is_parsed():
    assert logic.parse_parameters_text(SHOW_TEXT) == {
        "num_ctx": "8192",
        "stop": ["<end_of_turn>", "\n"],
        "temperature": "0.2",
        "penalize_newline": "true",
    }
    assert logic.parse_parameters_text("") == {}
    assert logic.parse_parameters_text(None) == {}


def test_normalised_parameters_compare_by_value_not_spelling():
    from_show = logic.normalise_parameters(logic.parse_parameters_text(SHOW_TEXT))
    from_task = logic.normalise_parameters(
        {"num_ctx": 8192, "stop": ["<end_of_turn>", "\n"], "temperature": 0.2, "penalize_newline": True}
    )
    assert from_show == from_task
    assert logic.normalise_parameters({"stop": "x"}) == {"stop": ["x"]}
    assert logic.normalise_parameters({"temperature": 0}) == logic.normalise_parameters({"temperature": "0.0"})
    assert logic.normalise_parameters({"temperature": 0.1}) != logic.normalise_parameters({"temperature": 0.2})


def test_model_blob_digest_comes_from_the_from_line():
    show = {"modelfile": "# comment\nFROM /root/.ollama/models/blobs/sha256-" + OLD + "\nTEMPLATE x\n"}
    assert logic.model_blob_digest(show) == "sha256:" + OLD
    assert logic.model_blob_digest({"modelfile": "FROM gemma3:270m\n"}) is None
    assert logic.model_blob_digest(None) is None


def show(system="", template="T", parameters="", messages=None, weights=OLD, quantization="Q4_K_M"):
    return {
        "modelfile": f"FROM /models/blobs/sha256-{weights}\n",
        "details": {"format": "gguf", "quantization_level": quantization},
        "system": system,
        "template": template,
        "parameters": parameters,
        "messages": messages or [],
    }


BASE = logic.customisation_of(show(template="base template", parameters="num_predict 32\ntemperature 0"))


def test_a_model_from_another_inherits_and_overrides_by_name():
    expected = logic.expected_customisation({"system": "Be terse.", "parameters": {"temperature": 0.7}}, base=BASE)
    assert expected["template"] == "base template"
    assert expected["system"] == "Be terse."
    assert expected["weights"] == "sha256:" + OLD
    assert expected["parameters"] == {"num_predict": ["32.0"], "temperature": ["0.7"]}


def test_model_with_exactly_the_wanted_values_needs_no_change():
    wanted = {"system": "Be terse.", "parameters": {"temperature": 0.7}, "messages": [{"role": "user", "content": "hi"}]}
    current = logic.customisation_of(
        show(
            system="Be terse.",
            template="base template",
            parameters="num_predict 32\ntemperature 0.7",
            messages=[{"role": "user", "content": "hi", "images": None}],
        )
    )
    assert logic.customisation_differences(logic.expected_customisation(wanted, base=BASE), current) == []


@pytest.mark.parametrize(
    ("change", "part"),
    [
        ({"system": "Be verbose."}, "system"),
        ({"template": "other"}, "template"),
        ({"parameters": {"temperature": 0.9}}, "parameters"),
        ({"messages": []}, "messages"),
    ],
)
def test_each_changed_part_is_named(change, part):
    wanted = {"system": "Be terse.", "parameters": {"temperature": 0.7}, "messages": [{"role": "user", "content": "hi"}]}
    current = logic.customisation_of(
        show(system="Be terse.", template="base template", parameters="num_predict 32\ntemperature 0.7",
             messages=[{"role": "user", "content": "hi"}])
    )
    wanted.update(change)
    assert logic.customisation_differences(logic.expected_customisation(wanted, base=BASE), current) == [part]


def test_new_weights_in_the_base_make_a_difference():
    current = logic.customisation_of(show(template="base template", parameters="num_predict 32\ntemperature 0"))
    newer_base = dict(BASE, weights="sha256:" + NEW)
    assert logic.customisation_differences(logic.expected_customisation({}, base=newer_base), current) == ["weights"]


def test_gguf_import_compares_only_what_was_given():
    # Ollama derived a template and a stop word from the GGUF; neither was asked for.
    current = logic.customisation_of(show(template="derived", parameters='stop "<eos>"\ntemperature 0'))
    same = logic.expected_customisation({"parameters": {"temperature": 0}}, weights="sha256:" + OLD)
    assert logic.customisation_differences(same, current) == []
    other_file = logic.expected_customisation({"parameters": {"temperature": 0}}, weights="sha256:" + NEW)
    assert logic.customisation_differences(other_file, current) == ["weights"]
    other_template = logic.expected_customisation({"template": "mine"}, weights="sha256:" + OLD)
    assert logic.customisation_differences(other_template, current) == ["template"]
    with_system = logic.expected_customisation({"system": "hello"}, weights="sha256:" + OLD)
    assert logic.customisation_differences(with_system, current) == ["system"]


def test_create_request_from_a_model_or_a_blob():
    wanted = {"from": "gemma3:270m", "system": "s", "template": None, "parameters": {"temperature": 0}, "messages": None}
    assert logic.create_request("bot", wanted) == {"model": "bot", "from": "gemma3:270m", "system": "s", "parameters": {"temperature": 0}}
    assert logic.create_request("bot", dict(wanted, **{"from": None}), weights="sha256:" + OLD, file_name="m.gguf") == {
        "model": "bot",
        "files": {"m.gguf": "sha256:" + OLD},
        "system": "s",
        "parameters": {"temperature": 0},
    }


@pytest.mark.parametrize(("asked", "reported"), [("q4_k_m", "Q4_K_M"), ("Q4_K", "Q4_K_M"), (" q8_0 ", "Q8_0"), ("bf16", "BF16")])
def test_quantize_types_are_spelled_as_api_show_reports_them(asked, reported):
    assert logic.quantize_type(asked) == reported


@pytest.mark.parametrize("asked", ["q2_K", "Q4_0", "", "int8"])
def test_types_ollama_does_not_quantize_to_are_none(asked):
    assert logic.quantize_type(asked) is None


def test_a_quantized_import_compares_the_quantization_asked_for():
    current = logic.customisation_of(show(quantization="Q4_K_M"))
    assert logic.customisation_differences(logic.expected_customisation({"quantize": "q4_K_M"}, weights="sha256:" + OLD), current) == []
    assert logic.customisation_differences(logic.expected_customisation({"quantize": "q8_0"}, weights="sha256:" + OLD), current) == [
        "quantization"
    ]
    # Not asked for: the type of the file, whatever it is, is no difference.
    assert logic.customisation_differences(logic.expected_customisation({}, weights="sha256:" + OLD), current) == []


def test_create_request_asks_for_the_quantization_in_ollamas_spelling():
    wanted = {"from": None, "quantize": "q4_k", "system": None, "template": None, "parameters": None, "messages": None}
    assert logic.create_request("bot", wanted, weights="sha256:" + OLD) == {
        "model": "bot",
        "files": {"model.gguf": "sha256:" + OLD},
        "quantize": "Q4_K_M",
    }


def test_pull_bytes_count_downloaded_layers_not_cached_ones():
    events = [
        {"status": "pulling manifest"},
        {"status": "pulling aaa", "digest": "sha256:aaa", "total": 100, "completed": 35},
        {"status": "pulling aaa", "digest": "sha256:aaa", "total": 100, "completed": 100},
        {"status": "pulling bbb", "digest": "sha256:bbb", "total": 50, "completed": 50},
        {"status": "verifying sha256 digest"},
        {"status": "success"},
    ]
    assert logic.summarise_pull(events) == 100
    assert logic.summarise_pull([{"status": "success"}]) == 0


UPLOAD = "sha256:" + "a" * 64
REWRITTEN = "sha256:" + "b" * 64
OTHER_UPLOAD = "sha256:" + "c" * 64


def test_weights_kept_as_uploaded_are_the_sources():
    # Ollama up to 0.29, and 0.34 for a GGUF it stores as given.
    assert logic.weights_made_from(UPLOAD, UPLOAD, {}) is True


def test_a_blob_ollama_made_from_the_upload_counts_as_the_sources():
    # Ollama 0.30 and later: llama-quantize wrote a new file; the module recorded which upload it came from.
    assert logic.weights_made_from(REWRITTEN, UPLOAD, {REWRITTEN: UPLOAD}) is True


def test_a_rewritten_blob_nobody_recorded_is_not_taken_on_trust():
    assert logic.weights_made_from(REWRITTEN, UPLOAD, {}) is False


def test_a_changed_file_is_detected_even_when_its_old_blob_was_recorded():
    assert logic.weights_made_from(REWRITTEN, OTHER_UPLOAD, {REWRITTEN: UPLOAD}) is False
    assert logic.weights_made_from(None, UPLOAD, {REWRITTEN: UPLOAD}) is False


def test_a_record_is_an_object_of_digests():
    assert logic.record_problem({REWRITTEN: UPLOAD}) == ""
    assert logic.record_problem({}) == ""
    assert logic.record_problem([]) == "it is not a JSON object"
    assert logic.record_problem({REWRITTEN: "model.gguf"}) == f"the entry {REWRITTEN!r}: 'model.gguf' is not two sha256 digests"
