# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""GPU detection on fake sysfs trees laid out like the kernel's."""

from __future__ import annotations

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._nvidia_host import (
    SECURE_BOOT_VARIABLE,
    decide_install,
    module_loaded,
    nvidia_gpus,
    secure_boot,
)


def add_device(sysfs, address, vendor, device_class, device="0x27b8"):
    base = sysfs / "bus" / "pci" / "devices" / address
    base.mkdir(parents=True)
    (base / "vendor").write_text(vendor + "\n")
    (base / "class").write_text(device_class + "\n")
    (base / "device").write_text(device + "\n")
    return base


@pytest.fixture
def sysfs(tmp_path):
    (tmp_path / "bus" / "pci" / "devices").mkdir(parents=True)
    return tmp_path


def test_an_l4_is_found_and_other_devices_are_not(sysfs):
    add_device(sysfs, "0000:00:01.0", "0x8086", "0x060000")  # Intel host bridge
    add_device(sysfs, "0000:00:02.0", "0x1234", "0x030000")  # QEMU VGA
    add_device(sysfs, "0000:00:03.0", "0x10de", "0x030200")  # NVIDIA L4 (3D controller)
    add_device(sysfs, "0000:00:04.0", "0x10de", "0x040300", "0x22bc")  # NVIDIA HD audio function
    gpus = nvidia_gpus(str(sysfs))
    assert gpus == [{"address": "0000:00:03.0", "device_id": "0x27b8", "class": "0x030200", "driver": None}]


def test_the_bound_driver_is_reported(sysfs):
    device = add_device(sysfs, "0000:00:03.0", "0x10DE", "0x030000")
    driver = sysfs / "bus" / "pci" / "drivers" / "nouveau"
    driver.mkdir(parents=True)
    (device / "driver").symlink_to(driver)
    assert nvidia_gpus(str(sysfs))[0]["driver"] == "nouveau"


def test_no_pci_bus_means_no_gpu(tmp_path):
    assert nvidia_gpus(str(tmp_path)) == []


@pytest.mark.parametrize(("value", "expected"), [(b"\x06\x00\x00\x00\x01", True), (b"\x06\x00\x00\x00\x00", False)])
def test_secure_boot_from_the_efi_variable(tmp_path, value, expected):
    efivars = tmp_path / "firmware" / "efi" / "efivars"
    efivars.mkdir(parents=True)
    (efivars / SECURE_BOOT_VARIABLE).write_bytes(value)
    assert secure_boot(str(tmp_path)) is expected


def test_secure_boot_unknown_without_efi(tmp_path):
    assert secure_boot(str(tmp_path)) is None


def test_module_loaded(tmp_path):
    assert module_loaded("nvidia", str(tmp_path)) is False
    (tmp_path / "module" / "nvidia").mkdir(parents=True)
    assert module_loaded("nvidia", str(tmp_path)) is True


@pytest.mark.parametrize(
    ("wanted", "gpus", "install", "reason"),
    [
        ("auto", [], False, "no NVIDIA GPU found"),
        ("auto", [{"address": "x"}], True, "1 NVIDIA GPU(s) found"),
        ("true", [], True, "installation forced (true), although no NVIDIA GPU was found"),
        ("false", [{"address": "x"}], False, "installation turned off (false)"),
    ],
)
def test_install_decision(wanted, gpus, install, reason):
    decided, why = decide_install(wanted, gpus)
    assert decided is install
    assert reason in why
    assert "nvidia_driver" not in why, "the module serves several roles; each names its own variable"


def test_nvidia_smi_lines_become_cards_with_sysfs_addresses():
    from ansible_collections.selfhosted.genai.plugins.module_utils._nvidia_host import parse_nvidia_smi

    answer = "00000000:00:03.0, NVIDIA L4, 550.163.01, 8.9\n00000000:3B:00.0, Tesla P40, 550.163.01, 6.1\n"
    assert parse_nvidia_smi(answer) == [
        {"address": "0000:00:03.0", "name": "NVIDIA L4", "driver_version": "550.163.01", "compute_capability": "8.9"},
        {"address": "0000:3b:00.0", "name": "Tesla P40", "driver_version": "550.163.01", "compute_capability": "6.1"},
    ]


def test_an_nvidia_smi_without_compute_cap_gives_none():
    from ansible_collections.selfhosted.genai.plugins.module_utils._nvidia_host import NVIDIA_SMI_FIELDS, parse_nvidia_smi

    answer = "00000000:00:03.0, Tesla T4, 470.256.02\n"
    assert parse_nvidia_smi(answer, NVIDIA_SMI_FIELDS[:-1]) == [
        {"address": "0000:00:03.0", "name": "Tesla T4", "driver_version": "470.256.02", "compute_capability": None}
    ]
    assert parse_nvidia_smi("00000000:00:03.0, NVIDIA L4, 550.163.01, [N/A]\n")[0]["compute_capability"] is None


def test_the_loaded_driver_and_the_cards_merge_by_address(sysfs):
    from ansible_collections.selfhosted.genai.plugins.module_utils._nvidia_host import (
        loaded_driver_version,
        merge_nvidia_smi,
        parse_nvidia_smi,
    )

    add_device(sysfs, "0000:00:03.0", "0x10de", "0x030200")
    (sysfs / "module" / "nvidia").mkdir(parents=True)
    (sysfs / "module" / "nvidia" / "version").write_text("550.163.01\n")
    merged = merge_nvidia_smi(nvidia_gpus(str(sysfs)), parse_nvidia_smi("00000000:00:03.0, NVIDIA L4, 550.163.01, 8.9\n"))
    assert merged == [
        {"address": "0000:00:03.0", "device_id": "0x27b8", "class": "0x030200", "driver": None, "name": "NVIDIA L4",
         "compute_capability": "8.9"}
    ]
    assert loaded_driver_version(str(sysfs)) == "550.163.01"
    assert loaded_driver_version(str(sysfs / "none")) is None
