# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client's pure parts: the NDJSON reader and the retry rule. Talking to Ollama is tested for real in
tests/integration."""

from __future__ import annotations

import io
import socket

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils import _ollama_client as client
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_client import NdjsonStream, OllamaError


class Lines(io.BytesIO):
    closed_by_reader = False

    def close(self):
        self.closed_by_reader = True
        super().close()


def test_stream_yields_events_and_closes():
    body = Lines(b'{"status":"pulling manifest"}\n\n{"status":"success"}\n')
    assert list(NdjsonStream(body, "pulling x")) == [{"status": "pulling manifest"}, {"status": "success"}]
    assert body.closed_by_reader is True


def test_an_error_after_http_200_raises_with_ollamas_text():
    body = Lines(b'{"status":"pulling manifest"}\n{"error":"pull model manifest: file does not exist"}\n')
    with pytest.raises(OllamaError) as error:
        list(NdjsonStream(body, "pulling m:x"))
    assert str(error.value) == "pulling m:x: the stream ended with an error: pull model manifest: file does not exist"
    assert error.value.transient is False


def test_a_network_error_in_the_stream_is_transient():
    body = Lines(b'{"error":"max retries exceeded: unexpected EOF"}\n')
    with pytest.raises(OllamaError) as error:
        list(NdjsonStream(body, "pulling m"))
    assert error.value.transient is True


def test_a_line_that_is_not_json_is_reported():
    with pytest.raises(OllamaError, match="not JSON: <html>"):
        list(NdjsonStream(Lines(b"<html>\n"), "pulling m"))


def test_silence_past_the_timeout_is_reported_as_such():
    class Silent(Lines):
        def readline(self, *args):
            raise socket.timeout("timed out")

    with pytest.raises(OllamaError, match="raise 'stream_timeout'"):
        list(NdjsonStream(Silent(b""), "pulling m"))


def test_retries_only_transient_errors(monkeypatch):
    monkeypatch.setattr(client.time, "sleep", lambda seconds: None)
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OllamaError("connection reset", transient=True)
        return "done"

    assert client.with_retries(flaky, retries=3) == "done"
    assert len(calls) == 3

    permanent = []

    def missing():
        permanent.append(1)
        raise OllamaError("no such model", status=404)

    with pytest.raises(OllamaError, match="no such model"):
        client.with_retries(missing, retries=3)
    assert len(permanent) == 1


def test_retries_give_up_after_the_limit(monkeypatch):
    monkeypatch.setattr(client.time, "sleep", lambda seconds: None)
    calls = []

    def down():
        calls.append(1)
        raise OllamaError("cannot reach", transient=True)

    with pytest.raises(OllamaError):
        client.with_retries(down, retries=2)
    assert len(calls) == 3


def test_url_comes_from_the_option_then_the_environment_then_the_default(monkeypatch):
    monkeypatch.delenv("OLLAMA_URL", raising=False)
    assert client.OllamaClient().url == "http://127.0.0.1:11434"
    monkeypatch.setenv("OLLAMA_URL", "http://10.0.0.5:11434/")
    assert client.OllamaClient().url == "http://10.0.0.5:11434"
    assert client.OllamaClient("https://ollama.internal").url == "https://ollama.internal"


def test_a_pull_stream_that_stops_before_success_is_a_transient_failure():
    body = Lines(b'{"status":"pulling manifest"}\n{"status":"pulling abc","digest":"sha256:abc","total":10,"completed":4}\n')
    with pytest.raises(OllamaError) as error:
        list(NdjsonStream(body, "pulling m", final_status="success"))
    assert error.value.transient is True
    assert str(error.value) == (
        "pulling m: the stream ended before Ollama reported 'success' (last status: 'pulling abc'); Ollama may have restarted"
    )
    assert body.closed_by_reader is True


def test_a_pull_stream_that_ends_with_success_is_complete():
    body = Lines(b'{"status":"pulling manifest"}\n{"status":"success"}\n')
    assert list(NdjsonStream(body, "pulling m", final_status="success"))[-1] == {"status": "success"}


@pytest.mark.parametrize("failure", [ConnectionResetError(104, "Connection reset by peer"), client.http.client.IncompleteRead(b"")])
def test_a_connection_broken_mid_stream_is_a_transient_failure(failure):
    class Broken(Lines):
        def readline(self, *args):
            raise failure

    with pytest.raises(OllamaError, match="the connection to Ollama broke") as error:
        list(NdjsonStream(Broken(b""), "pulling m", final_status="success"))
    assert error.value.transient is True


def test_the_default_retries_wait_long_enough_for_a_restarting_ollama(monkeypatch):
    waits = []
    monkeypatch.setattr(client.time, "sleep", waits.append)

    def down():
        raise OllamaError("cannot reach", transient=True)

    with pytest.raises(OllamaError):
        client.with_retries(down, retries=3)
    assert waits == [6.0, 12.0, 18.0]
    assert sum(waits) >= 30
