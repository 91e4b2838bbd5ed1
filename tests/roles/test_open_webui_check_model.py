"""The model an upgrade's check chats with (roles/open_webui/vars/main.yml): the first one Open WebUI lists that
Ollama says completes text; an embedding model that sorts first is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

VARS = yaml.safe_load((Path(__file__).resolve().parents[2] / "roles" / "open_webui" / "vars" / "main.yml").read_text())


def check_model(models: list[dict]) -> str:
    templar = Templar(loader=DataLoader(), variables={"__open_webui_models": {"json": {"data": models}}})
    return templar.template(trust_as_template(VARS["__open_webui_check_chat_model"]))


EMBEDDING = {"id": "all-minilm:l6-v2", "ollama": {"capabilities": ["embedding"]}}
CHAT = {"id": "gemma3:270m", "ollama": {"capabilities": ["completion"]}}


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
