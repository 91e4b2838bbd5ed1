"""Benchmark of the deployed stack, on the Debian 12 target of Molecule's tls scenario (the Debian 13 one is
created but left alone, so that one host's converge is measured).

    make bench-stack        (or: .venv/bin/python tests/benchmarks/stack.py [--runs 7])

Prints two tables:
  - converge, bare target to chat-ready (the lab's images come as archives on the target, as on an air-gapped
    host; their loading is shown apart), target <= 3 min; the idempotent re-run, target <= 30 s, and where its
    time goes: per role, the tasks, how many ran a module, their seconds, beside what one module run costs on this
    machine whatever it does (a loop of ansible.builtin.ping);
  - time to first token and tokens per second of the same streamed chat on three paths, measured inside the
    target, interleaved: Ollama's OpenAI-compatible endpoint and Open WebUI, each at its container address on the
    private network `genai` (nothing is published on the target's loopback), and Open WebUI through the reverse
    proxy (Caddy, HTTPS on 443 for chat.genai.test, the certificate from the lab's Pebble). Targets: the proxy adds
    <= 5 % to the time to first token and costs <= 5 % of the tokens per second of Open WebUI reached directly;
    the whole path (proxy + Open WebUI) <= 10 % over Ollama's own time to first token, and costs <= 10 % of its
    tokens per second.
The chat is an API call without a chat id (no title, tags or follow-up generation runs after it); medians of
--runs, and the spread (lowest-highest), since another job on the machine shows there first.
Runs `molecule create`, `molecule prepare` (which starts Pebble, molecule/tls/prepare.yml) and two converges of
the tls scenario; needs the lab (tools/lab/lab up) and the archives (make molecule exports them). Destroys the
target at the end (`molecule destroy` also runs the scenario's cleanup, which removes Pebble).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from describe import read_description

REPO = Path(__file__).resolve().parents[2]
SCENARIO = "tls"
TARGET = f"genai-{SCENARIO}-debian12"
# The site of the Debian 12 target (molecule/tls/molecule.yml: reverse_proxy_domain).
SITE = "chat.genai.test"
NETWORK = "genai"
LAB = read_description()

# Runs inside the target with its Python 3 and the standard library only.
# argv: model, runs, Ollama's address, Open WebUI's address, the site's name.
MEASURE = r'''
import http.client, json, socket, ssl, sys, time

model, runs, ollama, webui, site = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]


class SiteConnection(http.client.HTTPSConnection):
    """HTTPS to the proxy on this host's 443, with the site's name as SNI and Host; the certificate is not
    checked (the front door's tests do that): only the time counts here."""

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        # As HTTPConnection.connect (and every browser) does: http.client sends the headers and the body in two
        # writes, and Nagle's algorithm would hold the body until the proxy's delayed ACK, 40 ms later.
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


insecure = ssl.create_default_context()
insecure.check_hostname = False
insecure.verify_mode = ssl.CERT_NONE


def connection(base):
    scheme, _, host = base.partition("://")
    if scheme == "https":
        return SiteConnection(host, 443, timeout=300, context=insecure)
    address, _, port = host.rpartition(":")
    return http.client.HTTPConnection(address, int(port), timeout=300)


class Endpoint:
    """One path, over one kept-open connection, as a browser keeps its own (a new one when the server closed it)."""

    def __init__(self, base, path, headers):
        self.base, self.path, self.headers = base, path, dict(headers, **{"Content-Type": "application/json"})
        self.client = None

    def post(self, body):
        for attempt in range(2):
            if self.client is None:
                self.client = connection(self.base)
            started = time.perf_counter()
            try:
                self.client.request("POST", self.path, body=json.dumps(body), headers=self.headers)
                return started, self.client.getresponse()
            except (http.client.RemoteDisconnected, ConnectionError):  # idle too long: the server closed it
                self.client.close()
                self.client = None
                if attempt:
                    raise

    def stream(self, body):
        """Seconds to the first token with text, tokens per second after it; None when the answer had no text."""
        started, response = self.post(body)
        if response.status != 200:
            sys.exit(f"{self.base}{self.path}: HTTP {response.status} {response.read()[:300]!r}")
        first = None
        tokens = 0
        for raw in response:
            line = raw.decode().strip()
            if not line.startswith("data:") or line == "data: [DONE]":
                continue
            chunk = json.loads(line[5:])
            choices = chunk.get("choices") or []
            if choices and (choices[0].get("delta") or {}).get("content"):
                tokens += 1
                if first is None:
                    first = time.perf_counter()
        done = time.perf_counter()
        if response.will_close:
            self.client.close()
            self.client = None
        if first is None:
            return None
        return {"ttft": first - started, "tokens": tokens, "rate": (tokens - 1) / (done - first) if tokens > 1 else 0.0}


password = open("/etc/selfhosted-genai/open-webui/admin_password").read().strip()
signin = connection(f"http://{webui}:8080")
signin.request("POST", "/api/v1/auths/signin", body=json.dumps({"email": "admin@localhost", "password": password}),
               headers={"Content-Type": "application/json"})
signed = {"Authorization": "Bearer " + json.load(signin.getresponse())["token"]}
signin.close()
body = {"model": model, "stream": True, "max_tokens": 48, "stop": ["\n\n"],
        "messages": [{"role": "user", "content": "Why is the sky blue?"}]}
paths = {
    "ollama": Endpoint(f"http://{ollama}:11434", "/v1/chat/completions", {}),
    "open_webui": Endpoint(f"http://{webui}:8080", "/api/chat/completions", signed),
    "proxy": Endpoint(f"https://{site}", "/api/chat/completions", signed),
}
for endpoint in paths.values():  # loads the model, opens each path's connection and fills its caches
    endpoint.stream(body)
results = {name: [] for name in paths}
for run in range(runs):
    # Interleaved, in turn forwards and backwards, so that a busy moment of the machine hits every path.
    for name in (list(paths) if run % 2 == 0 else list(reversed(paths))):
        for _ in range(5):  # sampling may end the answer before any text (a stop sequence first): ask again
            result = paths[name].stream(body)
            if result:
                break
        else:
            sys.exit(f"{name}: five answers without text")
        results[name].append(result)
print(json.dumps(results))
'''


def molecule(*args: str, log: Path | None = None, env: dict | None = None) -> float:
    started = time.perf_counter()
    with open(log, "w") if log else open(os.devnull, "w") as out:
        subprocess.run(
            ["molecule", args[0], "-s", SCENARIO, *args[1:]], cwd=REPO, stdout=out, stderr=subprocess.STDOUT, check=True,
            env=dict(os.environ, **(env or {})),
        )
    return time.perf_counter() - started


# profile_tasks with every task in playbook order, into Ansible's own log, whose lines Molecule does not wrap.
PROFILE_ALL = {"PROFILE_TASKS_TASK_OUTPUT_LIMIT": "all", "PROFILE_TASKS_SORT_ORDER": "none"}
PROFILE_LINE = re.compile(r"\| (?:(?P<role>[\w.]+) : )?(?P<task>.*?) -*\s+(?P<seconds>[0-9.]+)s\b")


def task_seconds(ansible_log: Path) -> list[tuple[str, str, float]]:
    """(role, task, seconds) of each task of the last profile_tasks summary in an Ansible log."""
    summary = ansible_log.read_text().rsplit("=" * 20, 1)[-1]
    return [(found["role"] or "(play)", found["task"], float(found["seconds"]))
            for found in map(PROFILE_LINE.search, summary.splitlines()) if found]


def module_run_floor(runs: int = 20) -> float:
    """Seconds one module run costs on this machine whatever it does: ansible.builtin.ping over the target's
    connection, `runs` times in a loop (the playbook's start included, so a little more than one run each)."""
    play = ("- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n"
            f"      loop: \"{{{{ range({runs}) | list }}}}\"\n")
    with open(REPO / "tests" / "output" / "bench-stack" / "floor.yml", "w") as file:
        file.write(play)
    started = time.perf_counter()
    # With pipelining, as Molecule's configuration runs the converge.
    subprocess.run(["ansible-playbook", "-i", f"{TARGET},", "-c", "community.docker.docker", "-e",
                    "ansible_python_interpreter=/usr/bin/python3", file.name],
                   cwd=REPO, stdout=subprocess.DEVNULL, check=True, env=dict(os.environ, ANSIBLE_PIPELINING="1"))
    return (time.perf_counter() - started) / runs


def archive_load_seconds(log: Path) -> float:
    """The profile_tasks lines of the archive loads, as Molecule wraps them: "Load the archive ----- 57.31s"."""
    text = re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;]*m", "", log.read_text()).replace("\u2502", " "))
    return sum(float(value) for value in re.findall(r"Load the archive -* ?([0-9.]+)s", text))


def container_address(name: str) -> str:
    """The address of a container of the target's own engine on the private network."""
    template = "{{ (index .NetworkSettings.Networks \"" + NETWORK + "\").IPAddress }}"
    address = subprocess.run(
        ["docker", "exec", TARGET, "docker", "inspect", "-f", template, name], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not address:
        sys.exit(f"{name} has no address on the network {NETWORK} in {TARGET}")
    return address


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    logs = REPO / "tests" / "output" / "bench-stack"
    logs.mkdir(parents=True, exist_ok=True)

    molecule("destroy")
    try:
        molecule("create")
        # create runs prepare too (Molecule's create_sequence), which then skips as done; called apart so that
        # Pebble is sure to run before the converge asks it for the site's certificate.
        molecule("prepare", log=logs / "prepare.log")
        converge = molecule("converge", "--", "--limit", TARGET, log=logs / "converge.log")
        (logs / "rerun-ansible.log").unlink(missing_ok=True)
        rerun = molecule("converge", "--", "--limit", TARGET, log=logs / "rerun.log",
                         env=dict(PROFILE_ALL, ANSIBLE_LOG_PATH=str(logs / "rerun-ansible.log")))
        if "changed=0" not in re.sub(r"\x1b\[[0-9;]*m", "", (logs / "rerun.log").read_text()):
            sys.exit(f"the second converge changed something: see {logs / 'rerun.log'}")
        rerun_tasks = task_seconds(logs / "rerun-ansible.log")
        floor = module_run_floor()
        loading = archive_load_seconds(logs / "converge.log")
        model = LAB["model"]["network_name"]
        measured = subprocess.run(
            ["docker", "exec", "-i", TARGET, "python3", "-", model, str(options.runs),
             container_address("ollama"), container_address("open-webui"), SITE],
            input=MEASURE, capture_output=True, text=True, check=False,
        )
        if measured.returncode != 0:
            sys.exit(f"the measurement failed:\n{measured.stderr}")
        results = json.loads(measured.stdout)
    finally:
        molecule("destroy")

    def median(side: str, key: str) -> float:
        return statistics.median(run[key] for run in results[side])

    def spread(side: str, key: str, digits: int) -> str:
        values = [run[key] for run in results[side]]
        return f"{min(values):.{digits}f}-{max(values):.{digits}f}"

    sides = ("ollama", "open_webui", "proxy")
    ttft = {side: median(side, "ttft") for side in sides}
    rate = {side: median(side, "rate") for side in sides}

    def change(values: dict, side: str, base: str) -> float:
        """side against base, in % (a later first token or more tokens per second is positive)."""
        return (values[side] / values[base] - 1) * 100

    print(f"selfhosted.genai stack on a Debian 12 Molecule target (scenario {SCENARIO}, CPU, {os.cpu_count()} cores), "
          f"{model}, median of {options.runs}")
    print()
    print(f"| {'measure':<46} | {'value':>10} | {'target':>10} |")
    print(f"|{'-' * 48}|{'-' * 12}|{'-' * 12}|")
    print(f"| {'converge, bare target to chat-ready (s)':<46} | {converge:>10.1f} | {'<= 180':>10} |")
    print(f"| {'  of which loading the image archives (s)':<46} | {loading:>10.1f} | {'':>10} |")
    print(f"| {'idempotent re-run (s)':<46} | {rerun:>10.1f} | {'<= 30':>10} |")
    print(f"| {'  of which the play (s)':<46} | {sum(t[2] for t in rerun_tasks):>10.1f} | {'':>10} |")
    print()
    # Where the re-run's time goes: per role, the tasks, those that ran a module (longer than half the floor: the
    # others are skipped or run on the controller only) and their seconds.
    per_role: dict[str, list] = {}
    for role, _task, seconds in rerun_tasks:
        tasks, module_runs, total = per_role.setdefault(role.removeprefix("selfhosted.genai."), [0, 0, 0.0])
        per_role[role.removeprefix("selfhosted.genai.")] = [tasks + 1, module_runs + (seconds > floor / 2), total + seconds]
    print(f"re-run by role; one module run costs {floor:.2f} s here whatever it does (ansible.builtin.ping, mean of 20)")
    print()
    print(f"| {'role':<30} | {'tasks':>6} | {'module runs':>11} | {'seconds':>8} |")
    print(f"|{'-' * 32}|{'-' * 8}|{'-' * 13}|{'-' * 10}|")
    for role, (tasks, module_runs, total) in sorted(per_role.items(), key=lambda item: -item[1][2]):
        print(f"| {role:<30} | {tasks:>6} | {module_runs:>11} | {total:>8.1f} |")
    print()
    header = ("streamed chat", "Ollama", "Open WebUI", f"via {SITE}")
    print(f"| {header[0]:<30} | {header[1]:>13} | {header[2]:>13} | {header[3]:>22} |")
    print(f"|{'-' * 32}|{'-' * 15}|{'-' * 15}|{'-' * 24}|")
    print(f"| {'time to first token (s)':<30} | " + " | ".join(
        f"{ttft[side]:>{width}.3f}" for side, width in zip(sides, (13, 13, 22))) + " |")
    print(f"| {'  lowest-highest':<30} | " + " | ".join(
        f"{spread(side, 'ttft', 3):>{width}}" for side, width in zip(sides, (13, 13, 22))) + " |")
    print(f"| {'tokens per second':<30} | " + " | ".join(
        f"{rate[side]:>{width}.1f}" for side, width in zip(sides, (13, 13, 22))) + " |")
    print(f"| {'  lowest-highest':<30} | " + " | ".join(
        f"{spread(side, 'rate', 1):>{width}}" for side, width in zip(sides, (13, 13, 22))) + " |")
    print()
    rows = (  # label, change in %, limit in %: a first token at most that much later, a rate at most that much lower
        ("Open WebUI vs Ollama, first token", change(ttft, "open_webui", "ollama"), None),
        ("Open WebUI vs Ollama, tokens per second", change(rate, "open_webui", "ollama"), None),
        ("proxy vs Open WebUI direct, first token", change(ttft, "proxy", "open_webui"), 5),
        ("proxy vs Open WebUI direct, tokens per second", change(rate, "proxy", "open_webui"), -5),
        ("whole path vs Ollama, first token", change(ttft, "proxy", "ollama"), 10),
        ("whole path vs Ollama, tokens per second", change(rate, "proxy", "ollama"), -10),
    )
    print(f"| {'overhead':<46} | {'change':>10} | {'target':>10} | {'met':>4} |")
    print(f"|{'-' * 48}|{'-' * 12}|{'-' * 12}|{'-' * 6}|")
    for label, value, limit in rows:
        if limit is None:
            target, met = "", ""
        elif limit > 0:
            target, met = f"<= +{limit}%", "yes" if value <= limit else "no"
        else:
            target, met = f">= {limit}%", "yes" if value >= limit else "no"
        print(f"| {label:<46} | {value:>+9.1f}% | {target:>10} | {met:>4} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
