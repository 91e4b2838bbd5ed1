"""Every name, version, port and path of the lab, computed in one place from versions.env.

    describe.py shell               KEY=VALUE lines that tools/lab/lab evaluates (image names, versions)
    describe.py json CACHE PORT     lab.json, what tests and Molecule read to find the lab (written to stdout)
"""

from __future__ import annotations

import ipaddress
import json
import os
import shlex
import sys
from pathlib import Path

LAB_DIR = Path(__file__).resolve().parent
NETWORK = "genai-lab"
MIRROR_CONTAINER = "genai-lab-mirror"
# The lab model's GGUF under the cache, reassembled from its PyPI packages.
GGUF_FILE = "models/gemma3-270m-q4_k_m.gguf"
# The same model written again by gguf-py without general.file_type: Ollama from 0.30 stores another blob than this
# upload (what ollama_model's test of a rewritten GGUF imports).
GGUF_WITHOUT_FILE_TYPE = "models/gemma3-270m-q4_k_m-no-file-type.gguf"
# The same model dequantized to F16 by the Ollama image's llama-quantize: what ollama_model's quantize test imports
# (Ollama quantizes only F16, BF16 and F32 models).
GGUF_F16 = "models/gemma3-270m-f16.gguf"
# The embedding model (LAB_EMBEDDING_MODEL) as Ollama's own converter writes it (ollama create from the
# safetensors), in F16.
EMBEDDING_GGUF_FILE = "models/all-minilm-l6-v2-f16-ollama.gguf"
# Pebble's HTTPS listener: a certificate for these names, issued by a lab CA kept under the cache (PEBBLE_DIR).
# The signing key's file name in the lab's stand-in for NVIDIA's CUDA repository (NVIDIA's is 3bf863cc.pub).
CUDA_KEY_FILE = "lab-signing-key.pub"
PEBBLE_DIR = "pebble"
PEBBLE_DNS_NAME = "pebble.genai.test"
# The name a scenario gives its Pebble container: the listener certificate covers it, and the short "pebble".
PEBBLE_CONTAINER = "genai-lab-pebble"
PEBBLE_LISTENER_NAMES = (PEBBLE_DNS_NAME, PEBBLE_CONTAINER, "pebble", "localhost", "127.0.0.1")
PEBBLE_ACME_PORT = 14000
PEBBLE_MANAGEMENT_PORT = 15000


DEFAULT_CACHE = "/var/cache/genai-lab"


def cache_dir() -> Path:
    """The lab's cache, where `tools/lab/lab` keeps what it built and lab.json (GENAI_LAB_CACHE)."""
    return Path(os.environ.get("GENAI_LAB_CACHE", DEFAULT_CACHE))


def read_description() -> dict:
    """lab.json as `tools/lab/lab` last wrote it: the one reader every Python test and benchmark uses (pytest.ini and
    the Makefile put tools/lab on their path)."""
    path = cache_dir() / "lab.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: build and start the lab first with 'tools/lab/lab up'")
    return json.loads(path.read_text())


