"""The front door, from the lab network: the certificate (which CA, which name, kept across runs and containers),
HTTP to HTTPS, headers, a streamed answer through the proxy, a TLS scan, which ports answer, the Ollama API behind
its token, and the hardening of every container as `docker inspect` reports it."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from conftest import LAB, PEBBLE_CONTAINER
from cryptography import x509
from cryptography.x509.oid import ExtensionOID

MODEL = LAB["model"]["network_name"]
CONTAINERS = ("ollama", "open-webui", "caddy")


def served_certificate(site) -> x509.Certificate:
    context = ssl.create_default_context(cafile=str(site.ca_file))
    with socket.create_connection((site.address, 443), timeout=30) as raw, context.wrap_socket(raw, server_hostname=site.name) as tls:
        return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def test_the_certificate_chains_to_the_expected_ca_and_names_the_site(site):
    """Validated against that CA alone (an ACME site: Pebble's root; else the root fetched to the controller)."""
    certificate = served_certificate(site)
    names = certificate.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    listed = [str(name) for name in names.get_values_for_type(x509.DNSName)] + [
        str(address) for address in names.get_values_for_type(x509.IPAddress)
    ]
    print(f"{site.certificates}: {certificate.issuer.rfc4514_string()} certifies {listed}")
    assert site.name in listed
    if site.certificates == "acme":
        assert "Pebble" in certificate.issuer.rfc4514_string()
    else:
        assert "Caddy Local Authority" in certificate.issuer.rfc4514_string()


def test_one_certificate_was_issued_and_survived_a_new_container(host, site):
    """Converge, the idempotent run and a recreated proxy issued nothing new: the certificate served now is the one
    read from the volume before the side effect recreated the container, and Pebble issued one in all."""
    saved = json.loads(host.file("/root/molecule-side-effect.json").content_string)
    before = x509.load_pem_x509_certificates(saved["certificate"].encode())[0]
    assert served_certificate(site).serial_number == before.serial_number
    if site.certificates == "acme":
        log = subprocess.run(["docker", "logs", PEBBLE_CONTAINER], capture_output=True, text=True, check=True)
        issued = [line for line in (log.stdout + log.stderr).splitlines() if "Issued certificate serial" in line]
        assert len(issued) == 1, issued


def test_http_redirects_to_https(site):
    response = requests.get(f"http://{site.name}/auth?x=1", allow_redirects=False, timeout=30)
    assert response.status_code in (301, 308), response.status_code
    assert response.headers["Location"] == f"https://{site.name}/auth?x=1"


def test_security_headers(site, https):
    headers = https.get(f"{site.url}/", timeout=30).headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Server" not in headers


def test_open_webui_knows_its_public_address(host, site):
    environment = json.loads(host.check_output("docker inspect -f '{{ json .Config.Env }}' open-webui"))
    settings = dict(entry.split("=", 1) for entry in environment)
    assert settings["WEBUI_URL"] == site.url
    assert settings["CORS_ALLOW_ORIGIN"] == site.url
    assert settings["WEBUI_SESSION_COOKIE_SECURE"] == settings["WEBUI_AUTH_COOKIE_SECURE"] == "true"


def test_open_webui_settings_the_role_documents(host):
    """The upload limit the proxy follows, the read-only root's static folder, embeddings from Ollama, and the
    generations kept off Ollama's queue, as the open_webui README says."""
    environment = json.loads(host.check_output("docker inspect -f '{{ json .Config.Env }}' open-webui"))
    settings = dict(entry.split("=", 1) for entry in environment)
    assert settings["RAG_FILE_MAX_SIZE"] == "100"
    assert settings["STATIC_DIR"] == "/tmp/static"
    assert settings["RAG_OLLAMA_BASE_URL"] == "http://ollama:11434"
    assert settings["ENABLE_FOLLOW_UP_GENERATION"] == "false"
    assert settings["ENABLE_AUTOCOMPLETE_GENERATION"] == settings["ENABLE_MEMORY_BACKGROUND_REVIEW"] == "false"
    caddyfile = host.file("/etc/selfhosted-genai/reverse-proxy/caddy/Caddyfile").content_string
    assert "max_size 101MB" in caddyfile


def test_an_answer_streams_through_the_proxy(host, site, https):
    """Tokens arrive one by one, spread over time: nothing on the way buffers the stream. The question asks for a
    few sentences, so that there are tokens to spread."""
    password = host.file("/etc/selfhosted-genai/open-webui/admin_password").content_string.strip()
    token = https.post(
        f"{site.url}/api/v1/auths/signin", json={"email": "admin@localhost", "password": password}, timeout=30
    ).json()["token"]
    arrivals, text = [], ""
    with https.post(
        f"{site.url}/api/chat/completions",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "model": MODEL,
            "stream": True,
            "messages": [{"role": "user", "content": "Describe Paris, the capital of France, in three sentences."}],
        },
        stream=True,
        timeout=300,
    ) as response:
        assert response.status_code == 200, response.text
        for line in response.iter_lines():
            if line.startswith(b"data: {"):
                delta = json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
                if delta:
                    arrivals.append(time.monotonic())
                    text += delta
    print(f"{len(arrivals)} chunks over {arrivals[-1] - arrivals[0]:.3f} s: {text!r}")
    assert "Paris" in text
    assert len(arrivals) >= 10
    assert arrivals[-1] - arrivals[0] > 0.1


