# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""The one Ollama HTTP API client of this collection. Standard library and ansible.module_utils.urls only:
modules run on the managed host, next to an Ollama API that must not be exposed beyond it."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import time
from urllib.error import HTTPError, URLError

from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.urls import Request

DEFAULT_URL = "http://127.0.0.1:11434"
URL_ENVIRONMENT = "OLLAMA_URL"
MANIFEST_ACCEPT = "application/vnd.docker.distribution.manifest.v2+json"


def connection_argument_spec() -> dict:
    """Options every Ollama module shares; documented in the selfhosted.genai._ollama doc fragment."""
    return {
        "ollama_url": {"type": "str", "default": None},
        "timeout": {"type": "int", "default": 30},
        "validate_certs": {"type": "bool", "default": True},
        "headers": {"type": "dict", "default": {}, "no_log": True},
    }


class OllamaError(Exception):
    """An error a person can act on; the message says what went wrong and, where known, how to fix it.

    transient: worth retrying (the service restarting, a dropped connection); a 4xx answer never is.
    stream_error: Ollama's own words when the error came as an {"error": ...} line of a stream."""

    def __init__(self, message: str, status: int | None = None, transient: bool = False, stream_error: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient
        self.stream_error = stream_error


class OllamaNotFound(OllamaError):
    """The API answered 404: the model, blob or manifest does not exist."""


# Words in Ollama's stream errors that mean the network failed, not the request.
# "context canceled": Ollama stopping (a restart) cancels the pulls it is serving.
_TRANSIENT_WORDS = (
    "timeout", "timed out", "connection", "eof", "reset", "temporar", "max retries", "unavailable", "context canceled",
)


def _error_text(body: bytes) -> str:
    text = to_text(body, errors="surrogate_or_replace").strip()
    try:
        payload = json.loads(text)
    except ValueError:
        return text[:500]
    if isinstance(payload, dict):
        for key in ("error", "message", "detail", "errors"):
            if payload.get(key):
                return to_text(payload[key])
    return text[:500]


class NdjsonStream:
    """Reads Ollama's newline-delimited JSON progress; an {"error": ...} line, even after HTTP 200, raises.

    final_status: the status the last event must have (a pull ends with "success"); a stream that stops before
    it was cut (Ollama restarted or the connection dropped), which is worth a retry, not a success."""

    def __init__(self, response, what: str, final_status: str | None = None) -> None:
        self._response = response
        self._what = what
        self._final_status = final_status

    def __iter__(self):
        last: dict = {}
        try:
            for event in self._events():
                last = event
                yield event
        except (socket.timeout, TimeoutError) as exc:
            raise OllamaError(
                f"{self._what}: no progress from Ollama within the stream timeout; raise 'stream_timeout'", transient=True
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise OllamaError(f"{self._what}: the connection to Ollama broke ({exc!r}); Ollama may be restarting", transient=True) from exc
        finally:
            self._response.close()
        if self._final_status is not None and last.get("status") != self._final_status:
            raise OllamaError(
                f"{self._what}: the stream ended before Ollama reported '{self._final_status}'"
                f" (last status: {last.get('status')!r}); Ollama may have restarted",
                transient=True,
            )

    def _events(self):
        for raw in iter(self._response.readline, b""):
            line = raw.strip()
            if not line:
                continue
            try:
                event = json.loads(line)
            except ValueError as exc:
                raise OllamaError(f"{self._what}: the stream sent a line that is not JSON: {to_text(line)[:200]}") from exc
            if isinstance(event, dict) and event.get("error"):
                message = to_text(event["error"])
                raise OllamaError(
                    f"{self._what}: the stream ended with an error: {message}",
                    transient=any(word in message.lower() for word in _TRANSIENT_WORDS),
                    stream_error=message,
                )
            yield event


class OllamaClient:
    def __init__(self, url: str | None = None, timeout: int = 30, validate_certs: bool = True, headers: dict | None = None) -> None:
        self.url = (url or os.environ.get(URL_ENVIRONMENT) or DEFAULT_URL).rstrip("/")
        self.timeout = timeout
        self._request = Request(
            headers=dict(headers or {}),
            validate_certs=validate_certs,
            timeout=timeout,
            http_agent="selfhosted.genai",
        )

    @classmethod
    def from_module(cls, module) -> OllamaClient:
        params = module.params
        return cls(params["ollama_url"], params["timeout"], params["validate_certs"], params["headers"])

    # --- transport ---------------------------------------------------------------------------------

    def _open(self, method: str, path: str, payload=None, data=None, timeout: int | None = None, headers=None):
        url = self.url + path
        body = data
        request_headers = dict(headers or {})
        if payload is not None:
            body = json.dumps(payload).encode()
            request_headers["Content-Type"] = "application/json"
        try:
            return self._request.open(method, url, data=body, headers=request_headers, timeout=timeout or self.timeout)
        except HTTPError as exc:
            message = _error_text(exc.read() if exc.fp else b"") or exc.reason
            error_class = OllamaNotFound if exc.code == 404 else OllamaError
            raise error_class(
                f"Ollama at {self.url} answered {method} {path} with HTTP {exc.code}: {message}", exc.code, transient=exc.code >= 500
            ) from exc
        except (URLError, OSError, socket.timeout) as exc:
            reason = getattr(exc, "reason", exc)
            raise OllamaError(f"cannot reach Ollama at {self.url}: is the service running? ({reason})", transient=True) from exc

    def _json(self, method: str, path: str, payload=None, timeout: int | None = None):
        response = self._open(method, path, payload=payload, timeout=timeout)
        try:
            raw = response.read()
        finally:
            response.close()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise OllamaError(f"Ollama at {self.url} sent something that is not JSON for {path}: {to_text(raw)[:200]}") from exc

    # --- API -----------------------------------------------------------------------------------------

    def version(self) -> str:
        return self._json("GET", "/api/version").get("version", "")

    def list_models(self) -> list:
        return self._json("GET", "/api/tags").get("models") or []

    def running_models(self) -> list:
        return self._json("GET", "/api/ps").get("models") or []

    def show(self, name: str) -> dict | None:
        """The model's details, or None when Ollama does not have it."""
        try:
            return self._json("POST", "/api/show", {"model": name})
        except OllamaNotFound:
            return None

    def delete(self, name: str) -> bool:
        """Deletes a model; False when it did not exist."""
        try:
            self._open("DELETE", "/api/delete", payload={"model": name}).close()
        except OllamaNotFound:
            return False
        return True

    def pull(self, name: str, insecure: bool = False, timeout: int | None = None) -> NdjsonStream:
        response = self._open("POST", "/api/pull", {"model": name, "insecure": insecure, "stream": True}, timeout=timeout)
        return NdjsonStream(response, f"pulling {name}", final_status="success")

    def create(self, request: dict, timeout: int | None = None) -> NdjsonStream:
        response = self._open("POST", "/api/create", dict(request, stream=True), timeout=timeout)
        return NdjsonStream(response, f"creating {request.get('model')}")

    def has_blob(self, digest: str) -> bool:
        try:
            self._open("HEAD", f"/api/blobs/{digest}").close()
        except OllamaNotFound:
            return False
        return True

    def push_blob(self, digest: str, path: str, timeout: int | None = None) -> None:
        with open(path, "rb") as handle:
            headers = {"Content-Type": "application/octet-stream", "Content-Length": str(os.path.getsize(path))}
            self._open("POST", f"/api/blobs/{digest}", data=handle, timeout=timeout, headers=headers).close()


def sha256_of_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Stopwatch:
    def __init__(self) -> None:
        self._started = time.monotonic()

    @property
    def seconds(self) -> float:
        return round(time.monotonic() - self._started, 3)


# Waits of 6, 12 and 18 s over the default 3 retries: 36 s, longer than a restarting Ollama needs (about 20 s).
RETRY_DELAY = 6.0


def with_retries(operation, retries: int, delay: float = RETRY_DELAY, on_retry=None):
    """Runs operation; retries an OllamaError marked transient up to `retries` times, waiting longer each time."""
    attempt = 0
    while True:
        try:
            return operation()
        except OllamaError as exc:
            if not exc.transient or attempt >= retries:
                raise
            attempt += 1
            if on_retry is not None:
                on_retry(attempt, exc)
            time.sleep(delay * attempt)
