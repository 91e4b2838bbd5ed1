"""site.yml's tags: each role re-applies alone under its own name, and a role another reads facts from runs with that
role's tag too (the toolkit's nvidia_container_toolkit_state decides ollama_gpu_enabled; the proxy's
reverse_proxy_url is open_webui_public_url), so that `--tags ollama` cannot take the GPUs away from Ollama, nor
`--tags open_webui` Open WebUI's public address."""

from __future__ import annotations

from pathlib import Path

import yaml

SITE = Path(__file__).resolve().parents[2] / "playbooks" / "site.yml"
ROLES = {entry["role"].rsplit(".", 1)[-1]: set(entry.get("tags", [])) for entry in yaml.safe_load(SITE.read_text())[0]["roles"]}
# (the role that reads a fact, the role that sets it)
FACTS_READ = [("ollama", "nvidia_container_toolkit"), ("open_webui", "reverse_proxy")]


def test_every_role_has_its_own_tag():
    assert len(ROLES) == 8
    for role, tags in ROLES.items():
        assert role in tags, role


def test_a_role_runs_with_the_roles_that_set_its_facts():
    for reader, setter in FACTS_READ:
        order = list(ROLES)
        assert order.index(setter) < order.index(reader)
        # Every tag that runs the reader runs the setter first.
        assert ROLES[reader] <= ROLES[setter], (reader, setter)


def test_open_webui_as_code_runs_what_it_needs():
    assert "open_webui_as_code" in ROLES["open_webui"]
    assert "open_webui_as_code" in ROLES["reverse_proxy"]
