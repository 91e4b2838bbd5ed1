"""What every verifier test needs to reach the deployed site as a browser on the lab network would: its name, the
target's address that name resolves to, and the CA to trust (Pebble's root for an ACME site, else the internal
CA's root that the reverse_proxy role fetched to the controller). Names of the lab (chat.genai.test,
pebble.genai.test) resolve here only, through a patched getaddrinfo, never through /etc/hosts."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from describe import read_description

LAB = read_description()
PEBBLE_CONTAINER = "genai-tls-pebble"
PEBBLE = LAB["pebble"]


@dataclass(frozen=True)
class Site:
    name: str  # what users type: a DNS name, or the address itself
    address: str  # the target's address on the lab network
    ca_file: Path  # the root that certifies the site
    certificates: str  # acme or internal

    @property
    def url(self) -> str:
        return f"https://{self.name}"


@contextlib.contextmanager
def resolving(names: dict[str, str]) -> Iterator[None]:
    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        return original(names.get(host, host), *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", getaddrinfo)
        yield


def container_address(name: str) -> str:
    networks = subprocess.check_output(["docker", "inspect", "-f", "{{ json .NetworkSettings.Networks }}", name])
    return json.loads(networks)[LAB["network"]]["IPAddress"]


def pebble_root() -> str:
    """Pebble draws its issuing root anew at each start: ask the running one, over its own HTTPS listener."""
    with resolving({PEBBLE["dns_name"]: container_address(PEBBLE_CONTAINER)}):
        response = requests.get(PEBBLE["roots_url"], verify=PEBBLE["listener_ca"], timeout=30)
    response.raise_for_status()
    return response.text


@pytest.fixture(scope="module")
def site(host, tmp_path_factory) -> Site:
    address = host.interface("eth0").addresses[0]
    domain = host.ansible.get_variables().get("reverse_proxy_domain", "")
    if domain:
        ca_file = tmp_path_factory.mktemp("pebble") / "root.pem"
        ca_file.write_text(pebble_root())
        return Site(domain, address, ca_file, "acme")
    ca_file = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "ca" / f"{host.backend.host}-root.crt"
    return Site(address, address, ca_file, "internal")


@pytest.fixture(scope="module", autouse=True)
def site_name_resolves(site) -> Iterator[None]:
    """Autouse and module-scoped, so that it is in place before the other module fixtures sign in."""
    with resolving({site.name: site.address}):
        yield


@pytest.fixture(scope="module")
def https(site) -> requests.Session:
    """A client that trusts only the site's CA, and ignores REQUESTS_CA_BUNDLE and proxies from the environment
    (which would otherwise win over the session's own setting)."""
    session = requests.Session()
    session.trust_env = False
    session.verify = str(site.ca_file)
    return session
