# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""The model registry's own HTTP client. It shares nothing with the Ollama client: the `headers` given for a
reverse proxy in front of Ollama must never reach a registry. It can resolve a few names the way the Ollama
container does (its /etc/hosts), so that a mirror known only there is asked at the address Ollama pulls from."""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import re
import socket
import ssl
import urllib.request
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_client import (
    MANIFEST_ACCEPT,
    OllamaError,
    OllamaNotFound,
    _error_text,
)

USER_AGENT = "selfhosted.genai"


class HostMapping:
    """Names mapped to addresses, like the entries Docker adds to a container's /etc/hosts."""

    def __init__(self, hosts: dict | None = None) -> None:
        self._hosts = {str(name).lower(): str(address) for name, address in (hosts or {}).items()}

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._hosts

    def address_of(self, name: str) -> str:
        """The mapped IP address; the name itself when it is not mapped (then DNS decides, as usual)."""
        address = self._hosts.get(name.lower())
        if address is None:
            return name
        try:
            return str(ipaddress.ip_address(address.strip("[]")))
        except ValueError:
            raise OllamaError(
                f"registry_hosts maps '{name}' to '{address}', which is not an IP address"
                " (Docker's 'host-gateway' has no meaning outside a container): give the address itself"
            ) from None

    def create_connection(self, address: tuple, *args, **kwargs) -> socket.socket:
        host, port = address[0], address[1]
        return socket.create_connection((self.address_of(host), port), *args, **kwargs)


def _mapped(connection_class: type, mapping: HostMapping) -> type:
    """A connection class that opens its socket at the mapped address.

    Only the TCP connect changes: the Host header, TLS SNI and the certificate check keep the name, as they do
    for a container whose /etc/hosts maps it. http.client keeps its connect function in _create_connection,
    which is the one seam that leaves proxies, tunnels and TLS untouched."""

    class MappedConnection(connection_class):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = mapping.create_connection

    return MappedConnection


class _MappedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, mapping: HostMapping) -> None:
        super().__init__()
        self._connection = _mapped(http.client.HTTPConnection, mapping)

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _MappedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, mapping: HostMapping, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._connection = _mapped(http.client.HTTPSConnection, mapping)
        self._tls_context = context

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._tls_context)


def _tls_context(validate_certs: bool) -> ssl.SSLContext:
    if validate_certs:
        return ssl.create_default_context()
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class RegistryClient:
    """Asks a model registry for manifests. Sends an Accept header and a User-Agent, nothing else."""

    def __init__(self, timeout: int = 30, validate_certs: bool = True, hosts: dict | None = None) -> None:
        self.timeout = timeout
        self.mapping = HostMapping(hosts)
        # build_opener keeps urllib's proxy handling from the environment, as Ollama's Go client does.
        self._opener = urllib.request.build_opener(
            _MappedHTTPHandler(self.mapping), _MappedHTTPSHandler(self.mapping, _tls_context(validate_certs))
        )

    def _get(self, url: str, headers: dict) -> bytes:
        request = urllib.request.Request(url, headers=dict(headers, **{"User-Agent": USER_AGENT}), method="GET")
        with self._opener.open(request, timeout=self.timeout) as response:
            return response.read()

    def manifest_digest(self, manifest_url: str) -> str:
        """sha256 of the registry's manifest bytes: the digest /api/tags shows once Ollama has pulled that manifest."""
        host = urlsplit(manifest_url).netloc
        try:
            body = self._get(manifest_url, {"Accept": MANIFEST_ACCEPT})
        except HTTPError as exc:
            raise self._http_error(host, manifest_url, exc) from exc
        except (URLError, OSError, http.client.HTTPException) as exc:
            raise OllamaError(self._unreachable(host, manifest_url, getattr(exc, "reason", exc))) from exc
        return hashlib.sha256(body).hexdigest()

    @staticmethod
    def _http_error(host: str, url: str, exc: HTTPError) -> OllamaError:
        if exc.code == 404:
            return OllamaNotFound(f"the registry has no such model or tag ({url} answered 404)", 404)
        text = body_summary(_error_text(exc.read() if exc.fp else b""))
        return OllamaError(
            f"the registry {host} answered GET {url} with HTTP {exc.code}{': ' + text if text else ''}."
            f" {registry_advice(host, exc.code)}",
            exc.code,
        )

    def _unreachable(self, host: str, url: str, reason: object) -> str:
        name = urlsplit(url).hostname or host
        where = (
            f" registry_hosts maps {name} to {self.mapping.address_of(name)}: check that address."
            if name in self.mapping
            else f" If Ollama reaches {name} through its container's /etc/hosts (the ollama role's ollama_etc_hosts),"
            " give the same mapping in registry_hosts."
        )
        return f"cannot reach the registry {host} at {url}: {reason}.{where}"


def registry_advice(host: str, status: int) -> str:
    """What to look at when a registry (or a mirror in front of it) answers with an error status."""
    if status in (401, 403):
        return f"The registry {host} refused access: check that the model is public or that Ollama has credentials for it."
    if status >= 500:
        return f"The fault is on the registry's side: check that {host} (or the mirror or proxy serving that name) is healthy, and its logs."
    return f"Check the model name and that {host} is a model registry."


# "pull model manifest: 500: <body>" in Ollama 0.24.0 (server/images.go), or the bare "<status>: <body>".
_REGISTRY_STATUS = re.compile(r"^(?:[a-z ]+: )?([1-5]\d\d): ?(.*)$", re.DOTALL)
_MARKUP = re.compile(r"<[^>]+>")


def body_summary(body: str) -> str:
    """An error page in one short line: a mirror's HTML error page says little beyond its title."""
    return " ".join(_MARKUP.sub(" ", body).split())[:200]


def explain_pull_error(stream_error: str | None, manifest_url: str, manifest_fetched: bool) -> str | None:
    """Ollama reports a registry's error status as "<status>: <body>", naming neither the registry nor the URL.

    Returns a message that names both and says what to check, or None when the error is something else.
    manifest_fetched: whether the stream went past "pulling manifest" (then a blob request failed).

    A bare "EOF" once the layers are being pulled is Ollama failing to read one of its own "-partial-N" progress
    files: it truncates and rewrites them, and a stop in between leaves an empty one that fails every later pull."""
    if manifest_fetched and (stream_error or "").strip() == "EOF":
        return (
            "Ollama could not read its record of an interrupted download (an empty '<blob>-partial-N' file, left when"
            " Ollama stopped while writing it), and fails every pull of this layer until that file is gone. Remove the"
            " '*-partial-*' files in the 'blobs' folder of Ollama's models directory (in the container:"
            " rm /root/.ollama/models/blobs/*-partial-*), then run again; the layer downloads from the start."
        )
    match = _REGISTRY_STATUS.match((stream_error or "").strip())
    if match is None:
        return None
    status = int(match.group(1))
    body = body_summary(match.group(2))
    host = urlsplit(manifest_url).netloc
    what = f"request for a layer of the model (manifest {manifest_url})" if manifest_fetched else f"GET {manifest_url}"
    answer = f"HTTP {status}{' (' + body + ')' if body else ''}"
    return f"the registry {host} answered Ollama's {what} with {answer}. {registry_advice(host, status)}"
