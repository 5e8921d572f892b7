"""The modules a program sees: `torch`, `nn`, `F`, ... as proxies holding only allow-listed members.

A program never touches a real module object, so a re-export such as `torch.os` cannot be reached:
a proxy answers only for the names in app.lang.allowlist, and refuses the rest by name.
"""

from __future__ import annotations

import torch

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


def _build() -> dict[str, SafeModule]:
    functional = SafeModule(
        "torch.nn.functional",
        _collect(torch.nn.functional, allowlist.SUBMODULE_MEMBERS["torch.nn.functional"]),
    )
    nn = SafeModule("torch.nn", {"functional": functional})
    autograd = SafeModule(
        "torch.autograd", _collect(torch.autograd, allowlist.SUBMODULE_MEMBERS["torch.autograd"])
    )
    cuda = SafeModule("torch.cuda", _collect(torch.cuda, allowlist.SUBMODULE_MEMBERS["torch.cuda"]))
    optim = SafeModule(
        "torch.optim", _collect(torch.optim, allowlist.SUBMODULE_MEMBERS["torch.optim"])
    )
    members = _collect(
        torch, allowlist.TORCH_FUNCTIONS | allowlist.TORCH_DTYPES | allowlist.TORCH_TYPES
    )
    members.update(nn=nn, autograd=autograd, cuda=cuda, optim=optim)
    root = SafeModule("torch", members)
    return {
        "torch": root,
        "torch.nn": nn,
        "torch.nn.functional": functional,
        "torch.autograd": autograd,
        "torch.optim": optim,
    }


MODULES = _build()
TORCH = MODULES["torch"]

# Every callable a program may call that is not a method of an allowed value.
MODULE_CALLABLES: frozenset[object] = frozenset(
    member
    for module in MODULES.values()
    for name, member in module.members.items()
    if callable(member)
    and not isinstance(member, SafeModule)
    and name not in allowlist.TORCH_TYPES
    and name not in allowlist.TORCH_DTYPES
)
