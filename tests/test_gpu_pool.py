"""The GPU pool: a CPU instance forwards runs on `cuda` to PLAYGROUND_CUDA_UPSTREAM, and lists
the whole deployment's devices. The GPU instance here only pretends (PLAYGROUND_ADVERTISED_DEVICES)
where no GPU is present: it refuses to run on cuda for real, so what is tested is the routing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
import torch

from tests.servers import Server, serve

PROGRAM = "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    base = tmp_path_factory.mktemp("gpu_pool")
    with ExitStack() as stack:
        gpu = stack.enter_context(
            serve(base / "gpu", {"workers": "1", "advertised_devices": "cpu,cuda:0"})
        )
        cpu = stack.enter_context(serve(base / "cpu", {"workers": "1", "cuda_upstream": gpu.url}))
        yield cpu, gpu


def _runs_answered(server: Server) -> float:
    text = httpx.get(server.url + "/metrics", timeout=10).text
    found = re.findall(r'^playground_requests_total\{route="/api/v1/run",[^}]*\} (\S+)$', text,
                       re.MULTILINE)  # fmt: skip
    return sum(map(float, found))


def test_devices_lists_the_whole_deployment(pair: tuple[Server, Server]) -> None:
    cpu, gpu = pair
    assert httpx.get(gpu.url + "/api/v1/devices").json()["devices"] == ["cpu", "cuda:0"]
    listed = httpx.get(cpu.url + "/api/v1/devices").json()
    assert "cpu" in listed["devices"] and "cuda:0" in listed["devices"]
    assert listed["default"] == "cpu"


def test_a_cuda_run_goes_to_the_gpu_pool(pair: tuple[Server, Server]) -> None:
    cpu, gpu = pair
    before = _runs_answered(gpu)
    answer = httpx.post(cpu.url + "/api/v1/run", json={"source": PROGRAM, "device": "cuda"},
                        timeout=60)  # fmt: skip
    assert _runs_answered(gpu) == before + 1  # the GPU instance answered it
    if torch.cuda.is_available():
        assert answer.status_code == 200
        assert answer.json()["tensors"]["x"]["grad"] == [2.0, 4.0]
        assert answer.json()["tensors"]["x"]["device"] == "cuda:0"
    else:  # the pretender refuses to run on a GPU it does not have, by name
        assert answer.status_code == 422
        assert answer.json()["kind"] == "device", answer.text
    metrics = httpx.get(cpu.url + "/metrics", timeout=10).text
    assert re.search(r"^playground_gpu_pool_forwarded_total 1\.0$", metrics, re.MULTILINE)


def test_a_cpu_run_stays_on_the_cpu_instance(pair: tuple[Server, Server]) -> None:
    cpu, gpu = pair
    before = _runs_answered(gpu)
    answer = httpx.post(cpu.url + "/api/v1/run", json={"source": PROGRAM}, timeout=60)
    assert answer.status_code == 200
    assert answer.json()["tensors"]["x"]["grad"] == [2.0, 4.0]
    assert _runs_answered(gpu) == before


def test_an_unreachable_gpu_pool_is_a_503_not_a_hang(tmp_path) -> None:
    with serve(tmp_path, {"workers": "1", "cuda_upstream": "http://127.0.0.1:9"}) as cpu:
        answer = httpx.post(cpu.url + "/api/v1/run", json={"source": PROGRAM, "device": "cuda"},
                            timeout=60)  # fmt: skip
        devices = httpx.get(cpu.url + "/api/v1/devices").json()["devices"]
    assert answer.status_code == 503 and answer.headers["retry-after"] == "1"
    assert devices == ["cpu"] or "cuda:0" in devices  # its own, where it has a GPU
