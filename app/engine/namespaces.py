"""The modules a program sees: `torch`, `nn`, `F`, ... as proxies holding only allow-listed members.

A program never touches a real module object, so a re-export such as `torch.os` cannot be reached:
a proxy answers only for the names in app.lang.allowlist, and refuses the rest by name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
import torch.autograd.forward_ad
import torch.autograd.functional
import torch.autograd.graph
import torch.func
import torch.utils.data

from app.lang import allowlist


class SafeModule:
    """A read-only namespace standing in for a torch module."""

    __slots__ = ("qualname", "members")

    def __init__(self, qualname: str, members: dict[str, object]) -> None:
        self.qualname = qualname
        self.members = members

    def __repr__(self) -> str:
        return f"<module '{self.qualname}'>"


def _collect(module: object, names: frozenset[str]) -> dict[str, object]:
    return {name: getattr(module, name) for name in sorted(names)}


def _proxy(qualname: str, module: object, extra: dict[str, SafeModule] | None = None) -> SafeModule:
    names = allowlist.SUBMODULE_MEMBERS[qualname] - set(extra or {})
    return SafeModule(qualname, {**_collect(module, names), **(extra or {})})


def _build() -> dict[str, SafeModule]:
    functional = _proxy("torch.nn.functional", torch.nn.functional)
    init = _proxy("torch.nn.init", torch.nn.init)
    nn = _proxy("torch.nn", torch.nn, {"functional": functional, "init": init})
    autograd_functional = _proxy("torch.autograd.functional", torch.autograd.functional)
    forward_ad = _proxy("torch.autograd.forward_ad", torch.autograd.forward_ad)
    graph = _proxy("torch.autograd.graph", torch.autograd.graph)
    autograd = _proxy(
        "torch.autograd",
        torch.autograd,
        {"functional": autograd_functional, "forward_ad": forward_ad, "graph": graph},
    )
    cuda = _proxy("torch.cuda", torch.cuda)
    func = _proxy("torch.func", torch.func)
    optim = _proxy("torch.optim", torch.optim)
    dataset = _proxy("torch.utils.data.dataset", torch.utils.data.dataset)
    dataloader = _proxy("torch.utils.data.dataloader", torch.utils.data.dataloader)
    data = _proxy(
        "torch.utils.data", torch.utils.data, {"dataset": dataset, "dataloader": dataloader}
    )
    utils = _proxy("torch.utils", torch.utils, {"data": data})
    members = _collect(
        torch, allowlist.TORCH_FUNCTIONS | allowlist.TORCH_DTYPES | allowlist.TORCH_TYPES
    )
    members.update(nn=nn, autograd=autograd, cuda=cuda, optim=optim, utils=utils, func=func)
    members["__version__"] = torch.__version__  # the only `_` name: teaching code prints it
    root = SafeModule("torch", members)
    # math keeps no state: one proxy for every run (random and collections: pymodules.py)
    math_module = SafeModule("math", _collect(math, allowlist.MATH_MEMBERS))
    return {
        "torch": root,
        "torch.nn": nn,
        "torch.nn.functional": functional,
        "torch.nn.init": init,
        "torch.autograd": autograd,
        "torch.autograd.functional": autograd_functional,
        "torch.autograd.forward_ad": forward_ad,
        "torch.autograd.graph": graph,
        "torch.cuda": cuda,
        "torch.func": func,
        "torch.optim": optim,
        "torch.utils": utils,
        "torch.utils.data": data,
        "torch.utils.data.dataset": dataset,
        "torch.utils.data.dataloader": dataloader,
        "math": math_module,
    }


MODULES = _build()
TORCH = MODULES["torch"]


def imported(qualname: str, modules: Mapping[str, SafeModule] | None = None) -> object:
    """What `import a.b` or `from a import b` binds: a module proxy or a module's member
    (`from torch.utils.data import DataLoader`); the language has checked the name. `modules`
    are the run's own (random, collections), looked up first."""
    # the run's own first; a Mapping, read name by name (its modules are made when imported)
    sources: tuple[Mapping[str, SafeModule], ...] = (modules or {}, MODULES)
    for source in sources:
        if qualname in source:
            return source[qualname]
    parent, _, name = qualname.rpartition(".")
    owner = next(source for source in sources if parent in source)
    return owner[parent].members[name]


# Every callable a program may call that is not a method of an allowed value.
MODULE_CALLABLES: frozenset[object] = frozenset(
    member
    for module in MODULES.values()
    for name, member in module.members.items()
    if callable(member)
    and not isinstance(member, SafeModule)
    and name not in allowlist.TORCH_TYPES
    and name not in allowlist.CLASS_BASES
    and name not in allowlist.TORCH_DTYPES
)
