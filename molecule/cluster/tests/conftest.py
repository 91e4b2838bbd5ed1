"""What the cluster scenario's tests share: which target a test is meant for, and the database host as seen from a
test that runs on another target."""

from __future__ import annotations

import pytest

DATABASE_HOST = "genai-cluster-debian13"


@pytest.fixture
def on(host):
    """Skips a test meant for another host of the scenario."""

    def only(name: str):
        if host.backend.get_hostname() != name:
            pytest.skip(f"runs on {name}")

    return only


@pytest.fixture
def database(host):
    """The database host (PostgreSQL, Valkey, the S3 server), through the same inventory as the other target."""
    from testinfra import get_host

    return get_host(f"ansible://{DATABASE_HOST}", ansible_inventory=host.backend.ansible_inventory)
