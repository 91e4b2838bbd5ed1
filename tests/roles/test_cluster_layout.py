"""site.yml's and restore.yml's refusals of a cluster inventory they cannot serve, run for real (local connections,
check mode): a layout without private addresses or without an Open WebUI host stops before any change naming the
hosts, and restore.yml checks a cluster's backup before it stops any replica. The cluster that works, and its
restore, are the Molecule scenario cluster's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"


def run_playbook(tmp_path: Path, playbook: str, hosts: dict[str, dict], *options: str) -> subprocess.CompletedProcess:
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    inventory = {
        group: {"hosts": {name: {**local, **variables} for name, variables in members.items()}}
        for group, members in hosts.items()
    }
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump(inventory))
    return subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(tmp_path / "hosts.yml"),
         str(PLAYBOOKS / playbook), *options],
        capture_output=True, text=True, check=False, timeout=300,
    )


def test_a_cluster_without_private_addresses_is_refused_naming_the_hosts(tmp_path):
    run = run_playbook(tmp_path, "site.yml", {
        "genai": {"chat-1": {"genai_private_address": "10.0.0.11"}, "chat-2": {}},
        "genai_database": {"db-1": {"genai_private_address": "db.example.org"}},
    }, "--check")
    assert run.returncode != 0
    output = " ".join(run.stdout.split())
    assert "it is missing or not an IP address on db-1, chat-2. Nothing was changed." in output, run.stdout
    assert "A private ChatGPT" not in output


def test_a_node_without_a_private_address_or_a_cluster_without_open_webui_host_is_refused(tmp_path):
    run = run_playbook(tmp_path, "site.yml", {
        "genai": {"gpu-1": {"genai_private_address": "10.0.0.21"}},
        "genai_ollama": {"gpu-1": {"genai_private_address": "10.0.0.21"}, "gpu-2": {}},
    }, "--check")
    assert run.returncode != 0
    output = " ".join(run.stdout.split())
    # gpu-1 is a node (a host in genai_ollama is not an Open WebUI host): no Open WebUI host is left.
    assert "in neither genai_database nor genai_ollama: there is none" in output, run.stdout
    assert "it is missing or not an IP address on gpu-2. Nothing was changed." in output, run.stdout
    assert "A private ChatGPT" not in output


def test_restore_checks_a_cluster_backup_before_it_stops_any_replica(tmp_path):
    """Here the database host has no backup command: the check fails, and no replica is stopped."""
    run = run_playbook(tmp_path, "restore.yml", {
        "genai": {"chat-1": {"genai_private_address": "10.0.0.11"}},
        "genai_database": {"db-1": {"genai_private_address": "10.0.0.20"}},
    })
    assert run.returncode != 0
    output = " ".join(run.stdout.split())
    assert "Nothing was stopped or restored: " in output, run.stdout
    assert "Stop every Open WebUI replica" not in output


def test_open_webui_hosts_converge_together_unless_replicas_share_a_database(tmp_path):
    """Each batch of a play prints its header: independent stacks are one batch; replicas of a database host are the
    first one (it migrates the schema), then the others."""
    play_header = "PLAY [A private ChatGPT]"
    stacks = run_playbook(tmp_path, "site.yml", {"genai": {"chat-1": {}, "chat-2": {}}}, "--check", "--tags", "none")
    assert stacks.returncode == 0, stacks.stdout
    assert stacks.stdout.count(play_header) == 1, stacks.stdout
    replicas = run_playbook(tmp_path, "site.yml", {
        "genai": {"chat-1": {"genai_private_address": "10.0.0.11"}, "chat-2": {"genai_private_address": "10.0.0.12"}},
        "genai_database": {"db-1": {"genai_private_address": "10.0.0.20"}},
    }, "--check", "--tags", "none")
    assert replicas.returncode == 0, replicas.stdout
    assert replicas.stdout.count(play_header) == 2, replicas.stdout
