"""The deployed stack, checked from outside (through the HTTPS proxy, as a browser would) and inside the target:
containers, volumes, isolation of Ollama, secrets, the administrator, a chat answered by the real model, and what
survived the recreation of every container (molecule/tls/side_effect.yml)."""

from __future__ import annotations

import json
import time

import pytest
from describe import read_description

LAB = read_description()
OLLAMA_IMAGE = LAB["images"]["ollama"]
MODEL = LAB["model"]["network_name"]
PROMPT = "The capital of France is"


def wait_for(probe, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(2)
    raise AssertionError(f"{what}: not so after {timeout:.0f} s (last: {last!r})")


@pytest.fixture(scope="module")
def open_webui(site) -> str:
    """Open WebUI as a browser on the lab network sees it: through the proxy, over HTTPS."""
    return site.url


@pytest.fixture(scope="module")
def admin(host, open_webui, https) -> dict:
    password = host.file("/etc/selfhosted-genai/open-webui/admin_password").content_string.strip()
    response = https.post(
        f"{open_webui}/api/v1/auths/signin", json={"email": "admin@localhost", "password": password}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"password": password, "token": response.json()["token"], "role": response.json()["role"]}


@pytest.mark.parametrize("name", ["ollama", "open-webui"])
def test_container_runs_and_is_healthy(host, name):
    def health():
        result = host.run("docker inspect -f '{{ .State.Status }} {{ .State.Health.Status }}' %s", name)
        return result.stdout.strip() if result.stdout.strip() == "running healthy" else None

    wait_for(health, 120, f"{name} running and healthy")


@pytest.mark.parametrize(
    ("container", "volume", "target"),
    [
        ("ollama", "ollama", "/root/.ollama"),
        ("open-webui", "open-webui", "/app/backend/data"),
        ("caddy", "caddy-data", "/data"),
        ("caddy", "caddy-logs", "/var/log/caddy"),
    ],
)
def test_data_lives_in_named_volumes(host, container, volume, target):
    assert host.run("docker volume inspect %s", volume).rc == 0
    mounts = json.loads(host.check_output("docker inspect -f '{{ json .Mounts }}' %s", container))
    assert {"Type": "volume", "Name": volume, "Destination": target} in [
        {key: mount.get(key) for key in ("Type", "Name", "Destination")} for mount in mounts
    ]


def test_only_the_proxy_publishes_ports(host):
    published = {}
    for name in host.check_output("docker ps --format '{{ .Names }}'").split():
        bindings = json.loads(host.check_output("docker inspect -f '{{ json .HostConfig.PortBindings }}' %s", name))
        if bindings:
            published[name] = sorted(bindings)
    exposes_ollama = host.ansible.get_variables().get("reverse_proxy_ollama_api", False)
    assert published == {"caddy": sorted(["80/tcp", "443/tcp", "443/udp"] + (["11443/tcp"] if exposes_ollama else []))}


def test_ollama_is_reachable_only_from_its_private_network(host):
    address = host.check_output(
        "docker inspect -f '{{ (index .NetworkSettings.Networks \"genai\").IPAddress }}' ollama"
    )
    probe = "timeout %s docker run --rm --network %s -e OLLAMA_HOST=http://%s:11434 %s list"
    inside = host.run(probe, "20", "genai", address, OLLAMA_IMAGE)
    assert inside.rc == 0, inside.stderr
    assert "gemma3" in inside.stdout
    # Dropped, so the client waits until it is stopped; inside the network the same probe answers in about a second.
    outside = host.run(probe, "8", "bridge", address, OLLAMA_IMAGE)
    assert outside.rc != 0, f"a container outside the private network reached Ollama:\n{outside.stdout}"


def test_secrets_are_kept_root_only(host):
    folder = host.file("/etc/selfhosted-genai/open-webui")
    assert folder.is_directory and folder.mode == 0o700 and folder.user == "root"
    for name in ("secret_key", "admin_password"):
        secret = host.file(f"/etc/selfhosted-genai/open-webui/{name}")
        assert secret.mode == 0o600 and secret.user == "root"
        assert len(secret.content_string.strip()) >= 24


def test_the_admin_signs_in_and_signup_is_closed(admin, open_webui, https):
    assert admin["role"] == "admin"
    visitor = https.post(
        f"{open_webui}/api/v1/auths/signup",
        json={"name": "Visitor", "email": "visitor@example.com", "password": "visitor-password-1"},
        timeout=30,
    )
    assert visitor.status_code == 403, visitor.text


def test_a_chat_through_open_webui_is_answered_by_the_model(admin, open_webui, https):
    headers = {"Authorization": f"Bearer {admin['token']}"}
    models = https.get(f"{open_webui}/api/models", headers=headers, timeout=60).json()["data"]
    assert MODEL in [entry["id"] for entry in models]
    chat = https.post(
        f"{open_webui}/api/chat/completions",
        headers=headers,
        json={"model": MODEL, "messages": [{"role": "user", "content": PROMPT}], "stream": False},
        timeout=300,
    )
    assert chat.status_code == 200, chat.text
    answer = chat.json()["choices"][0]["message"]["content"]
    print(f"Open WebUI answered {answer!r}")
    assert "Paris" in answer


def test_user_chat_and_session_survive_recreating_the_containers(host, open_webui, https):
    saved = json.loads(host.file("/root/molecule-side-effect.json").content_string)
    # The token was issued before the containers were removed and created again.
    response = https.get(
        f"{open_webui}/api/v1/chats/{saved['chat_id']}",
        headers={"Authorization": f"Bearer {saved['token']}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["chat"]["title"] == "Kept across recreation"
    current = [host.check_output("docker inspect -f '{{ .Id }}' %s", name) for name in ("ollama", "open-webui", "caddy")]
    assert not set(current) & set(saved["containers"]), "the side effect did not recreate the containers"
