"""The lab works end to end: the real Ollama pulls the real model from the mirror and answers, and the real
Open WebUI in front of it signs up an admin and answers a chat. Nothing here is mocked."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
from pathlib import Path

import requests

from conftest import LAB_TOOLS, Lab, container_logs, published_url, wait_until
from model_mirror import MirrorName

PROMPT = "The capital of France is"
REPORT = Path(os.environ.get("GENAI_LAB_REPORT", "tests/output/lab-smoke.json"))


def record(key: str, value) -> None:
    """Keeps what the models answered, for the people reading the test run."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report[key] = value
    REPORT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{key}: {value!r}")


def start_ollama(lab: Lab, lab_network: str, start_container):
    container = start_container(
        lab.image("ollama"),
        name=f"lab-ollama-{secrets.token_hex(4)}",
        network=lab_network,
        ports={"11434/tcp": ("127.0.0.1", None)},
    )
    url = published_url(container, "11434/tcp")
    wait_until(
        lambda: requests.get(f"{url}/api/version", timeout=2).ok,
        60,
        "Ollama",
        lambda: container_logs(container),
    )
    return container, url


def pull_from_mirror(url: str, model: str) -> list[dict]:
    response = requests.post(f"{url}/api/pull", json={"model": model, "insecure": True}, stream=True, timeout=600)
    response.raise_for_status()
    events = [json.loads(line) for line in response.iter_lines() if line]
    assert "error" not in events[-1], events[-1]
    assert events[-1] == {"status": "success"}, events[-3:]
    return events


def test_ollama_pulls_from_mirror_and_answers(lab: Lab, lab_network, start_container):
    container, url = start_ollama(lab, lab_network, start_container)
    model = lab.mirror_model

    events = pull_from_mirror(url, model)
    statuses = [event["status"] for event in events]
    assert statuses[0] == "pulling manifest"
    assert "verifying sha256 digest" in statuses

    tags = requests.get(f"{url}/api/tags", timeout=10).json()["models"]
    pulled = {entry["name"]: entry for entry in tags}
    assert model in pulled, sorted(pulled)
    manifest_file = MirrorName.parse(lab.description["model"]["path"]).manifest_path(Path(lab.description["mirror"]["root"]))
    assert pulled[model]["digest"] == hashlib.sha256(manifest_file.read_bytes()).hexdigest()

    answer = requests.post(
        f"{url}/api/generate",
        json={"model": model, "prompt": PROMPT, "stream": False},
        timeout=300,
    ).json()
    record("ollama_generate", answer.get("response"))
    assert "Paris" in answer["response"], answer


def start_open_webui(lab: Lab, image_key: str, lab_network: str, start_container, ollama_name: str) -> str:
    """Starts one of the lab's Open WebUI images; returns its URL once /health answers."""
    webui = start_container(
        lab.image(image_key),
        name=f"lab-open-webui-{secrets.token_hex(4)}",
        network=lab_network,
        ports={"8080/tcp": ("127.0.0.1", None)},
        environment={
            "OLLAMA_BASE_URL": f"http://{ollama_name}:11434",
            "WEBUI_SECRET_KEY": secrets.token_urlsafe(32),
            "ENABLE_OPENAI_API": "false",
        },
    )
    url = published_url(webui, "8080/tcp")
    startup = wait_until(
        lambda: requests.get(f"{url}/health", timeout=2).ok,
        180,
        f"Open WebUI ({image_key})",
        lambda: container_logs(webui),
    )
    record(f"{image_key}_startup_seconds", round(startup, 1))
    return url


def sign_up_admin(url: str) -> dict:
    """The first account becomes the administrator; returns the Authorization header."""
    admin = {"name": "Lab Admin", "email": "admin@example.com", "password": secrets.token_urlsafe(16)}
    signup = requests.post(f"{url}/api/v1/auths/signup", json=admin, timeout=30)
    assert signup.status_code == 200, signup.text
    assert signup.json()["role"] == "admin"
    return {"Authorization": f"Bearer {signup.json()['token']}"}


