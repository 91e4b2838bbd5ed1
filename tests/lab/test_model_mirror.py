"""Unit tests of the mirror's layout logic (files only; the served mirror is tested in test_smoke.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import model_mirror
import pytest
from model_mirror import MirrorName


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF" + bytes(range(60)))
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("library/gemma3:270m", MirrorName("library", "gemma3", "270m")),
        ("library/gemma3", MirrorName("library", "gemma3", "latest")),
        ("team_a/my-model.v2:q4_K_M", MirrorName("team_a", "my-model.v2", "q4_K_M")),
        ("library/gemma3:", MirrorName("library", "gemma3", "latest")),
    ],
)
def test_parse_accepts_namespace_model_tag(name, expected):
    assert MirrorName.parse(name) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("gemma3:270m", "expected namespace/model"),
        ("host:80/library/gemma3", "expected namespace/model"),
        ("library/../etc:x", "expected namespace/model"),
        ("library/..:x", "invalid model"),
        ("library/gemma3:bad/tag", "invalid tag"),
        ("-lib/gemma3", "invalid namespace"),
    ],
)
def test_parse_refuses_what_would_escape_or_confuse_the_layout(name, message):
    with pytest.raises(ValueError, match=message):
        MirrorName.parse(name)


def test_publish_lays_out_manifest_and_blobs(tmp_path: Path, gguf: Path):
    root = tmp_path / "mirror"
    digest = model_mirror.publish(root, "library/tiny:1", gguf, template="{{ .Prompt }}", params={"temperature": 0})

    manifest_bytes = (root / "manifests/library/tiny/1").read_bytes()
    assert hashlib.sha256(manifest_bytes).hexdigest() == digest
    manifest = json.loads(manifest_bytes)
    assert manifest["mediaType"] == model_mirror.MANIFEST_MEDIA_TYPE
    media_types = [entry["mediaType"] for entry in manifest["layers"]]
    assert media_types == [model_mirror.MODEL_MEDIA_TYPE, model_mirror.TEMPLATE_MEDIA_TYPE, model_mirror.PARAMS_MEDIA_TYPE]
    for entry in [*manifest["layers"], manifest["config"]]:
        blob = root / "blobs" / entry["digest"].replace(":", "-")
        assert blob.stat().st_size == entry["size"]
        assert "sha256:" + hashlib.sha256(blob.read_bytes()).hexdigest() == entry["digest"]
    model_blob = root / "blobs" / manifest["layers"][0]["digest"].replace(":", "-")
    assert model_blob.read_bytes() == gguf.read_bytes()
    config = json.loads((root / "blobs" / manifest["config"]["digest"].replace(":", "-")).read_bytes())
    assert config["model_format"] == "gguf"
    assert config["rootfs"]["diff_ids"] == [entry["digest"] for entry in manifest["layers"]]


def test_publish_is_stable_and_a_new_version_changes_the_digest(tmp_path: Path, gguf: Path):
    root = tmp_path / "mirror"
    first = model_mirror.publish(root, "library/tiny:1", gguf, params={"temperature": 0})
    again = model_mirror.publish(root, "library/tiny:1", gguf, params={"temperature": 0})
    changed = model_mirror.publish(root, "library/tiny:1", gguf, params={"temperature": 0.5})
    assert first == again
    assert changed != first
    current = (root / "manifests/library/tiny/1").read_bytes()
    assert hashlib.sha256(current).hexdigest() == changed


def test_publish_refuses_a_file_that_is_not_gguf(tmp_path: Path):
    not_gguf = tmp_path / "model.bin"
    not_gguf.write_bytes(b"PK\x03\x04 a zip, not a model")
    with pytest.raises(ValueError, match="not a GGUF file"):
        model_mirror.publish(tmp_path / "mirror", "library/tiny:1", not_gguf)
    assert not (tmp_path / "mirror").exists()


def test_unpublish_removes_only_the_tag(tmp_path: Path, gguf: Path):
    root = tmp_path / "mirror"
    model_mirror.publish(root, "library/tiny:1", gguf)
    assert model_mirror.unpublish(root, "library/tiny:1") is True
    assert model_mirror.unpublish(root, "library/tiny:1") is False
    assert not (root / "manifests/library/tiny/1").exists()
    assert (root / "blobs" / f"sha256-{hashlib.sha256(gguf.read_bytes()).hexdigest()}").exists()
