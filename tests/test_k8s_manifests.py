"""deploy/k8s/ rendered as `kustomize build` would (tests/kustomize.py; checked against
`kubectl kustomize` where kubectl is installed), validated against the Kubernetes API schemas
offline (the kubernetes-validate package), and held to the deployment's promises: probes on
/healthz, a locked-down pod, selectors that pick the right pods, no egress but Redis."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from app.settings import Settings
from tests import kustomize

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("cpu", "gpu")
KUBERNETES = "1.30.0"  # the oldest release still supported by the main cloud providers


def _render(overlay: str) -> list[dict[str, Any]]:
    return kustomize.build(K8S / "overlays" / overlay)


def _one(resources: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    (found,) = [r for r in resources if r["kind"] == kind and r["metadata"]["name"] == name]
    return found


def _app(overlay: str) -> tuple[str, dict[str, Any]]:
    name = {"cpu": "playground", "gpu": "gpu-playground"}[overlay]
    return name, _one(_render(overlay), "Deployment", name)


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_resource_validates_against_the_schemas(overlay: str) -> None:
    resources = _render(overlay)
    assert resources
    for resource in resources:
        try:
            kubernetes_validate.validate(resource, KUBERNETES, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = "/".join(map(str, exc.path))
            pytest.fail(
                f"{resource['kind']} {resource['metadata']['name']}: {where}: {exc.message}"
            )


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_renderer_agrees_with_kubectl_kustomize(overlay: str) -> None:
    out = subprocess.run(["kubectl", "kustomize", str(K8S / "overlays" / overlay)],
                         capture_output=True, text=True, check=True, timeout=60).stdout  # fmt: skip

    def canonical(docs: list[dict[str, Any]]) -> list[str]:
        return sorted(json.dumps(doc, sort_keys=True) for doc in docs)

    assert canonical([d for d in yaml.safe_load_all(out) if d]) == canonical(_render(overlay))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_are_locked_down_and_probed(overlay: str) -> None:
    for deployment in [r for r in _render(overlay) if r["kind"] == "Deployment"]:
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] > 0
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
            assert "readinessProbe" in container and "livenessProbe" in container
    _, app = _app(overlay)
    container = app["spec"]["template"]["spec"]["containers"][0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/healthz"
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/tmp" in mounts  # the one writable place, for the workers' directories
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["TMPDIR"] == "/tmp" and env["PLAYGROUND_LOG_FORMAT"] == "json"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_playground_variable_is_a_setting(overlay: str) -> None:
    _, app = _app(overlay)
    names = {e["name"] for e in app["spec"]["template"]["spec"]["containers"][0]["env"]}
    settings = {f"PLAYGROUND_{name.upper()}" for name in Settings.model_fields}
    pending = set()
    if "trusted_proxies" not in Settings.model_fields:  # added by the trusted-proxies branch
        pending.add("PLAYGROUND_TRUSTED_PROXIES")
    assert {n for n in names if n.startswith("PLAYGROUND_")} - settings == pending


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_selectors_pick_exactly_the_apps_pods(overlay: str) -> None:
    resources = _render(overlay)
    name, app = _app(overlay)
    pods = app["spec"]["template"]["metadata"]["labels"]
    assert _matches(app["spec"]["selector"]["matchLabels"], pods)
    service = _one(resources, "Service", name)
    assert _matches(service["spec"]["selector"], pods)
    pdb = _one(resources, "PodDisruptionBudget", name)
    assert _matches(pdb["spec"]["selector"]["matchLabels"], pods)
    hpa = _one(resources, "HorizontalPodAutoscaler", name)
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": name}  # fmt: skip
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"] or overlay == "gpu"
    # the CPU and GPU pools never select each other's pods
    other = {"cpu": "gpu", "gpu": "cpu"}[overlay]
    _, other_app = _app(other)
    assert not _matches(
        service["spec"]["selector"], other_app["spec"]["template"]["metadata"]["labels"]
    )


def test_app_pods_reach_nothing_but_redis_dns_and_the_gpu_pool() -> None:
    cpu = _render("cpu")
    redis = _one(cpu, "Deployment", "playground-redis")
    redis_pods = redis["spec"]["template"]["metadata"]["labels"]
    _, gpu_app = _app("gpu")
    gpu_pods = gpu_app["spec"]["template"]["metadata"]["labels"]
    policy = _one(cpu, "NetworkPolicy", "playground")
    assert "Egress" in policy["spec"]["policyTypes"]
    allowed = []
    for rule in policy["spec"]["egress"]:
        ports = {(p["port"], p["protocol"]) for p in rule["ports"]}
        (peer,) = rule["to"]
        labels = peer["podSelector"]["matchLabels"]
        if ports == {(6379, "TCP")}:
            assert _matches(labels, redis_pods) and "namespaceSelector" not in peer
            allowed.append("redis")
        elif ports == {(53, "UDP"), (53, "TCP")}:
            assert labels == {"k8s-app": "kube-dns"}
            allowed.append("dns")
        else:
            assert ports == {(8000, "TCP")} and _matches(labels, gpu_pods)
            allowed.append("gpu pool")
    assert sorted(allowed) == ["dns", "gpu pool", "redis"]
    gpu_policy = _one(_render("gpu"), "NetworkPolicy", "gpu-playground")
    assert [rule["to"][0]["podSelector"]["matchLabels"] for rule in gpu_policy["spec"]["egress"]] \
        == [{"app.kubernetes.io/name": "playground-redis"}, {"k8s-app": "kube-dns"}]  # fmt: skip
    (ingress,) = gpu_policy["spec"]["ingress"]  # only the CPU replicas call the GPU pool
    assert ingress["from"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "cpu"


def test_redis_is_bounded_and_reached_by_name() -> None:
    cpu = _render("cpu")
    redis = _one(cpu, "Deployment", "playground-redis")["spec"]["template"]["spec"]
    args = redis["containers"][0]["args"]
    assert args[args.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert args[args.index("--maxmemory") + 1] == "384mb"  # under its 512Mi memory limit
    service = _one(cpu, "Service", "playground-redis")
    _, app = _app("cpu")
    env = {e["name"]: e["value"] for e in app["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["PLAYGROUND_REDIS_URL"] == f"redis://{service['metadata']['name']}:6379/0"


def test_the_gpu_overlay_asks_for_gpus_and_the_cpu_pool_forwards_to_it() -> None:
    name, gpu = _app("gpu")
    pod = gpu["spec"]["template"]["spec"]
    resources = pod["containers"][0]["resources"]
    assert resources["requests"]["nvidia.com/gpu"] == resources["limits"]["nvidia.com/gpu"] == 1
    assert pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert pod["tolerations"][0]["key"] == "nvidia.com/gpu"
    gpu_env = {e["name"]: e["value"] for e in pod["containers"][0]["env"]}
    assert "PLAYGROUND_CUDA_UPSTREAM" not in gpu_env  # the pool runs cuda itself: no loop
    # its only clients are CPU pods, which limited each student already
    assert gpu_env["PLAYGROUND_RATE_LIMIT_PER_MINUTE"] == "0"
    _, cpu = _app("cpu")
    env = {e["name"]: e["value"] for e in cpu["spec"]["template"]["spec"]["containers"][0]["env"]}
    service = _one(_render("gpu"), "Service", name)
    assert env["PLAYGROUND_CUDA_UPSTREAM"] == f"http://{service['metadata']['name']}"
    assert service["spec"]["ports"][0]["port"] == 80


COMPOSE = ROOT / "deploy" / "docker-compose.yml"
NGINX_SITE = ROOT / "deploy" / "nginx" / "playground.conf"


def test_compose_runs_two_instances_behind_nginx_with_redis() -> None:
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    apps = sorted(name for name in services if name.startswith("app-"))
    assert apps == ["app-a", "app-b"]
    upstreams = re.findall(r"(?m)^\s*server (\S+):8000 ", NGINX_SITE.read_text())
    assert sorted(upstreams) == apps
    proxy_address = services["nginx"]["networks"]["playground"]["ipv4_address"]
    settings = {f"PLAYGROUND_{name.upper()}" for name in Settings.model_fields}
    for name in apps:
        app = services[name]
        env = app["environment"]
        assert {n for n in env if n.startswith("PLAYGROUND_")} - settings <= {
            "PLAYGROUND_TRUSTED_PROXIES"  # the trusted-proxies branch adds the setting
        }
        assert env["PLAYGROUND_REDIS_URL"] == "redis://redis:6379/0"
        assert env["PLAYGROUND_TRUSTED_PROXIES"] == proxy_address
        assert app["read_only"] is True and app["cap_drop"] == ["ALL"]
        assert "/healthz" in " ".join(app["healthcheck"]["test"])
    command = services["redis"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "allkeys-lru"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_app_is_served_as_the_dockerfile_serves_it(overlay: str) -> None:
    """app/server.py's protocol (a deadline on headers) and no X-Forwarded-For rewriting by
    uvicorn: only PLAYGROUND_TRUSTED_PROXIES decides which forwarding header is believed."""
    from app.server import SERVE_ARGS

    _, app = _app(overlay)
    command = app["spec"]["template"]["spec"]["containers"][0]["command"]
    assert " ".join(SERVE_ARGS) in " ".join(command)
    compose = yaml.safe_load(COMPOSE.read_text())["services"]["app-a"]["command"]
    assert " ".join(SERVE_ARGS) in " ".join(compose)
