"""The NVIDIA driver role forced on Debian targets without a GPU: Debian 12 from the lab's stand-in of NVIDIA's CUDA
repository (empty packages named and versioned like NVIDIA's, so what this proves is the key, source, pin and hold,
not a driver), Debian 13 from non-free."""

from __future__ import annotations

import pytest
from describe import read_description

LAB = read_description()
CUDA = LAB["cuda_repository"]
BRANCH, NEWER = CUDA["versions"][0], CUDA["versions"][-1]
PACKAGES = {
    "bookworm": ["nvidia-driver", "nvidia-kernel-dkms"],
    "trixie": ["nvidia-driver", "nvidia-kernel-dkms", "firmware-misc-nonfree"],
}
CUDA_SOURCE = "/etc/apt/sources.list.d/selfhosted-genai-nvidia-cuda.sources"
CUDA_KEY = "/etc/apt/keyrings/selfhosted-genai-nvidia-cuda.asc"
PIN = "/etc/apt/preferences.d/selfhosted-genai-nvidia-driver"


def codename(host):
    return host.system_info.codename


def test_driver_packages_are_installed_and_held(host):
    held = host.check_output("apt-mark showhold").split()
    for package in PACKAGES[codename(host)]:
        assert host.package(package).is_installed, package
        assert package in held, package


def test_contrib_and_non_free_are_enabled(host):
    sources = host.file("/etc/apt/sources.list.d/selfhosted-genai-debian-nonfree.sources").content_string
    assert "Components: contrib non-free non-free-firmware" in sources


def test_debian_13_gets_550_from_non_free_and_no_nvidia_repository(host):
    if codename(host) != "trixie":
        pytest.skip("Debian 13 only")
    assert host.package("nvidia-driver").version.startswith("550.")
    assert "non-free" in host.check_output("apt-cache policy nvidia-driver")
    assert not host.file(CUDA_SOURCE).exists and not host.file(PIN).exists


def test_debian_12_gets_the_pinned_branch_from_nvidias_repository(host):
    if codename(host) != "bookworm":
        pytest.skip("Debian 12 only")
    for package in ("nvidia-driver", "nvidia-kernel-dkms", "libcuda1"):
        assert host.package(package).version == BRANCH, package
    # Debian's 535 and NVIDIA's newer branch are both there; the pin chose.
    policy = host.check_output("apt-cache policy nvidia-driver")
    print(policy)
    assert f"Candidate: {BRANCH}" in policy
    assert NEWER in policy and "535." in policy
    assert f"{CUDA['network_url']}/debian12/x86_64" in policy
    # What is installed says it is a stand-in.
    assert host.file("/usr/share/doc/nvidia-driver/STAND-IN").exists


def test_debian_12_trusts_nvidias_repository_through_its_own_key_only(host):
    if codename(host) != "bookworm":
        pytest.skip("Debian 12 only")
    source = host.file(CUDA_SOURCE).content_string
    assert f"URIs: {CUDA['network_url']}/debian12/x86_64/" in source
    assert f"Signed-By: {CUDA_KEY}" in source
    key = host.file(CUDA_KEY)
    assert key.mode == 0o644 and "BEGIN PGP PUBLIC KEY BLOCK" in key.content_string
    assert not host.file("/etc/apt/trusted.gpg").exists
    # Debian's own keys only: none was added for every source.
    assert all(name.startswith("debian-archive-") for name in host.file("/etc/apt/trusted.gpg.d").listdir())
    pin = host.file(PIN).content_string
    assert f"Pin: version {BRANCH.split('.')[0]}.*" in pin and "Pin-Priority: 1001" in pin


def test_nouveau_is_blacklisted(host):
    assert "blacklist nouveau" in host.file("/etc/modprobe.d/selfhosted-genai-blacklist-nouveau.conf").content_string


def test_no_kernel_headers_in_a_container(host):
    kernel = host.check_output("uname -r")
    assert not host.package(f"linux-headers-{kernel}").is_installed
