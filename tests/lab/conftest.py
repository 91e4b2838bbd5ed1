"""Fixtures that start real lab containers (built by tools/lab/lab) and always remove them."""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import docker
import pytest
import requests
from describe import cache_dir, read_description

LAB_CACHE = cache_dir()
# The lab's own tools (model_mirror, describe) are tested here and used by the tests.
LAB_TOOLS = Path(__file__).resolve().parents[2] / "tools" / "lab"
sys.path.insert(0, str(LAB_TOOLS))


@dataclass
class Lab:
    description: dict

    @property
    def mirror_model(self) -> str:
        """The model's name as a container on the lab network pulls it from the mirror."""
        return f"{self.description['mirror']['network_host']}/{self.description['model']['path']}"

    def image(self, key: str) -> str:
        return self.description["images"][key]


@pytest.fixture(scope="session")
def lab() -> Lab:
    try:
        return Lab(read_description())
    except FileNotFoundError as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope="session")
def docker_client() -> Iterator[docker.DockerClient]:
    client = docker.from_env()
    yield client
    client.close()


def wait_until(probe: Callable[[], bool], timeout: float, what: str, on_timeout: Callable[[], str] = lambda: "") -> float:
    """Polls probe until it returns True; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if probe():
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} not ready after {timeout:.0f} s\n{on_timeout()}")


def published_url(container, port: str) -> str:
    container.reload()
    binding = container.attrs["NetworkSettings"]["Ports"][port][0]
    return f"http://127.0.0.1:{binding['HostPort']}"


def container_logs(container) -> str:
    return container.logs(tail=60).decode(errors="replace")


@pytest.fixture
def private_network(docker_client: docker.DockerClient) -> Iterator[docker.models.networks.Network]:
    """A fresh network for one test, emptied and removed at teardown."""
    network = docker_client.networks.create(f"genai-lab-test-{secrets.token_hex(4)}", driver="bridge")
    try:
        yield network
    finally:
        network.reload()
        for member in network.containers:
            network.disconnect(member, force=True)
        network.remove()


@pytest.fixture
def lab_network(private_network, docker_client: docker.DockerClient, lab: Lab) -> str:
    """A private network for one test, joined by the model mirror for the test's lifetime."""
    mirror = docker_client.containers.get(lab.description["mirror"]["container"])
    private_network.connect(mirror, aliases=[lab.description["mirror"]["container"]])
    return private_network.name


@pytest.fixture
def start_container(docker_client: docker.DockerClient) -> Iterator[Callable[..., object]]:
    """Starts containers with anonymous volumes and removes both at teardown."""
    started = []

    def start(image: str, **kwargs):
        container = docker_client.containers.run(image, detach=True, **kwargs)
        started.append(container)
        return container

    yield start
    for container in reversed(started):
        container.remove(force=True, v=True)
