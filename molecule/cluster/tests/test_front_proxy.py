"""The front proxy over the two Open WebUI replicas, from the lab network as a browser would reach it (HTTPS, the
internal CA's root that the reverse_proxy role fetched): requests are spread over both; with one replica stopped, a
signed-in session carries on through the other, and the requests that failed in between are counted (none
expected: a request that reaches no replica is tried on the other, and the health check on /ready soon leaves the
stopped one out)."""

from __future__ import annotations

import re
import time

import requests
from test_replicas import REPLICAS, wait_healthy


def served(host, replica: str) -> int:
    """How many GET /api/v1/auths/ the replica has answered, from its access log."""
    log = host.run("docker logs %s 2>&1", replica).stdout
    return len(re.findall(r'"GET /api/v1/auths/ HTTP', log))


def sign_in(host, site) -> str:
    password = host.file("/etc/selfhosted-genai/open-webui/admin_password").content_string.strip()
    answer = site.post(site.base + "/api/v1/auths/signin", json={"email": "admin@localhost", "password": password}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def session_checks(site, token: str, count: int) -> list[int]:
    statuses = []
    for _attempt in range(count):
        try:
            statuses.append(site.get(site.base + "/api/v1/auths/", headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code)
        except requests.RequestException:
            statuses.append(0)
    return statuses


def test_requests_are_spread_over_both_replicas(host, site):
    token = sign_in(host, site)
    before = {replica: served(host, replica) for replica in REPLICAS}
    statuses = session_checks(site, token, 30)
    assert statuses == [200] * 30, statuses
    after = {replica: served(host, replica) for replica in REPLICAS}
    answered = {replica: after[replica] - before[replica] for replica in REPLICAS}
    print(f"30 requests through the proxy, answered per replica: {answered}")
    assert all(count > 0 for count in answered.values()), answered
    assert sum(answered.values()) == 30, answered


def test_a_signed_in_session_carries_on_when_a_replica_stops(host, site):
    token = sign_in(host, site)
    host.run_expect([0], "docker stop %s", REPLICAS[1])
    try:
        started = time.monotonic()
        statuses = session_checks(site, token, 30)
        seconds = time.monotonic() - started
        failed = [status for status in statuses if status != 200]
        print(f"{REPLICAS[1]} stopped: 30 requests in {seconds:.1f} s, {len(failed)} failed {failed}")
        assert not failed, statuses
    finally:
        host.run_expect([0], "docker start %s", REPLICAS[1])
        wait_healthy(host, REPLICAS[1])
