"""A real browser for the scenarios' tests: Debian's Chromium driven by Playwright, trusting only the site's CA (in
its own certificate store; no certificate error is ignored) and making no calls of its own, with the steps of Open
WebUI's pages that several tests take. pytest.ini puts this folder on the tests' path."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out, which this closed network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
# How long a chat answer of the lab's CPU-only model may take.
ANSWER_TIMEOUT_MS = 180_000


def installed() -> bool:
    return Path(CHROMIUM).exists()


def trusting_home(home: Path, ca_file: Path) -> dict[str, str]:
    """A HOME whose NSS database (what Chromium trusts on Linux) holds the site's CA, and only there."""
    database = home / ".pki" / "nssdb"
    database.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{database}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{database}", "-n", "genai-site-ca", "-t", "C,,", "-i", str(ca_file)], check=True)
    return {**os.environ, "HOME": str(home)}


def launch(playwright, ca_file: Path, tmp_path: Path, name: str = "", address: str = ""):
    """Chromium that trusts ca_file and only that one; given a name and an address, it reaches the name there (the
    lab's names resolve nowhere else)."""
    rules = [f"--host-resolver-rules=MAP {name} {address}"] if name and name != address else []
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_FLAGS, *rules],
        env=trusting_home(tmp_path / "home", ca_file),
    )


def sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/auth", wait_until="domcontentloaded", timeout=60_000)
    page.get_by_placeholder("Enter Your Email").fill(email)
    page.get_by_placeholder("Enter Your Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    whats_new = page.get_by_role("button", name="Okay, Let's Go!")
    with contextlib.suppress(Exception):
        whats_new.click(timeout=10_000)


def pick_model(page, model: str) -> None:
    """The model selector beside the prompt (Open WebUI may have preselected the only model)."""
    page.locator("#model-selector-model-button").click(timeout=30_000)
    page.get_by_role("option", name=f"Select {model} model").click(timeout=30_000)
    expect(page.locator("#model-selector-model-button")).to_contain_text(model)


def ask(page, prompt: str, answer_contains: str) -> None:
    """Sends the prompt and waits for its own streamed answer (one more than before) to contain answer_contains."""
    answers = page.locator("#response-content-container")
    before = answers.count()
    field = page.locator("#chat-input")
    field.click()
    field.fill(prompt)
    field.press("Enter")
    expect(answers).to_have_count(before + 1, timeout=ANSWER_TIMEOUT_MS)
    expect(answers.last).to_contain_text(answer_contains, timeout=ANSWER_TIMEOUT_MS, ignore_case=True)
