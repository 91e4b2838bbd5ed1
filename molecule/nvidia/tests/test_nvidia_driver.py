"""The NVIDIA driver role forced on a Debian 12 target without a GPU."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("package", ["nvidia-driver", "nvidia-kernel-dkms", "firmware-misc-nonfree"])
def test_driver_packages_are_installed_and_held(host, package):
    assert host.package(package).is_installed
    assert package in host.check_output("apt-mark showhold").split()


def test_the_driver_comes_from_non_free(host):
    sources = host.file("/etc/apt/sources.list.d/selfhosted-genai-debian-nonfree.sources").content_string
    assert "Components: contrib non-free non-free-firmware" in sources
    policy = host.check_output("apt-cache policy nvidia-driver")
    assert "non-free" in policy


def test_nouveau_is_blacklisted(host):
    assert "blacklist nouveau" in host.file("/etc/modprobe.d/selfhosted-genai-blacklist-nouveau.conf").content_string


def test_no_kernel_headers_in_a_container(host):
    kernel = host.check_output("uname -r")
    assert not host.package(f"linux-headers-{kernel}").is_installed


def test_the_driver_is_the_distributions_branch(host):
    branch = {"bookworm": "535.", "trixie": "550."}[host.system_info.codename]
    assert host.package("nvidia-driver").version.startswith(branch)
