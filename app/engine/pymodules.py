"""Python's `random` and `collections` as a program sees them: allow-listed proxies, per run.

(`math` keeps no state: one proxy serves every run, in namespaces.py.) `random` is a
`random.Random` seeded with 0 when the run starts (as torch's generator is), so runs are
repeatable and no run moves another's numbers; `collections.OrderedDict` takes its items through
the run's bounded `list` first (C would consume any iterable, past every limit).

Left out on purpose: functions that consume an iterable in C (`math.prod`, `math.fsum`,
`random.choices`), that build numbers without bound (`math.factorial`, `math.comb`,
`random.getrandbits`), and everything that reaches the operating system or the interpreter.
"""

from __future__ import annotations

import ast
import collections
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from app.engine.budget import Budget
from app.engine.namespaces import SafeModule
from app.engine.numpy_module import numpy_module
from app.engine.pybuiltins import stands_for
from app.engine.vision import vision_modules
from app.lang import allowlist


def run_modules(
    budget: Budget,
    bounded: Callable[[Any], list[Any]],
    where: Callable[[], ast.AST],
    admit: Callable[[SafeModule], None],
) -> RunModules:
    """The modules whose members hold one run's state; `bounded` is the run's `list`, `where()`
    the node being evaluated (for error spans); `admit` is told of each module once it is made."""

    def vision() -> dict[str, SafeModule]:  # one maker for both of its names
        return vision_modules(where)

    return RunModules(
        {
            "random": lambda: {"random": _random(budget, where)},
            "collections": lambda: {"collections": _collections(bounded)},
            "numpy": lambda: {"numpy": numpy_module(budget, where)},
            "torchvision": vision,
            "torchvision.transforms": vision,
        },
        admit,
    )


class RunModules(Mapping[str, SafeModule]):
    """A run's own modules, each made when the program first imports it: making numpy's and
    torchvision's proxies for every run cost more than the rest of a small run's set-up, and
    few programs import them. `makers`: module name → what makes it (and the modules made with
    it: `torchvision` and `torchvision.transforms` are one)."""

    def __init__(
        self,
        makers: dict[str, Callable[[], dict[str, SafeModule]]],
        admit: Callable[[SafeModule], None],
    ) -> None:
        self._makers = makers
        self._admit = admit
        self._made: dict[str, SafeModule] = {}

    def __getitem__(self, name: str) -> SafeModule:
        if name not in self._made:
            for made_name, module in self._makers[name]().items():
                if made_name not in self._made:
                    self._made[made_name] = module
                    self._admit(module)
        return self._made[name]

    def __contains__(self, name: object) -> bool:
        return name in self._makers

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def members_of(modules: Iterable[SafeModule]) -> list[Any]:
    """Every member of these modules and of the modules inside them (`numpy.random.seed`)."""
    found: list[Any] = []
    stack = list(modules)
    while stack:
        module = stack.pop()
        for member in module.members.values():
            (stack if isinstance(member, SafeModule) else found).append(member)
    return found


def _random(budget: Budget, where: Callable[[], ast.AST]) -> SafeModule:
    generator = random.Random(0)
    members: dict[str, Any] = {
        name: getattr(generator, name) for name in sorted(allowlist.RANDOM_MEMBERS)
    }

    def sample(population: Any, k: int, **kwargs: Any) -> list[Any]:
        if isinstance(k, int):
            budget.sequence(k, where())
        return generator.sample(population, k, **kwargs)

    def shuffle(x: Any) -> None:
        budget.rows_ahead(x, where())  # a swap of two rows per row, in Python we cannot stop
        generator.shuffle(x)

    sample.__name__ = sample.__qualname__ = "sample"
    shuffle.__name__ = shuffle.__qualname__ = "shuffle"
    members.update(sample=sample, shuffle=shuffle)
    return SafeModule("random", members)


def _collections(bounded: Callable[[Any], list[Any]]) -> SafeModule:
    def ordered_dict(items: Iterable[Any] = (), **kwargs: Any) -> collections.OrderedDict:
        if not isinstance(items, dict):
            items = bounded(items)
        return collections.OrderedDict(items, **kwargs)

    ordered_dict.__name__ = ordered_dict.__qualname__ = "OrderedDict"
    stands_for(ordered_dict, collections.OrderedDict)
    return SafeModule("collections", {"OrderedDict": ordered_dict})
