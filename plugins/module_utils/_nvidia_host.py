# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""What a host has for NVIDIA GPUs, read from sysfs alone: no NVIDIA tool needs to be installed for it."""

from __future__ import annotations

import os

NVIDIA_VENDOR = "0x10de"
# PCI base class 0x03: display controllers (VGA 0x0300, 3D 0x0302 as on data-centre GPUs such as the L4).
DISPLAY_CLASS_PREFIX = "0x03"
SECURE_BOOT_VARIABLE = "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return None


def nvidia_gpus(sysfs: str = "/sys") -> list:
    """NVIDIA display devices on the PCI bus, sorted by address."""
    devices = os.path.join(sysfs, "bus", "pci", "devices")
    try:
        addresses = sorted(os.listdir(devices))
    except OSError:
        return []
    found = []
    for address in addresses:
        base = os.path.join(devices, address)
        vendor = (_read(os.path.join(base, "vendor")) or "").lower()
        device_class = (_read(os.path.join(base, "class")) or "").lower()
        if vendor == NVIDIA_VENDOR and device_class.startswith(DISPLAY_CLASS_PREFIX):
            found.append(
                {
                    "address": address,
                    "device_id": (_read(os.path.join(base, "device")) or "").lower(),
                    "class": device_class,
                    "driver": os.path.basename(os.path.realpath(os.path.join(base, "driver")))
                    if os.path.exists(os.path.join(base, "driver"))
                    else None,
                }
            )
    return found


def secure_boot(sysfs: str = "/sys") -> bool | None:
    """True or False from the EFI variable; None on a machine without EFI variables (BIOS boot, most containers)."""
    path = os.path.join(sysfs, "firmware", "efi", "efivars", SECURE_BOOT_VARIABLE)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    # Four bytes of attributes, then the value.
    return len(data) >= 5 and data[4] == 1


def module_loaded(name: str, sysfs: str = "/sys") -> bool:
    return os.path.isdir(os.path.join(sysfs, "module", name))


def decide_install(wanted: str, gpus: list) -> tuple:
    """(install?, reason) for a role's install wish = auto | true | false; the role names its own variable."""
    if wanted == "false":
        return False, "installation turned off (false)"
    if wanted == "true":
        return True, "installation forced (true)" + ("" if gpus else ", although no NVIDIA GPU was found on the PCI bus")
    if gpus:
        return True, f"{len(gpus)} NVIDIA GPU(s) found on the PCI bus"
    return False, "no NVIDIA GPU found on the PCI bus (vendor 0x10de, display class): nothing to install"
