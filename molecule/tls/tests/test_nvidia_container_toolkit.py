"""The NVIDIA Container Toolkit role forced on Debian targets without a GPU, after the driver and docker roles."""

from __future__ import annotations

import json

import pytest
from describe import read_description

LAB = read_description()
IMAGE = LAB["images"]["ollama"]
VERSION = LAB["versions"]["nvidia_container_toolkit"]


@pytest.mark.parametrize("package", ["nvidia-container-toolkit", "nvidia-container-toolkit-base"])
def test_toolkit_packages_are_pinned_and_held(host, package):
    assert host.package(package).version == f"{VERSION}-1"
    assert package in host.check_output("apt-mark showhold").split()


def test_the_repository_is_trusted_through_its_own_key_only(host):
    sources = host.file("/etc/apt/sources.list.d/nvidia-container-toolkit.sources").content_string
    assert "Signed-By: /etc/apt/keyrings/nvidia-container-toolkit.asc" in sources
    assert "BEGIN PGP PUBLIC KEY BLOCK" in host.file("/etc/apt/keyrings/nvidia-container-toolkit.asc").content_string
    assert not host.file("/etc/apt/trusted.gpg").exists
    policy = host.check_output("apt-cache policy nvidia-container-toolkit")
    assert "/libnvidia-container/stable/deb/amd64" in policy


def test_nvidia_ctk_is_the_pinned_release(host):
    assert f"version {VERSION}" in host.check_output("nvidia-ctk --version")


def test_daemon_json_keeps_the_other_keys(host):
    settings = json.loads(host.file("/etc/docker/daemon.json").content_string)
    assert settings["runtimes"]["nvidia"] == {"path": "nvidia-container-runtime", "args": []}
    assert settings["labels"] == ["owner=ops"], "the administrator's key was lost"
    assert settings["log-driver"] == "json-file", "the docker role's key was lost"
    assert settings["exec-opts"] == ["native.cgroupdriver=cgroupfs"]
    assert "default-runtime" not in settings


def test_docker_runs_with_cgroupfs_and_knows_the_runtime(host):
    info = json.loads(host.check_output("docker info --format '{{ json . }}'"))
    assert info["CgroupDriver"] == "cgroupfs"
    assert info["Runtimes"]["nvidia"]["path"] == "nvidia-container-runtime"


def test_the_nvidia_runtime_starts_a_container(host):
    host.run_expect([0], f"docker run --rm --runtime=nvidia --entrypoint true {IMAGE}")


def test_the_nvidia_runtime_handles_a_gpu_request(host):
    # Proof that the toolkit, not runc alone, is in the path: asked for GPUs, it builds a CDI specification through
    # NVML. Debian 13's driver packages have NVML, which finds no loaded driver on this GPU-less machine; Debian 12's
    # driver here is the lab's stand-in for NVIDIA's packages, which has no NVML library at all.
    result = host.run(f"docker run --rm --runtime=nvidia -e NVIDIA_VISIBLE_DEVICES=all --entrypoint true {IMAGE}")
    assert result.rc != 0
    expected = {"trixie": "Driver Not Loaded", "bookworm": "ERROR_LIBRARY_NOT_FOUND"}[host.system_info.codename]
    assert f"failed to initialize NVML: {expected}" in result.stderr


def test_the_cdi_refresh_unit_is_enabled(host):
    unit = host.service("nvidia-cdi-refresh.path")
    assert unit.is_enabled
    assert unit.is_running
