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


# What nvidia_host_info asks nvidia-smi, one CSV line per GPU. compute_cap is known to drivers from 510 on; an
# older nvidia-smi refuses the whole query, and is asked again without it.
NVIDIA_SMI_FIELDS = ("pci.bus_id", "name", "driver_version", "compute_cap")


def nvidia_smi_arguments(fields=NVIDIA_SMI_FIELDS) -> list:
    return ["--query-gpu=" + ",".join(fields), "--format=csv,noheader"]


def _pci_address(text: str) -> str:
    """nvidia-smi's bus id (00000000:00:03.0) as sysfs writes it (0000:00:03.0)."""
    domain, _sep, rest = text.strip().lower().rpartition(":")
    head, _sep, bus = domain.rpartition(":")
    return f"{int(head or '0', 16):04x}:{bus}:{rest}" if bus else text.strip().lower()


def parse_nvidia_smi(text: str, fields=NVIDIA_SMI_FIELDS) -> list:
    """The CSV lines of `nvidia-smi --query-gpu=<fields> --format=csv,noheader`, one dict per GPU: address, name,
    driver_version and compute_capability (None where nvidia-smi did not say)."""
    gpus = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        values = dict(zip(fields, (value.strip() for value in line.split(","))))
        capability = values.get("compute_cap")
        gpus.append(
            {
                "address": _pci_address(values.get("pci.bus_id", "")),
                "name": values.get("name") or None,
                "driver_version": values.get("driver_version") or None,
                "compute_capability": capability if capability and capability[0].isdigit() else None,
            }
        )
    return gpus


def loaded_driver_version(sysfs: str = "/sys") -> str | None:
    """The version of the nvidia kernel module that is loaded (what the CUDA libraries must match)."""
    return _read(os.path.join(sysfs, "module", "nvidia", "version")) or None


def merge_nvidia_smi(gpus: list, answered: list) -> list:
    """The PCI devices with what nvidia-smi says of each (name, compute_capability), matched by address."""
    by_address = {gpu["address"]: gpu for gpu in answered}
    merged = []
    for gpu in gpus:
        found = by_address.get(gpu["address"], {})
        merged.append(dict(gpu, name=found.get("name"), compute_capability=found.get("compute_capability")))
    return merged