def test_slim_open_webui_signs_up_admin_and_chats_through_ollama(lab: Lab, lab_network, start_container):
    """The image Molecule deploys: no torch in it, and it still serves users and chats."""
    ollama, ollama_url = start_ollama(lab, lab_network, start_container)
    model = lab.mirror_model
    pull_from_mirror(ollama_url, model)
    probe = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "python3", lab.image("open_webui_slim"), "-c", "import torch"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode != 0 and "No module named 'torch'" in probe.stderr, probe.stderr[-500:]

    url = start_open_webui(lab, "open_webui_slim", lab_network, start_container, ollama.name)
    headers = sign_up_admin(url)

    second = requests.post(
        f"{url}/api/v1/auths/signup",
        json={"name": "Second", "email": "second@example.com", "password": secrets.token_urlsafe(16)},
        timeout=30,
    )
    assert second.status_code == 403, (second.status_code, second.text)

    models = requests.get(f"{url}/api/models", headers=headers, timeout=60).json()["data"]
    assert model in [entry["id"] for entry in models], models

    chat = requests.post(
        f"{url}/api/chat/completions",
        headers=headers,
        json={"model": model, "messages": [{"role": "user", "content": PROMPT}], "stream": False},
        timeout=300,
    )
    assert chat.status_code == 200, chat.text
    content = chat.json()["choices"][0]["message"]["content"]
    record("open_webui_chat", content)
    assert "Paris" in content, chat.json()


def test_full_open_webui_embeds_a_document_on_the_cpu(lab: Lab, lab_network, start_container):
    """The full image (torch without triton): a document is split, embedded by the local model and found again."""
    ollama, _ollama_url = start_ollama(lab, lab_network, start_container)
    url = start_open_webui(lab, "open_webui", lab_network, start_container, ollama.name)
    headers = sign_up_admin(url)

    embedding = requests.get(f"{url}/api/v1/retrieval/embedding", headers=headers, timeout=30).json()
    assert embedding["RAG_EMBEDDING_ENGINE"] == "", embedding

    fact = f"The lab's secret word is {secrets.token_hex(4)}."
    upload = requests.post(
        f"{url}/api/v1/files/",
        params={"process": "true", "process_in_background": "false"},
        headers=headers,
        files={"file": ("facts.txt", f"{fact}\nThe capital of France is Paris.\n".encode(), "text/plain")},
        timeout=300,
    )
    assert upload.status_code == 200, upload.text
    file_id = upload.json()["id"]
    status = requests.get(f"{url}/api/v1/files/{file_id}/process/status", headers=headers, timeout=30).json()
    assert status == {"status": "completed"}, status

    found = requests.post(
        f"{url}/api/v1/retrieval/query/doc",
        headers=headers,
        json={"collection_name": f"file-{file_id}", "query": "What is the secret word?", "k": 1},
        timeout=120,
    )
    assert found.status_code == 200, found.text
    documents = found.json()["documents"][0]
    record("open_webui_local_embedding_hit", documents)
    assert any(fact in document for document in documents), documents


def test_export_writes_a_loadable_archive_once(lab: Lab, docker_client, tmp_path):
    image = lab.image("model_mirror")
    lab_script = LAB_TOOLS / "lab"
    first = subprocess.run([lab_script, "export", tmp_path, image], capture_output=True, text=True, check=True)
    archive = tmp_path / (image.replace("/", "_").replace(":", "_") + ".tar")
    assert "saving" in first.stderr, first.stderr
    modified = archive.stat().st_mtime_ns

    second = subprocess.run([lab_script, "export", tmp_path, image], capture_output=True, text=True, check=True)
    assert "up to date" in second.stderr, second.stderr
    assert archive.stat().st_mtime_ns == modified

    with archive.open("rb") as handle:
        loaded = docker_client.images.load(handle.read())
    assert [entry.id for entry in loaded] == [docker_client.images.get(image).id]
