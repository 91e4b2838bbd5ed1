"""What the cluster scenario's tests share: which target a test is meant for, and each target as seen from a test
that runs on the other."""

from __future__ import annotations

import pytest

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
