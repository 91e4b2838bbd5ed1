"""Benchmark of ollama_model against the Ollama CLI, on the real Ollama and the lab's model mirror.

    .venv/bin/python tests/benchmarks/ollama_model.py [--runs 5]

Prints a table of medians:
  - a no-op state=present on a model that is there, vs `ollama pull` of the same model (which asks the
    registry every time); target: the module takes at most 0.3x the CLI's time;
  - a pull of the whole model from the mirror, module vs CLI; target: at least 0.95x the CLI's throughput.
Both sides are whole processes on this host talking to the same server: the module as Ansible runs it
(python, the module file, its JSON arguments), the CLI as the `ollama` binary the lab built.
Needs the lab (tools/lab/lab up); starts its own Ollama container and removes it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import docker
import requests
from describe import cache_dir, read_description

REPO = Path(__file__).resolve().parents[2]
LAB_CACHE = cache_dir()


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


def start_latency_proxy(target_port: int, delay: float) -> int:
    """A TCP proxy to the mirror that waits `delay` seconds before passing on each chunk, in both directions:
    a registry some way off, as the public one is, for measurements whose baseline asks the registry."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    port = {}

    async def pipe(source, sink):
        while True:
            data = await source.read(1 << 20)
            if not data:
                break
            await asyncio.sleep(delay)
            sink.write(data)
            await sink.drain()
        sink.close()

    async def handle(reader, writer):
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target_port)
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer), return_exceptions=True)

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port["value"] = server.sockets[0].getsockname()[1]
        ready.set()
        await server.serve_forever()

    threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True).start()
    ready.wait(10)
    return port["value"]


def run_cli(binary: str, url: str, *args: str) -> float:
    env = dict(os.environ, OLLAMA_HOST=url)
    started = time.perf_counter()
    subprocess.run([binary, *args], capture_output=True, env=env, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--registry-latency-ms", type=int, default=25, help="added per chunk and direction")
    options = parser.parse_args()

    lab = read_description()
    binary = str(LAB_CACHE / "ollama" / lab["versions"]["ollama"] / "bin" / "ollama")
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
        module_pull, cli_pull, module_reported = [], [], []
        for _run in range(options.runs):
            seconds, result = run_module(url, {"name": model, "insecure": True})
            assert result["changed"] is True, result
            module_pull.append(seconds)
            module_reported.append(result["pull"]["seconds"])
            size = result["model"]["size"]
            run_cli(binary, url, "rm", model)
            cli_pull.append(run_cli(binary, url, "pull", "--insecure", model))
            run_cli(binary, url, "rm", model)

        run_module(url, {"name": model, "insecure": True})
        module_noop, cli_noop, module_api, cli_api = [], [], [], []
        for _run in range(options.runs):
            seconds, result = run_module(url, {"name": model, "insecure": True})
            assert result["changed"] is False, result
            module_noop.append(seconds)
            cli_noop.append(run_cli(binary, url, "pull", "--insecure", model))
            # The HTTP work alone: what the module asks (the model list) vs what the CLI asks (a pull, which
            # fetches the registry's manifest and checks every layer).
            started = time.perf_counter()
            requests.get(f"{url}/api/tags", timeout=30).raise_for_status()
            module_api.append(time.perf_counter() - started)
            started = time.perf_counter()
            requests.post(f"{url}/api/pull", json={"model": model, "insecure": True, "stream": False}, timeout=300).raise_for_status()
            cli_api.append(time.perf_counter() - started)

        proxy_port = start_latency_proxy(int(mirror_host.rsplit(":", 1)[1]), options.registry_latency_ms / 1000)
        far_model = f"127.0.0.1:{proxy_port}/{lab['model']['path']}"
        run_module(url, {"name": far_model, "insecure": True})
        module_far, cli_far = [], []
        for _run in range(options.runs):
            seconds, result = run_module(url, {"name": far_model, "insecure": True})
            assert result["changed"] is False, result
            module_far.append(seconds)
            cli_far.append(run_cli(binary, url, "pull", "--insecure", far_model))
    finally:
        container.remove(force=True, v=True)

    pull_module, pull_cli = statistics.median(module_pull), statistics.median(cli_pull)
    rate_module, rate_cli = size / pull_module, size / pull_cli
    print(f"ollama_model vs ollama CLI {lab['versions']['ollama']}, model {model} ({size / 1e6:.0f} MB), median of {options.runs} runs")
    print()
    print(f"| {'measure':<40} | {'ollama_model':>14} | {'ollama CLI':>14} | {'ratio':>7} | {'target':>8} |")
    print(f"|{'-' * 42}|{'-' * 16}|{'-' * 16}|{'-' * 9}|{'-' * 10}|")

    def row(measure: str, ours: float, theirs: float, digits: int, target: str = "") -> None:
        ratio = f"{ours / theirs:>6.2f}x" if target else ""
        print(f"| {measure:<40} | {ours:>14.{digits}f} | {theirs:>14.{digits}f} | {ratio:>7} | {target:>8} |")

    def median(values: list) -> float:
        return statistics.median(values)

    row("no-op, model present: process (s)", median(module_noop), median(cli_noop), 3, "<= 0.30x")
    row("no-op, model present: API work (s)", median(module_api), median(cli_api), 4, "<= 0.30x")
    row(f"no-op, registry +{options.registry_latency_ms} ms: process (s)", median(module_far), median(cli_far), 3, "<= 0.30x")
    row("full pull from the mirror (s)", pull_module, pull_cli, 3)
    row("pull throughput, whole process (MB/s)", rate_module / 1e6, rate_cli / 1e6, 1, ">= 0.95x")
    rate_reported = size / median(module_reported)
    row("pull throughput, pull only (MB/s)", rate_reported / 1e6, rate_cli / 1e6, 1, ">= 0.95x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
