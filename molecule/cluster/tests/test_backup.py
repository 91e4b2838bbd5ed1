"""The cluster's database in the backup role (installed by site.yml on the database host): a pg_dump archive, a
restore refused while a replica is connected, and playbooks/restore.yml, which stops the replicas, takes the
database back to the dump and starts them again, the migrating one first."""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest
from test_replicas import CLIENT, REPLICAS, call, sign_in, url, wait_healthy

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


def test_the_database_is_dumped_and_restore_yml_puts_it_back(host, database):
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

    # playbooks/restore.yml, as a user runs it; the second replica stands in for another Open WebUI host, which the
    # inventory does not list: it is stopped and started by hand around the playbook.
    first_started = host.check_output("docker inspect -f '{{ .State.StartedAt }}' %s", REPLICAS[0])
    host.run_expect([0], "docker stop %s", REPLICAS[1])
    try:
        started = time.monotonic()
        run = subprocess.run(
            ["ansible-playbook", "-i", host.backend.ansible_inventory, "selfhosted.genai.restore",
             "-e", f"backup_restore_archive={created['archive']}"],
            capture_output=True, text=True, check=False, timeout=900,
        )
        seconds = time.monotonic() - started
    finally:
        host.run_expect([0], "docker start %s", REPLICAS[1])
        wait_healthy(host, REPLICAS[1])
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    restored = re.search(r"Restored \S+ in ([0-9.]+) s", run.stdout)
    assert restored, run.stdout[-4000:]
    print(f"restore.yml: {seconds:.0f} s in all (replica stopped, dump put back in {restored.group(1)} s, replica "
          "started and healthy)")
    assert GROUP not in group_names(host)
    # The playbook stopped the first replica for the restore and started it again: healthy, on the restored database.
    assert host.check_output("docker inspect -f '{{ .State.StartedAt }}' %s", REPLICAS[0]) != first_started
    assert host.check_output("docker inspect -f '{{ .State.Health.Status }}' %s", REPLICAS[0]) == "healthy"


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
