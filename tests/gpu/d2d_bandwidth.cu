// Device-to-device copy bandwidth: the memory bandwidth decoding is bound by. A copy reads and writes every byte,
// so bandwidth = 2 * bytes / time. Prints GB/s (10^9), the best of 10 copies of 4 GiB.
#include <cstdio>
#include <cuda_runtime.h>

int main() {
  const size_t bytes = size_t(4) << 30;
  void *a, *b;
  if (cudaMalloc(&a, bytes) != cudaSuccess || cudaMalloc(&b, bytes) != cudaSuccess) { puts("cudaMalloc failed"); return 1; }
  cudaMemset(a, 1, bytes);
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  float best = 1e9f;
  for (int i = 0; i < 10; ++i) {
    cudaEventRecord(start);
    cudaMemcpy(b, a, bytes, cudaMemcpyDeviceToDevice);
    cudaEventRecord(stop);
    cudaEventSynchronize(stop);
    float ms;
    cudaEventElapsedTime(&ms, start, stop);
    if (ms < best) best = ms;
  }
  printf("d2d_bandwidth_GBps %.1f\n", 2.0 * bytes / (best / 1e3) / 1e9);
  return 0;
}
