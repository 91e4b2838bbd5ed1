"""The roles pin their own image and package versions; the lab builds the versions in tools/lab/versions.env.
These tests fail when the two disagree, so that what the tests prove is what users get."""

from __future__ import annotations

from pathlib import Path

import describe
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = describe.read_versions()


def role_default(role: str, variable: str):
    return yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text())[variable]


@pytest.mark.parametrize(
    ("role", "variable", "expected"),
    [
        ("ollama", "ollama_image", f"docker.io/ollama/ollama:{VERSIONS['OLLAMA_VERSION']}"),
        ("open_webui", "open_webui_image", f"ghcr.io/open-webui/open-webui:v{VERSIONS['OPEN_WEBUI_VERSION']}"),
        ("nvidia_container_toolkit", "nvidia_container_toolkit_version", f"{VERSIONS['NVIDIA_CTK_VERSION']}-1"),
    ],
)
def test_role_defaults_pin_what_the_lab_builds(role, variable, expected):
    assert role_default(role, variable) == expected


def test_the_reverse_proxy_pins_the_caddy_the_lab_builds():
    if not (ROOT / "roles" / "reverse_proxy" / "defaults" / "main.yml").is_file():
        pytest.skip("no reverse_proxy role yet")
    expected = f"docker.io/library/caddy:{VERSIONS['CADDY_VERSION']}"
    assert role_default("reverse_proxy", "reverse_proxy_image") == expected


def test_the_lab_description_names_images_by_the_versions():
    lab = describe.description(VERSIONS, "/cache", 5080)
    assert lab["images"]["ollama"] == f"genai-lab/ollama:{VERSIONS['OLLAMA_VERSION']}"
    assert lab["images"]["open_webui_slim"] == f"genai-lab/open-webui:{VERSIONS['OPEN_WEBUI_VERSION']}-slim"
    assert lab["archives"]["ollama"] == f"genai-lab_ollama_{VERSIONS['OLLAMA_VERSION']}.tar"
    assert lab["model"]["network_name"] == f"genai-lab-mirror:80/{VERSIONS['LAB_MODEL']}"
    assert lab["embedding_model"]["network_name"] == f"genai-lab-mirror:80/{VERSIONS['LAB_EMBEDDING_MODEL']}"
    assert lab["nvidia_repository"]["version"] == f"{VERSIONS['NVIDIA_CTK_VERSION']}-1"
    assert lab["images"]["caddy"] == f"genai-lab/caddy:{VERSIONS['CADDY_VERSION']}"
    assert lab["archives"]["caddy"] == f"genai-lab_caddy_{VERSIONS['CADDY_VERSION']}.tar"
    assert lab["images"]["pebble"] == f"genai-lab/pebble:{VERSIONS['PEBBLE_VERSION']}"
    assert lab["versions"]["caddy"] == VERSIONS["CADDY_VERSION"]
    assert lab["versions"]["pebble"] == VERSIONS["PEBBLE_VERSION"]


def test_the_upgrade_images_are_the_previous_release_and_the_current_one():
    lab = describe.description(VERSIONS, "/cache", 5080)
    previous, current = VERSIONS["OPEN_WEBUI_PREVIOUS_VERSION"], VERSIONS["OPEN_WEBUI_VERSION"]
    assert tuple(map(int, previous.split("."))) < tuple(map(int, current.split(".")))
    assert lab["versions"]["open_webui_previous"] == previous
    assert lab["images"]["open_webui_previous"] == f"genai-lab/open-webui:{previous}-slim"
    assert lab["images"]["open_webui_unhealthy"] == f"genai-lab/open-webui:{current}-unhealthy"
    assert lab["archives"]["open_webui_upgrade"] == f"genai-lab_open-webui_{previous}-{current}-upgrade.tar"
    text = describe.shell_assignments(VERSIONS)
    assert f"ARCHIVE_OPEN_WEBUI_UPGRADE=genai-lab_open-webui_{previous}-{current}-upgrade.tar\n" in text


def test_the_ollama_upgrade_starts_from_an_older_release():
    lab = describe.description(VERSIONS, "/cache", 5080)
    previous, current = VERSIONS["OLLAMA_PREVIOUS_VERSION"], VERSIONS["OLLAMA_VERSION"]
    assert tuple(map(int, previous.split("."))) < tuple(map(int, current.split(".")))
    assert lab["images"]["ollama_previous"] == f"genai-lab/ollama:{previous}"
    assert lab["archives"]["ollama_previous"] == f"genai-lab_ollama_{previous}.tar"
    assert lab["model"]["gguf_file"] == "gemma3-270m-q4_k_m.gguf"


def test_the_lab_description_says_where_pebble_answers():
    pebble = describe.description(VERSIONS, "/cache", 5080)["pebble"]
    assert pebble["listener_ca"] == "/cache/pebble/listener-ca.pem"
    assert pebble["directory_url"] == "https://pebble.genai.test:14000/dir"
    assert pebble["roots_url"] == "https://pebble.genai.test:15000/roots/0"
    assert pebble["dns_name"] in pebble["listener_names"]


def test_pebble_listener_names_become_openssl_subject_alt_names():
    text = describe.shell_assignments(VERSIONS)
    san = "DNS:pebble.genai.test,DNS:genai-lab-pebble,DNS:pebble,DNS:localhost,IP:127.0.0.1"
    assert f"PEBBLE_LISTENER_SAN={san}\n" in text


def test_a_malformed_versions_line_is_refused(tmp_path):
    path = tmp_path / "versions.env"
    path.write_text("# fine\nOLLAMA_VERSION=0.24.0\nOPEN_WEBUI_VERSION 0.12.4\n")
    with pytest.raises(ValueError, match=r"versions.env:3: expected KEY=VALUE"):
        describe.read_versions(path)


def test_the_shell_assignments_are_quoted_for_bash():
    text = describe.shell_assignments(
        {
            "OLLAMA_VERSION": "0.24.0",
            "OLLAMA_PREVIOUS_VERSION": "0.23.0",
            "OPEN_WEBUI_VERSION": "0.12.4",
            "OPEN_WEBUI_PREVIOUS_VERSION": "0.11.4",
            "CADDY_VERSION": "2.11.9",
            "PEBBLE_VERSION": "2.10.1",
            "LAB_MODEL": "library/x:1",
        }
    )
    assert "IMG_OLLAMA=genai-lab/ollama:0.24.0\n" in text
    assert "LAB_MODEL=library/x:1\n" in text
