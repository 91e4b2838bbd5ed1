"""Benchmark of ollama_model against the Ollama CLI, on the real Ollama and the lab's model mirror.

    .venv/bin/python tests/benchmarks/ollama_model.py [--runs 5]

Prints a table of medians:
  - a no-op state=present on a model that is there, vs `ollama pull` of the same model (which asks the
    registry every time); target: the module takes at most 0.3x the CLI's time;
  - a pull of the whole model from the mirror, module vs CLI; target: at least 0.95x the CLI's throughput.
Both sides are whole processes on this host talking to the same server: the module as Ansible runs it
(python, the module file, its JSON arguments), the CLI as the `ollama` binary the lab built.
Needs the lab (tests/lab/lab up); starts its own Ollama container and removes it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docker
import requests

REPO = Path(__file__).resolve().parents[2]
LAB_CACHE = Path(os.environ.get("GENAI_LAB_CACHE", "/var/cache/genai-lab"))


def collections_path() -> Path:
    path = REPO / ".build" / "collections"
    if not (path / "ansible_collections" / "selfhosted" / "genai").is_dir():
        sys.exit("run 'make collections' first: the module is run from .build/collections")
    return path


def run_module(url: str, args: dict) -> tuple[float, dict]:
    """Runs ollama_model the way Ansible does on a target: a Python process given its arguments as JSON."""
    module = collections_path() / "ansible_collections/selfhosted/genai/plugins/modules/ollama_model.py"
    payload = {"ANSIBLE_MODULE_ARGS": dict(args, ollama_url=url, _ansible_check_mode=False)}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(payload, handle)
    env = dict(os.environ, PYTHONPATH=str(collections_path()))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(module), handle.name], capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    os.unlink(handle.name)
    result = json.loads(done.stdout)
    if result.get("failed"):
        sys.exit(f"ollama_model failed: {result.get('msg')}")
    return seconds, result


def run_cli(binary: str, url: str, *args: str) -> float:
    env = dict(os.environ, OLLAMA_HOST=url)
    started = time.perf_counter()
    subprocess.run([binary, *args], capture_output=True, env=env, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    lab = json.loads((LAB_CACHE / "lab.json").read_text())
    binary = str(LAB_CACHE / "ollama" / "bin" / f"ollama-{lab['versions']['ollama']}")
    mirror_host = lab["mirror"]["host_url"].split("://", 1)[1]
    model = f"{mirror_host}/{lab['model']['path']}"
    port = random.randint(20000, 29999)
    url = f"http://127.0.0.1:{port}"

    client = docker.from_env()
    container = client.containers.run(
        lab["images"]["ollama"], detach=True, network_mode="host", environment={"OLLAMA_HOST": f"127.0.0.1:{port}"},
        name=f"bench-ollama-{port}",
    )
    try:
        for _attempt in range(60):
            try:
                if requests.get(f"{url}/api/version", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        module_pull, cli_pull = [], []
        for _run in range(options.runs):
            seconds, result = run_module(url, {"name": model, "insecure": True})
            assert result["changed"] is True, result
            module_pull.append(seconds)
            size = result["model"]["size"]
            run_cli(binary, url, "rm", model)
            cli_pull.append(run_cli(binary, url, "pull", "--insecure", model))
            run_cli(binary, url, "rm", model)

        run_module(url, {"name": model, "insecure": True})
        module_noop, cli_noop = [], []
        for _run in range(options.runs):
            seconds, result = run_module(url, {"name": model, "insecure": True})
            assert result["changed"] is False, result
            module_noop.append(seconds)
            cli_noop.append(run_cli(binary, url, "pull", "--insecure", model))
    finally:
        container.remove(force=True, v=True)

    noop_module, noop_cli = statistics.median(module_noop), statistics.median(cli_noop)
    pull_module, pull_cli = statistics.median(module_pull), statistics.median(cli_pull)
    rate_module, rate_cli = size / pull_module, size / pull_cli
    print(f"ollama_model vs ollama CLI {lab['versions']['ollama']}, model {model} ({size / 1e6:.0f} MB), median of {options.runs} runs")
    print()
    print(f"| {'measure':<40} | {'ollama_model':>14} | {'ollama CLI':>14} | {'ratio':>7} | {'target':>8} |")
    print(f"|{'-' * 42}|{'-' * 16}|{'-' * 16}|{'-' * 9}|{'-' * 10}|")
    print(f"| {'no-op: model present (s)':<40} | {noop_module:>14.3f} | {noop_cli:>14.3f} | {noop_module / noop_cli:>6.2f}x | {'<= 0.30x':>8} |")
    print(f"| {'full pull from the mirror (s)':<40} | {pull_module:>14.3f} | {pull_cli:>14.3f} | {'':>7} | {'':>8} |")
    print(f"| {'pull throughput (MB/s)':<40} | {rate_module / 1e6:>14.1f} | {rate_cli / 1e6:>14.1f} | {rate_module / rate_cli:>6.2f}x | {'>= 0.95x':>8} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
