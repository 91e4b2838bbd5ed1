"""Benchmark of the Open WebUI modules: a run that changes nothing, over 20 users and 10 models.

    make bench-open-webui     (or: .venv/bin/python tests/benchmarks/open_webui_modules.py [--users 20 --models 10])

Starts the lab's Ollama (with the lab's model) and Open WebUI 0.12.4 (slim image) on loopback ports, then runs
one playbook three times with ansible-playbook and the collection built in .build/collections:
  1. create: --users accounts (open_webui_user) and --models presets (open_webui_model), on one session token;
  2. no-op: the same again, which must report changed=0;
  3. sign-in per call: the users again, each module call signing in itself with the administrator's email and
     password (Open WebUI allows 15 sign-ins per account in 3 minutes, so at most 12 users here).
A baseline playbook that only signs in is timed too, so that the table shows the modules' own time per call.
Prints one table. Needs the lab (tools/lab/lab up). Removes its containers at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from describe import read_description

REPO = Path(__file__).resolve().parents[2]
LAB = read_description()
OLLAMA, WEBUI = "genai-bench-owui-ollama", "genai-bench-owui"
OLLAMA_PORT, WEBUI_PORT = 21434, 21080
ADMIN = {"email": "admin@example.org", "password": "bench-open-webui-password"}
MODEL = LAB["mirror"]["host_url"].split("//", 1)[1] + "/" + LAB["model"]["path"]


def docker(*args: str) -> str:
    return subprocess.run(["docker", *args], check=True, capture_output=True, text=True).stdout.strip()


def wait(url: str, timeout: float = 300) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(2)
    sys.exit(f"{url} did not answer in {timeout} s")


def start() -> str:
    for name in (WEBUI, OLLAMA):
        subprocess.run(["docker", "rm", "-f", "-v", name], capture_output=True, check=False)
    docker("run", "-d", "--name", OLLAMA, "--network", "host", "-e", f"OLLAMA_HOST=127.0.0.1:{OLLAMA_PORT}", LAB["images"]["ollama"])
    wait(f"http://127.0.0.1:{OLLAMA_PORT}/api/version")
    pull = urllib.request.Request(
        f"http://127.0.0.1:{OLLAMA_PORT}/api/pull", data=json.dumps({"model": MODEL, "insecure": True, "stream": False}).encode()
    )
    with urllib.request.urlopen(pull, timeout=600) as response:
        response.read()
    docker(
        "run", "-d", "--name", WEBUI, "--network", "host",
        "-e", "WEBUI_SECRET_KEY=bench-open-webui-secret", "-e", f"WEBUI_ADMIN_EMAIL={ADMIN['email']}",
        "-e", f"WEBUI_ADMIN_PASSWORD={ADMIN['password']}", "-e", f"OLLAMA_BASE_URL=http://127.0.0.1:{OLLAMA_PORT}",
        "-e", "OFFLINE_MODE=true", "-e", "ENABLE_OPENAI_API=false",
        LAB["images"]["open_webui_slim"], "open-webui", "serve", "--host", "127.0.0.1", "--port", str(WEBUI_PORT),
    )
    url = f"http://127.0.0.1:{WEBUI_PORT}"
    wait(f"{url}/health")
    return url


def playbook(folder: Path, url: str, users: int, models: int, own_sign_in: bool, modules: bool = True) -> Path:
    connection = (
        {"open_webui_url": url, "admin_email": ADMIN["email"], "admin_password": ADMIN["password"]}
        if own_sign_in
        else {"open_webui_url": url, "token": "{{ session.json.token }}"}
    )
    tasks = [] if own_sign_in else [{
        "name": "Sign in once", "ansible.builtin.uri": {
            "url": f"{url}/api/v1/auths/signin", "method": "POST", "body_format": "json", "body": ADMIN,
        }, "register": "session", "no_log": True,
    }]
    if modules:
        tasks.append({
            "name": "Users", "selfhosted.genai.open_webui_user": {
                "email": "bench-{{ item }}@example.org", "name": "Bench {{ item }}", "role": "user", "password": "bench-user-{{ item }}-pw",
            }, "loop": f"{{{{ range({users}) | list }}}}", "no_log": True,
        })
        if models:
            tasks.append({
                "name": "Presets", "selfhosted.genai.open_webui_model": {
                    "id": "bench-preset-{{ item }}", "base_model": MODEL, "system": "You are preset {{ item }}.",
                    "params": {"temperature": 0.5}, "access": {"everyone": True},
                }, "loop": f"{{{{ range({models}) | list }}}}",
            })
    play = [{"hosts": "localhost", "gather_facts": False, "module_defaults": {"group/selfhosted.genai.open_webui": connection}, "tasks": tasks}]
    path = folder / f"bench-{users}-{models}-{int(own_sign_in)}-{int(modules)}.yml"
    path.write_text(json.dumps(play))
    return path


def run(path: Path) -> tuple[float, str]:
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"), ANSIBLE_STDOUT_CALLBACK="default")
    started = time.monotonic()
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "ansible-playbook"), "-i", "localhost,", "-c", "local",
         "-e", f"ansible_python_interpreter={REPO / '.venv' / 'bin' / 'python'}", str(path)],
        capture_output=True, text=True, env=environment, check=False,
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"{path.name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    recap = re.search(r"changed=(\d+)", done.stdout)
    return seconds, recap.group(1) if recap else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--models", type=int, default=10)
    options = parser.parse_args()
    url = start()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            calls = options.users + options.models
            baseline = run(playbook(folder, url, 0, 0, own_sign_in=False, modules=False))[0]
            book = playbook(folder, url, options.users, options.models, own_sign_in=False)
            for what in ("create", "no-op"):
                seconds, changed = run(book)
                rows.append((f"{what}: {options.users} users + {options.models} presets, one sign-in", calls, seconds, (seconds - baseline) / calls, changed))
            signing = min(options.users, 12)
            seconds, changed = run(playbook(folder, url, signing, 0, own_sign_in=True))
            rows.append((f"no-op: {signing} users, a sign-in per call", signing, seconds, (seconds - baseline) / signing, changed))
    finally:
        for name in (WEBUI, OLLAMA):
            subprocess.run(["docker", "rm", "-f", "-v", name], capture_output=True, check=False)
    print(f"\nOpen WebUI modules against Open WebUI 0.12.4 on this machine ({os.cpu_count()} CPUs); baseline playbook (sign-in only): {baseline:.1f} s\n")
    print(f"| {'run':<52} | module calls | playbook s | s per call (less baseline) | tasks changed |")
    print(f"| {'-' * 52} | ---: | ---: | ---: | ---: |")
    for what, calls, seconds, per_call, changed in rows:
        print(f"| {what:<52} | {calls} | {seconds:.1f} | {per_call:.2f} | {changed} |")


if __name__ == "__main__":
    main()