def test_tls_scan(site):
    """sslyze: TLS 1.2 and 1.3 only, no weak suite, a certificate valid for the name, HSTS."""
    from sslyze import (
        CertificateInfoExtraArgument,
        ScanCommand,
        ScanCommandAttemptStatusEnum,
        ScanCommandsExtraArguments,
        Scanner,
        ServerNetworkLocation,
        ServerScanRequest,
        ServerScanStatusEnum,
    )

    request = ServerScanRequest(
        server_location=ServerNetworkLocation(hostname=site.name, port=443, ip_address=site.address),
        scan_commands={
            ScanCommand.SSL_2_0_CIPHER_SUITES,
            ScanCommand.SSL_3_0_CIPHER_SUITES,
            ScanCommand.TLS_1_0_CIPHER_SUITES,
            ScanCommand.TLS_1_1_CIPHER_SUITES,
            ScanCommand.TLS_1_2_CIPHER_SUITES,
            ScanCommand.TLS_1_3_CIPHER_SUITES,
            ScanCommand.CERTIFICATE_INFO,
            ScanCommand.HTTP_HEADERS,
        },
        scan_commands_extra_arguments=ScanCommandsExtraArguments(
            certificate_info=CertificateInfoExtraArgument(custom_ca_file=site.ca_file)
        ),
    )
    scanner = Scanner()
    scanner.queue_scans([request])
    result = next(iter(scanner.get_results()))
    assert result.scan_status == ServerScanStatusEnum.COMPLETED, result.connectivity_error_trace
    scans = result.scan_result
    summary = {}
    for version in ("ssl_2_0", "ssl_3_0", "tls_1_0", "tls_1_1", "tls_1_2", "tls_1_3"):
        attempt = getattr(scans, f"{version}_cipher_suites")
        assert attempt.status == ScanCommandAttemptStatusEnum.COMPLETED
        summary[version] = [suite.cipher_suite.name for suite in attempt.result.accepted_cipher_suites]
    deployment = scans.certificate_info.result.certificate_deployments[0]
    leaf = deployment.received_certificate_chain[0]
    names = leaf.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    leaf_names = [str(name) for name in names.get_values_for_type(x509.DNSName)] + [
        str(address) for address in names.get_values_for_type(x509.IPAddress)
    ]
    valid = [result.was_validation_successful for result in deployment.path_validation_results]
    hsts = scans.http_headers.result.strict_transport_security_header
    print("sslyze summary:")
    for version, suites in summary.items():
        print(f"  {version}: {len(suites)} accepted {suites}")
    print(f"  certificate names {leaf_names}, chain valid against the site's CA and the system stores: {valid}")
    print(f"  HSTS: max_age={hsts.max_age if hsts else None}")

    assert summary["ssl_2_0"] == summary["ssl_3_0"] == summary["tls_1_0"] == summary["tls_1_1"] == []
    assert summary["tls_1_2"] and summary["tls_1_3"]
    weak = ("NULL", "EXPORT", "anon", "RC4", "DES", "MD5", "CBC")
    assert [suite for suites in summary.values() for suite in suites if any(word in suite for word in weak)] == []
    assert site.name in leaf_names
    assert any(valid)
    assert hsts is not None and hsts.max_age == 31536000


