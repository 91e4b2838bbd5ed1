# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""The registry client against a real HTTP server on loopback: what it sends, where it connects, what it says
when the registry fails. The module's own wiring is checked too: Ollama's headers never reach the registry."""

from __future__ import annotations

import hashlib
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_client import OllamaError, OllamaNotFound
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_name import ModelName
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_registry import (
    HostMapping,
    RegistryClient,
    explain_pull_error,
)
from ansible_collections.selfhosted.genai.plugins.modules import ollama_model

MANIFEST = b'{"schemaVersion":2,"layers":[]}'
OLLAMA_HEADERS = {"Authorization": "Bearer proxy-secret", "X-Proxy-Token": "proxy-secret"}


class Registry(BaseHTTPRequestHandler):
    seen: ClassVar[list] = []

    def do_GET(self) -> None:
        Registry.seen.append({"path": self.path, "headers": dict(self.headers)})
        if "/broken/" in self.path:
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"<html><body>500 Internal Server Error</body></html>")
            return
        if "/missing/" in self.path:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(MANIFEST)))
        self.end_headers()
        self.wfile.write(MANIFEST)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def registry():
    Registry.seen = []
    server = HTTPServer(("127.0.0.1", 0), Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_mapped_name_is_reached_at_its_address_and_keeps_its_host_header(registry):
    client = RegistryClient(timeout=5, hosts={"Genai-Mirror.test": "127.0.0.1"})
    url = f"http://genai-mirror.test:{registry}/v2/library/gemma3/manifests/270m"
    assert client.manifest_digest(url) == hashlib.sha256(MANIFEST).hexdigest()
    request = Registry.seen[0]
    assert request["path"] == "/v2/library/gemma3/manifests/270m"
    assert request["headers"]["Host"] == f"genai-mirror.test:{registry}"
    assert request["headers"]["Accept"] == "application/vnd.docker.distribution.manifest.v2+json"


def test_an_unmapped_name_fails_and_points_at_registry_hosts(registry):
    client = RegistryClient(timeout=5, hosts={"other.test": "127.0.0.1"})
    with pytest.raises(OllamaError) as error:
        client.manifest_digest(f"http://genai-mirror.test:{registry}/v2/library/gemma3/manifests/270m")
    message = str(error.value)
    assert message.startswith(f"cannot reach the registry genai-mirror.test:{registry} at http://genai-mirror.test:")
    assert "give the same mapping in registry_hosts" in message
    assert Registry.seen == []


def test_a_mapping_to_something_else_than_an_address_is_refused():
    with pytest.raises(OllamaError, match=re.escape("maps 'mirror.test' to 'host-gateway', which is not an IP address")):
        HostMapping({"mirror.test": "host-gateway"}).address_of("mirror.test")
    assert HostMapping({"mirror.test": "::1"}).address_of("MIRROR.test") == "::1"
    assert HostMapping({}).address_of("mirror.test") == "mirror.test"


def test_a_registry_error_names_the_registry_the_url_and_what_to_check(registry):
    url = f"http://127.0.0.1:{registry}/v2/broken/gemma3/manifests/270m"
    with pytest.raises(OllamaError) as error:
        RegistryClient(timeout=5).manifest_digest(url)
    assert str(error.value) == (
        f"the registry 127.0.0.1:{registry} answered GET {url} with HTTP 500: 500 Internal Server Error."
        f" The fault is on the registry's side: check that 127.0.0.1:{registry} (or the mirror or proxy serving that name)"
        " is healthy, and its logs."
    )
    assert error.value.status == 500
    with pytest.raises(OllamaNotFound):
        RegistryClient(timeout=5).manifest_digest(f"http://127.0.0.1:{registry}/v2/missing/gemma3/manifests/270m")


class FakeModule:
    check_mode = True

    def __init__(self, params: dict) -> None:
        self.params = params


class FakeOllama:
    def list_models(self) -> list:
        return [{"name": "genai-mirror.test:1/library/gemma3:270m", "digest": "0" * 64}]


def test_the_module_sends_none_of_the_ollama_headers_to_the_registry(registry):
    params = {name: spec.get("default") for name, spec in ollama_model.argument_spec().items()}
    params.update(
        name=f"genai-mirror.test:{registry}/library/gemma3:270m",
        insecure=True,
        headers=dict(OLLAMA_HEADERS),
        registry_hosts={"genai-mirror.test": "127.0.0.1"},
    )
    manager = ollama_model.ModelManager(FakeModule(params), FakeOllama(), ModelName.parse(params["name"]))
    assert manager.registry_digest() == hashlib.sha256(MANIFEST).hexdigest()
    sent = {name.lower() for name in Registry.seen[0]["headers"]}
    assert sent.isdisjoint(name.lower() for name in OLLAMA_HEADERS)
    assert sent == {"host", "accept", "user-agent", "accept-encoding", "connection"}


def test_a_registry_status_in_a_pull_stream_is_explained():
    url = "http://mirror.test:8080/v2/broken/gemma3/manifests/270m"
    message = explain_pull_error("pull model manifest: 500: <html><body>oops</body></html>", url, manifest_fetched=False)
    assert message == (
        f"the registry mirror.test:8080 answered Ollama's GET {url} with HTTP 500 (oops). The fault is on the registry's"
        " side: check that mirror.test:8080 (or the mirror or proxy serving that name) is healthy, and its logs."
    )
    assert explain_pull_error("500: ", url, manifest_fetched=True).startswith(
        f"the registry mirror.test:8080 answered Ollama's request for a layer of the model (manifest {url}) with HTTP 500."
    )
    assert "refused access" in explain_pull_error("403: denied", url, manifest_fetched=False)
    assert explain_pull_error("max retries exceeded: unexpected EOF", url, manifest_fetched=True) is None
    assert explain_pull_error(None, url, manifest_fetched=False) is None


def test_an_eof_while_pulling_layers_points_at_the_damaged_partial_file():
    url = "http://mirror.test:8080/v2/library/gemma3/manifests/270m"
    message = explain_pull_error("EOF", url, manifest_fetched=True)
    assert message.startswith("Ollama could not read its record of an interrupted download")
    assert "rm /root/.ollama/models/blobs/*-partial-*" in message
    # Before any layer, an EOF is the connection's, and stays unexplained.
    assert explain_pull_error("EOF", url, manifest_fetched=False) is None
