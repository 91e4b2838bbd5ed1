# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a model sits, decided on /api/ps answers of Ollama 0.24.0: the CPU one recorded from the lab's Ollama; no
GPU was available to record the others, so they are that answer's shape with size_vram set as Ollama sets it for a
model fully and partly offloaded."""

from __future__ import annotations

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_offload import CPU, GPU, PARTIAL, offload_of, placement

# Recorded from the lab's Ollama 0.24.0 (CPU engine) on 2026-11-25, the model loaded with /api/generate.
RECORDED_CPU = {
    "models": [
        {
            "name": "127.0.0.1:5080/library/gemma3:270m",
            "model": "127.0.0.1:5080/library/gemma3:270m",
            "size": 477798912,
            "digest": "9a754356e7c923ad4d9302d4ba4f4e27996a22221aa163269a860c684192eb36",
            "details": {
                "parent_model": "",
                "format": "gguf",
                "family": "gemma3",
                "families": ["gemma3"],
                "parameter_size": "",
                "quantization_level": "Q4_K_M",
            },
            "expires_at": "2026-11-25T23:37:11.521835788Z",
            "size_vram": 0,
            "context_length": 4096,
        }
    ]
}
# The same answer as a GPU host gives it (size_vram is the part in GPU memory): whole, and split.
FULL_GPU = {"models": [{"name": "llama3.1:8b", "model": "llama3.1:8b", "size": 6654289920, "size_vram": 6654289920}]}
SPLIT = {"models": [{"name": "llama3.1:70b", "model": "llama3.1:70b", "size": 48966930432, "size_vram": 23622320128}]}


def test_a_model_on_the_cpu_has_nothing_in_vram():
    assert offload_of(RECORDED_CPU["models"]) == [
        {"name": "127.0.0.1:5080/library/gemma3:270m", "size": 477798912, "size_vram": 0, "gpu_percent": 0.0, "placement": CPU}
    ]


def test_a_fully_offloaded_model_is_on_the_gpu():
    [entry] = offload_of(FULL_GPU["models"])
    assert entry["placement"] == GPU
    assert entry["gpu_percent"] == 100.0


def test_a_split_model_reports_its_share_on_the_gpu():
    [entry] = offload_of(SPLIT["models"])
    assert entry["placement"] == PARTIAL
    assert entry["gpu_percent"] == 48.2


@pytest.mark.parametrize(
    ("size", "size_vram", "expected"),
    [(100, 0, CPU), (100, 1, PARTIAL), (100, 99, PARTIAL), (100, 100, GPU), (0, 0, CPU)],
)
def test_placement_boundaries(size, size_vram, expected):
    assert placement(size, size_vram) == expected


def test_missing_fields_count_as_nothing_loaded_on_the_gpu():
    assert offload_of([{"model": "x:1"}]) == [{"name": "x:1", "size": 0, "size_vram": 0, "gpu_percent": 0.0, "placement": CPU}]
    assert offload_of(None) == []
