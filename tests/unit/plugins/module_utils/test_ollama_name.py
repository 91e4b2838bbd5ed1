# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_name import InvalidModelName, ModelName


@pytest.mark.parametrize(
    "reference",
    ["gemma3", "gemma3:latest", "library/gemma3", "library/gemma3:latest", "registry.ollama.ai/library/gemma3:latest",
     "GEMMA3", "Registry.Ollama.AI/Library/Gemma3:LATEST"],
)
def test_every_spelling_of_one_model_is_the_same_model(reference):
    parsed = ModelName.parse(reference)
    assert parsed == ModelName("registry.ollama.ai", "library", "gemma3", "latest")
    assert parsed.shortest.lower() == "gemma3:latest"


@pytest.mark.parametrize(
    ("reference", "host", "namespace", "model", "tag"),
    [
        ("gemma3:270m", "registry.ollama.ai", "library", "gemma3", "270m"),
        ("acme/bot", "registry.ollama.ai", "acme", "bot", "latest"),
        ("127.0.0.1:5080/library/gemma3:270m", "127.0.0.1:5080", "library", "gemma3", "270m"),
        ("mirror.example.internal/team_a/llama3.2:3b-instruct-q4_K_M", "mirror.example.internal", "team_a", "llama3.2", "3b-instruct-q4_K_M"),
        ("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "hf.co", "bartowski", "Llama-3.2-1B-Instruct-GGUF", "Q4_K_M"),
        ("_private/m_1:t_1", "registry.ollama.ai", "_private", "m_1", "t_1"),
        ("http://mirror:80/library/gemma3:270m", "mirror:80", "library", "gemma3", "270m"),
    ],
)
def test_parts_and_defaults(reference, host, namespace, model, tag):
    parsed = ModelName.parse(reference)
    assert (parsed.host, parsed.namespace, parsed.model, parsed.tag) == (host, namespace, model, tag)


def test_a_scheme_in_the_host_sets_the_manifest_scheme():
    assert ModelName.parse("http://mirror:80/library/gemma3:270m").manifest_url() == "http://mirror:80/v2/library/gemma3/manifests/270m"
    assert ModelName.parse("gemma3:270m").manifest_url() == "https://registry.ollama.ai/v2/library/gemma3/manifests/270m"
    assert ModelName.parse("mirror:80/library/gemma3:270m").manifest_url(insecure=True) == "http://mirror:80/v2/library/gemma3/manifests/270m"


def test_shortest_leaves_out_only_defaults():
    assert ModelName.parse("registry.ollama.ai/library/gemma3").shortest == "gemma3:latest"
    assert ModelName.parse("acme/bot:v1").shortest == "acme/bot:v1"
    assert ModelName.parse("127.0.0.1:5080/library/gemma3:270m").shortest == "127.0.0.1:5080/library/gemma3:270m"


def test_different_tags_hosts_or_namespaces_are_different_models():
    assert ModelName.parse("gemma3:270m") != ModelName.parse("gemma3:1b")
    assert ModelName.parse("gemma3") != ModelName.parse("acme/gemma3")
    assert ModelName.parse("gemma3") != ModelName.parse("mirror:80/library/gemma3")
    assert len({ModelName.parse("gemma3"), ModelName.parse("GEMMA3:latest")}) == 1


@pytest.mark.parametrize(
    ("reference", "rule"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("gemma 3", "white space"),
        (" gemma3", "white space"),
        ("gemma3:", "the tag after ':' is empty"),
        ("library/", "the model is empty"),
        ("/gemma3", "the namespace is empty"),
        ("a/b/c/d", "too many '/'"),
        ("-gemma3", "the model '-gemma3' must start with a letter, a digit or '_'"),
        (".hidden", "must start with a letter"),
        ("gemma3:-x", "the tag '-x' must start"),
        ("gem@ma3", "contains '@'"),
        ("gemma3:t:x", "the model 'gemma3:t' contains ':'"),
        ("my.team/bot", "the namespace 'my.team' contains '.'"),
        ("library/gem:ma/x", "the namespace 'gem:ma' contains ':'"),
        ("gémma3", "contains 'é'"),
        ("gemma3:" + "t" * 81, "longer than 80"),
        ("m" * 81, "longer than 80"),
        ("ftp://host/ns/model", "the scheme must be http or https"),
        ("host!/ns/model", "the host 'host!' contains '!'"),
    ],
)
def test_invalid_names_are_refused_with_the_broken_rule(reference, rule):
    with pytest.raises(InvalidModelName) as error:
        ModelName.parse(reference)
    assert rule in str(error.value)


def test_a_name_that_is_not_text_is_refused():
    with pytest.raises(InvalidModelName, match="it is empty"):
        ModelName.parse(None)


def test_a_name_is_spelled_as_ollama_spells_it_for_a_pull():
    existing = [ModelName.parse("mirror.test:80/library/gemma3:270m"), ModelName.parse("Other/Model:v1")]
    spelled = ModelName.parse("MIRROR.test:80/LIBRARY/GEMMA3:270M").spelled_as(existing)
    assert spelled.manifest_url(insecure=True) == "http://mirror.test:80/v2/library/gemma3/manifests/270m"
    # Parts Ollama knows from other models take their spelling; unknown parts keep the spelling given.
    mixed = ModelName.parse("OTHER/gemma3:NEW").spelled_as(existing)
    assert (mixed.namespace, mixed.model, mixed.tag) == ("Other", "gemma3", "NEW")
    assert ModelName.parse("LIBRARY/GEMMA3:270M").spelled_as([]).full == "registry.ollama.ai/LIBRARY/GEMMA3:270M"


def test_the_spelling_of_the_model_itself_comes_first():
    existing = [ModelName.parse("library/Gemma3:x"), ModelName.parse("library/gemma3:270m")]
    assert ModelName.parse("GEMMA3:270M").spelled_as(existing).full == "registry.ollama.ai/library/gemma3:270m"


def test_name_problem_says_why_or_nothing():
    from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_name import name_problem

    assert name_problem("gemma3:270m") == ""
    assert name_problem("gemma3:bad tag") == "invalid model name 'gemma3:bad tag': it contains white space"
