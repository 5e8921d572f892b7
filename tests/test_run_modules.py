"""A run's own modules are made when the program imports them, once, and admitted then
(app/engine/pymodules.py RunModules): a program that imports none makes none."""

from __future__ import annotations

from app.engine.budget import Budget
from app.engine.namespaces import SafeModule, imported
from app.engine.pymodules import RunModules, run_modules
from app.settings import Limits


def _modules() -> tuple[RunModules, list[str]]:
    admitted: list[str] = []
    modules = run_modules(Budget(Limits.defaults()), list, lambda: None,
                          lambda module: admitted.append(module.qualname))  # fmt: skip
    return modules, admitted


def test_nothing_is_made_until_imported_and_each_module_once() -> None:
    modules, admitted = _modules()
    assert "numpy" in modules and "torchvision.transforms" in modules and admitted == []
    numpy = imported("numpy", modules)
    assert isinstance(numpy, SafeModule) and admitted == ["numpy"]
    assert imported("numpy.random", modules) is numpy.members["random"]
    assert imported("numpy", modules) is numpy and admitted == ["numpy"]


def test_modules_made_together_are_admitted_together() -> None:
    modules, admitted = _modules()
    transforms = imported("torchvision.transforms", modules)
    assert sorted(admitted) == ["torchvision", "torchvision.transforms"]
    assert imported("torchvision", modules).members["transforms"] is transforms  # type: ignore[attr-defined]
    assert len(admitted) == 2


def test_library_modules_are_not_the_runs() -> None:
    modules, admitted = _modules()
    assert imported("math", modules) is imported("math") and admitted == []
    seeded = imported("random.random", modules)
    assert admitted == ["random"] and seeded() == imported("random.random", _modules()[0])()
