"""The stack on a real NVIDIA GPU host (molecule/gpu): the driver, the toolkit, Docker, and Ollama answering from
the GPU, also after a systemd daemon-reload."""

from __future__ import annotations

import json

MODEL = "gemma3:270m"


def ollama(host, path: str, body: dict | None = None) -> dict:
    """Ollama's API on the host's loopback, where the role publishes it with ollama_publish_api (molecule.yml)."""
    if body is None:
        command = f"curl -fsS http://127.0.0.1:11434{path}"
    else:
        command = f"curl -fsS -X POST -d '{json.dumps(body)}' http://127.0.0.1:11434{path}"
    return json.loads(host.check_output(command))


def test_the_driver_answers_on_the_host(host):
    with host.sudo():
        assert host.check_output("nvidia-smi -L").startswith("GPU 0")


def test_docker_has_the_nvidia_runtime_and_cgroupfs(host):
    with host.sudo():
        info = json.loads(host.check_output("docker info --format '{{ json . }}'"))
    assert "nvidia" in info["Runtimes"]
    assert info["CgroupDriver"] == "cgroupfs"


def test_a_container_sees_the_gpu(host):
    with host.sudo():
        output = host.check_output("docker run --rm --gpus all --entrypoint nvidia-smi docker.io/library/ubuntu:24.04 -L")
    assert output.startswith("GPU 0")


def test_the_ollama_container_requests_the_gpus(host):
    with host.sudo():
        requests = json.loads(host.check_output("docker inspect -f '{{ json .HostConfig.DeviceRequests }}' ollama"))
    assert requests and requests[0]["Driver"] == "nvidia"


def test_the_model_runs_on_the_gpu(host):
    answer = ollama(host, "/api/generate", {"model": MODEL, "prompt": "Say hello.", "stream": False})
    assert answer["response"].strip()
    running = {model["name"]: model for model in ollama(host, "/api/ps")["models"]}
    assert running[MODEL]["size_vram"] > 0, f"{MODEL} is on the CPU: {running[MODEL]}"


def test_the_gpu_survives_a_daemon_reload(host):
    # With the systemd cgroup driver, this is where running containers lose the GPU ("Failed to initialize NVML").
    with host.sudo():
        host.check_output("systemctl daemon-reload")
        assert host.check_output("docker exec ollama nvidia-smi -L").startswith("GPU 0")
    answer = ollama(host, "/api/generate", {"model": MODEL, "prompt": "Say hello.", "stream": False})
    assert answer["response"].strip()
