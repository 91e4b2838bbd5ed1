# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""The releases the ollama role runs and the NVIDIA driver each needs: the floor decision for every driver branch
Debian, Ubuntu and NVIDIA ship against the compute capabilities that change it, on nvidia-smi answers in the
format nvidia-smi writes (`--query-gpu=pci.bus_id,name,driver_version,compute_cap --format=csv,noheader`)."""

from __future__ import annotations

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._nvidia_host import parse_nvidia_smi
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_release import (
    driver_floor,
    driver_problem,
    image_version,
    parse_version,
    release_problem,
)

# What the L4 of the reference box answers with Debian 12's driver, and a Pascal card with Debian 13's.
L4_ON_DEBIAN_12 = "00000000:00:03.0, NVIDIA L4, 535.261.03, 8.9\n"
P40_ON_DEBIAN_13 = "00000000:3B:00.0, Tesla P40, 550.163.01, 6.1\n"
L4_ON_DEBIAN_13 = "00000000:00:03.0, NVIDIA L4, 550.163.01, 8.9\n"
TWO_CARDS_ON_550 = "00000000:00:03.0, NVIDIA L4, 550.163.01, 8.9\n00000000:00:04.0, Tesla P4, 550.163.01, 6.1\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.34.0", (0, 34, 0)),
        ("v0.34.0", (0, 34, 0)),
        ("0.34.0-rocm", (0, 34, 0)),
        ("latest", None),
        ("", None),
        (None, None),
        ("0.34", None),
    ],
)
def test_versions_are_read_from_the_tag_or_the_api(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("docker.io/ollama/ollama:0.34.0", (0, 34, 0)),
        ("registry.example:5000/ollama/ollama:0.24.0", (0, 24, 0)),
        ("genai-lab/ollama:0.24.0", (0, 24, 0)),
        ("ollama/ollama:latest", None),
        ("registry.example:5000/ollama/ollama", None),
        ("ollama/ollama@sha256:" + "a" * 64, None),
    ],
)
def test_an_image_names_its_release_by_its_tag(image, expected):
    assert image_version(image) == expected


def test_the_supported_releases_pass():
    assert release_problem("docker.io/ollama/ollama:0.34.0") == ""
    assert release_problem("docker.io/ollama/ollama:0.24.0") == ""
    assert release_problem("0.30.11") == ""


def test_an_unreadable_tag_is_left_to_the_running_server():
    assert release_problem("docker.io/ollama/ollama:latest") == ""


def test_an_older_release_is_refused_naming_the_variable_and_the_range():
    message = release_problem("docker.io/ollama/ollama:0.23.1")
    assert message.startswith("Ollama 0.23.1 is older than 0.24.0, the oldest release this collection runs")
    assert "it supports 0.24.0 to 0.34.0" in message
    assert "Set ollama_image to a release in that range" in message


@pytest.mark.parametrize(
    ("release", "capability", "floor"),
    [
        ((0, 24, 0), (8, 9), None),  # before 0.30.11: no floor of Ollama's own
        ((0, 30, 10), (6, 1), None),
        ((0, 30, 11), (8, 9), 550),
        ((0, 34, 0), (8, 9), 550),  # L4 (Ada)
        ((0, 34, 0), (7, 5), 550),  # T4 (Turing)
        ((0, 34, 0), (6, 2), 570),  # Jetson TX2: the top of the old range
        ((0, 34, 0), (6, 1), 570),  # P40 (Pascal)
        ((0, 34, 0), (5, 0), 570),  # Maxwell: the bottom of the old range
        ((0, 34, 0), (7, 0), 550),  # V100 (Volta): past the old range
        ((0, 34, 0), None, 550),  # compute capability unknown
        (None, (8, 9), 550),  # release unknown: the newest one's floor
        (None, (6, 1), 570),
    ],
)
def test_the_driver_floor_of_each_release_and_card(release, capability, floor):
    assert driver_floor(release, capability) == floor


@pytest.mark.parametrize(
    ("driver", "answer", "refused"),
    [
        ("535.261.03", L4_ON_DEBIAN_12, True),  # Debian 12's driver on the reference L4
        ("535.216.03", L4_ON_DEBIAN_12, True),  # Debian 12 backports
        ("550.163.01", L4_ON_DEBIAN_13, False),  # Debian 13's driver
        ("550.163.01", P40_ON_DEBIAN_13, True),  # a Pascal card on 550: needs 570
        ("570.195.03", P40_ON_DEBIAN_13, False),
        ("580.95.05", L4_ON_DEBIAN_12, False),
        ("550.163.01", TWO_CARDS_ON_550, True),  # one old card among new ones is enough to refuse
    ],
)
def test_recorded_nvidia_smi_answers_against_ollama_0_34(driver, answer, refused):
    message = driver_problem("docker.io/ollama/ollama:0.34.0", driver, parse_nvidia_smi(answer))
    assert (message != "") is refused


def test_the_refusal_names_the_card_the_driver_it_needs_and_the_ways_out():
    message = driver_problem("docker.io/ollama/ollama:0.34.0", "535.261.03", parse_nvidia_smi(L4_ON_DEBIAN_12))
    assert message.startswith(
        "Ollama 0.34.0 does not use NVIDIA L4 (compute capability 8.9) with NVIDIA driver 535.261.03: it needs driver "
        "550 or later, and with an older one it silently runs every model on the CPU."
    )
    assert "selfhosted.genai.nvidia_driver" in message
    assert "Debian 12's archive has only 535" in message
    assert "NVIDIA's CUDA repository unless nvidia_driver_debian_source is distribution" in message
    assert "set ollama_image to a release before 0.30.11" in message
    assert "ollama_gpu_enabled: false" in message


def test_a_pascal_card_on_debian_13_needs_570():
    message = driver_problem("0.34.0", "550.163.01", parse_nvidia_smi(TWO_CARDS_ON_550))
    assert "Tesla P4 (compute capability 6.1)" in message
    assert "NVIDIA L4" not in message
    assert "needs driver 570 or later" in message


def test_ollama_0_24_uses_any_driver():
    assert driver_problem("docker.io/ollama/ollama:0.24.0", "535.261.03", parse_nvidia_smi(L4_ON_DEBIAN_12)) == ""


def test_a_tag_that_is_not_a_version_gets_the_newest_floor():
    message = driver_problem("ollama/ollama:latest", "535.261.03", parse_nvidia_smi(L4_ON_DEBIAN_12))
    assert message.startswith("Ollama of ollama_image does not use NVIDIA L4")


def test_no_driver_loaded_is_not_this_checks_business():
    assert driver_problem("0.34.0", None, []) == ""


def test_a_card_nvidia_smi_did_not_describe_gets_the_general_floor():
    gpus = [{"address": "0000:00:03.0", "name": None, "compute_capability": None}]
    assert "the GPU with NVIDIA driver 535.104.05: it needs driver 550" in driver_problem("0.34.0", "535.104.05", gpus)
