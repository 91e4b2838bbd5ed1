"""Runs this collection's modules and checks against a real `ollama serve` on a GPU host and prints what they saw.

Each module runs as Ansible runs it on a managed host: the module file executed by Python with its arguments in a
JSON file (AnsibleModule reads them from there), ansible-core's `ansible` package and this collection importable;
the controller is not needed. Steps, each printed with its result:

1. `nvidia_host_info` on the real `nvidia-smi`, and the `ollama_driver_problem` filter (the ollama role's
   driver-floor check) on what it returned, for the pinned Ollama release;
2. `ollama_model` with `source:` a GGUF (created, then a second run that must change nothing, then check mode),
   `ollama_model_info`;
3. one generation to load the model, then `/api/ps` through `ollama_model_info`, `size_vram` against `size`, and
   the `ollama_offload` filter the role's GPU check uses (placement `gpu` expected);
4. with `--speed-model`: decode speed (`/api/generate`, fixed raw prompt, `num_predict` 256, greedy) over `--runs`
   runs, against the limit `--bandwidth` (GB/s) / the model's bytes.

    python3 ollama_proof.py --ansible ANSIBLE_LIB --ollama-url URL --version 0.34.0 --model GGUF
        [--speed-model GGUF --bandwidth GBPS --runs 5] --out DIR
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROMPT = "The history of the printing press begins"


class Proof:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        # The collection importable as ansible_collections.selfhosted.genai, as ansible-galaxy installs it.
        self.collections = Path(tempfile.mkdtemp(prefix="genai-collections-"))
        (self.collections / "ansible_collections" / "selfhosted").mkdir(parents=True)
        (self.collections / "ansible_collections" / "selfhosted" / "genai").symlink_to(REPO)
        sys.path[:0] = [str(self.collections), args.ansible]
        self.results: list[tuple[str, str]] = []

    def record(self, what: str, value: str) -> None:
        self.results.append((what, value))
        print(f"== {what}: {value}", flush=True)

    def module(self, name: str, params: dict, check: bool = False) -> dict:
        arguments = dict(params, _ansible_check_mode=check, _ansible_diff=True)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": arguments}, handle)
        env = dict(os.environ, PYTHONPATH=f"{self.collections}:{self.args.ansible}")
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, str(REPO / "plugins" / "modules" / f"{name}.py"), handle.name],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        os.unlink(handle.name)
        try:
            result = json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise SystemExit(f"{name} printed no JSON (rc {proc.returncode}):\n{proc.stdout}\n{proc.stderr}") from None
        result["_seconds"] = round(time.monotonic() - started, 2)
        (self.out / f"{name}-{len(self.results)}.json").write_text(json.dumps(result, indent=2, default=str))
        if result.get("failed"):
            raise SystemExit(f"{name} failed: {result.get('msg')}")
        return result

    def api(self, path: str, body: dict | None = None, timeout: float = 600) -> dict:
        request = urllib.request.Request(
            self.args.ollama_url + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.load(answer)

    def generate(self, name: str, tokens: int) -> dict:
        """The fixed raw prompt, greedy, one answer (not streamed); the model stays loaded."""
        options = {"num_predict": tokens, "temperature": 0, "seed": 1}
        body = {"model": name, "prompt": PROMPT, "raw": True, "stream": False, "keep_alive": "30m", "options": options}
        return self.api("/api/generate", body)

    def driver_floor(self) -> None:
        from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_release import driver_problem

        host = self.module("nvidia_host_info", {})
        cards = ", ".join(f"{gpu.get('name')} (compute capability {gpu.get('compute_capability')})" for gpu in host["gpus"])
        self.record("nvidia_host_info", f"driver {host['driver_version']}, {cards}; install: {host['install']}")
        problem = driver_problem(self.args.version, host["driver_version"], host["gpus"])
        self.record(f"driver floor for Ollama {self.args.version}", problem or "met (no problem reported)")
        # The same filter must refuse an older driver on the same cards, or the check above proves nothing.
        refused = driver_problem(self.args.version, "535.261.03", host["gpus"])
        self.record("the same cards with driver 535.261.03", refused[:120] + "..." if refused else "NOT REFUSED")
        if problem or not refused:
            raise SystemExit("the driver-floor check did not give the expected answers")

    def create(self, name: str, gguf: str, repeat: bool = True) -> int:
        """ollama_model with source: the GGUF; with repeat, a second run and a check-mode run that must change nothing."""
        params = {"name": name, "source": gguf, "ollama_url": self.args.ollama_url, "timeout": 1800, "source_record": str(self.out / "sources.json")}
        first = self.module("ollama_model", params)
        self.record(f"ollama_model {name} (first run)", f"changed={first['changed']} in {first['_seconds']} s")
        if not first["changed"]:
            raise SystemExit(f"ollama_model reported no change creating {name}")
        if not repeat:
            return 0
        again = self.module("ollama_model", params)
        predicted = self.module("ollama_model", params, check=True)
        self.record(
            f"ollama_model {name} (second run, check mode)", f"changed={again['changed']} in {again['_seconds']} s, check mode changed={predicted['changed']}"
        )
        if again["changed"] or predicted["changed"]:
            raise SystemExit("ollama_model is not idempotent here")
        info = self.module("ollama_model_info", {"name": [name], "ollama_url": self.args.ollama_url})
        if not info["models"]:
            raise SystemExit(f"ollama_model_info does not list {name}")
        size = info["models"][0]["size"]
        self.record(f"ollama_model_info {name}", f"Ollama {info['version']}, installed, {size} bytes")
        return size

    def offload(self, name: str) -> dict:
        from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_offload import offload_of

        started = time.monotonic()
        self.generate(name, 8)
        self.record(f"{name} load and 8 tokens", f"{time.monotonic() - started:.1f} s")
        info = self.module("ollama_model_info", {"name": [name], "ollama_url": self.args.ollama_url})
        placement = offload_of(info["running"])
        entry = placement[0] if placement else {}
        self.record(
            f"{name} /api/ps",
            f"size {entry.get('size')}, size_vram {entry.get('size_vram')}, "
            f"{entry.get('gpu_percent')} % on the GPU, ollama_offload placement {entry.get('placement')}",
        )
        if entry.get("placement") != "gpu" or entry.get("size_vram") != entry.get("size"):
            raise SystemExit(f"{name} is not fully on the GPU")
        return entry

    def speed(self, name: str, model_bytes: int) -> None:
        rates = []
        for _run in range(self.args.runs):
            answer = self.generate(name, 256)
            rates.append(answer["eval_count"] / (answer["eval_duration"] / 1e9))
            print(f"   run: {answer['eval_count']} tokens, {rates[-1]:.1f} tokens/s", flush=True)
        limit = self.args.bandwidth * 1e9 / model_bytes
        mean = statistics.mean(rates)
        spread = statistics.stdev(rates) if len(rates) > 1 else 0.0
        self.record(f"{name} decode, {self.args.runs} runs of 256 tokens", f"{mean:.1f} ± {spread:.1f} tokens/s")
        self.record("bandwidth limit", f"{self.args.bandwidth:.0f} GB/s / {model_bytes} bytes = {limit:.1f} tokens/s")
        self.record("ratio", f"{mean / limit:.2f}")

    def table(self) -> None:
        lines = ["| step | result |", "| --- | --- |"] + [f"| {what} | {value} |" for what, value in self.results]
        (self.out / "proof.md").write_text("\n".join(lines) + "\n")
        print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--ansible", required=True, help="folder holding ansible-core's ansible package")
    parser.add_argument("--ollama-url", default="http://127.0.0.1:11434")
    parser.add_argument("--version", required=True, help="the Ollama release under test")
    parser.add_argument("--model", required=True, help="a small GGUF for the modules and the offload check")
    parser.add_argument("--speed-model", help="a large GGUF for the decode speed")
    parser.add_argument("--bandwidth", type=float, help="the card's memory bandwidth in GB/s")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-gpu", action="store_true", help="a rehearsal on a host without a GPU: skip the GPU checks")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    proof = Proof(args)
    # Each step on its own: a failure is recorded and the next steps still run (device time is scarce).
    steps = [lambda: proof.create("gpu-proof-small", args.model)]
    if not args.no_gpu:
        steps.append(lambda: proof.offload("gpu-proof-small"))
    if args.speed_model:
        # Idempotence was shown on the small model; the large one is created once, to save device time.
        steps.append(lambda: proof.create("gpu-proof-8b", args.speed_model, repeat=False))
        if not args.no_gpu:
            steps.append(lambda: proof.offload("gpu-proof-8b"))
        steps.append(lambda: proof.speed("gpu-proof-8b", os.path.getsize(args.speed_model)))
    if not args.no_gpu:
        steps.append(proof.driver_floor)
    failed = 0
    for step in steps:
        try:
            step()
        except (SystemExit, OSError, KeyError, ValueError) as error:
            failed += 1
            proof.record("FAILED", str(error).replace("\n", " ")[:400])
    proof.table()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
