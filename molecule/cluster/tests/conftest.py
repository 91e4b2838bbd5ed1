"""What the cluster scenario's tests share: which target a test is meant for, and each target as seen from a test
that runs on the other."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

DATABASE_HOST = "genai-cluster-debian13"
OPEN_WEBUI_HOST = "genai-cluster-debian12"


@pytest.fixture
def on(host):
    """Skips a test meant for another host of the scenario."""

    def only(name: str):
        if host.backend.get_hostname() != name:
            pytest.skip(f"runs on {name}")

    return only


def _target(host, name: str):
    from testinfra import get_host

    return get_host(f"ansible://{name}", ansible_inventory=host.backend.ansible_inventory)


@pytest.fixture
def database(host):
    """The database host (PostgreSQL, Valkey, the S3 server), through the same inventory as the other target."""
    return _target(host, DATABASE_HOST)


@pytest.fixture
def open_webui_host(host):
    """The Open WebUI host, the database's one client, through the same inventory as the other target."""
    return _target(host, OPEN_WEBUI_HOST)


# The pool's two Ollama nodes: the database host is one of them.
NODES = (DATABASE_HOST, "genai-cluster-node")


@pytest.fixture
def nodes(host):
    """Each Ollama node of the pool, by name."""
    return {name: _target(host, name) for name in NODES}


@pytest.fixture
def site(host) -> requests.Session:
    """The front door, as a browser on the lab network reaches it (only on the Open WebUI host's tests)."""
    if host.backend.get_hostname() != OPEN_WEBUI_HOST:
        pytest.skip(f"runs on {OPEN_WEBUI_HOST}")
    # Only the site's CA: without trust_env, REQUESTS_CA_BUNDLE and proxies from the environment would win.
    session = requests.Session()
    session.trust_env = False
    session.verify = str(Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "ca" / f"{OPEN_WEBUI_HOST}-root.crt")
    session.base = f"https://{host.interface('eth0').addresses[0]}"
    return session
