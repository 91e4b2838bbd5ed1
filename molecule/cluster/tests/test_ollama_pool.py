"""The pool of two Ollama nodes behind the Open WebUI host's balancer (its Caddy, on the private network): each node's
API is TLS with a bearer token, open to the Open WebUI host only; chats through the front door are spread over both
nodes; with one node's Ollama stopped, the chats that follow are answered by the other, and the ones that failed in
between are counted."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from conftest import NODES, OPEN_WEBUI_HOST
from describe import read_description
from test_database import address, reachable
from test_front_proxy import sign_in

MODEL = read_description()["model"]["network_name"]
POOL_ROOTS = "/etc/selfhosted-genai/reverse-proxy/caddy/tls/ollama-pool-default.pem"
# Runs on the Open WebUI host, with the pool's roots: the status of GET /api/version on a node's API.
ASK_NODE = r"""
import ssl, sys, urllib.error, urllib.request
url, token = sys.argv[1:3]
request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token} if token else {})
try:
    with urllib.request.urlopen(request, timeout=10, context=ssl.create_default_context(cafile=sys.argv[3])) as answer:
        print(answer.status)
except urllib.error.HTTPError as error:
    print(error.code)
"""


@pytest.fixture(autouse=True)
def only_on_the_open_webui_host(host):
    if host.backend.get_hostname() != OPEN_WEBUI_HOST:
        pytest.skip(f"runs on {OPEN_WEBUI_HOST}")


def node_status(host, node, token: str) -> int:
    script = ASK_NODE.replace("'", '"')
    return int(host.check_output(f"python3 -c '{script}' https://{address(node)}:11443/api/version '{token}' {POOL_ROOTS}"))


def chats_served(node) -> int:
    """How many POST /api/chat the node's Ollama has answered, from its request log."""
    return len(re.findall(r'"/api/chat"', node.run("docker logs ollama 2>&1").stdout))


def chat(site, token: str) -> int:
    try:
        answer = site.post(
            site.base + "/api/chat/completions",
            headers={"Authorization": f"Bearer {token}"},
            json={"model": MODEL, "stream": False, "max_tokens": 8, "messages": [{"role": "user", "content": "Say hello."}]},
            timeout=300,
        )
    except requests.RequestException:
        return 0
    return answer.status_code if answer.status_code != 200 or answer.json()["choices"][0]["message"]["content"] else -1


def chats(site, token: str, count: int, at_once: int) -> list[int]:
    with ThreadPoolExecutor(at_once) as workers:
        return list(workers.map(lambda _: chat(site, token), range(count)))


def test_each_node_api_wants_the_token_and_lets_in_the_open_webui_host_only(host, nodes):
    token = nodes[NODES[1]].file("/etc/selfhosted-genai/reverse-proxy/ollama_api_token").content_string.strip()
    for name, node in nodes.items():
        assert node.file("/etc/selfhosted-genai/reverse-proxy/ollama_api_token").content_string.strip() == token, name
        assert node_status(host, node, "") == 401, name
        assert node_status(host, node, "not-the-token") == 401, name
        assert node_status(host, node, token) == 200, name
    # From here, another machine on the same network: the API dropped, and Ollama itself published nowhere. All at
    # once, since each dropped probe waits for its whole timeout.
    probes = [(address(node), port) for node in nodes.values() for port in (11443, 11434)]
    with ThreadPoolExecutor(len(probes)) as pool:
        reached = [probe for probe, answered in zip(probes, pool.map(lambda probe: reachable(*probe), probes)) if answered]
    assert reached == []


def test_chats_are_spread_over_both_nodes(host, site, nodes):
    token = sign_in(host, site)
    before = {name: chats_served(node) for name, node in nodes.items()}
    statuses = chats(site, token, 8, 4)
    assert statuses == [200] * 8, statuses
    served = {name: chats_served(node) - before[name] for name, node in nodes.items()}
    print(f"8 chats, 4 at a time, through the front door: answered per node {served}")
    assert all(count > 0 for count in served.values()), served
    assert sum(served.values()) >= 8, served


def test_chats_are_answered_by_the_other_node_when_one_stops(host, site, nodes):
    token = sign_in(host, site)
    stopped, other = nodes[NODES[1]], nodes[NODES[0]]
    stopped.run_expect([0], "docker stop ollama")
    try:
        started = time.monotonic()
        right_after = chats(site, token, 4, 2)
        # The balancer asks each node's /api/version every 2 s.
        time.sleep(3)
        before = chats_served(other)
        later = chats(site, token, 6, 2)
        answered = chats_served(other) - before
        failed = [status for status in right_after if status != 200]
        print(f"{NODES[1]}'s Ollama stopped: right after, {len(failed)} of 4 chats failed {failed}; "
              f"3 s later, 6 chats {later}, {answered} answered by {NODES[0]} "
              f"({time.monotonic() - started:.1f} s in all)")
        assert later == [200] * 6, later
        assert answered >= 6, answered
    finally:
        stopped.run_expect([0], "docker start ollama")
