#!/bin/sh
# install.sh VERSION WHEELS [EXTRAS]: run by tools/lab/lab (install_open_webui) in a container with no network and
# the wheels mounted read-only; the container is then committed as one layer. Installs Open WebUI VERSION (with
# EXTRAS) and its pinned dependencies into the venv /app/venv, made first if the image has none: over the layout
# image (Dockerfile) this makes the slim image, over the slim image the previous release. Either way the image
# stays slim.
set -eu
version=$1
wheels=$2
requirement="open-webui${3:+[$3]}==$version"
venv=/app/venv
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
plan=/tmp/open-webui-plan.json
requirements=/tmp/open-webui-requirements.txt

# What pip would change in this venv for open-webui==VERSION; the plan is installed, exactly those versions, less:
# - torch, its nvidia-* libraries and triton (PyPI's torch is the CUDA build: 4.5 GB installed): the slim image has
#   no torch, yet sentence-transformers still requires it;
# - opencv-python, the desktop build of OpenCV that rapidocr 3.9.2 asks for (3.10 asks for the headless one): it
#   would overwrite the cv2 of opencv-python-headless, which Open WebUI pins itself, with one that cannot be
#   imported without X11's libraries (libxcb), and add 190 MB.
"$venv/bin/pip" install -q --dry-run --report "$plan" --no-index --find-links "$wheels" "$requirement"
"$venv/bin/python" - "$plan" >"$requirements" <<'PLAN'
import json, re, sys
for item in json.load(open(sys.argv[1]))["install"]:
    name, version = item["metadata"]["name"], item["metadata"]["version"]
    if not re.fullmatch(r"torch|triton|nvidia[-_.].*|opencv[-_.]python", name, re.IGNORECASE):
        print(f"{name}=={version}")
PLAN
"$venv/bin/pip" install -q --no-cache-dir --no-index --find-links "$wheels" --no-deps -r "$requirements"
rm "$plan" "$requirements"

if "$venv/bin/pip" list --format=freeze | grep -iE '^(torch|triton|nvidia[-_.]|opencv-python==)'; then
  echo "install.sh: torch, triton, an nvidia-* package or opencv-python is installed" >&2
  exit 1
fi
if "$venv/bin/python" -c "import torch" 2>/dev/null; then
  echo "install.sh: torch imports" >&2
  exit 1
fi
"$venv/bin/python" -c "import cv2"
installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("open-webui"))')
if [ "$installed" != "$version" ]; then
  echo "install.sh: open-webui $installed is installed, not $version" >&2
  exit 1
fi
# What the venv lacks or holds in versions others do not accept, less what is left out on purpose.
"$venv/bin/pip" check | grep -v -E ' requires (torch|opencv[-_]python), which is not installed\.$' >&2 || true
