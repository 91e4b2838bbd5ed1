"""A real browser (Debian's Chromium driven by Playwright) signs in to the deployed Open WebUI over HTTPS, with the
site's CA trusted in its own certificate store (no certificate errors ignored), picks the model, asks "The capital
of France is" and waits for the streamed answer naming Paris (websockets and streaming through the proxy). The
screenshot is kept."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
LAB = json.loads((Path(os.environ.get("GENAI_LAB_CACHE", "/var/cache/genai-lab")) / "lab.json").read_text())
MODEL = LAB["model"]["network_name"]
SCREENSHOTS = Path(os.environ.get("GENAI_SCREENSHOT_DIR", tempfile.gettempdir()))
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


def trusting_home(home: Path, ca_file: Path) -> dict[str, str]:
    """A HOME whose NSS database (what Chromium trusts on Linux) holds the site's CA, and only there."""
    database = home / ".pki" / "nssdb"
    database.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{database}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{database}", "-n", "genai-site-ca", "-t", "C,,", "-i", str(ca_file)], check=True)
    return {**os.environ, "HOME": str(home)}


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make installs it)")
def test_a_person_chats_in_the_browser(host, site, tmp_path):
    url = site.url
    password = host.file("/etc/selfhosted-genai/open-webui/admin_password").content_string.strip()
    screenshot = SCREENSHOTS / f"open-webui-chat-{host.backend.get_hostname()}.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_FLAGS, f"--host-resolver-rules=MAP {site.name} {site.address}"],
            env=trusting_home(tmp_path / "home", site.ca_file),
        )
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        try:
            page.goto(f"{url}/auth", wait_until="domcontentloaded", timeout=60_000)
            page.get_by_placeholder("Enter Your Email").fill("admin@localhost")
            page.get_by_placeholder("Enter Your Password").fill(password)
            page.get_by_role("button", name="Sign in").click()

            whats_new = page.get_by_role("button", name="Okay, Let's Go!")
            try:
                whats_new.click(timeout=10_000)
            except Exception:  # noqa: BLE001 (the dialog appears only on some first visits)
                pass

            # The model selector beside the prompt; Open WebUI may have preselected the only model.
            page.locator("#model-selector-model-button").click(timeout=30_000)
            page.get_by_role("option", name=f"Select {MODEL} model").click(timeout=30_000)
            expect(page.locator("#model-selector-model-button")).to_contain_text(MODEL)

            prompt = page.locator("#chat-input")
            prompt.click()
            prompt.fill("The capital of France is")
            prompt.press("Enter")

            answer = page.locator("#response-content-container").last
            expect(answer).to_contain_text("Paris", timeout=180_000)
        finally:
            page.screenshot(path=str(screenshot), full_page=True)
            browser.close()
    print(f"screenshot: {screenshot}")
