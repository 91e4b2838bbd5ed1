# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Open WebUI modules' pure parts: error texts, settings laid over the current ones, grants. Talking to Open
WebUI is tested for real in tests/integration/targets/open_webui_modules."""

from __future__ import annotations

import json

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_client import OpenWebUIError, _detail
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_module import EVERYONE, grant_list, read_grants
from ansible_collections.selfhosted.genai.plugins.modules.open_webui_settings import laid_over, normalised_models
from ansible_collections.selfhosted.genai.plugins.modules.open_webui_user import EMAIL


def test_an_error_detail_is_read_from_fastapi_answers():
    assert _detail(json.dumps({"detail": "Group not found."}).encode()) == "Group not found."
    validation = {"detail": [{"loc": ["body", "name"], "msg": "Field required"}, {"loc": ["body", "id"], "msg": "bad"}]}
    assert _detail(json.dumps(validation).encode()) == "body.name: Field required; body.id: bad"
    assert _detail(b"<html>" + b"x" * 500) == ("<html>" + "x" * 500)[:300]


def test_settings_given_are_laid_over_and_unknown_names_are_refused():
    current = {"ENABLE_SIGNUP": False, "META": {"capabilities": {"vision": True}, "x": 1}, "URL": ""}
    merged = laid_over(current, {"ENABLE_SIGNUP": True, "META": {"capabilities": {"builtin_tools": False}}}, "admin")
    assert merged == {"ENABLE_SIGNUP": True, "META": {"capabilities": {"vision": True, "builtin_tools": False}, "x": 1}, "URL": ""}
    assert current["META"] == {"capabilities": {"vision": True}, "x": 1}
    with pytest.raises(OpenWebUIError, match="no admin setting named ENABLE_SIGNUPS; the known ones are: ENABLE_SIGNUP, META, URL"):
        laid_over(current, {"ENABLE_SIGNUPS": True}, "admin")


def test_default_and_pinned_models_may_be_lists():
    assert normalised_models({"DEFAULT_MODELS": ["a:1", "b"], "MODEL_ORDER_LIST": ["b", "a:1"]}) == {
        "DEFAULT_MODELS": "a:1,b",
        "MODEL_ORDER_LIST": ["b", "a:1"],
    }


def test_only_read_grants_decide_who_may_use_a_model():
    row = {
        "access_grants": [
            {"principal_type": "user", "principal_id": "*", "permission": "read"},
            {"principal_type": "group", "principal_id": "g1", "permission": "read"},
            {"principal_type": "user", "principal_id": "u1", "permission": "write"},
        ]
    }
    assert read_grants(row) == {EVERYONE, ("group", "g1", "read")}
    assert read_grants(None) == set()
    assert grant_list({EVERYONE}) == [{"principal_type": "user", "principal_id": "*", "permission": "read"}]


@pytest.mark.parametrize("email", ["alice@example.org", "a.b+c@sub.example.org", "admin@localhost"])
def test_emails_that_open_webui_takes(email):
    assert EMAIL.match(email)


@pytest.mark.parametrize("email", ["carol.example.org", "a b@example.org", "a@b", "@example.org", "a@@example.org"])
def test_emails_that_are_refused(email):
    assert not EMAIL.match(email)
