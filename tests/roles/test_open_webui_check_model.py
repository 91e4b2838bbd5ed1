"""The model an upgrade's check chats with (roles/open_webui/vars/main.yml): the first one Open WebUI lists that
Ollama says completes text, as /api/show says it where Ollama answered it; an embedding model that sorts first is
skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

VARS = yaml.safe_load((Path(__file__).resolve().parents[2] / "roles" / "open_webui" / "vars" / "main.yml").read_text())


def check_model(models: list[dict], shows: dict[str, dict] | None = None) -> str:
    """shows: each model's answer to /api/show (status and JSON), as the check's loop registers them."""
    results = [{"item": model, "status": show["status"], "json": show.get("json", {})} for model, show in (shows or {}).items()]
    variables = {"__open_webui_models": {"json": {"data": models}}}
    if shows is not None:
        variables["__open_webui_model_shows"] = {"results": results}
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar.template(trust_as_template(VARS["__open_webui_check_chat_model"]))


EMBEDDING = {"id": "all-minilm:l6-v2", "ollama": {"capabilities": ["embedding"]}}
CHAT = {"id": "gemma3:270m", "ollama": {"capabilities": ["completion"]}}
# As Ollama 0.34.0 lists the lab's all-minilm: its /api/tags says "completion", its /api/show "embedding".
EMBEDDING_LISTED_AS_CHAT = {"id": "all-minilm:l6-v2", "ollama": {"capabilities": ["completion"]}}
SHOWN = {"all-minilm:l6-v2": {"status": 200, "json": {"capabilities": ["embedding"]}},
         "gemma3:270m": {"status": 200, "json": {"capabilities": ["completion"]}}}


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        ([EMBEDDING, CHAT], "gemma3:270m"),
        ([CHAT, EMBEDDING], "gemma3:270m"),
        # An Ollama release that does not list capabilities, a preset or another connection: tried.
        ([EMBEDDING, {"id": "old", "ollama": {}}], "old"),
        ([{"id": "preset", "ollama": None}], "preset"),
        ([EMBEDDING], ""),
        ([], ""),
    ],
)
def test_the_first_model_that_chats(models, expected):
    assert check_model(models) == expected


@pytest.mark.parametrize("models", [[EMBEDDING_LISTED_AS_CHAT, CHAT], [CHAT, EMBEDDING_LISTED_AS_CHAT]])
def test_what_ollama_shows_wins_over_its_listing(models):
    assert check_model(models, SHOWN) == "gemma3:270m"


def test_a_model_ollama_did_not_show_goes_by_the_listing():
    shows = {"all-minilm:l6-v2": {"status": 404}, "gemma3:270m": SHOWN["gemma3:270m"]}
    assert check_model([EMBEDDING_LISTED_AS_CHAT, CHAT], shows) == "all-minilm:l6-v2"
    assert check_model([{"id": "preset", "ollama": None}, CHAT], SHOWN) == "preset"
    assert check_model([EMBEDDING_LISTED_AS_CHAT], SHOWN) == ""
