#!/usr/bin/env bash
# On a CUDA host (driver, nvcc, CMake, a C++ compiler, Python 3; no internet, no Docker needed): Ollama as it ships,
# with this collection's modules against it.
#   1. llama-server and llama-quantize built from Ollama's llama/server project (llama.cpp with Ollama's compat
#      patches), the CUDA backend for this card's architecture only, laid out as Ollama's release is:
#      lib/ollama/{llama-server,libggml-*.so,...} and lib/ollama/cuda_vNN/{libggml-cuda.so,cudart,cublas};
#   2. meanwhile a random-weights GGUF in an 8B model's shape (make_gguf.py) and the card's device-to-device
#      bandwidth (d2d_bandwidth.cu);
#   3. `ollama serve`, then ollama_proof.py: the modules, the offload and driver-floor checks, the decode speed.
# Without a GPU (nvidia-smi missing) it rehearses the same steps on the CPU with the small model only.
# CARRY is what prepare_carry.sh wrote. Results and logs go to $OUT (default ./gpu-out).
#   tests/gpu/ollama_on_gpu.sh CARRY
set -euo pipefail
carry=$(cd "$1" && pwd) here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$PWD/gpu-out} work=${WORK:-/tmp/genai-gpu-ollama} version=${OLLAMA_VERSION:-0.34.0}
port=${OLLAMA_PORT:-11434}
mkdir -p "$out" && rm -rf "$work" && mkdir -p "$work"
exec > >(tee "$out/log.txt") 2>&1
started=$(date +%s)
step() { echo "[$(( $(date +%s) - started )) s] $*"; }
gpu=false
nvidia-smi -L >/dev/null 2>&1 && gpu=true

step "unpacking the carried sources and ansible-core"
tar -xJf "$carry/ollama-src.tar.xz" -C "$work"
python3 -m zipfile -e "$carry"/ansible_core-*.whl "$work/ansible"

cmake_args=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_BACKEND_DL=ON -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF
  -DFETCHCONTENT_SOURCE_DIR_LLAMA_CPP="$work/llama.cpp" -DOLLAMA_LLAMA_CPP_SKIP_COMPAT_PATCH=ON)
targets=(llama-server llama-quantize ggml-cpu)
speed=()
if $gpu; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv | tee "$out/gpu.csv"
  arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '.')
  cuda_major=$(nvcc --version | sed -n 's/.*release \([0-9]*\)\..*/\1/p')
  step "CUDA $cuda_major, architecture sm_$arch; writing the 8B-shaped model and measuring bandwidth during the build"
  # Creating it, Ollama may hold the upload and a rewritten copy beside this file: three times its 14.5 GB.
  free_gb=$(df --output=avail -BG "$work" | tail -1 | tr -dc '0-9')
  layers=32
  [ "$free_gb" -ge 50 ] || layers=16
  echo "free disk ${free_gb} GB: the speed model has $layers layers"
  python3 "$here/make_gguf.py" --layers "$layers" "$work/model-8b-f16.gguf" >"$work/gguf.log" 2>&1 &
  gguf_writer=$!
  nvcc -O2 -o "$work/d2d" "$here/d2d_bandwidth.cu" && "$work/d2d" | tee "$out/bandwidth.txt"
  cmake_args+=(-DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch")
  targets+=(ggml-cuda)
fi
python3 "$here/make_gguf.py" --layers 4 --width 1024 --ffn 2816 "$work/model-small.gguf"

step "building ${targets[*]}"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$work/ollama/llama/server" -B "$work/build" "${generator[@]}" "${cmake_args[@]}" >"$work/configure.log" 2>&1 ||
  { tail -40 "$work/configure.log"; exit 1; }
cmake --build "$work/build" --target "${targets[@]}" -j"$(nproc)" >"$work/build.log" 2>&1 ||
  { tail -60 "$work/build.log"; exit 1; }
step "built"

# Ollama's layout: the base engine beside ../../bin/ollama, each GPU backend in its runner folder with the CUDA
# libraries it links (Ollama points llama-server at it with GGML_BACKEND_PATH and LD_LIBRARY_PATH).
root=$work/root lib=$work/root/lib/ollama
mkdir -p "$root/bin" "$lib"
cp "$carry/ollama" "$root/bin/ollama" && chmod +x "$root/bin/ollama"
cp "$work/build/bin/llama-server" "$work/build/bin/llama-quantize" "$lib/"
find "$work/build" -name 'lib*.so*' ! -name 'libggml-cuda*' -exec cp -a {} "$lib/" \;
if $gpu; then
  mkdir -p "$lib/cuda_v$cuda_major"
  find "$work/build" -name 'libggml-cuda*.so*' -exec cp -a {} "$lib/cuda_v$cuda_major/" \;
  # The CUDA runtime and cuBLAS beside it, as Ollama ships them: where the loader finds them, else in the toolkit.
  toolkit_lib=$(dirname "$(readlink -f "$(command -v nvcc)")")/../lib64
  for name in libcudart libcublas libcublasLt; do
    found=$(ldd "$lib/cuda_v$cuda_major/libggml-cuda.so" | awk -v soname="$name.so" 'index($1, soname) == 1 { print $3 }')
    [ -f "$found" ] || found=$(ls "$toolkit_lib/$name.so.$cuda_major"* 2>/dev/null | head -1)
    if [ -f "$found" ]; then cp -L "$found" "$lib/cuda_v$cuda_major/$(basename "$found")"; else echo "warning: no $name"; fi
  done
fi
ls -lR "$root" | tee "$out/layout.txt"

step "ollama serve"
OLLAMA_HOST=127.0.0.1:$port OLLAMA_MODELS=$work/models OLLAMA_NO_CLOUD=1 OLLAMA_DEBUG=1 \
  "$root/bin/ollama" serve >"$out/ollama-serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
python3 - "$port" <<'WAIT'
import sys, time, urllib.request
for _attempt in range(120):
    try:
        print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/version", timeout=2).read().decode())
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("ollama serve did not answer within 60 s")
WAIT
grep -iE "inference compute|discovering|no compatible GPUs|offloaded" "$out/ollama-serve.log" | head -20 || true

if $gpu; then
  step "waiting for the 8B-shaped model"
  wait "$gguf_writer" && cat "$work/gguf.log"
  speed=(--speed-model "$work/model-8b-f16.gguf" --bandwidth "$(awk '{ print $2 }' "$out/bandwidth.txt")")
else
  speed=(--no-gpu)
fi
step "the collection's modules against Ollama $version"
status=0
python3 "$here/ollama_proof.py" --ansible "$work/ansible" --ollama-url "http://127.0.0.1:$port" --version "$version" \
  --model "$work/model-small.gguf" "${speed[@]}" --out "$out" || status=$?
grep -E "offloaded|model buffer|using device|flash_attn|inference compute" "$out/ollama-serve.log" | sort | uniq -c | head -20 || true
step "done"
exit "$status"
