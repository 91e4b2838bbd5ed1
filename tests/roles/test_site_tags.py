"""site.yml's tags: each role re-applies alone under its own name, and a role another reads facts from runs with that
role's tag too (the toolkit's nvidia_container_toolkit_state decides ollama_gpu_enabled; the proxy's
reverse_proxy_url is open_webui_public_url; the database host's postgresql_url and redis_url are a cluster's
open_webui_database_url and open_webui_redis_url; an Ollama node's reverse_proxy_internal_ca_root and token are what
the Open WebUI hosts' balancers trust and send), so that `--tags ollama` cannot take the GPUs away from Ollama, nor
`--tags open_webui` Open WebUI's public address, its database or its Ollama pools."""

from __future__ import annotations

from pathlib import Path

import yaml

SITE = Path(__file__).resolve().parents[2] / "playbooks" / "site.yml"
PLAYS = {play["hosts"]: play for play in yaml.safe_load(SITE.read_text())}
SERVERS = "genai_database:genai_ollama"
CHAT = "genai:!genai_database:!genai_ollama"
SERVERS_PLAY, CHAT_PLAY = PLAYS[SERVERS], PLAYS[CHAT]


def role_tags(play: dict) -> dict[str, set[str]]:
    """Each role of the play, in order, with its own tags and the play's."""
    return {entry["role"].rsplit(".", 1)[-1]: set(entry.get("tags", [])) | set(play.get("tags", []))
            for entry in play["roles"]}


ROLES = role_tags(CHAT_PLAY)
SERVER_ROLES = role_tags(SERVERS_PLAY)
# (the role that reads a fact, the role that sets it), both in the chat play
FACTS_READ = [("ollama", "nvidia_container_toolkit"), ("open_webui", "reverse_proxy")]


def test_every_role_has_its_own_tag():
    assert len(ROLES) == 8 and len(SERVER_ROLES) == 9
    for role, tags in list(ROLES.items()) + list(SERVER_ROLES.items()):
        assert role in tags, role


def test_a_role_runs_with_the_roles_that_set_its_facts():
    for reader, setter in FACTS_READ:
        order = list(ROLES)
        assert order.index(setter) < order.index(reader)
        # Every tag that runs the reader runs the setter first.
        assert ROLES[reader] <= ROLES[setter], (reader, setter)
    # The servers' play (database, Ollama nodes) runs before the chat play, with every tag of Open WebUI.
    assert list(PLAYS).index(SERVERS) < list(PLAYS).index(CHAT)
    for setter in ("postgresql", "redis", "reverse_proxy"):
        assert ROLES["open_webui"] <= SERVER_ROLES[setter], setter
    # The same order on a node as on a single host.
    node_roles = [role for role in SERVER_ROLES if role in ROLES]
    assert node_roles == [role for role in ROLES if role in node_roles]


def test_the_layout_facts_are_set_whatever_the_tags():
    for play in (SERVERS_PLAY, CHAT_PLAY):
        assert all("always" in task.get("tags", []) for task in play["pre_tasks"]), play["name"]


def test_open_webui_as_code_runs_what_it_needs():
    assert "open_webui_as_code" in ROLES["open_webui"]
    assert "open_webui_as_code" in ROLES["reverse_proxy"]
