"""Importing torchvision beside a CPU-only torch.

PyPI's Linux torchvision wheel is built against CUDA torch: beside our CPU torch its C extension
(`_C.so`, which needs `libtorch_cuda.so`) does not load, and `import torchvision` then fails in
`_meta_registrations.py` (`RuntimeError: operator torchvision::nms does not exist`, pytorch
issue 122494): it registers a fake kernel for an operator the extension would have defined. The
playground uses only the transforms, which are Python; so when that happens the two operators'
schemas are defined here (no kernels: calling them raises torch's own error) and the import is
tried again. Where the extension loads (a CPU torchvision build) nothing is defined.
"""

from __future__ import annotations

import sys
from types import ModuleType

import torch

# Held for the life of the process: a Library's definitions go when it is collected.
_LIBRARIES: list[torch.library.Library] = []
_MISSING_OPERATORS = (
    "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
)


def import_transforms() -> ModuleType | None:
    """`torchvision.transforms`, imported even where torchvision's C extension cannot load;
    None where torchvision is not installed (programs that import it are then refused)."""
    try:
        import torchvision.transforms
    except ImportError:
        return None
    except RuntimeError as exc:
        if "torchvision::nms" not in str(exc):
            raise
        _forget_partial_import()
        library = torch.library.Library("torchvision", "DEF")
        for schema in _MISSING_OPERATORS:
            library.define(schema)
        _LIBRARIES.append(library)
        import torchvision.transforms
    return torchvision.transforms


def _forget_partial_import() -> None:
    """The failed import left torchvision's first modules in sys.modules: drop them, so the
    second import runs the package from its start."""
    for name in [name for name in sys.modules if name.split(".")[0] == "torchvision"]:
        del sys.modules[name]
