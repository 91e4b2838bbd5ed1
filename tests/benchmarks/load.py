"""Load benchmark of a cluster: users chatting at once through the front door, on a pool of one and of two Ollama nodes.

    make bench-load         (or: .venv/bin/python tests/benchmarks/load.py [--chats-per-user 2] [--keep])

Converges Molecule's cluster scenario (create, prepare, converge: three targets, two Ollama nodes in one pool behind
the Open WebUI host's balancer, two Open WebUI replicas on PostgreSQL and Valkey behind the front proxy), unless
--reuse says it is converged already. Then, from this machine on the lab network, over HTTPS to the front proxy as a
browser would: 1, 4 and 16 users at once, each making --chats-per-user chats one after the other, first with both
nodes, then with one (the other node's Ollama stopped, and the balancer given 4 s to notice). Each chat is made as
an API client makes it: the answer streamed over HTTP, then kept in Open WebUI as a chat (question and answer).
Prints one table: nodes, users, chats, errors, the aggregate tokens per second (streamed pieces of answer per
second of wall time), p50 and p95 of the time to first token; then checks that PostgreSQL holds exactly the chats
made, each with its answer. Destroys the targets at the end unless --keep.

Bounded: answers of at most --max-tokens tokens, each request 300 s at most; lab network only.
On this 2-core machine both nodes share the same two cores with everything else: the 1-to-2-node figure measures
CPU contention, not GPUs. Two llama.cpp runners that each spread their threads over both cores spin against each
other, so two nodes answer slower here than one; pinning each runner to a core of its own is not enough (its thread
count is decided at model load). Measuring scaling for real takes one GPU host per node (the gpu scenario's kind of
host) and the client on another machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from describe import read_description

REPO = Path(__file__).resolve().parents[2]
SCENARIO = "cluster"
OPEN_WEBUI_HOST = "genai-cluster-debian12"
DATABASE_HOST = "genai-cluster-debian13"
SECOND_NODE = "genai-cluster-node"
MODEL = read_description()["model"]["network_name"]
# One the lab's small model always answers (it answers some questions with nothing at all).
PROMPT = "Describe Paris, the capital of France, in three sentences."


def on(target: str, *command: str) -> str:
    """Runs a command in a Molecule target (a container of this machine's engine)."""
    return subprocess.run(["docker", "exec", target, *command], check=True, capture_output=True, text=True).stdout


def molecule(*steps: str) -> None:
    for step in steps:
        subprocess.run(["molecule", step, "-s", SCENARIO], cwd=REPO, check=True)


class FrontDoor:
    def __init__(self, ca_file: str):
        self.base = "https://" + on(OPEN_WEBUI_HOST, "ip", "-4", "-o", "addr", "show", "dev", "eth0").split()[3].split("/")[0]
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.verify = ca_file
        password = on(OPEN_WEBUI_HOST, "cat", "/etc/selfhosted-genai/open-webui/admin_password").strip()
        answer = self.session.post(self.base + "/api/v1/auths/signin", json={"email": "admin@localhost", "password": password}, timeout=60)
        answer.raise_for_status()
        self.headers = {"Authorization": "Bearer " + answer.json()["token"]}

    def chat(self, title: str, max_tokens: int) -> tuple[float, int, bool]:
        """One chat: the answer streamed over HTTP (as an API client gets it; the web UI gets the same pieces over its
        websocket), then kept in Open WebUI as a chat with the question and the answer. Returns (seconds to the
        first piece of answer, pieces streamed, success)."""
        question = {"role": "user", "content": PROMPT}
        try:
            started = time.monotonic()
            first, pieces, text = 0.0, 0, []
            with self.session.post(
                self.base + "/api/chat/completions",
                headers=self.headers,
                stream=True,
                timeout=300,
                json={"model": MODEL, "stream": True, "max_tokens": max_tokens, "messages": [question]},
            ) as answer:
                if answer.status_code != 200:
                    return 0.0, 0, False
                for line in answer.iter_lines():
                    if not line.startswith(b"data: {"):
                        continue
                    delta = json.loads(line[6:]).get("choices", [{}])[0].get("delta", {}).get("content")
                    if delta:
                        pieces += 1
                        text.append(delta)
                        first = first or time.monotonic() - started
            if not pieces:
                return 0.0, 0, False
            reply = {"role": "assistant", "content": "".join(text), "model": MODEL}
            kept = self.session.post(
                self.base + "/api/v1/chats/new",
                headers=self.headers,
                timeout=300,
                json={"chat": {"title": title, "models": [MODEL], "messages": [question, reply]}},
            )
            return first, pieces, kept.status_code == 200
        except requests.RequestException:
            return 0.0, 0, False


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


def run(door: FrontDoor, tag: str, users: int, chats_per_user: int, max_tokens: int) -> dict:
    def user(number: int) -> list[tuple[float, int, bool]]:
        return [door.chat(f"{tag} u{number} c{chat}", max_tokens) for chat in range(chats_per_user)]

    started = time.monotonic()
    with ThreadPoolExecutor(users) as pool:
        results = [result for per_user in pool.map(user, range(users)) for result in per_user]
    wall = time.monotonic() - started
    firsts = [first for first, _pieces, ok in results if ok]
    return {"chats": len(results), "errors": sum(1 for *_result, ok in results if not ok), "wall": wall,
            "tokens_per_s": sum(pieces for _first, pieces, _ok in results) / wall,
            "p50": percentile(firsts, 0.5), "p95": percentile(firsts, 0.95)}


def stored_chats(tag: str) -> tuple[int, int]:
    """Chats of this run in PostgreSQL, and how many of them hold an answer."""
    query = (f"select count(*), count(*) filter (where chat::text like '%\"role\": \"assistant\"%' or "
             f"chat::text like '%\"role\":\"assistant\"%') from chat where title like '{tag}%'")
    total, answered = on(DATABASE_HOST, "runuser", "-u", "postgres", "--", "psql", "-At", "-F", " ", "-d", "open_webui",
                         "-c", query).split()
    return int(total), int(answered)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--chats-per-user", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=24)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--reuse", action="store_true", help="the scenario is converged already")
    parser.add_argument("--keep", action="store_true", help="leave the targets running")
    options = parser.parse_args()

    if not options.reuse:
        # The scenario converges on the previous Open WebUI release; its side effect upgrades to the pinned one.
        molecule("create", "prepare", "converge", "side_effect")
    tag = f"bench-load {time.strftime('%Y%m%d-%H%M%S')}"
    rows = []
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".crt") as ca_file:
            ca_file.write(on(OPEN_WEBUI_HOST, "docker", "exec", "caddy", "cat", "/data/caddy/pki/authorities/local/root.crt"))
            ca_file.flush()
            door = FrontDoor(ca_file.name)
            door.chat(f"{tag} warm-up", options.max_tokens)
            for nodes in (2, 1):
                if nodes == 1:
                    on(SECOND_NODE, "docker", "stop", "ollama")
                    time.sleep(4)
                try:
                    for users in options.users:
                        result = run(door, f"{tag} n{nodes}", users, options.chats_per_user, options.max_tokens)
                        rows.append({"nodes": nodes, "users": users, **result})
                        print(f"  {nodes} node(s), {users:>2} user(s): {result['chats']} chats in {result['wall']:.1f} s", flush=True)
                finally:
                    if nodes == 1:
                        on(SECOND_NODE, "docker", "start", "ollama")
        made = sum(row["chats"] for row in rows) + 1
        total, answered = stored_chats(tag)
    finally:
        if not options.keep:
            molecule("destroy")

    print()
    print(f"Chats through the front door ({os.cpu_count()} CPU cores here; model {MODEL}, at most {options.max_tokens} tokens an answer)")
    print(f"{'nodes':>5} | {'users':>5} | {'chats':>5} | {'errors':>6} | {'tokens/s':>8} | {'TTFT p50 s':>10} | {'TTFT p95 s':>10} | {'wall s':>6}")
    print("-" * 78)
    for row in rows:
        print(f"{row['nodes']:>5} | {row['users']:>5} | {row['chats']:>5} | {row['errors']:>6} | {row['tokens_per_s']:>8.1f} | "
              f"{row['p50']:>10.2f} | {row['p95']:>10.2f} | {row['wall']:>6.1f}")
    print()
    print(f"PostgreSQL: {total} chats of this run stored, {answered} with their answer; {made} made (with the warm-up).")
    errors = sum(row["errors"] for row in rows)
    return 0 if errors == 0 and total == made and answered == made else 1


if __name__ == "__main__":
    sys.exit(main())
