"""The lab works end to end: the real Ollama pulls the real model from the mirror and answers, and the real
Open WebUI in front of it signs up an admin and answers a chat; the real Caddy gets a certificate from the real
Pebble over ACME and serves HTTPS with it. Nothing here is mocked."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import textwrap
from pathlib import Path

import pytest
import requests
from conftest import LAB_TOOLS, Lab, container_logs, published_url, wait_until
from cryptography import x509
from cryptography.x509.oid import NameOID
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
    _container, url = start_ollama(lab, lab_network, start_container)
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


def test_ollama_pulls_the_embedding_model_and_embeds(lab: Lab, lab_network, start_container):
    """What documents need where the chat model does not embed (Gemma 3 answers 501 to /api/embed): the lab's
    converted all-MiniLM-L6-v2, pulled from the mirror, gives 384 numbers a sentence, and two sentences that say
    the same thing are nearer than two that do not."""
    _container, url = start_ollama(lab, lab_network, start_container)
    embedding = lab.description["embedding_model"]
    model = f"{lab.description['mirror']['network_host']}/{embedding['path']}"
    pull_from_mirror(url, model)
    sentences = ["Conversations are never lost.", "No conversation is ever lost.", "The cat sleeps on the warm roof."]
    answer = requests.post(f"{url}/api/embed", json={"model": model, "input": sentences}, timeout=120)
    assert answer.status_code == 200, answer.text
    vectors = answer.json()["embeddings"]
    assert [len(vector) for vector in vectors] == [embedding["dimensions"]] * 3

    def cosine(first: list[float], second: list[float]) -> float:
        dot = sum(a * b for a, b in zip(first, second))
        return dot / (sum(a * a for a in first) * sum(b * b for b in second)) ** 0.5

    similar, unrelated = cosine(vectors[0], vectors[1]), cosine(vectors[0], vectors[2])
    record("embedding_cosines", {"same_meaning": round(similar, 3), "unrelated": round(unrelated, 3)})
    assert similar > 0.7 and unrelated < 0.3, (similar, unrelated)


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


def test_previous_open_webui_starts_and_reports_its_version(
    lab: Lab, docker_client, private_network, start_container
):
    """The release upgrade tests start from: installed over the slim image as one layer more, still without torch.
    No Ollama: /health and /api/version answer without one."""
    image = lab.image("open_webui_previous")
    version = lab.description["versions"]["open_webui_previous"]
    previous, slim = docker_client.images.get(image), docker_client.images.get(lab.image("open_webui_slim"))
    assert previous.labels["org.opencontainers.image.version"] == version
    assert previous.attrs["RootFS"]["Layers"][:-1] == slim.attrs["RootFS"]["Layers"]
    no_torch = "import cv2, importlib.util; print(importlib.util.find_spec('torch'))"
    probe = subprocess.run(
        ["docker", "run", "--rm", "--network", "none", "--entrypoint", "python3", image, "-c", no_torch],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (probe.returncode, probe.stdout) == (0, "None\n"), probe.stderr[-500:]

    url = start_open_webui(lab, "open_webui_previous", private_network.name, start_container, "genai-lab-no-ollama")
    answer = requests.get(f"{url}/api/version", timeout=10)
    assert answer.status_code == 200, answer.text
    record("open_webui_previous_version", answer.json())
    assert answer.json()["version"] == version


def test_unhealthy_open_webui_keeps_running_without_answering(lab: Lab, private_network, start_container):
    """What a failed upgrade looks like: the container runs, /health never answers, and docker stop is quick."""
    container = start_container(
        lab.image("open_webui_unhealthy"),
        name=f"lab-open-webui-unhealthy-{secrets.token_hex(4)}",
        network=private_network.name,
        ports={"8080/tcp": ("127.0.0.1", None)},
    )
    url = published_url(container, "8080/tcp")
    wait_until(
        lambda: b"never answering /health" in container.logs(),
        30,
        "the unhealthy image's command",
        lambda: container_logs(container),
    )
    with pytest.raises(requests.RequestException):
        requests.get(f"{url}/health", timeout=2)
    container.reload()
    assert container.status == "running"
    assert container.attrs["State"]["Health"]["Status"] == "starting"
    container.stop(timeout=10)
    assert container.wait(timeout=5)["StatusCode"] == 0


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


# Run by Python in the lab's runtime image, on the test's network: fetches Pebble's issuing root (over Pebble's
# listener, trusted through the lab CA), then asks the site trusting that root and nothing else; and once more
# trusting only the system's authorities, which must refuse the certificate.
HTTPS_CLIENT = textwrap.dedent(
    """
    import base64, http.client, json, ssl, sys, urllib.request
    roots_url, site = sys.argv[1:]
    listener = ssl.create_default_context(cafile="/pebble/listener-ca.pem")
    root = urllib.request.urlopen(roots_url, context=listener, timeout=10).read().decode()
    connection = http.client.HTTPSConnection(site, context=ssl.create_default_context(cadata=root), timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    leaf = connection.sock.getpeercert(binary_form=True)
    try:
        http.client.HTTPSConnection(site, context=ssl.create_default_context(), timeout=10).request("GET", "/")
        system_store = "accepted"
    except ssl.SSLCertVerificationError as error:
        system_store = error.verify_message
    print(json.dumps({"status": response.status, "body": response.read().decode(), "root": root,
                      "leaf": base64.b64encode(leaf).decode(), "system_store": system_store}))
    """
)


def common_name(name: x509.Name) -> str:
    return name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def test_caddy_gets_a_certificate_from_pebble_and_serves_https(
    lab: Lab, docker_client, private_network, start_container, tmp_path
):
    """The reverse proxy's ACME flow against a test CA: Caddy trusts Pebble's listener through the lab CA, gets a
    certificate for chat.genai.test, and a client that trusts only Pebble's issuing root reads the page."""
    pebble = lab.description["pebble"]
    site = "chat.genai.test"

    def on_network(*aliases: str) -> dict:
        endpoint = docker_client.api.create_endpoint_config(aliases=list(aliases))
        return {"network": private_network.name, "networking_config": {private_network.name: endpoint}}

    start_container(lab.image("pebble"), name=f"lab-pebble-{secrets.token_hex(4)}", **on_network(pebble["dns_name"]))
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(
        "{\n"
        "\temail lab@genai.test\n"
        f"\tacme_ca {pebble['directory_url']}\n"
        "\tacme_ca_root /etc/caddy/pebble-listener-ca.pem\n"
        "}\n\n"
        f"{site} {{\n"
        '\trespond "ok"\n'
        "}\n"
    )
    caddy = start_container(
        lab.image("caddy"),
        name=f"lab-caddy-{secrets.token_hex(4)}",
        volumes={
            str(caddyfile): {"bind": "/etc/caddy/Caddyfile", "mode": "ro"},
            pebble["listener_ca"]: {"bind": "/etc/caddy/pebble-listener-ca.pem", "mode": "ro"},
        },
        **on_network(site),
    )
    obtained = wait_until(
        lambda: b"certificate obtained successfully" in caddy.logs(),
        60,
        "Caddy's certificate from Pebble",
        lambda: container_logs(caddy),
    )
    record("caddy_acme_certificate_seconds", round(obtained, 1))

    client = start_container(
        lab.image("runtime"),
        name=f"lab-https-client-{secrets.token_hex(4)}",
        command=["python3", "-c", HTTPS_CLIENT, pebble["roots_url"], site],
        volumes={pebble["listener_ca"]: {"bind": "/pebble/listener-ca.pem", "mode": "ro"}},
        **on_network(),
    )
    exit_code = client.wait(timeout=60)["StatusCode"]
    output = client.logs(stdout=True, stderr=False).decode()
    assert exit_code == 0, container_logs(client)
    answer = json.loads(output)

    assert (answer["status"], answer["body"]) == (200, "ok")
    leaf = x509.load_der_x509_certificate(base64.b64decode(answer["leaf"]))
    root = x509.load_pem_x509_certificate(answer["root"].encode())
    record("caddy_certificate_issuer", leaf.issuer.rfc4514_string())
    assert common_name(leaf.issuer).startswith("Pebble Intermediate CA"), leaf.issuer
    assert common_name(root.subject).startswith("Pebble Root CA"), root.subject
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == [site]
    assert answer["system_store"] == "unable to get local issuer certificate", answer["system_store"]
