"""The open_webui role's settings are said once: one table whose every row names the environment variable Open
WebUI reads at its first start and the configuration key it keeps in its database, with one value for both; no
environment-only dictionary of the role writes one of those names a second time."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

VARS = yaml.safe_load((Path(__file__).resolve().parents[2] / "roles" / "open_webui" / "vars" / "main.yml").read_text())
TABLE = VARS["__open_webui_settings_table"]
ENVIRONMENT_ONLY = ("__open_webui_offline_env", "__open_webui_read_only_env")


def test_every_row_names_both_and_one_value():
    for row in TABLE:
        assert set(row) - {"when"} == {"env", "key", "value"}, row
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", row["env"]), row
        assert re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", row["key"]), row


def test_no_name_twice():
    environment = [row["env"] for row in TABLE]
    keys = [row["key"] for row in TABLE]
    assert len(set(environment)) == len(environment)
    assert len(set(keys)) == len(keys)


def test_the_environment_only_settings_do_not_repeat_a_table_row():
    table = {row["env"] for row in TABLE}
    for name in ENVIRONMENT_ONLY:
        assert table.isdisjoint(VARS[name]), name
    # Built from an expression: its keys are read from the text.
    public_url_env = set(re.findall(r"'([A-Z][A-Z0-9_]+)'", VARS["__open_webui_public_url_env"]))
    assert public_url_env and table.isdisjoint(public_url_env)


def test_the_ollama_urls_reach_embeddings_too():
    # RAG_OLLAMA_BASE_URL once had no database twin: a changed Ollama URL never reached embeddings.
    rows = {row["env"]: row for row in TABLE}
    assert rows["RAG_OLLAMA_BASE_URL"]["key"] == "rag.ollama.base_url"
    assert "__open_webui_ollama_urls" in rows["RAG_OLLAMA_BASE_URL"]["value"]
    assert rows["OLLAMA_BASE_URLS"]["value"] == "{{ __open_webui_ollama_urls }}"
