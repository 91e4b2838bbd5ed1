"""The roles pin their own image and package versions; the lab builds the versions in tools/lab/versions.env.
These tests fail when the two disagree, so that what the tests prove is what users get."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import describe

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


def test_the_lab_description_names_images_by_the_versions():
    lab = describe.description(VERSIONS, "/cache", 5080)
    assert lab["images"]["ollama"] == f"genai-lab/ollama:{VERSIONS['OLLAMA_VERSION']}"
    assert lab["images"]["open_webui_slim"] == f"genai-lab/open-webui:{VERSIONS['OPEN_WEBUI_VERSION']}-slim"
    assert lab["archives"]["ollama"] == f"genai-lab_ollama_{VERSIONS['OLLAMA_VERSION']}.tar"
    assert lab["model"]["network_name"] == f"genai-lab-mirror:80/{VERSIONS['LAB_MODEL']}"
    assert lab["nvidia_repository"]["version"] == f"{VERSIONS['NVIDIA_CTK_VERSION']}-1"


def test_a_malformed_versions_line_is_refused(tmp_path):
    path = tmp_path / "versions.env"
    path.write_text("# fine\nOLLAMA_VERSION=0.24.0\nOPEN_WEBUI_VERSION 0.12.4\n")
    with pytest.raises(ValueError, match=r"versions.env:3: expected KEY=VALUE"):
        describe.read_versions(path)


def test_the_shell_assignments_are_quoted_for_bash():
    text = describe.shell_assignments({"OLLAMA_VERSION": "0.24.0", "OPEN_WEBUI_VERSION": "0.12.4", "LAB_MODEL": "library/x:1"})
    assert "IMG_OLLAMA=genai-lab/ollama:0.24.0\n" in text
    assert "LAB_MODEL=library/x:1\n" in text
