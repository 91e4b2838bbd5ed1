"""Benchmark of the deployed stack, on the Debian 12 target of Molecule's default scenario (the Debian 13 one is
created but left alone, so that one host's converge is measured).

    make bench-stack        (or: .venv/bin/python tests/benchmarks/stack.py [--runs 5])

Prints a table:
  - converge, bare target to chat-ready (the lab's images come as archives on the target, as on an air-gapped
    host; their loading is shown apart), target <= 3 min;
  - the idempotent re-run, target <= 30 s;
  - time to first token and tokens per second of the same streamed chat, through Open WebUI and straight from
    Ollama (its OpenAI-compatible endpoint), measured inside the target; target: Open WebUI's overhead <= 10 %.
Needs the lab (tools/lab/lab up) and the archives (make molecule exports them). Destroys the target at the end.
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

REPO = Path(__file__).resolve().parents[2]
TARGET = "genai-default-debian12"
LAB = json.loads((Path(os.environ.get("GENAI_LAB_CACHE", "/var/cache/genai-lab")) / "lab.json").read_text())

# Runs inside the target with its Python 3 and the standard library only.
MEASURE = r'''
import json, sys, time, urllib.request

def stream(url, headers, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=dict(headers, **{"Content-Type": "application/json"}))
    started = time.perf_counter()
    first = None
    tokens = 0
    with urllib.request.urlopen(request, timeout=300) as response:
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
    return {"ttft": first - started, "tokens": tokens, "rate": (tokens - 1) / (done - first) if tokens > 1 else 0.0}

password = open("/etc/selfhosted-genai/open-webui/admin_password").read().strip()
signin = urllib.request.Request("http://127.0.0.1:3000/api/v1/auths/signin",
    data=json.dumps({"email": "admin@localhost", "password": password}).encode(), headers={"Content-Type": "application/json"})
token = json.load(urllib.request.urlopen(signin))["token"]
model = sys.argv[1]
runs = int(sys.argv[2])
body = {"model": model, "stream": True, "max_tokens": 48, "stop": ["\n\n"],
        "messages": [{"role": "user", "content": "Why is the sky blue?"}]}
results = {"ollama": [], "open_webui": []}
stream("http://127.0.0.1:11434/v1/chat/completions", {}, body)  # load the model
for _ in range(runs):
    results["ollama"].append(stream("http://127.0.0.1:11434/v1/chat/completions", {}, body))
    results["open_webui"].append(stream("http://127.0.0.1:3000/api/chat/completions", {"Authorization": "Bearer " + token}, body))
print(json.dumps(results))
'''


def molecule(*args: str, log: Path | None = None) -> float:
    started = time.perf_counter()
    with open(log, "w") if log else open(os.devnull, "w") as out:
        subprocess.run(["molecule", args[0], "-s", "default", *args[1:]], cwd=REPO, stdout=out, stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - started


def archive_load_seconds(log: Path) -> float:
    """The profile_tasks lines of the archive loads, as Molecule wraps them: "Load the archive ----- 57.31s"."""
    text = re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;]*m", "", log.read_text()).replace("\u2502", " "))
    return sum(float(value) for value in re.findall(r"Load the archive -* ?([0-9.]+)s", text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    logs = REPO / "tests" / "output" / "bench-stack"
    logs.mkdir(parents=True, exist_ok=True)

    molecule("destroy")
    try:
        molecule("create")
        converge = molecule("converge", "--", "--limit", TARGET, log=logs / "converge.log")
        rerun = molecule("converge", "--", "--limit", TARGET, log=logs / "rerun.log")
        if "changed=0" not in re.sub(r"\x1b\[[0-9;]*m", "", (logs / "rerun.log").read_text()):
            sys.exit(f"the second converge changed something: see {logs / 'rerun.log'}")
        loading = archive_load_seconds(logs / "converge.log")
        model = LAB["model"]["network_name"]
        measured = subprocess.run(
            ["docker", "exec", "-i", TARGET, "python3", "-", model, str(options.runs)],
            input=MEASURE, capture_output=True, text=True, check=True,
        )
        results = json.loads(measured.stdout)
    finally:
        molecule("destroy")

    def median(side: str, key: str) -> float:
        return statistics.median(run[key] for run in results[side])

    ttft_ollama, ttft_webui = median("ollama", "ttft"), median("open_webui", "ttft")
    rate_ollama, rate_webui = median("ollama", "rate"), median("open_webui", "rate")
    print(f"selfhosted.genai stack on a Debian 12 Molecule target (CPU, {os.cpu_count()} cores), {model}, median of {options.runs}")
    print()
    print(f"| {'measure':<46} | {'value':>10} | {'target':>10} |")
    print(f"|{'-' * 48}|{'-' * 12}|{'-' * 12}|")
    print(f"| {'converge, bare target to chat-ready (s)':<46} | {converge:>10.1f} | {'<= 180':>10} |")
    print(f"| {'  of which loading the image archives (s)':<46} | {loading:>10.1f} | {'':>10} |")
    print(f"| {'idempotent re-run (s)':<46} | {rerun:>10.1f} | {'<= 30':>10} |")
    print()
    print(f"| {'streamed chat':<30} | {'Ollama':>10} | {'Open WebUI':>10} | {'overhead':>9} | {'target':>8} |")
    print(f"|{'-' * 32}|{'-' * 12}|{'-' * 12}|{'-' * 11}|{'-' * 10}|")
    print(f"| {'time to first token (s)':<30} | {ttft_ollama:>10.3f} | {ttft_webui:>10.3f} | {(ttft_webui / ttft_ollama - 1) * 100:>8.1f}% | {'<= 10%':>8} |")
    print(f"| {'tokens per second':<30} | {rate_ollama:>10.1f} | {rate_webui:>10.1f} | {(1 - rate_webui / rate_ollama) * 100:>8.1f}% | {'<= 10%':>8} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
