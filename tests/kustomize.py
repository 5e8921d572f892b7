"""`kustomize build` for the features deploy/k8s/ uses, in Python (the tests render offline, with
no binary to download): `resources` (files and kustomization directories), `labels` (metadata
only), `namePrefix` (with the HorizontalPodAutoscaler's reference to its Deployment), and
`patches` with a target kind and name holding RFC 6902 JSON patches (add, replace, remove).

Anything else in a kustomization is refused by name, so a manifest using a feature this
renderer lacks fails the tests instead of rendering wrongly.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

Resource = dict[str, Any]
KNOWN = {"apiVersion", "kind", "resources", "labels", "namePrefix", "patches"}


class Unsupported(Exception):
    pass


def build(directory: Path) -> list[Resource]:
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(kustomization) - KNOWN
    if unknown:
        raise Unsupported(f"{directory}: {sorted(unknown)}")
    resources: list[Resource] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        if path.is_dir():
            resources += build(path)
        else:
            resources += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    for patch in kustomization.get("patches", []):
        _patch(resources, patch)
    if "namePrefix" in kustomization:
        _prefix(resources, kustomization["namePrefix"])
    for labels in kustomization.get("labels", []):
        if labels.get("includeSelectors") or labels.get("includeTemplates"):
            raise Unsupported("labels beyond metadata")
        for resource in resources:
            resource.setdefault("metadata", {}).setdefault("labels", {}).update(labels["pairs"])
    return resources


def _patch(resources: list[Resource], patch: dict[str, Any]) -> None:
    target = patch["target"]
    if set(target) - {"kind", "name"} or set(patch) - {"target", "patch"}:
        raise Unsupported(f"patch form: {patch}")
    matched = [r for r in resources if (r["kind"], r["metadata"]["name"]) == _key(target)]
    if not matched:
        raise Unsupported(f"patch target not found: {target}")
    for resource in matched:
        for operation in yaml.safe_load(patch["patch"]):
            apply_operation(resource, operation)


def _key(target: dict[str, Any]) -> tuple[str, str]:
    return target["kind"], target["name"]


def apply_operation(document: Resource, operation: dict[str, Any]) -> None:
    """One RFC 6902 operation, in place."""
    *parents, last = [
        p.replace("~1", "/").replace("~0", "~") for p in operation["path"][1:].split("/")
    ]
    node: Any = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    op = operation["op"]
    value = copy.deepcopy(operation.get("value"))
    if isinstance(node, list):
        index = len(node) if last == "-" else int(last)
        if op == "add":
            node.insert(index, value)
        elif op == "replace":
            node[index] = value
        elif op == "remove":
            del node[index]
        else:
            raise Unsupported(op)
        return
    if op in ("replace", "remove") and last not in node:
        raise KeyError(f"{operation['path']}: nothing to {op}")
    if op in ("add", "replace"):
        node[last] = value
    elif op == "remove":
        del node[last]
    else:
        raise Unsupported(op)


def _prefix(resources: list[Resource], prefix: str) -> None:
    renamed = {(r["kind"], r["metadata"]["name"]) for r in resources}
    for resource in resources:
        resource["metadata"]["name"] = prefix + resource["metadata"]["name"]
        target = resource.get("spec", {}).get("scaleTargetRef")
        if target is not None and (target["kind"], target["name"]) in renamed:
            target["name"] = prefix + target["name"]
