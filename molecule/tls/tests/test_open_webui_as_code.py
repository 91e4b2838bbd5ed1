"""Groups, accounts, a preset and settings that the inventory gives the open_webui role (molecule/tls), checked
through the HTTPS proxy as each user: who sees which model, what the preset answers, built-in tools off for the
lab's model (it does not support tools), and the role's settings in Open WebUI's database."""

from __future__ import annotations

import pytest
from describe import read_description

LAB = read_description()
MODEL = LAB["model"]["network_name"]
PRESET = "team-assistant"
MEMBER = {"email": "grace@genai.test", "password": "grace-password-1"}
NON_MEMBER = {"email": "heidi@genai.test", "password": "heidi-password-1"}


@pytest.fixture(scope="module", autouse=True)
def given_by_the_inventory(host):
    if not host.ansible.get_variables().get("open_webui_users"):
        pytest.skip("this scenario gives the open_webui role no accounts")


def sign_in(https, url: str, account: dict) -> dict:
    response = https.post(f"{url}/api/v1/auths/signin", json=account, timeout=30)
    assert response.status_code == 200, f"{account['email']}: {response.text}"
    return {"Authorization": f"Bearer {response.json()['token']}"}


def model_ids(https, url: str, headers: dict) -> list:
    return sorted(entry["id"] for entry in https.get(f"{url}/api/models", headers=headers, timeout=60).json()["data"])


def test_each_user_sees_what_is_shared_with_them(site, https):
    assert model_ids(https, site.url, sign_in(https, site.url, MEMBER)) == sorted([MODEL, PRESET])
    # The lab's model is shared with everyone by default (open_webui_share_ollama_models); the preset with the team.
    assert model_ids(https, site.url, sign_in(https, site.url, NON_MEMBER)) == [MODEL]


def test_the_preset_answers_with_its_system_prompt(site, https):
    chat = https.post(
        f"{site.url}/api/chat/completions",
        headers=sign_in(https, site.url, MEMBER),
        json={"model": PRESET, "messages": [{"role": "user", "content": "What is the secret word?"}], "stream": False},
        timeout=300,
    )
    assert chat.status_code == 200, chat.text
    answer = chat.json()["choices"][0]["message"]["content"]
    print(f"{PRESET} answered {answer!r}")
    assert "pineapple" in answer.lower()


def test_builtin_tools_are_off_for_the_model_without_tool_support_and_its_preset(host, site, https):
    admin = sign_in(https, site.url, {"email": "admin@localhost", "password": admin_password(host)})
    for model in (MODEL, PRESET):
        row = https.get(f"{site.url}/api/v1/models/model", params={"id": model}, headers=admin, timeout=30).json()
        assert row["meta"]["capabilities"]["builtin_tools"] is False, model


def test_the_role_settings_are_in_the_database(host, site, https):
    admin = sign_in(https, site.url, {"email": "admin@localhost", "password": admin_password(host)})
    settings = https.get(f"{site.url}/api/v1/configs/export", headers=admin, timeout=30).json()
    assert settings["ui.enable_signup"] is False
    assert settings["ui.default_user_role"] == "pending"
    assert settings["webui.url"] == site.url
    assert settings["rag.file.max_size"] == 100
    assert settings["task.follow_up.enable"] is False
    assert settings["ollama.base_urls"] == ["http://ollama:11434"]
    assert settings["auth.enable_api_keys"] is True


def admin_password(host) -> str:
    return host.file("/etc/selfhosted-genai/open-webui/admin_password").content_string.strip()
