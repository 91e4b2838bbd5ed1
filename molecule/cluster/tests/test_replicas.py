"""Two Open WebUI replicas (Debian 12, one Docker engine) on the database and Valkey of the Debian 13 host: both
ready, their data in PostgreSQL rather than their volumes, and one set of accounts and sessions: a token issued by
one works on the other, and a sign-out on one is refused by both."""

from __future__ import annotations

import json
import time

import pytest

CLIENT = "genai-cluster-debian12"
REPLICAS = ("open-webui", "open-webui-2")

# Runs on the Open WebUI host, the only place the replicas' private addresses are reachable from.
REQUEST = r"""
import json, sys, urllib.error, urllib.request
method, url, token, body = sys.argv[1:5]
request = urllib.request.Request(url, method=method, data=body.encode() if body else None,
                                 headers={"Content-Type": "application/json"})
if token:
    request.add_header("Authorization", "Bearer " + token)
try:
    with urllib.request.urlopen(request, timeout=30) as answer:
        status, text = answer.status, answer.read().decode()
except urllib.error.HTTPError as error:
    status, text = error.code, error.read().decode()
print(json.dumps({"status": status, "text": text}))
"""


@pytest.fixture(autouse=True)
def only_on_the_open_webui_host(host):
    if host.backend.get_hostname() != CLIENT:
        pytest.skip(f"runs on {CLIENT}")


def url(host, replica: str) -> str:
    networks = json.loads(host.check_output(f"docker inspect -f '{{{{ json .NetworkSettings.Networks }}}}' {replica}"))
    return f"http://{next(iter(networks.values()))['IPAddress']}:8080"


def call(host, method: str, address: str, token: str = "", body: dict | None = None) -> tuple[int, str]:
    script = REQUEST.replace("'", '"')
    payload = json.dumps(body) if body is not None else ""
    answer = json.loads(host.check_output(f"python3 -c '{script}' {method} {address} '{token}' '{payload}'"))
    return answer["status"], answer["text"]


def sign_in(host, replica: str) -> str:
    password = host.file("/etc/selfhosted-genai/open-webui/admin_password").content_string.strip()
    status, text = call(host, "POST", url(host, replica) + "/api/v1/auths/signin", body={"email": "admin@localhost", "password": password})
    assert status == 200, text
    return json.loads(text)["token"]


def wait_healthy(host, replica: str) -> None:
    """Waits until Docker says the replica is healthy again (after a start), 180 s at most."""
    deadline = time.monotonic() + 180
    while host.run("docker inspect -f '{{ .State.Health.Status }}' %s", replica).stdout.strip() != "healthy":
        assert time.monotonic() < deadline, f"{replica} not healthy after 180 s"
        time.sleep(3)


def psql(database, query: str) -> str:
    return database.check_output("sudo -u postgres psql -At -d open_webui -c %s", query)


@pytest.mark.parametrize("replica", REPLICAS)
def test_the_replica_is_ready_on_the_shared_database_and_valkey(host, replica):
    # /ready answers 200 only once the replica reaches its database and Redis.
    status, text = call(host, "GET", url(host, replica) + "/ready")
    assert status == 200, text
    environment = host.check_output(f"docker inspect -f '{{{{ json .Config.Env }}}}' {replica}")
    for setting in ("VECTOR_DB=pgvector", "WEBSOCKET_MANAGER=redis", "UVICORN_WORKERS=1"):
        assert setting in environment
    migrations_off = "ENABLE_DB_MIGRATIONS=false" in environment
    assert migrations_off == (replica != REPLICAS[0])


@pytest.mark.parametrize("replica", REPLICAS)
def test_the_replica_keeps_no_database_of_its_own(host, replica):
    volume = host.check_output(f"docker volume inspect -f '{{{{ .Mountpoint }}}}' {replica}")
    assert not host.file(f"{volume}/webui.db").exists


def test_the_schema_and_the_administrator_are_in_postgresql(database):
    assert psql(database, """select role from "user" where email = 'admin@localhost'""") == "admin"
    assert int(psql(database, "select count(*) from alembic_version")) == 1


def test_a_token_of_one_replica_works_on_the_other_until_signed_out_on_either(host):
    first, second = (url(host, replica) for replica in REPLICAS)
    token = sign_in(host, REPLICAS[0])
    status, text = call(host, "GET", second + "/api/v1/auths/", token)
    assert status == 200 and json.loads(text)["email"] == "admin@localhost", text

    # Signed out through the second replica: the revocation is in Valkey, so the first refuses the token too.
    status, text = call(host, "POST", second + "/api/v1/auths/signout", token)
    assert status == 200, text
    for address in (first, second):
        status, text = call(host, "GET", address + "/api/v1/auths/", token)
        assert status == 401, f"{address}: {status} {text}"
    # A new sign-in still works on both.
    fresh = sign_in(host, REPLICAS[1])
    assert call(host, "GET", first + "/api/v1/auths/", fresh)[0] == 200


UPLOAD = r"""
import json, sys, urllib.request, uuid
address, token, name, content, query = sys.argv[1:6]
boundary = uuid.uuid4().hex
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
        f"Content-Type: text/plain\r\n\r\n{content}\r\n--{boundary}--\r\n").encode()
request = urllib.request.Request(address + "/api/v1/files/" + query, data=body, method="POST", headers={
    "Authorization": "Bearer " + token, "Content-Type": "multipart/form-data; boundary=" + boundary})
with urllib.request.urlopen(request, timeout=60) as answer:
    print(answer.read().decode())
"""


def upload(host, address: str, token: str, name: str, content: str, query: str = "") -> dict:
    """A text file uploaded through the replica at address (query: ?process=false to skip the embeddings)."""
    script = UPLOAD.replace("'", '"')
    return json.loads(host.check_output(f"python3 -c '{script}' {address} {token} {name} '{content}' '{query}'"))


def test_a_file_uploaded_through_one_replica_is_read_through_the_other_from_s3(host, database):
    first, second = (url(host, replica) for replica in REPLICAS)
    token = sign_in(host, REPLICAS[0])
    content = "An upload of the cluster scenario, kept in S3."
    uploaded = upload(host, first, token, "shared.txt", content, "?process=false")
    # The second replica has no copy in its volume: it reads the object from the S3 server.
    status, text = call(host, "GET", f"{second}/api/v1/files/{uploaded['id']}/content", token)
    assert status == 200 and text == content, f"{status} {text[:200]}"
    # Where versitygw keeps it on the database host: one file per object, in the bucket's folder.
    stored = database.check_output("grep -rl %s /srv/s3/uploads", content)
    assert uploaded["id"] in stored, stored
