# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""One table of settings, two forms: strings for the environment, typed values for Open WebUI's configuration."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.selfhosted.genai.plugins.filter.open_webui_settings import open_webui_settings


def test_both_forms_from_one_value():
    rows = [
        {"env": "OLLAMA_BASE_URLS", "key": "ollama.base_urls", "value": ["http://a:11434", "http://b:11434"]},
        {"env": "ENABLE_SIGNUP", "key": "ui.enable_signup", "value": False},
        {"env": "RAG_FILE_MAX_SIZE", "key": "rag.file.max_size", "value": 25},
        {"env": "DEFAULT_USER_ROLE", "key": "ui.default_user_role", "value": "pending"},
    ]
    assert open_webui_settings(rows) == {
        "env": {
            "OLLAMA_BASE_URLS": "http://a:11434;http://b:11434",
            "ENABLE_SIGNUP": "false",
            "RAG_FILE_MAX_SIZE": "25",
            "DEFAULT_USER_ROLE": "pending",
        },
        "config": {
            "ollama.base_urls": ["http://a:11434", "http://b:11434"],
            "ui.enable_signup": False,
            "rag.file.max_size": 25,
            "ui.default_user_role": "pending",
        },
    }


def test_a_row_whose_condition_is_false_is_in_neither():
    rows = [{"env": "WEBUI_URL", "key": "webui.url", "value": "", "when": False}]
    assert open_webui_settings(rows) == {"env": {}, "config": {}}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"env": "A", "value": 1}], "row 1 .* has no key"),
        ([{"env": "A", "key": "a.b", "value": 1}, {"env": "A", "key": "a.c", "value": 2}], "row 2 names A or a.c a second time"),
    ],
)
def test_a_malformed_table_is_refused(rows, message):
    with pytest.raises(AnsibleFilterError, match=message):
        open_webui_settings(rows)
