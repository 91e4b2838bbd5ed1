"""A person signed in in a real browser (Chromium, molecule/shared/browser.py) chats through the front door while the
Open WebUI replicas stop one after the other: each question is answered through the replica left (the websocket
reconnects through the front proxy; events reach it through Valkey), and the chat, read back after a reload, holds
every answer. The screenshot is kept."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from browser import VIEWPORT, ask, installed, launch, pick_model, sign_in
from describe import read_description
from playwright.sync_api import expect, sync_playwright
from test_replicas import REPLICAS, wait_healthy

MODEL = read_description()["model"]["network_name"]
SCREENSHOTS = Path(os.environ.get("GENAI_SCREENSHOT_DIR", tempfile.gettempdir()))
PROMPT, ANSWER = "The capital of France is", "Paris"


@pytest.mark.skipif(not installed(), reason="Debian's chromium is not installed (make installs it)")
def test_a_signed_in_browser_carries_on_while_each_replica_stops(host, site, tmp_path):
    password = host.file("/etc/selfhosted-genai/open-webui/admin_password").content_string.strip()
    screenshot = SCREENSHOTS / "open-webui-cluster-failover.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, Path(site.verify), tmp_path)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        try:
            sign_in(page, site.base, "admin@localhost", password)
            pick_model(page, MODEL)
            ask(page, PROMPT, ANSWER)
            for replica in REPLICAS:
                host.run_expect([0], "docker stop %s", replica)
                try:
                    started = time.monotonic()
                    try:
                        ask(page, PROMPT, ANSWER)
                    except AssertionError:
                        # What the front proxy met on its way to the replicas.
                        print(host.run("docker logs --since 5m caddy 2>&1 | grep -iE 'error|unhealthy' | tail -n 20").stdout)
                        raise
                    print(f"{replica} stopped: the browser's next question answered in {time.monotonic() - started:.1f} s")
                finally:
                    host.run_expect([0], "docker start %s", replica)
                    wait_healthy(host, replica)

            page.reload(wait_until="domcontentloaded")
            answers = page.locator("#response-content-container")
            expect(answers).to_have_count(1 + len(REPLICAS), timeout=60_000)
            for index in range(1 + len(REPLICAS)):
                expect(answers.nth(index)).to_contain_text(ANSWER, ignore_case=True)
        finally:
            page.screenshot(path=str(screenshot), full_page=True)
            browser.close()
    print(f"screenshot: {screenshot}")
