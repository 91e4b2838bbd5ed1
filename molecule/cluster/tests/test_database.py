"""The database host of Open WebUI replicas (Debian 13: PostgreSQL 17 with pgvector, Valkey) and its one client
(Debian 12): who may connect, how, and what the server keeps."""

from __future__ import annotations

import re

import pytest

DATABASE = "genai-cluster-debian13"
CLIENT = "genai-cluster-debian12"


def address(host) -> str:
    """The host's address on the lab network (eth0): its private address in the cluster (a host with Docker also
    has the engine's bridge)."""
    return host.interface("eth0").addresses[0]


def listening(host, port: int) -> set[str]:
    return {line.split()[3] for line in host.check_output(f"ss -Hltn 'sport = :{port}'").splitlines()}


def test_postgresql_listens_on_the_private_address_and_loopback_only(host, on):
    on(DATABASE)
    found = listening(host, 5432)
    assert f"{address(host)}:5432" in found and "127.0.0.1:5432" in found, found
    assert found <= {f"{address(host)}:5432", "127.0.0.1:5432", "[::1]:5432"}, found


def test_the_vector_extension_is_in_the_database(host, on):
    on(DATABASE)
    version = host.check_output("sudo -u postgres psql -At -d open_webui -c \"select extversion from pg_extension where extname = 'vector'\"")
    assert version.startswith("0.8"), version
    owner = host.check_output("sudo -u postgres psql -At -c \"select pg_get_userbyid(datdba) from pg_database where datname = 'open_webui'\"")
    assert owner == "open_webui"


@pytest.mark.parametrize("path", ["/etc/selfhosted-genai/postgresql/open_webui_password", "/etc/selfhosted-genai/redis/password"])
def test_generated_passwords_are_root_only(host, on, path):
    on(DATABASE)
    secret = host.file(path)
    assert (secret.user, secret.group, secret.mode) == ("root", "root", 0o600)
    assert host.file(path.rsplit("/", 1)[0]).mode == 0o700
    assert len(secret.content_string.strip()) >= 32


def psql(host, database_host: str, sslmode: str, password: str | None) -> object:
    environment = f"PGPASSWORD='{password}' " if password else ""
    return host.run(
        f"{environment}psql -At 'host={database_host} dbname=open_webui user=open_webui sslmode={sslmode} "
        "connect_timeout=5' -c 'select ssl from pg_stat_ssl where pid = pg_backend_pid()'"
    )


def test_the_client_connects_over_tls_with_the_password(host, on, database):
    on(CLIENT)
    server_host = database
    password = server_host.file("/etc/selfhosted-genai/postgresql/open_webui_password").content_string.strip()
    server = address(server_host)
    connected = psql(host, server, "require", password)
    assert connected.rc == 0 and connected.stdout.strip() == "t", connected.stderr
    without_tls = psql(host, server, "disable", password)
    assert without_tls.rc != 0 and "no encryption" in without_tls.stderr, without_tls.stderr
    wrong_password = psql(host, server, "require", "not-the-password")
    assert wrong_password.rc != 0 and "password authentication failed" in wrong_password.stderr


def test_a_host_that_is_not_a_client_is_refused(host, on):
    on(DATABASE)
    password = host.file("/etc/selfhosted-genai/postgresql/open_webui_password").content_string.strip()
    # From the database host's own private address, which pg_hba.conf does not list.
    refused = psql(host, address(host), "require", password)
    assert refused.rc != 0 and "no pg_hba.conf entry" in refused.stderr, refused.stderr


REDIS_PROBE = r"""
import socket, sys
connection = socket.create_connection((sys.argv[1], 6379), timeout=5)
for command in sys.argv[2:]:
    connection.sendall(command.encode() + b"\r\n")
    print(connection.recv(4096).decode().strip())
"""


def redis(host, server: str, *commands: str) -> list[str]:
    arguments = " ".join(f"'{command}'" for command in commands)
    return host.check_output(f"python3 -c '{REDIS_PROBE.replace(chr(39), chr(34))}' {server} {arguments}").splitlines()


def test_valkey_wants_the_password_and_keeps_an_append_only_file(host, on, database):
    on(CLIENT)
    server_host = database
    password = server_host.file("/etc/selfhosted-genai/redis/password").content_string.strip()
    server = address(server_host)
    assert redis(host, server, "PING")[0].startswith("-NOAUTH")
    assert redis(host, server, "AUTH wrong")[0].startswith("-WRONGPASS")
    answers = redis(host, server, f"AUTH {password}", "PING", "CONFIG GET appendonly")
    assert answers[0] == "+OK" and answers[1] == "+PONG", answers
    assert "yes" in answers[2:], answers


def test_valkey_listens_on_the_private_address_and_loopback_only(host, on):
    on(DATABASE)
    found = listening(host, 6379)
    assert f"{address(host)}:6379" in found and "127.0.0.1:6379" in found, found
    assert found <= {f"{address(host)}:6379", "127.0.0.1:6379", "[::1]:6379"}, found


def reachable(server: str, port: int) -> bool:
    """Whether a TCP connection from the machine that runs the tests (not a host of the cluster) opens."""
    import socket

    try:
        socket.create_connection((server, port), timeout=3).close()
    except OSError:
        return False
    return True


def test_the_firewall_lets_only_the_open_webui_host_reach_the_database(host, on, open_webui_host):
    """site.yml opens 5432 and 6379 to the genai hosts' private addresses only (firewall_restricted_ports): from
    here, another machine on the same network, both are dropped, while the S3 fixture's port, open to everyone in
    this scenario's inventory, answers. The client's own connections are the tests above."""
    on(DATABASE)
    rules = host.check_output("nft list table inet selfhosted_genai")
    server = address(host)
    # The address the Open WebUI host reaches the database from (its first address may be Docker's bridge).
    route = open_webui_host.check_output(f"ip -4 -o route get {server}")
    client = re.escape(re.search(r" src (\S+)", route).group(1))
    for port in (5432, 6379):
        # nft lists a one-address set as the address alone.
        assert re.search(rf"ip saddr (\{{ )?{client}( \}})? tcp dport {port} accept", rules), rules
    assert not reachable(server, 5432) and not reachable(server, 6379)
    assert reachable(server, 7070)
