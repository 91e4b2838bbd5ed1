"""Benchmark of the backup command on a real Open WebUI holding 10 000 messages, on this machine's engine.

    make bench-backup        (or: .venv/bin/python tests/benchmarks/backup.py [--chats 500 --messages 20])

Starts the lab's Open WebUI (slim image, the pinned release) in a container of its own with a fresh volume, creates
--chats chats of --messages messages each through its API (500 x 20 = 10 000 messages), then times the backup
command of the backup role (roles/backup/files/selfhosted_genai_backup.py, run here against a configuration in
a temporary folder): `create` while Open WebUI runs, `verify`, and `restore` onto the emptied volume with the
container stopped, and checks that the restored database holds every message. Prints one table: sizes (the
database, the archive) and seconds for each step, with the number of runs' median for create and verify.
The downtime of an upgrade is measured by the Molecule scenario upgrade (its verify prints it), where the role
does the upgrade.
Needs the lab (tools/lab/lab up). Removes its container, volume and network at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from describe import read_description

REPO = Path(__file__).resolve().parents[2]
COMMAND = REPO / "roles" / "backup" / "files" / "selfhosted_genai_backup.py"
LAB = read_description()
NAME = "genai-bench-backup"
ADMIN = {"email": "admin@localhost", "password": "bench-backup-password"}


def docker(*args: str) -> str:
    return subprocess.run(["docker", *args], check=True, capture_output=True, text=True).stdout.strip()


def api(url: str, body: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def wait_healthy(url: str, timeout: float = 300) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5):
                return
        except OSError:
            time.sleep(2)
    sys.exit(f"Open WebUI at {url} did not become healthy in {timeout} s: docker logs {NAME}")


def run_command(config: Path, *args: str) -> tuple[float, dict]:
    began = time.monotonic()
    result = subprocess.run([sys.executable, str(COMMAND), "--config", str(config), *args], capture_output=True, text=True,
                            check=False)
    elapsed = time.monotonic() - began
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {result.stdout} {result.stderr}")
    return elapsed, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    image = LAB["images"]["open_webui_slim"]
    subprocess.run(["docker", "rm", "-f", NAME], capture_output=True, check=False)
    subprocess.run(["docker", "volume", "rm", NAME], capture_output=True, check=False)
    subprocess.run(["docker", "network", "rm", NAME], capture_output=True, check=False)
    docker("network", "create", NAME)
    docker("volume", "create", NAME)
    try:
        with tempfile.TemporaryDirectory() as folder:
            secrets = Path(folder) / "secrets"
            secrets.mkdir()
            (secrets / "secret_key").write_text("bench-backup-key\n")
            docker("run", "-d", "--name", NAME, "--network", NAME, "-v", f"{NAME}:/app/backend/data",
                   "-e", "WEBUI_SECRET_KEY=bench-backup-key", "-e", f"WEBUI_ADMIN_EMAIL={ADMIN['email']}",
                   "-e", f"WEBUI_ADMIN_PASSWORD={ADMIN['password']}", "-e", "ENABLE_OLLAMA_API=false",
                   "-e", "OFFLINE_MODE=true", image)
            address = docker("inspect", "-f", f"{{{{ (index .NetworkSettings.Networks \"{NAME}\").IPAddress }}}}", NAME)
            url = f"http://{address}:8080"
            wait_healthy(url)
            token = api(f"{url}/api/v1/auths/signin", ADMIN)["token"]
            began = time.monotonic()
            for chat in range(args.chats):
                messages = [{"role": "user" if i % 2 == 0 else "assistant",
                             "content": f"Message {i} of chat {chat}: " + "lorem ipsum dolor sit amet " * 8}
                            for i in range(args.messages)]
                api(f"{url}/api/v1/chats/new", {"chat": {"title": f"Chat {chat}", "messages": messages}}, token)
            seeded = time.monotonic() - began
            total = args.chats * args.messages

            config = Path(folder) / "backup.json"
            config.write_text(json.dumps({
                "backup_dir": str(Path(folder) / "archives"), "keep_daily": 100, "keep_weekly": 0,
                "include_model_weights": False, "age_recipients": [], "age_identity_file": "", "copy_to": "",
                "open_webui_container": NAME, "open_webui_volume": NAME, "ollama_container": f"{NAME}-no-ollama",
                "ollama_volume": NAME, "network": NAME, "secrets_dirs": [str(secrets)], "host_name": "bench",
            }))
            data = Path(docker("volume", "inspect", "-f", "{{ .Mountpoint }}", NAME))
            database_size = sum((data / f"webui.db{suffix}").stat().st_size for suffix in ("", "-wal")
                                if (data / f"webui.db{suffix}").exists())
            creates, verifies, archive = [], [], None
            for _run in range(args.runs):
                elapsed, created = run_command(config, "create")
                creates.append(elapsed)
                archive = created
                time.sleep(1.1)  # archive names have one-second resolution
            for _run in range(args.runs):
                verifies.append(run_command(config, "verify", archive["archive"])[0])

            docker("stop", NAME)
            for path in data.iterdir():
                subprocess.run(["rm", "-rf", str(path)], check=True)
            restored, _restored = run_command(config, "restore", archive["archive"])
            began = time.monotonic()
            docker("start", NAME)
            address = docker("inspect", "-f", f"{{{{ (index .NetworkSettings.Networks \"{NAME}\").IPAddress }}}}", NAME)
            wait_healthy(f"http://{address}:8080")
            started = time.monotonic() - began
            count = subprocess.run(
                [sys.executable, "-c", "import sqlite3, json, sys; db = sqlite3.connect(sys.argv[1]); "
                 "print(sum(len(json.loads(c or '{}').get('messages', [])) for (c,) in db.execute('SELECT chat FROM chat')))",
                 str(data / "webui.db")], check=True, capture_output=True, text=True).stdout.strip()
    finally:
        subprocess.run(["docker", "rm", "-f", NAME], capture_output=True, check=False)
        subprocess.run(["docker", "volume", "rm", NAME], capture_output=True, check=False)
        subprocess.run(["docker", "network", "rm", NAME], capture_output=True, check=False)

    print(f"Open WebUI {archive['manifest']['open_webui_version']} ({image}), {args.chats} chats x {args.messages} "
          f"messages = {total} messages, written through the API in {seeded:.1f} s")
    print()
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| webui.db (+ WAL) | {database_size / 2**20:.1f} MiB |")
    print(f"| archive (gzip) | {archive['size'] / 2**20:.2f} MiB, {archive['files']} files |")
    print(f"| create, Open WebUI running (median of {args.runs}) | {statistics.median(creates):.2f} s "
          f"({min(creates):.2f}-{max(creates):.2f}) |")
    print(f"| verify: checksums of the archive and every file (median of {args.runs}) | "
          f"{statistics.median(verifies):.2f} s |")
    print(f"| restore onto the emptied volume, container stopped | {restored:.2f} s |")
    print(f"| start on the restored data until /health | {started:.1f} s |")
    print(f"| messages in the restored database | {count} of {total} |")
    if int(count) != total:
        sys.exit("the restored database lacks messages")


if __name__ == "__main__":
    main()
