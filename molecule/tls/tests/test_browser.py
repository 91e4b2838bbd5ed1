"""A real browser (Debian's Chromium driven by Playwright) signs in to the deployed Open WebUI over HTTPS, with the
site's CA trusted in its own certificate store (no certificate errors ignored), picks the model, asks "The capital
of France is" and waits for the streamed answer naming Paris (websockets and streaming through the proxy). The
screenshot is kept."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from browser import VIEWPORT, ask, installed, launch, pick_model, sign_in
from describe import read_description
from playwright.sync_api import expect, sync_playwright

LAB = read_description()
MODEL = LAB["model"]["network_name"]
SCREENSHOTS = Path(os.environ.get("GENAI_SCREENSHOT_DIR", tempfile.gettempdir()))


@pytest.mark.skipif(not installed(), reason="Debian's chromium is not installed (make installs it)")
def test_a_person_chats_in_the_browser(host, site, tmp_path):
    url = site.url
    password = host.file("/etc/selfhosted-genai/open-webui/admin_password").content_string.strip()
    screenshot = SCREENSHOTS / f"open-webui-chat-{host.backend.get_hostname()}.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = launch(playwright, site.ca_file, tmp_path, site.name, site.address)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        try:
            sign_in(page, url, "admin@localhost", password)
            pick_model(page, MODEL)
            ask(page, "The capital of France is", "Paris")
        finally:
            page.screenshot(path=str(screenshot), full_page=True)
            browser.close()
    print(f"screenshot: {screenshot}")


@pytest.mark.skipif(not installed(), reason="Debian's chromium is not installed (make installs it)")
def test_a_member_picks_the_group_preset_that_a_non_member_does_not_see(host, site, tmp_path):
    """The preset the inventory shares with the team (molecule/tls): Grace, a member, picks it and gets its system
    prompt's answer; Heidi, not a member, does not find it. On the ACME site only: the role is the same on both."""
    if not host.ansible.get_variables().get("open_webui_users") or site.certificates != "acme":
        pytest.skip("the preset is checked on the ACME site of the tls scenario")
    screenshot = SCREENSHOTS / f"open-webui-preset-{host.backend.get_hostname()}.png"
    with sync_playwright() as playwright:
        browser = launch(playwright, site.ca_file, tmp_path, site.name, site.address)
        member = browser.new_context(viewport=VIEWPORT).new_page()
        try:
            sign_in(member, site.url, "grace@genai.test", "grace-password-1")
            pick_model(member, "Team assistant")
            ask(member, "What is the secret word?", "pineapple")
        finally:
            member.screenshot(path=str(screenshot), full_page=True)

        other = browser.new_context(viewport=VIEWPORT).new_page()
        sign_in(other, site.url, "heidi@genai.test", "heidi-password-1")
        other.locator("#model-selector-model-button").click(timeout=30_000)
        expect(other.get_by_role("option", name=f"Select {MODEL} model")).to_be_visible(timeout=30_000)
        expect(other.get_by_role("option", name="Select Team assistant model")).to_have_count(0)
        browser.close()
    print(f"screenshot: {screenshot}")
