"""The cluster's database in the backup role (installed by site.yml on the database host): a pg_dump archive, and a
restore refused while a replica is connected. playbooks/restore.yml, which stops the replicas, takes the database
back to a dump and starts them again, the migrating one first, is run by the side effect (upgrade.yml): the previous
release's dump put back under the pinned release."""

from __future__ import annotations

import json

import pytest
from test_replicas import CLIENT


@pytest.fixture(autouse=True)
def only_on_the_open_webui_host(host):
    if host.backend.get_hostname() != CLIENT:
        pytest.skip(f"runs on {CLIENT}")


def backup(database, *arguments: str):
    answer = database.run("selfhosted-genai-backup " + " ".join(arguments))
    return answer.rc, json.loads(answer.stdout)


def test_the_database_is_dumped_and_a_restore_is_refused_while_a_replica_uses_it(database):
    rc, created = backup(database, "create")
    assert rc == 0, created
    dump = created["manifest"]["postgresql"]["open_webui"]
    print(f"pg_dump: {dump['tables']} tables, {dump['size']} bytes; archive {created['size']} bytes, {created['files']} files")
    # No SQLite copy: the database host has no Open WebUI volume.
    assert dump["tables"] > 10 and created["manifest"]["integrity_check"] == {}
    assert database.file(created["archive"]).mode == 0o600

    rc, refused = backup(database, "restore", created["archive"])
    assert rc == 1 and "use the database open_webui: stop every Open WebUI replica" in refused["msg"], refused


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
