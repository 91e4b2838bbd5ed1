# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's plugins use it.

"""Where a loaded model sits, from Ollama's /api/ps: all on the GPU, split between GPU and CPU, or CPU only.
A split is the common silent slowdown: every layer left on the CPU runs at the speed of system memory."""

from __future__ import annotations

GPU = "gpu"
PARTIAL = "partial"
CPU = "cpu"


def placement(size: int, size_vram: int) -> str:
    if size_vram <= 0:
        return CPU
    if size_vram >= size:
        return GPU
    return PARTIAL


def offload_of(running: list) -> list:
    """One entry per model of /api/ps: name, size, size_vram, gpu_percent and placement (gpu, partial, cpu)."""
    report = []
    for model in running or []:
        size = int(model.get("size") or 0)
        size_vram = int(model.get("size_vram") or 0)
        report.append(
            {
                "name": model.get("name") or model.get("model") or "",
                "size": size,
                "size_vram": size_vram,
                "gpu_percent": round(100.0 * size_vram / size, 1) if size else 0.0,
                "placement": placement(size, size_vram),
            }
        )
    return report
