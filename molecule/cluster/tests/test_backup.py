"""The cluster's database in the backup role (installed by site.yml on the database host): a pg_dump archive, a
restore refused while a replica is connected, and a restore that takes the database back to the dump once every
replica is stopped, after which both replicas come back on it."""

from __future__ import annotations

import json
import time

import pytest
from test_replicas import CLIENT, REPLICAS, call, sign_in, url

GROUP = "made-after-the-backup"


@pytest.fixture(autouse=True)
def only_on_the_open_webui_host(host):
    if host.backend.get_hostname() != CLIENT:
        pytest.skip(f"runs on {CLIENT}")


def group_names(host) -> list[str]:
    token = sign_in(host, REPLICAS[0])
    status, text = call(host, "GET", url(host, REPLICAS[0]) + "/api/v1/groups/", token)
    assert status == 200, text
    return [group["name"] for group in json.loads(text)]


def backup(database, *arguments: str):
    answer = database.run("selfhosted-genai-backup " + " ".join(arguments))
    return answer.rc, json.loads(answer.stdout)


def wait_healthy(host, replica: str) -> None:
    deadline = time.monotonic() + 180
    while host.run("docker inspect -f '{{ .State.Health.Status }}' %s", replica).stdout.strip() != "healthy":
        assert time.monotonic() < deadline, f"{replica} not healthy after 180 s"
        time.sleep(3)


def test_the_database_is_dumped_and_put_back_once_every_replica_is_stopped(host, database):
    rc, created = backup(database, "create")
    assert rc == 0, created
    dump = created["manifest"]["postgresql"]["open_webui"]
    print(f"pg_dump: {dump['tables']} tables, {dump['size']} bytes; archive {created['size']} bytes, {created['files']} files")
    # No SQLite copy: the database host has no Open WebUI volume.
    assert dump["tables"] > 10 and created["manifest"]["integrity_check"] == {}
    assert database.file(created["archive"]).mode == 0o600

    token = sign_in(host, REPLICAS[0])
    status, text = call(host, "POST", url(host, REPLICAS[0]) + "/api/v1/groups/create", token, {"name": GROUP, "description": "x"})
    assert status == 200, text
    assert GROUP in group_names(host)

    rc, refused = backup(database, "restore", created["archive"])
    assert rc == 1 and "use the database open_webui: stop every Open WebUI replica" in refused["msg"], refused

    host.run_expect([0], "docker stop %s %s", *reversed(REPLICAS))
    try:
        rc, restored = backup(database, "restore", created["archive"])
        assert rc == 0, restored
    finally:
        # The replica that migrates first, then the other, as an upgrade would.
        for replica in REPLICAS:
            host.run_expect([0], "docker start %s", replica)
            wait_healthy(host, replica)
    print(f"restored in {restored['seconds']} s")
    assert GROUP not in group_names(host)


def test_an_open_webui_host_on_postgresql_backs_up_its_secrets(host):
    """Its volume holds no webui.db (the database is PostgreSQL's): the backup keeps the session key and the
    administrator's password, and says nothing of a database it does not have."""
    answer = host.run("selfhosted-genai-backup create")
    assert answer.rc == 0, answer.stdout + answer.stderr
    created = json.loads(answer.stdout)
    assert created["manifest"]["integrity_check"] == {} and created["manifest"]["postgresql"] == {}
    assert created["manifest"]["secrets_dirs"] == {"secrets/0": "/etc/selfhosted-genai/open-webui"}
    listed = host.check_output("tar -tzf %s", created["archive"]).split()
    assert "secrets/0/secret_key" in listed and not any(name.endswith("webui.db") for name in listed), listed
