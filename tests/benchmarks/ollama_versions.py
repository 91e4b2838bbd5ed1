"""Benchmark of the previous Ollama release (0.24.0, its Go/cgo engine) against the pinned one (0.34.0, llama.cpp's
llama-server), the same model and prompt, on this machine's CPU, in one run.

    .venv/bin/python tests/benchmarks/ollama_versions.py [--runs 5] [--tokens 128]

Prints a table of medians (and the spread, lowest-highest) for each release:
  - load: the model from disk into memory (the wall time of a request that only loads it, after unloading it; Ollama
    0.24.0 reports no load_duration for such a request);
  - time to first token of a streamed /api/generate, as the client sees it (the model loaded);
  - decode tokens/s (eval_count / eval_duration) and prompt tokens/s (prompt_eval_count / prompt_eval_duration).
Runs are interleaved (one of each release in turn), so that another job on the machine weighs on both alike; each
server is alone with its model (the other release's model unloaded). The model is the lab's (pulled from its mirror
by both servers); the prompt is fixed, temperature 0, a fixed number of tokens to generate.
Needs the lab (tools/lab/lab up); starts its own two Ollama containers and removes them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import docker
import requests
from describe import cache_dir, read_description

LAB_CACHE = cache_dir()
# A base model continues text: the prompt goes in raw (no template), and a stop word that never occurs replaces the
# lab model's stop at the first new line, so that every run decodes the same number of tokens.
PROMPT = "The lighthouse keeper found a message in a bottle on the beach one morning. He opened it and read:"
NEVER = "<never-stop>"


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/api/version", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    sys.exit(f"{url} did not answer within {seconds} s")


def pull(url: str, model: str) -> None:
    answer = requests.post(f"{url}/api/pull", json={"model": model, "insecure": True, "stream": False}, timeout=900)
    if not answer.ok or answer.json().get("status") != "success":
        sys.exit(f"pulling {model} into {url} failed: {answer.status_code} {answer.text[:300]}")


def unload(url: str, model: str) -> None:
    requests.post(f"{url}/api/generate", json={"model": model, "keep_alive": 0}, timeout=120).raise_for_status()


def load_seconds(url: str, model: str) -> float:
    unload(url, model)
    started = time.perf_counter()
    answer = requests.post(f"{url}/api/generate", json={"model": model, "keep_alive": "10m"}, timeout=600)
    answer.raise_for_status()
    return time.perf_counter() - started


def generate(url: str, model: str, tokens: int) -> dict:
    """One streamed generation with the model loaded: the client's time to first token and Ollama's counts."""
    body = {
        "model": model,
        "prompt": PROMPT,
        "raw": True,
        "stream": True,
        "keep_alive": "10m",
        "options": {"temperature": 0, "seed": 1, "num_predict": tokens, "stop": [NEVER]},
    }
    started = time.perf_counter()
    first = None
    final: dict = {}
    with requests.post(f"{url}/api/generate", json=body, stream=True, timeout=600) as answer:
        answer.raise_for_status()
        for line in answer.iter_lines():
            if not line:
                continue
            event = json.loads(line)
            if "error" in event:
                sys.exit(f"{url}: {event['error']}")
            if first is None and event.get("response"):
                first = time.perf_counter() - started
            if event.get("done"):
                final = event
    if final.get("eval_count", 0) < tokens:
        sys.exit(f"{url} stopped after {final.get('eval_count', 0)} of {tokens} tokens ({final.get('done_reason')})")
    return {
        "ttft": first if first is not None else float("nan"),
        "decode": final["eval_count"] / (final["eval_duration"] / 1e9),
        "prompt": final.get("prompt_eval_count", 0) / max(final.get("prompt_eval_duration", 1) / 1e9, 1e-9),
        "tokens": final["eval_count"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    options = parser.parse_args()

    lab = read_description()
    releases = {
        lab["versions"]["ollama_previous"]: lab["images"]["ollama_previous"],
        lab["versions"]["ollama"]: lab["images"]["ollama"],
    }
    mirror_host = lab["mirror"]["host_url"].split("://", 1)[1]
    model = f"{mirror_host}/{lab['model']['path']}"
    client = docker.from_env()
    servers: dict = {}
    try:
        for version, image in releases.items():
            port = random.randint(20000, 29999)
            servers[version] = {
                "url": f"http://127.0.0.1:{port}",
                "container": client.containers.run(
                    image, detach=True, network_mode="host", environment={"OLLAMA_HOST": f"127.0.0.1:{port}"},
                    name=f"bench-ollama-{version}-{port}",
                ),
            }
        for server in servers.values():
            wait_for(server["url"])
            pull(server["url"], model)
        measures: dict = {version: {"load": [], "ttft": [], "decode": [], "prompt": []} for version in servers}
        for _run in range(options.runs):
            for version, server in servers.items():
                for other, other_server in servers.items():
                    if other != version:
                        unload(other_server["url"], model)
                measures[version]["load"].append(load_seconds(server["url"], model))
                result = generate(server["url"], model, options.tokens)
                for key in ("ttft", "decode", "prompt"):
                    measures[version][key].append(result[key])
    finally:
        for server in servers.values():
            server["container"].remove(force=True)

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    print(f"Ollama releases on {os.cpu_count()} cores of {cpu}, model {lab['model']['path']}, "
          f"{options.tokens} tokens, median (lowest-highest) of {options.runs} interleaved runs")
    print()
    print(f"| {'release':<28} | {'load s':>18} | {'first token s':>21} | {'decode tok/s':>20} | {'prompt tok/s':>22} |")
    print(f"|{'-' * 30}|{'-' * 20}|{'-' * 23}|{'-' * 22}|{'-' * 24}|")

    def cell(values: list, digits: int) -> str:
        return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"

    for version, image in releases.items():
        m = measures[version]
        print(f"| {image:<28} | {cell(m['load'], 2):>18} | {cell(m['ttft'], 3):>21} | {cell(m['decode'], 1):>20} "
              f"| {cell(m['prompt'], 1):>22} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
