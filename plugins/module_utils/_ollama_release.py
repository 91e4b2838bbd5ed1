# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's plugins use it.

"""Which Ollama releases this collection runs, and what each needs of the NVIDIA driver. Pure functions, so that
every decision has a unit test; the ollama role asks them through the ollama_release_problem and
ollama_driver_problem filters."""

from __future__ import annotations

import re

# The releases the ollama role deploys and its tests cover: the oldest is what deployments made before 2026-12 run
# (the upgrade test starts there), the newest is the pinned one. Nothing here was ever run against an older release.
OLDEST_SUPPORTED = (0, 24, 0)
NEWEST_TESTED = (0, 34, 0)

# From 0.30.11 Ollama filters out GPUs whose driver is older than its CUDA runtime supports (discover/): the model
# then runs on the CPU without an error. Maxwell and Pascal cards (compute capability 5.0 to 6.2) need a newer
# driver still.
DRIVER_FLOOR_SINCE = (0, 30, 11)
DRIVER_FLOOR = 550
DRIVER_FLOOR_OLD_CARDS = 570
OLD_CARDS = ((5, 0), (6, 2))

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$")


def parse_version(text) -> tuple | None:
    """(major, minor, patch) of '0.34.0', 'v0.34.0' or '0.34.0-rocm'; None for anything else ('latest', '')."""
    match = _VERSION.match(str(text or "").strip())
    return tuple(int(part) for part in match.groups()) if match else None


def image_version(image: str) -> tuple | None:
    """The release an image reference names by its tag ('docker.io/ollama/ollama:0.34.0'); None when the tag is
    not a version (latest, a digest, none)."""
    reference = str(image or "").split("@", 1)[0]
    _name, sep, tag = reference.rpartition(":")
    if not sep or "/" in tag:
        return None
    return parse_version(tag)


def version_of(text: str) -> tuple | None:
    """A version ('0.34.0') or an image reference whose tag is one ('docker.io/ollama/ollama:0.34.0')."""
    return parse_version(text) or image_version(text)


def _text(version: tuple) -> str:
    return ".".join(str(part) for part in version)


def release_problem(version_text: str, variable: str = "ollama_image") -> str:
    """'' when this collection runs the release (a version or an image reference), else why not and what to set.
    An unreadable version is no problem here: the caller checks the running server's own version once it answers."""
    version = version_of(version_text)
    if version is None or version >= OLDEST_SUPPORTED:
        return ""
    return (
        f"Ollama {_text(version)} is older than {_text(OLDEST_SUPPORTED)}, the oldest release this collection runs "
        f"(it supports {_text(OLDEST_SUPPORTED)} to {_text(NEWEST_TESTED)}, the releases its roles and modules are "
        f"tested with). Set {variable} to a release in that range, for example "
        f"docker.io/ollama/ollama:{_text(NEWEST_TESTED)}."
    )


def driver_floor(ollama_version: tuple | None, compute_capability: tuple | None) -> int | None:
    """The oldest driver branch the release uses a card with; None when it sets none. An unknown release gets the
    floor of the newest one (the strictest); an unknown compute capability gets the general floor."""
    if ollama_version is not None and ollama_version < DRIVER_FLOOR_SINCE:
        return None
    if compute_capability is not None and OLD_CARDS[0] <= compute_capability <= OLD_CARDS[1]:
        return DRIVER_FLOOR_OLD_CARDS
    return DRIVER_FLOOR


def parse_compute_capability(text) -> tuple | None:
    match = re.match(r"^\s*(\d+)\.(\d+)\s*$", str(text or ""))
    return (int(match.group(1)), int(match.group(2))) if match else None


def driver_problem(ollama_version_text: str, driver_version: str | None, gpus: list, variable: str = "ollama_image") -> str:
    """'' when every GPU will be used by this Ollama release with this driver; else which card, which driver it needs,
    and what to do. gpus: [{name, compute_capability}] as nvidia_host_info reports them."""
    if not driver_version:
        return ""
    major = re.match(r"^\s*(\d+)", str(driver_version))
    if not major:
        return ""
    branch = int(major.group(1))
    release = version_of(ollama_version_text)
    short = []
    for gpu in gpus or [{"name": "the GPU", "compute_capability": None}]:
        capability = parse_compute_capability(gpu.get("compute_capability"))
        floor = driver_floor(release, capability)
        if floor is not None and branch < floor:
            card = gpu.get("name") or "the GPU"
            if capability is not None:
                card += f" (compute capability {capability[0]}.{capability[1]})"
            short.append((card, floor))
    if not short:
        return ""
    needed = max(floor for _card, floor in short)
    named = "Ollama " + (_text(release) if release else "of " + variable)
    cards = ", ".join(card for card, _floor in short)
    return (
        f"{named} does not use {cards} with NVIDIA driver {driver_version}: it needs driver {needed} or later, and "
        f"with an older one it silently runs every model on the CPU. Install driver {needed} or later (role "
        "selfhosted.genai.nvidia_driver: Debian 13's non-free archive has 550; Debian 12's archive has only 535, so "
        "there the role installs branch nvidia_driver_branch from NVIDIA's CUDA repository unless "
        "nvidia_driver_debian_source is distribution; Ubuntu's nvidia-driver-<branch>-server packages have newer "
        f"ones), then reboot; or set {variable} to a release before "
        f"{_text(DRIVER_FLOOR_SINCE)}, or ollama_gpu_enabled: false to run on the CPU knowingly."
    )