@pytest.fixture(scope="module")
def published_by_a_test_container(host):
    """A container that publishes a port of its own (-p 9999:80) and answers on the target itself."""
    image = LAB["images"]["caddy"]
    host.run("docker rm -f port-probe")
    host.check_output("docker run -d --name port-probe -p 9999:80 %s caddy respond --listen :80 published", image)
    try:
        deadline = time.monotonic() + 30
        fetch = "python3 -c \"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:9999/').read().decode())\""
        while host.run(fetch).rc != 0 and time.monotonic() < deadline:
            time.sleep(1)
        assert host.run(fetch).stdout.strip() == "published"
        yield 9999
    finally:
        host.run("docker rm -f port-probe")


PROBED_PORTS = [80, 443, 3000, 8080, 11434, 11443, 9999]


def answers(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=3):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def answering_ports(site, published_by_a_test_container) -> dict[int, bool]:
    """Every probed port of the target at once: a dropped one costs the whole timeout."""
    with ThreadPoolExecutor(len(PROBED_PORTS)) as pool:
        return dict(zip(PROBED_PORTS, pool.map(lambda port: answers(site.address, port), PROBED_PORTS)))


@pytest.mark.parametrize("port", PROBED_PORTS)
def test_which_ports_answer_from_another_network_namespace(host, port, answering_ports):
    """From this machine's namespace, on the lab network: 80 and 443 (and 11443 where the Ollama API is exposed
    and allowed), nothing else, not even a port a container publishes (the firewall's forward chain)."""
    exposed = host.ansible.get_variables().get("reverse_proxy_ollama_api", False)
    expected = port in (80, 443) or (port == 11443 and exposed)
    assert answering_ports[port] is expected, f"port {port}"


def test_the_ollama_api_needs_its_token(host, site, https):
    if not host.ansible.get_variables().get("reverse_proxy_ollama_api", False):
        pytest.skip("reverse_proxy_ollama_api is false on this host")
    url = f"https://{site.name}:11443/api/tags"
    assert https.get(url, timeout=30).status_code == 401
    assert https.get(url, headers={"Authorization": "Bearer wrong-token-of-some-length"}, timeout=30).status_code == 401
    token = host.file("/etc/selfhosted-genai/reverse-proxy/ollama_api_token")
    assert token.mode == 0o600 and token.user == "root"
    response = https.get(url, headers={"Authorization": f"Bearer {token.content_string.strip()}"}, timeout=30)
    assert response.status_code == 200, response.text
    assert MODEL in [model["name"] for model in response.json()["models"]]


@pytest.mark.parametrize("name", CONTAINERS)
def test_every_container_is_hardened(host, name):
    config = json.loads(host.check_output("docker inspect -f '{{ json .HostConfig }}' %s", name))
    print(
        f"{name}: CapDrop={config['CapDrop']} CapAdd={config['CapAdd']} SecurityOpt={config['SecurityOpt']} "
        f"ReadonlyRootfs={config['ReadonlyRootfs']} Tmpfs={config.get('Tmpfs')} Memory={config['Memory']} "
        f"PidsLimit={config['PidsLimit']}"
    )
    assert config["CapDrop"] == ["ALL"]
    assert "no-new-privileges:true" in (config["SecurityOpt"] or [])
    assert config["ReadonlyRootfs"] is True
    assert config["Memory"] > 0
    assert config["PidsLimit"] > 0
    assert config["Privileged"] is False