def read_versions(path: Path = LAB_DIR / "versions.env") -> dict[str, str]:
    """KEY=VALUE lines; '#' starts a comment. No quoting or expansion, so Make and bash read it the same way."""
    versions = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.isidentifier() or not value:
            raise ValueError(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
        versions[key] = value
    return versions


def images(versions: dict[str, str]) -> dict[str, str]:
    return {
        "debian_systemd_12": "genai-lab/debian-systemd:12",
        "debian_systemd_13": "genai-lab/debian-systemd:13",
        "runtime": "genai-lab/runtime:12",
        "nginx": "genai-lab/nginx:12",
        "ollama": f"genai-lab/ollama:{versions['OLLAMA_VERSION']}",
        # The release an Ollama upgrade test starts from.
        "ollama_previous": f"genai-lab/ollama:{versions['OLLAMA_PREVIOUS_VERSION']}",
        "open_webui_slim": f"genai-lab/open-webui:{versions['OPEN_WEBUI_VERSION']}-slim",
        # For upgrade tests: the previous release installed over the slim image (one layer more), and the slim image
        # with a command that keeps running but never answers /health (a failed upgrade, to roll back from).
        "open_webui_previous": f"genai-lab/open-webui:{versions['OPEN_WEBUI_PREVIOUS_VERSION']}-slim",
        "open_webui_unhealthy": f"genai-lab/open-webui:{versions['OPEN_WEBUI_VERSION']}-unhealthy",
        "model_mirror": "genai-lab/model-mirror:1",
        "base": "genai-lab/base:12",
        "caddy": f"genai-lab/caddy:{versions['CADDY_VERSION']}",
        "pebble": f"genai-lab/pebble:{versions['PEBBLE_VERSION']}",
    }


def archive_name(image: str) -> str:
    """The file `lab export` writes an image to."""
    return image.replace("/", "_").replace(":", "_") + ".tar"


def upgrade_archive_name(versions: dict[str, str]) -> str:
    """The file `lab export DIR upgrade` writes: one `docker save` of the images open_webui_previous,
    open_webui_slim and open_webui_unhealthy, whose shared layers it holds once."""
    previous, current = versions["OPEN_WEBUI_PREVIOUS_VERSION"], versions["OPEN_WEBUI_VERSION"]
    return f"genai-lab_open-webui_{previous}-{current}-upgrade.tar"


def subject_alt_name(name: str) -> str:
    """openssl's subjectAltName entry for a host name or an IP address."""
    try:
        return f"IP:{ipaddress.ip_address(name)}"
    except ValueError:
        return f"DNS:{name}"


def shell_assignments(versions: dict[str, str]) -> str:
    values = dict(versions)
    values.update({f"IMG_{key.upper()}": image for key, image in images(versions).items()})
    values.update(
        LAB_NETWORK=NETWORK,
        MIRROR_CONTAINER=MIRROR_CONTAINER,
        GGUF_FILE=GGUF_FILE,
        GGUF_WITHOUT_FILE_TYPE=GGUF_WITHOUT_FILE_TYPE,
        GGUF_F16=GGUF_F16,
        EMBEDDING_GGUF_FILE=EMBEDDING_GGUF_FILE,
        PEBBLE_DIR=PEBBLE_DIR,
        CUDA_KEY_FILE=CUDA_KEY_FILE,
        PEBBLE_DNS_NAME=PEBBLE_DNS_NAME,
        ARCHIVE_OPEN_WEBUI_UPGRADE=upgrade_archive_name(versions),
    )
    # openssl's subjectAltName syntax: DNS:name for names, IP:address for addresses.
    values["PEBBLE_LISTENER_SAN"] = ",".join(subject_alt_name(name) for name in PEBBLE_LISTENER_NAMES)
    return "".join(f"{key}={shlex.quote(value)}\n" for key, value in values.items())


def description(versions: dict[str, str], cache: str, mirror_port: int) -> dict:
    lab_images = images(versions)
    model = versions["LAB_MODEL"]
    return {
        "cache": cache,
        "tools_dir": str(LAB_DIR),
        "images": lab_images,
        "archives": {
            **{key: archive_name(image) for key, image in lab_images.items()},
            "open_webui_upgrade": upgrade_archive_name(versions),
        },
        "versions": {
            "ollama": versions["OLLAMA_VERSION"],
            "ollama_previous": versions["OLLAMA_PREVIOUS_VERSION"],
            "open_webui": versions["OPEN_WEBUI_VERSION"],
            "open_webui_previous": versions["OPEN_WEBUI_PREVIOUS_VERSION"],
            "nvidia_container_toolkit": versions["NVIDIA_CTK_VERSION"],
            "caddy": versions["CADDY_VERSION"],
            "pebble": versions["PEBBLE_VERSION"],
            "versitygw": versions["VERSITYGW_VERSION"],
        },
        # An S3 server (versitygw) as a static binary, for targets that run it themselves.
        "s3_server": {"binary": f"{cache}/versitygw/bin/versitygw-{versions['VERSITYGW_VERSION']}"},
        "network": NETWORK,
        "mirror": {
            "container": MIRROR_CONTAINER,
            "root": f"{cache}/mirror",
            "host_url": f"http://127.0.0.1:{mirror_port}",
            "network_host": f"{MIRROR_CONTAINER}:80",
        },
        "model": {
            "path": model,
            "gguf": f"{cache}/{GGUF_FILE}",
            # Its name in a folder of `lab export DIR upgrade`.
            "gguf_file": Path(GGUF_FILE).name,
            "gguf_without_file_type": f"{cache}/{GGUF_WITHOUT_FILE_TYPE}",
            "gguf_f16": f"{cache}/{GGUF_F16}",
            # As a container on the lab network (or a Molecule target) pulls it.
            "network_name": f"{MIRROR_CONTAINER}:80/{model}",
        },
        "embedding_model": {
            "path": versions["LAB_EMBEDDING_MODEL"],
            "gguf": f"{cache}/{EMBEDDING_GGUF_FILE}",
            "dimensions": 384,
            "network_name": f"{MIRROR_CONTAINER}:80/{versions['LAB_EMBEDDING_MODEL']}",
        },
        "nvidia_repository": {
            "version": f"{versions['NVIDIA_CTK_VERSION']}-1",
            "host_url": f"http://127.0.0.1:{mirror_port}/libnvidia-container",
            "network_url": f"http://{MIRROR_CONTAINER}/libnvidia-container",
            # Signed with the lab's one key, as the CUDA stand-in (both scripts share its gnupg home).
            "fingerprint_file": f"{cache}/mirror/cuda/fingerprint",
        },
        # Stand-in driver packages in the layout of NVIDIA's CUDA repository for Debian 12 (tools/lab/cuda_repo.sh).
        "cuda_repository": {
            "host_url": f"http://127.0.0.1:{mirror_port}/cuda",
            "network_url": f"http://{MIRROR_CONTAINER}/cuda",
            "key_file": CUDA_KEY_FILE,
            "fingerprint_file": f"{cache}/mirror/cuda/fingerprint",
            "versions": versions["NVIDIA_DRIVER_STAND_INS"].split(),
        },
        # Not running in the lab: a test starts the pebble image on its own network with the alias dns_name.
        "pebble": {
            "dns_name": PEBBLE_DNS_NAME,
            "container": PEBBLE_CONTAINER,
            "listener_names": list(PEBBLE_LISTENER_NAMES),
            # The CA that issued Pebble's listener certificate: what an ACME client trusts (Caddy's acme_ca_root).
            "listener_ca": f"{cache}/{PEBBLE_DIR}/listener-ca.pem",
            "acme_port": PEBBLE_ACME_PORT,
            "directory_path": "/dir",
            "directory_url": f"https://{PEBBLE_DNS_NAME}:{PEBBLE_ACME_PORT}/dir",
            "management_port": PEBBLE_MANAGEMENT_PORT,
            # The root that signs the certificates Pebble issues: new at every start of Pebble.
            "roots_path": "/roots/0",
            "roots_url": f"https://{PEBBLE_DNS_NAME}:{PEBBLE_MANAGEMENT_PORT}/roots/0",
        },
    }


def main(argv: list[str]) -> int:
    versions = read_versions()
    if argv[:1] == ["shell"] and len(argv) == 1:
        sys.stdout.write(shell_assignments(versions))
        return 0
    if argv[:1] == ["json"] and len(argv) == 3:
        json.dump(description(versions, argv[1], int(argv[2])), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
