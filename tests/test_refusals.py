"""Escape attempts and resource bombs, one row per payload, through a real server.

Every hostile program gets a clear 4xx naming what it refused (and where, when the construct has
a position), nothing is written to disk, and the server still answers a normal program with 8
and 3 afterwards. Programs that only look suspicious are accepted.

The hostile table runs against a server of its own, started in empty working, temp and home
directories, so "nothing was written" can be checked exactly; the wall-time row runs against a
server whose only short limit is the wall time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import torch

from app.settings import Limits
from tests.conftest import ROOT, RunApi
from tests.servers import Server, serve
from tests.test_limits import CLOCK

DEFAULTS = Limits.defaults()
LEAF = "x = torch.tensor(3., requires_grad=True)\n"
ONES = "x = torch.ones(3)\n"

# Shapes the engine-bound rows (issue 12) build on.
DAG = "a = [1]\nb = [1]\nfor i in range(60):\n    a = [a, a]\n    b = [b, b]\n"  # 2**60 items
COPIES = "q = [0] * 10\nl = [[0] * 10] * 100000\n"  # one list, 100,000 times
WIDE = "a = torch.ones(10**4, 1)\nb = torch.ones(1, 10**4)\n"  # 10**8 when broadcast
GRAPH = "x = torch.tensor(1., requires_grad=True)\ny = x * 2\n"
# a list 3,000 deep, deepened through an alias (each append is to a list of depth 1)
DEEPLIST = (
    "root = []\ncur = root\nfor i in range(3000):\n    nxt = []\n    cur.append(nxt)\n"
    "    cur = nxt\n"
)
# 4,000 views of a 10**6-element leaf: its backward would write 4,000 gradients of 10**6
SELECTS = (
    "x = torch.ones(10**6, requires_grad=True)\ns = x[0]\nfor i in range(1000):\n"
    "    s = s + x[i] + x[i + 1] + x[i + 2] + x[i + 3]\n"
)
LOADER = (
    "from torch.utils.data import TensorDataset, DataLoader\n"
    "ds = TensorDataset(torch.ones(4, 1), torch.ones(4, 1))\n"
    "loader = DataLoader(ds, batch_size=2)\n"
)
S100K = "s = 'a' * 100000\n"
TV = "from torchvision import transforms\n"
# products whose backward is two products of 10**9 multiply-adds each (issue 12, batched shapes)
BATCHED = (
    "y = torch.rand(1, 1000, 1000, requires_grad=True)\nw = torch.rand(1, 1000, 1000)\n"
    "# a chain of products\n"
)
CONVS = (
    "c = torch.nn.Conv2d(64, 64, 5, padding=2)\n"
    "x = torch.rand(1, 64, 120, 120, requires_grad=True)\ny = x\nfor i in range(4):\n"
    "    y = c(y)\n"
)


@dataclass(frozen=True)
class Expect:
    """What a refusal must say: its type, words of its message, and where (when known)."""

    type: str
    says: tuple[str, ...]  # the message contains one of these
    at: str | None = None  # the construct's text: its column is where it starts on `line`
    line: int | None = None
    limit: str | None = None
    status: tuple[int, ...] = (422,)
    server: str = "sandbox"


def no(says: str | tuple[str, ...], at: str | None = None, line: int | None = None) -> Expect:
    says = (says,) if isinstance(says, str) else says
    return Expect("not_allowed", says, at, line if line is not None or at is None else 1)


def syntax(says: str | tuple[str, ...], at: str | None = None, line: int | None = None) -> Expect:
    says = (says,) if isinstance(says, str) else says
    return Expect("syntax", says, at, line if line is not None or at is None else 1)


def limit(name: str, at: str | None = None, line: int | None = None, **more: Any) -> Expect:
    line = line if line is not None or at is None else 1
    return Expect("limit", (name,), at, line, limit=name, **more)


def request(says: str | tuple[str, ...] = ()) -> Expect:
    says = (says,) if isinstance(says, str) else says
    return Expect("request", says, status=(400, 422))


@dataclass(frozen=True)
class Body:
    """A request body sent as-is (bytes) or as JSON (a dict), instead of {"source": ...}."""

    raw: bytes | None = None
    data: dict[str, Any] | None = None
    content_type: str = "application/json"


def math(source: str, **inputs: float) -> Body:
    return Body(data={"source": source, "mode": "math", "inputs": inputs or {"x": 1.0}})


def row(id: str, payload: str | Body, expect: Expect) -> Any:
    return pytest.param(payload, expect, id=id)


HOSTILE = [
    # --- dunder walks and private names ---------------------------------------------------
    row(
        "subclasses-walk",
        "().__class__.__bases__[0].__subclasses__()",
        no(("__subclasses__", "__class__", "__bases__"), at="()"),
    ),
    row("dunder-dict", ONES + "x.__dict__", no("__dict__", at="x.__dict__", line=2)),
    row("torch-builtins", "torch.__builtins__", no("__builtins__", at="torch")),
    row("torch-C", "torch._C", no("_C", at="torch._C")),
    row("torch-C-call", "torch._C._get_tracing_state()", no("_C", at="torch")),
    row("private-attr", ONES + "v = x._version", no("_version", at="x._version", line=2)),
    row(
        "saved-self-assigned",  # reading it is allowed (issue 14); changing it never
        LEAF + "y = x * 2\ny.grad_fn._saved_self = x",
        no("_saved_self", at="y.grad_fn", line=3),
    ),
    row("builtins-name", "__builtins__", no("__builtins__", at="__builtins__")),
    row("underscore-name", "__ = 1", no("'__'", at="__")),
    row("print-self", "print.__self__", no("__self__", at="print")),
    row("int-mro", "(1).__class__.__mro__", no(("__mro__", "__class__"), at="(1)")),
    row("func-globals", "torch.tensor.__globals__", no("__globals__", at="torch")),
    row("fstring-class", ONES + 'y = f"{x.__class__}"', no("__class__", at="x.__class__", line=2)),
    row("node-class", ONES + "y = x.grad_fn.__class__", no("__class__", at="x.grad_fn", line=2)),
    row(
        "object-subclasses",
        "object.__subclasses__(object)",
        no(("__subclasses__", "object"), at="object"),
    ),
    row("func-module", "torch.cuda.is_available.__module__", no("__module__", at="torch")),
    row("hasattr-builtin", "hasattr(torch, 'os')", no("hasattr", at="hasattr")),
    row("vars", "vars(torch)", no("vars", at="vars")),
    row("globals", "globals()", no("globals", at="globals")),
    row("locals", "locals()", no("locals", at="locals")),
    row("dir", "dir(torch)", no("dir", at="dir")),
    row("breakpoint", "breakpoint()", no("breakpoint", at="breakpoint")),
    row("help", "help(torch)", no("help", at="help")),
    row("input", "input()", no("input", at="input")),
    row("compile-builtin", "compile('1', 'f', 'exec')", no("compile", at="compile")),
    row("globals-subscript", "globals()['__builtins__']", no("globals", at="globals")),
    # --- module re-exports -------------------------------------------------------------------
    row("torch-os-system", "torch.os.system('id')", no("torch.os", at="torch")),
    row("torch-sys", "torch.sys", no("torch.sys", at="torch")),
    row("torch-sys-modules", "m = torch.sys.modules", no("torch.sys", at="torch")),
    row("F-torch", "torch.nn.functional.torch", no("torch.nn.functional.torch", at="torch")),
    row(
        "F-torch-load",
        "import torch.nn.functional as F\nF.torch.load('f')",
        no("F.torch", at="F.torch", line=2),
    ),
    row(
        "autograd-variable-engine",
        "e = torch.autograd.Variable._execution_engine",
        no("_execution_engine", at="torch"),
    ),
    row(
        "tensor-class-method",
        ONES + "torch.Tensor.backward(x)",
        no("backward", at="torch.Tensor", line=2),
    ),
    # --- strings made into names ------------------------------------------------------------
    row("getattr", ONES + "getattr(x, 'gr' + 'ad')", no("getattr", at="getattr", line=2)),
    row("setattr", ONES + "setattr(x, 'requires_grad', True)", no("setattr", at="setattr", line=2)),
    row("eval", "eval('1')", no("eval", at="eval")),
    row("exec", "exec('import os')", no("exec", at="exec")),
    row("open", "open('/etc/passwd')", no("open", at="open")),
    row("dunder-import", "__import__('os')", no("__import__", at="__import__")),
    row("str-format", "'{0.__class__}'.format(1)", no("format", at="'")),
    row("call-a-string", "name = 'ev' + 'al'\nname('1')", no("call", at="name", line=2)),
    row("print-file-open", "print(1, file=open('out.txt', 'w'))", no("open", at="open")),
    row("print-file-kwarg", "print(1, file=None)", no("file", at="print")),
    row("double-star-kwargs", "print(**{'sep': ''})", no("**", at="**")),
    # --- imports -------------------------------------------------------------------------------
    row("import-os", "import os", no("os", at="import")),
    row("import-subprocess", "import subprocess", no("subprocess", at="import")),
    row("from-os", "from os import system", no("os", at="from")),
    row("import-torch-utils", "import torch.utils", no("torch.utils", at="import")),
    row("from-torch-C", "from torch import _C", no("_C", at="from")),
    row("import-list", "import torch as t, os", no("os", at="import")),
    row("relative-import", "from . import x", no("import", at="from")),
    row("import-hub", "import torch.hub", no("torch.hub", at="import")),
    row(
        "from-cpp-extension",
        "from torch.utils import cpp_extension",
        no("cpp_extension", at="from"),
    ),
    row("from-torch-load", "from torch import load", no("load", at="from")),
    row("import-ctypes", "import ctypes", no("ctypes", at="import")),
    row("import-importlib", "import importlib", no("importlib", at="import")),
    # --- what the notes' programs brought in (issue 14): each reaches only what it names ----
    row("main-name-assign", "__name__ = 'x'", no("'__name__'", at="__name__")),
    row("main-name-for-target", "for __name__ in 'ab':\n    pass", no("'__name__'", at="__name__")),
    row("main-name-dunder", "c = __name__.__class__", no("__class__", at="__name__")),
    row("main-name-param", "def f(__name__):\n    pass", no("'__name__'", at="__name__")),
    row("format-index-field", "s = '{0[0]}'.format([print])", no("str.format", at="'{0")),
    row("format-nested-spec", "s = '{0:{1}}'.format(1, 10**9)", no("str.format", at="'{0")),
    row(
        "format-repeated-string",
        "s = 'a' * 90000\nt = '{0}{0}{0}'.format(s)",
        limit("max_sequence_len", at="'{0}", line=2),
    ),
    row(
        "format-repeated-list",
        "l = [0] * 60000\nt = '{0}{0}'.format(l)",
        limit("max_sequence_len", at="'{0}", line=2),
    ),
    row(
        "legacy-tensor-array-and-size",
        "import numpy as np\nt = torch.Tensor(np.ones(2), 3)",
        no("uninitialised", at="torch", line=2),
    ),
    row(
        "legacy-tensor-array-too-big",
        "import numpy as np\nt = torch.Tensor(np.ones((2000, 1000)))",
        limit("max_tensor_elements", at="np.ones", line=2),
    ),
    row(
        "dataset-module-other-class",
        "import torch.utils.data.dataset as D\nc = D.ConcatDataset([])",
        no("ConcatDataset", at="D.ConcatDataset", line=2),
    ),
    row(
        "dataloader-module-workers",
        "import torch.utils.data.dataloader as L\nfrom torch.utils.data import TensorDataset\n"
        "ds = TensorDataset(torch.ones(4, 1))\nl = L.DataLoader(ds, num_workers=2)",
        no("num_workers", at="L.DataLoader", line=4),
    ),
    row(
        "format-as-hook",
        LEAF + "h = x.register_hook('{0.__class__}'.format)\nx.backward()",
        no("str.format", at="x.register_hook", line=2),
    ),
    row("import-data-sampler", "import torch.utils.data.sampler", no("sampler", at="import")),
    row(
        "from-dataloader-private",
        "from torch.utils.data.dataloader import _utils",
        no("_utils", at="from"),
    ),
    # --- statements outside the language --------------------------------------------------
    # `def` is part of the language (training lessons); what it may not carry is refused
    row("def-star-args", "def f(*args):\n    pass", no("*args", at="args")),
    row("async-def", "async def f():\n    pass", no("async", at="async")),
    row("class-metaclass", "class A(metaclass=type):\n    pass", no("metaclass", at="metaclass")),
    row("lambda-star-args", "f = lambda *a: 1", no("*args", at="a: 1")),
    row("try-star", "try:\n    pass\nexcept* Exception:\n    pass", no("except*", at="try")),
    row(
        "global-private",
        "def f():\n    global __builtins__",
        no("global name", at="global", line=2),
    ),
    row("nonlocal", "nonlocal x", syntax("not allowed at module level", at="nonlocal")),
    row(
        "list-comp-bomb",
        "y = [i for i in range(10**9)]",
        limit("max_loop_iterations", at="range"),
    ),
    row("set-comp-dunder", "y = {i.__class__ for i in range(3)}", no("__class__", at="i")),
    row(
        "dict-comp-nested-bomb",
        "y = {(i, j): 0 for i in range(10**4) for j in range(10**4)}",
        limit("max_loop_iterations", at="range(10**4)}"),
    ),
    row(
        "genexp-bomb", "y = sum(i for i in range(10**12))", limit("max_loop_iterations", at="range")
    ),
    row("dict-unpack", "d = {**{'a': 1}}", no("**", at="{'a'")),
    row(
        "set-update-iterable",
        "s = {1}\ns.update(range(10**9))",
        no("update", at="s.update", line=2),
    ),
    row("del-module-member", "del torch.nn", no("deleting 'torch.nn'", at="torch.nn")),
    row("raise-system-exit", "raise SystemExit(1)", no("SystemExit", at="SystemExit")),
    row("with-open", "with open('f', 'w') as fh:\n    pass", no("open", at="open")),
    row(
        "with-device",
        "with torch.device('cuda'):\n    y = torch.ones(1)",
        no("with", at="torch.device"),
    ),
    row("walrus", "x = (y := 1)", no("walrus", at="y :=")),
    row("match", "match 1:\n    case 1:\n        pass", no("match", at="match")),
    row("annotated-assign", "x: int = 1", no("annotated", at="x")),
    row("yield-outside-function", "yield 1", syntax("yield", at="yield")),
    row("await", "await x", no("await", at="await")),
    row("return", "return 1", no("return", at="return")),
    # --- tensor internals, hooks, memory ----------------------------------------------------
    row(
        "register-hook-on-module",
        "m = torch.nn.Linear(1, 1)\nm.register_full_backward_hook(print)",
        no("register_full_backward_hook", at="m.register", line=2),
    ),
    row(
        "node-hook",
        LEAF + "y = x * 2\ny.grad_fn.register_hook(print)",
        no("register_hook", at="y.grad_fn", line=3),
    ),
    row("storage", ONES + "x.storage()", no("storage", at="x.storage", line=2)),
    row("untyped-storage", ONES + "x.untyped_storage()", no("untyped_storage", at="x", line=2)),
    row("data-ptr", ONES + "x.data_ptr()", no("data_ptr", at="x.data_ptr", line=2)),
    row(
        "numpy-ctypes-of-tensor", ONES + "c = x.numpy().ctypes", no("ctypes", at="x.numpy", line=2)
    ),
    row("share-memory", ONES + "x.share_memory_()", no("share_memory_", at="x", line=2)),
    row("set-storage", ONES + "x.set_(torch.ones(9))", no("set_", at="x.set_", line=2)),
    row("resize", ONES + "x.resize_(10**9)", no("resize_", at="x.resize_", line=2)),
    row("as-strided", ONES + "x.as_strided((10**6,), (0,))", no("as_strided", at="x", line=2)),
    row("empty", "torch.empty(3)", no("torch.empty", at="torch")),
    row("empty-like", ONES + "y = torch.empty_like(x)", no("torch.empty_like", at="torch", line=2)),
    row("patch-torch-ones", "torch.ones = print", no("torch.ones", at="torch")),
    row("patch-tensor-add", "torch.Tensor.add = print", no("Tensor.add", at="torch")),
    # --- files, network, native code, process-wide state ------------------------------------
    row("torch-load", "torch.load('f')", no("reads and writes no files", at="torch")),
    row(
        "torch-save",
        ONES + "torch.save(x, 'f')",
        no("reads and writes no files", at="torch", line=2),
    ),
    row("from-file", "torch.from_file('f', size=3)", no("torch.from_file", at="torch")),
    row("hub-load", "torch.hub.load('a/b', 'c')", no("torch.hub", at="torch")),
    row("ops-aten", "torch.ops.aten", no("torch.ops", at="torch")),
    row(
        "cpp-extension",
        "torch.utils.cpp_extension.load_inline('a', 'b')",
        no("torch.utils", at="torch"),
    ),
    row("jit-script", "torch.jit.script(print)", no("torch.jit", at="torch")),
    row("compile", "torch.compile(print)", no("torch.compile", at="torch")),
    row(
        "set-default-dtype",
        "torch.set_default_dtype(torch.float64)",
        no("set_default_dtype", at="torch"),
    ),
    row(
        "set-default-device",
        "torch.set_default_device('cuda')",
        no("set_default_device", at="torch"),
    ),
    row("set-num-threads", "torch.set_num_threads(64)", no("set_num_threads", at="torch")),
    row("backends", "torch.backends.cudnn.enabled = False", no("torch.backends", at="torch")),
    row(
        "deterministic",
        "torch.use_deterministic_algorithms(True)",
        no("use_deterministic_algorithms", at="torch"),
    ),
    row(
        "printoptions", "torch.set_printoptions(precision=100)", no("set_printoptions", at="torch")
    ),
    row(
        "detect-anomaly",
        "torch.autograd.set_detect_anomaly(True)",
        no("set_detect_anomaly", at="torch"),
    ),
    row(
        "distributed",
        "torch.distributed.init_process_group('gloo')",
        no("torch.distributed", at="torch"),
    ),
    row(
        "multiprocessing",
        "torch.multiprocessing.spawn(print)",
        no("torch.multiprocessing", at="torch"),
    ),
    row("cuda-set-device", "torch.cuda.set_device(0)", no("set_device", at="torch")),
    row("library", "torch.library.Library('x', 'DEF')", no("torch.library", at="torch")),
    # --- Unicode look-alikes (NFKC makes them the real names) -------------------------------
    row("fullwidth-eval", "ｅｖａｌ('1')", no("eval", at="ｅｖａｌ")),
    row("fullwidth-open", "ｏｐｅｎ('/etc/passwd')", no("open", at="ｏｐｅｎ")),
    row("fullwidth-import", "＿＿import＿＿('os')", syntax("invalid character", at="＿")),
    row("half-fullwidth-import", "_＿import＿＿('os')", no("__import__", at="_")),
    row("fullwidth-dunder-attr", ONES + "x._＿class＿＿", no("__class__", at="x", line=2)),
    row("math-italic-eval", "𝑒𝑣𝑎𝑙('1')", no("eval", at="𝑒𝑣𝑎𝑙")),
    row("script-e-eval", "ℯval('1')", no("eval", at="ℯval")),
    row("fullwidth-torch-load", "torch.ｌｏａｄ('f')", no("torch.load", at="torch")),
    row("fullwidth-torch-os", "torch.ｏｓ.system('id')", no("torch.os", at="torch")),
    row("fullwidth-getattr", "ｇｅｔａｔｔｒ(torch, 'load')", no("getattr", at="ｇｅｔａｔｔｒ")),
    row(
        "column-after-greek",
        "α = torch.ones(1)\nβ = α.numpy().ctypes",
        no("ctypes", at="α.numpy", line=2),
    ),
    # --- format-width bombs -----------------------------------------------------------------
    row("fstring-width", 's = f"{1:>1000000000}"', limit("max_sequence_len", line=1)),
    row("fstring-nested-width", "s = f\"{'a':{10**9}}\"", limit("max_sequence_len", line=1)),
    row("fstring-precision", 's = f"{1.0:.1000000000f}"', limit("max_sequence_len", line=1)),
    row("percent-width", "s = '%1000000000d' % 1", limit("max_sequence_len", at="'%")),
    row("percent-precision", "s = '%.1000000000f' % 1.0", limit("max_sequence_len", at="'%")),
    row(
        "str-format-width",
        "s = '{:>1000000000}'.format(1)",
        limit("max_sequence_len", at="'"),
    ),
    row("format-builtin", "s = format(1, '>1000000000')", no("format", at="format")),
    # --- huge allocations (sized before allocating) -----------------------------------------
    row("zeros-1e12", "torch.zeros(10**6, 10**6)", limit("max_tensor_elements", at="torch")),
    row("ones-1e10", "torch.ones(100000, 100000)", limit("max_tensor_elements", at="torch")),
    row("arange-1e12", "x = torch.arange(0, 1e12)", limit("max_tensor_elements", at="torch")),
    row("randn-2-40", "x = torch.randn(2**40)", limit("max_tensor_elements", at="torch")),
    row(
        "broadcast-bomb",
        "x = torch.ones(10**6)\ny = x[:, None] * x[None, :]",
        limit("max_tensor_elements", at="x[:", line=2),
    ),
    row(
        "matmul-big-factor",
        "y = torch.ones(1000, 1000) @ torch.ones(1000, 100000)",
        limit("max_tensor_elements", at="torch.ones(1000, 100000)"),
    ),
    row(
        "matmul-outer-bomb",
        "a = torch.ones(10**6, 1)\nb = torch.ones(1, 10**6)\nc = a @ b",
        limit("max_tensor_elements", at="a @", line=3),
    ),
    row(
        "repeat", ONES + "y = x.repeat(10**6)", limit("max_tensor_elements", at="x.repeat", line=2)
    ),
    row("expand", "y = torch.ones(3).expand(10**9, 3)", limit("max_tensor_elements", at="torch")),
    row("expand-1d", "y = torch.ones(1).expand(10**9)", limit("max_tensor_elements", at="torch")),
    row("eye", "y = torch.eye(10**6)", limit("max_tensor_elements", at="torch")),
    row("full", "y = torch.full((10**5, 10**5), 1.0)", limit("max_tensor_elements", at="torch")),
    row("linspace", "y = torch.linspace(0, 1, 10**9)", limit("max_tensor_elements", at="torch")),
    row("randint", "y = torch.randint(0, 10, (10**9,))", limit("max_tensor_elements", at="torch")),
    row("randperm", "y = torch.randperm(10**9)", limit("max_tensor_elements", at="torch")),
    row(
        "outer",
        "x = torch.ones(10**4)\ny = torch.outer(x, x)",
        limit("max_tensor_elements", at="torch", line=2),
    ),
    row(
        "cat",
        "x = torch.ones(10**4)\ny = torch.cat([x] * 1000)",
        limit("max_tensor_elements", at="torch", line=2),
    ),
    row(
        "gather-index",
        "x = torch.ones(1000, 1000)\ny = x[torch.zeros(10**4, dtype=torch.long)]",
        limit("max_tensor_elements", at="x[", line=2),
    ),
    row(
        "broadcast-add",
        "x = torch.ones(10**4)\ny = x.unsqueeze(1) + x",
        limit("max_tensor_elements", at="x.unsqueeze", line=2),
    ),
    row(
        "broadcast-mul-call",
        "x = torch.ones(10**4)\ny = torch.mul(x.unsqueeze(1), x)",
        limit("max_tensor_elements", at="torch", line=2),
    ),
    row(
        "broadcast-compare",
        "x = torch.ones(10**4)\ny = x.unsqueeze(1) > x",
        limit("max_tensor_elements", at="x.unsqueeze", line=2),
    ),
    row(
        "new-zeros",
        "x = torch.ones(10**4)\ny = x.new_zeros(10**9)",
        limit("max_tensor_elements", at="x.new_zeros", line=2),
    ),
    row("diag", "y = torch.ones(10**6).diag()", limit("max_tensor_elements", at="torch")),
    row(
        "tensor-from-range",
        "y = torch.tensor(range(10**7))",
        limit("max_tensor_elements", at="torch"),
    ),
    row(
        "comprehension-of-tensors",
        "names = [torch.ones(10**6) for i in range(60)]",
        limit("max_allocated_elements", at="torch"),
    ),
    row(
        "live-elements",
        "".join(f"a{i} = torch.ones(10**6)\n" for i in range(11)),
        limit("max_live_elements"),
    ),
    row(
        "allocated-elements",
        "for i in range(60):\n    a = torch.ones(10**6)",
        limit("max_allocated_elements", at="torch", line=2),
    ),
    # --- huge Python numbers and sequences ----------------------------------------------------
    row("two-pow-ten-pow-ten", "2**10**10", limit("max_int_bits", at="2")),
    row("ten-pow-ten-pow-ten", "10**10**10", limit("max_int_bits", at="10")),
    row("pow-builtin", "pow(2, 10**10)", limit("max_int_bits", at="pow")),
    row("left-shift", "1 << 10**10", limit("max_int_bits", at="1")),
    row("int-square", "x = 2**4000\ny = x * x", limit("max_int_bits", at="x * x", line=2)),
    row(
        "int-repeated-square",
        "x = 2\nfor i in range(100):\n    x = x * x",
        limit("max_int_bits", at="x * x", line=3),
    ),
    row("divmod", "divmod(10**10**10, 3)", limit("max_int_bits", at="10**10**10")),
    row("int-from-digits", "n = int('9' * 4000)", limit("max_int_bits", at="int")),
    row("int-literal", "n = 1" + "0" * 2000, limit("max_int_bits", at="1")),
    row("str-repeat", "'a' * 10**10", limit("max_sequence_len", at="'a'")),
    row("list-repeat", "[0] * 10**10", limit("max_sequence_len", at="[0]")),
    row("list-range", "list(range(10**9))", limit("max_sequence_len", at="list")),
    row("tuple-range", "tuple(range(10**9))", limit("max_sequence_len", at="tuple")),
    row("sorted-range", "sorted(range(10**9))", limit("max_sequence_len", at="sorted")),
    row("sum-range", "sum(range(10**12))", limit("max_sequence_len", at="sum")),
    row("max-range", "max(range(10**12))", limit("max_sequence_len", at="max")),
    row("star-range", "print(*range(10**9))", limit("max_sequence_len", line=1)),
    row("str-concat", "a = 'a' * 60000\nb = a + a", limit("max_sequence_len", at="a + a", line=2)),
    row(
        "list-doubling",
        "x = [1]\nfor i in range(100):\n    x = x + x",
        limit("max_sequence_len", at="x + x", line=3),
    ),
    row("str-of-list", "s = str([0] * 100000)", limit("max_sequence_len", at="str")),
    # --- long loops, many statements, many calls --------------------------------------------
    row("while-true", "while True:\n    pass", limit("max_loop_iterations", at="while")),
    row("while-true-one-line", "while True: pass", limit("max_loop_iterations", at="while")),
    row("for-range", "for i in range(10**9):\n    pass", limit("max_loop_iterations", at="for")),
    row(
        "for-continue",
        "for i in range(10**9):\n    continue",
        limit("max_loop_iterations", at="for"),
    ),
    row(
        "nested-loops",
        "for i in range(200):\n    for j in range(200):\n        pass",
        limit("max_loop_iterations", at="for", line=2),
    ),
    row(
        "iterate-big-tensor",
        "x = torch.ones(10**6)\nfor v in x:\n    pass",
        limit("max_loop_iterations", at="for", line=2),
    ),
    row(
        "statements",
        "for i in range(9000):\n    a = 1\n    b = 2\n    c = 3",
        limit("max_statements"),
    ),
    row(
        "ops",
        "n = 0\nfor i in range(10000):\n    n = " + " + ".join(["1"] * 21),
        limit("max_ops", line=3),
    ),
    row(
        "output",
        "for i in range(30):\n    print('a' * 10000)",
        limit("max_output_chars", at="print", line=2),
    ),
    row(
        "backward-loop",
        LEAF + "y = x * 2\nfor i in range(2000):\n    y.backward(retain_graph=True)",
        limit("max_backward_calls", at="y.backward", line=4),
    ),
    row(
        "autograd-grad-loop",
        LEAF
        + "y = x * 2\nfor i in range(2000):\n    g = torch.autograd.grad(y, x, retain_graph=True)",
        limit("max_backward_calls", at="torch", line=4),
    ),
    row(
        "wall-time",
        "a = torch.ones(300, 300)\nwhile True:\n    b = a @ a",
        limit("max_run_seconds", line=3, server="clock"),
    ),
    # --- nesting of values (issue 12: checked as containers and tensors are built) -------
    row(
        "nest-tuple-hash",
        "t = ()\nfor i in range(300000):\n    t = (t,)\nh = t in (t,)",
        limit("max_container_depth", at="(t,", line=3),
    ),
    row(
        "nest-tuple-call",
        "t = ()\nfor i in range(1000):\n    t = (t,)\nt()",
        limit("max_container_depth", at="(t,", line=3),
    ),
    row(
        "nest-tuple-pair",
        "t = ()\nfor i in range(1000):\n    t = (t, i)",
        limit("max_container_depth", at="(t,", line=3),
    ),
    row(
        "nest-list",
        "l = []\nfor i in range(1000):\n    l = [l]",
        limit("max_container_depth", at="[l]", line=3),
    ),
    row(
        "nest-zip",
        "p = 1\nfor i in range(1000):\n    for p in zip([p]):\n        pass",
        limit("max_container_depth", at="[p]", line=3),
    ),
    row(
        "nest-enumerate",
        "p = 1\nfor i in range(1000):\n    for p in enumerate([p]):\n        pass",
        limit("max_container_depth", at="[p]", line=3),
    ),
    row(
        "nest-append",
        "l = []\nfor i in range(1000):\n    m = []\n    m.append(l)\n    l = m",
        limit("max_container_depth", at="m.a", line=4),
    ),
    row(
        "nest-insert",
        "l = []\nfor i in range(1000):\n    m = []\n    m.insert(0, l)\n    l = m",
        limit("max_container_depth", at="m.i", line=4),
    ),
    row(
        "nest-setitem",
        "l = []\nfor i in range(1000):\n    m = [0]\n    m[0] = l\n    l = m",
        limit("max_container_depth", at="m[0", line=4),
    ),
    row(
        "nest-tuple-builtin",
        "t = 1\nfor i in range(1000):\n    t = tuple([t])",
        limit("max_container_depth", at="[t]", line=3),
    ),
    row(
        "nest-concat",
        "t = ()\nfor i in range(1000):\n    t = (t,) + (1,)",
        limit("max_container_depth", at="(t,", line=3),
    ),
    row(
        "nest-repeat",
        "t = ()\nfor i in range(1000):\n    t = (t,) * 2",
        limit("max_container_depth", at="(t,", line=3),
    ),
    row(
        "nest-sequential",
        "s = torch.nn.Sequential()\nfor i in range(1200):\n    s = torch.nn.Sequential(s)",
        limit("max_container_depth", at="tor", line=3),
    ),
    row(
        "nest-sequential-pair",
        "s = torch.nn.ReLU()\nfor i in range(1200):\n"
        "    s = torch.nn.Sequential(s, torch.nn.ReLU())",
        limit("max_container_depth", at="tor", line=3),
    ),
    row(
        "nest-alias-print", DEEPLIST + "print(root)", limit("max_container_depth", at="pri", line=7)
    ),
    row(
        "nest-alias-compare",
        DEEPLIST + "c = root == [root]",
        limit("max_container_depth", at="roo", line=7),
    ),
    row(
        "nest-alias-fstring",
        DEEPLIST + "s = f'{root}'",
        limit("max_container_depth", at="f'{", line=7),
    ),
    row(
        "dims-view-1500",
        "y = torch.zeros(1).view([1] * 1500)",
        limit("max_tensor_dims", at="tor", line=1),
    ),
    row("dims-zeros-40", "y = torch.zeros([1] * 40)", limit("max_tensor_dims", at="tor", line=1)),
    row(
        "dims-reshape-100",
        "y = torch.ones(1).reshape([1] * 100)",
        limit("max_tensor_dims", at="tor", line=1),
    ),
    row(
        "dims-unsqueeze-loop",
        "x = torch.ones(1)\nfor i in range(100):\n    x = x.unsqueeze(0)",
        limit("max_tensor_dims", at="x.u", line=3),
    ),
    row(
        "dims-nested-data",
        "d = 0.\nfor i in range(40):\n    d = [d]\nt = torch.tensor(d)",
        limit("max_tensor_dims", at="tor", line=4),
    ),
    # --- attributes only on the run's own tensors; no real dict behind grad_fn.metadata ---
    row("attr-class-grad", "torch.nn.Linear.grad = 'x'", no("assigning", at="tor", line=1)),
    row(
        "attr-class-by-name",
        "L = torch.nn.Linear\nL.grad = torch.ones(10**6)",
        no("assigning", at="L.g", line=2),
    ),
    row(
        "attr-imported-class",
        "from torch import nn\nnn.Linear.weight = 1",
        no("assigning", at="nn.", line=2),
    ),
    row("attr-optimizer-class", "torch.optim.SGD.grad = 1", no("assigning", at="tor", line=1)),
    row("attr-tensor-class", "torch.Tensor.data = 1", no("assigning", at="tor", line=1)),
    row("attr-function", "def f():\n    pass\nf.grad = 1", no("assigning", at="f.g", line=3)),
    row("attr-builtin", "print.grad = 1", no("assigning", at="pri", line=1)),
    row("attr-torch-function", "torch.ones.grad = 1", no("assigning", at="tor", line=1)),
    row(
        "attr-module-instance",
        "net = torch.nn.Linear(2, 2)\nnet.grad = torch.ones(10**6)",
        no("assigning", at="net", line=2),
    ),
    row(
        "attr-module-weight",
        "net = torch.nn.Linear(2, 2)\nnet.weight = torch.nn.Parameter(torch.ones(1))",
        no("assigning", at="net", line=2),
    ),
    row(
        "attr-module-training",
        "net = torch.nn.Linear(2, 2)\nnet.training = 1",
        no("assigning", at="net", line=2),
    ),
    row(
        "attr-optimizer-step",
        "x = torch.ones(1, requires_grad=True)\nopt = torch.optim.SGD([x], lr=1.0)\nopt.step = 1",
        no("assigning", at="opt", line=3),
    ),
    row("attr-grad-fn-name", GRAPH + "y.grad_fn.name = 1", no("assigning", at="y.g", line=3)),
    row(
        "attr-loader-batch", LOADER + "loader.batch_size = 10**9", no("assigning", at="loa", line=4)
    ),
    row(
        "attr-dataset-tensors",
        LOADER + "ds.tensors = (torch.ones(10**6),)",
        no("assigning", at="ds.", line=4),
    ),
    row(
        "metadata-setitem",
        GRAPH + "m = y.grad_fn.metadata\nm['t'] = torch.ones(10)",
        no("assigning", at="m['", line=4),
    ),
    row(
        "metadata-direct",
        GRAPH + "y.grad_fn.metadata['t'] = torch.ones(10)",
        no("assigning", at="y.g", line=3),
    ),
    row(
        "sequential-setitem",
        "net = torch.nn.Sequential(torch.nn.ReLU())\nnet[0] = torch.nn.Tanh()",
        no("assigning", at="net", line=2),
    ),
    row("size-setitem", "s = torch.ones(2).shape\ns[0] = 5", no("assigning", at="s[0", line=2)),
    # --- single expensive calls, refused before they start ----------------------------------
    row("round-int", "x = round(1, -10**7)", limit("max_int_bits", at="rou", line=1)),
    row("round-big-int", "x = round(10**1000, -10**6)", limit("max_int_bits", at="rou", line=1)),
    row("round-billion", "x = round(7, -10**9)", limit("max_int_bits", at="rou", line=1)),
    row("count-copies", COPIES + "n = l.count(q)", limit("max_sequence_len", at="l.c", line=3)),
    row("index-copies", COPIES + "n = l.index(q)", limit("max_sequence_len", at="l.i", line=3)),
    row("in-copies", COPIES + "n = [1] * 10 in l", limit("max_sequence_len", at="[1]", line=3)),
    row(
        "tuple-count-copies",
        COPIES + "t = tuple(l)\nn = t.count(q)",
        limit("max_sequence_len", at="t.c", line=4),
    ),
    row("compare-dag", DAG + "c = a == b", limit("max_sequence_len", at="a =", line=6)),
    row("less-dag", DAG + "c = a < b", limit("max_sequence_len", at="a <", line=6)),
    row("print-dag", DAG + "print(a)", limit("max_sequence_len", at="pri", line=6)),
    row("repr-dag", DAG + "s = repr(a)", limit("max_sequence_len", at="rep", line=6)),
    row("str-dag", DAG + "s = str(a)", limit("max_sequence_len", at="str", line=6)),
    row("fstring-dag", DAG + "s = f'{a}'", limit("max_sequence_len", at="f'{", line=6)),
    row("percent-dag", DAG + "s = '%s' % (a,)", limit("max_sequence_len", at="'%s", line=6)),
    row("sorted-dag", DAG + "s = sorted([a, b])", limit("max_sequence_len", at="sor", line=6)),
    row("max-dag", DAG + "s = max([a, b])", limit("max_sequence_len", at="max", line=6)),
    row("expression-dag", DAG + "a", limit("max_sequence_len", at="a", line=6)),
    row(
        "sum-lists",
        "l = [[1] * 1000] * 1000\ns = sum(l, [])",
        limit("max_sequence_len", at="sum", line=2),
    ),
    row(
        "sum-tuples",
        "l = [(1,) * 1000] * 1000\ns = sum(l, ())",
        limit("max_sequence_len", at="sum", line=2),
    ),
    row(
        "tensor-nested-15000",
        "t = torch.tensor([[0.] * 15000] * 15000)",
        limit("max_tensor_elements", at="tor", line=1),
    ),
    row(
        "tensor-nested-tuple",
        "t = torch.tensor(((0.,) * 2000,) * 2000)",
        limit("max_tensor_elements", at="tor", line=1),
    ),
    row(
        "as-tensor-nested",
        "t = torch.as_tensor([[0.] * 15000] * 15000)",
        limit("max_tensor_elements", at="tor", line=1),
    ),
    row(
        "select-chain-backward",
        SELECTS + "s.backward()",
        limit("max_backward_elements", at="s.b", line=5),
    ),
    row(
        "select-chain-grad",
        SELECTS + "g = torch.autograd.grad(s, x)",
        limit("max_backward_elements", at="tor", line=5),
    ),
    # --- allocations through builtins, indexing and text, sized before they happen ---------
    row("sum-tensors", WIDE + "c = sum([a, b])", limit("max_tensor_elements", at="sum", line=3)),
    row("pow-tensors", WIDE + "c = pow(a, b)", limit("max_tensor_elements", at="pow", line=3)),
    row(
        "normal-broadcast",
        WIDE + "c = torch.normal(a, b)",
        limit("max_tensor_elements", at="tor", line=3),
    ),
    row("max-tensors", WIDE + "c = max([a, b])", limit("max_tensor_elements", at="max", line=3)),
    row("min-tensors", WIDE + "c = min(a, b)", limit("max_tensor_elements", at="min", line=3)),
    row(
        "sorted-tensors",
        WIDE + "c = sorted([a, b])",
        limit("max_tensor_elements", at="sor", line=3),
    ),
    row("in-tensors", WIDE + "c = a in [b]", limit("max_tensor_elements", at="a i", line=3)),
    row("count-tensors", WIDE + "c = [b].count(a)", limit("max_tensor_elements", at="[b]", line=3)),
    row(
        "bool-int-index",
        "x = torch.ones(10**4, 100)\nm = torch.ones(10**4, dtype=torch.bool)\n"
        "i = torch.zeros(10**4, 1, dtype=torch.long)\ny = x[m, i]",
        limit("max_tensor_elements", at="x[m", line=4),
    ),
    row(
        "list-iadd-tensor",
        "l = []\nl += torch.ones(10**6)",
        limit("max_sequence_len", at="l +", line=2),
    ),
    row(
        "fstring-1500",
        S100K + "t = f'" + "{s}" * 1500 + "'",
        limit("max_sequence_len", at="f'{", line=2),
    ),
    row(
        "print-1500",
        S100K + "print(" + "s, " * 1500 + ")",
        limit("max_output_chars", at="pri", line=2),
    ),
    row(
        "print-star-1500", S100K + "print(*[s] * 1500)", limit("max_output_chars", at="pri", line=2)
    ),
    row(
        "percent-1500",
        S100K + "t = ('%s' * 1500) % ((s,) * 1500)",
        limit("max_sequence_len", at="('%", line=2),
    ),
    row(
        "fstring-lists",
        "l = [0] * 100000\nt = f'{l}{l}{l}{l}{l}{l}{l}{l}'",
        limit("max_sequence_len", at="f'{", line=2),
    ),
    row(
        "list-times-tensor",
        "l = [0] * torch.tensor(10**9)",
        limit("max_sequence_len", at="[0]", line=1),
    ),
    row(
        "str-times-tensor",
        "s = 'ab' * torch.tensor([10**9])",
        limit("max_sequence_len", at="'ab'", line=1),
    ),
    row(
        "list-imul-tensor",
        "l = [0]\nl *= torch.tensor(10**9)",
        limit("max_sequence_len", at="l *=", line=2),
    ),
    # --- nesting and size of the source -------------------------------------------------------
    row("parentheses-300", "x = " + "(" * 300 + "1" + ")" * 300, syntax("parenthes", line=1)),
    # deeper than the parser itself goes: no syntax tree, so no position either
    row("unary-minus-5000", "x = " + "-" * 5000 + "1", limit("max_ast_depth")),
    row("lists-100", "x = " + "[" * 100 + "]" * 100, limit("max_ast_depth", line=1)),
    row("not-200", "x = " + "not " * 200 + "1", limit("max_ast_depth", line=1)),
    row("binop-3000", "x = " + "1 + " * 3000 + "1", limit("max_ast_depth")),
    row(
        "attribute-chain", "x = torch.ones(1)\ny = x" + ".T" * 1000, limit("max_ast_depth", line=2)
    ),
    row("nested-calls", "print(" * 100 + ")" * 100, limit("max_ast_depth", line=1)),
    row(
        "nested-ifs",
        "".join(" " * i + "if True:\n" for i in range(70)) + " " * 70 + "pass",
        limit("max_ast_depth"),
    ),
    row("ast-nodes", "x = 1\n" * 3000, limit("max_ast_nodes")),
    row("source-chars", "x = 1\n" * 4000, limit("max_source_chars")),
    # a body past max_body_bytes is refused before it is even parsed as JSON
    row(
        "enormous-source",
        "#" * 5_000_000,
        Expect("too_large", ("larger than",), status=(413,)),
    ),
    # --- what ast.parse accepts and the compiler would not -----------------------------------
    row(
        "repeated-keyword",
        "print(sep='', sep='')",
        syntax("keyword argument repeated", at="sep='')"),
    ),
    row("starred-target", "*a = 1", syntax("starred", at="*a")),
    row("two-starred-targets", "a, *b, *c = [1, 2, 3]", syntax("multiple starred", at="*c")),
    row("break-outside-loop", "break", syntax("'break' outside loop", at="break")),
    row(
        "continue-outside-loop",
        "continue",
        syntax("'continue' not properly in loop", at="continue"),
    ),
    row(
        "break-in-loop-else",
        "while False:\n    pass\nelse:\n    break",
        syntax("'break' outside loop", at="break", line=4),
    ),
    # --- math notation: names, LaTeX commands and nesting it must refuse -----------------------
    row("math-dunder-name", math("z = __class__ + x"), syntax("'_'", line=1)),
    row("math-dunder-definition", math("__import__(x) = x"), syntax("'_'", line=1)),
    row("math-fullwidth-underscore", math("z = ＿x"), syntax("'_'", line=1)),
    row("math-braced-dunder-subscript", math("z = x_{__} + {__class__}"), syntax("'_'", line=1)),
    row("math-torch-name", math("z = torch + x"), syntax("reserved", line=1)),
    row("math-torch-definition", math("torch(x) = x"), syntax("reserved", line=1)),
    row("math-latex-input", math("z = \\input{/etc/passwd}"), syntax("'\\input'", line=1)),
    row("math-latex-def", math("\\def\\x{1}; z = x"), syntax("'\\def'", line=1)),
    row("math-latex-write18", math("z = \\immediate\\write18{id}"), syntax("not supported")),
    row("math-hat-dunder", math("z = \\hat{__class__}"), syntax("one letter", line=1)),
    row("math-unknown-function-call", math("z = eval(x)"), syntax("unknown function 'eval'")),
    row("math-open-call", math("z = open(x)"), syntax("unknown function 'open'")),
    row(
        "math-deep-frac",
        math("z = " + "\\frac{1}{" * 200 + "x" + "}" * 200),
        limit("max_ast_depth", line=1),
    ),
    row("math-deep-bars", math("z = " + "|" * 3000 + "x" + "|" * 3000), limit("max_ast_depth")),
    row(
        "math-deep-max",
        math("z = " + "max(x, " * 500 + "x" + ")" * 500),
        limit("max_ast_depth", line=1),
    ),
    row("math-huge-superscript", math("z = x" + "⁹" * 2000), limit("max_int_bits", line=1)),
    row("math-many-statements", math("; ".join(["a = x"] * 2000)), limit("max_ast_nodes")),
    # --- plain syntax errors and bad text ---------------------------------------------------
    row("incomplete", "x = 1 +", syntax("invalid syntax", line=1)),
    row("unexpected-indent", "x = 1\n  y = 2", syntax("indent", line=2)),
    row("assign-to-literal", "1 = x", syntax("literal", at="1")),
    row("nul-byte", "x = 1\x00", syntax(("NUL", "null"), line=1)),
    row("lone-surrogate-name", Body(raw=b'{"source": "x = \\ud800"}'), syntax("surrogate")),
    row("lone-surrogate-string", Body(raw=b'{"source": "x = \\"\\udfff\\""}'), syntax("surrogate")),
    row("empty-source", "", syntax("empty")),
    row("whitespace-source", "   \n\t\n  ", syntax("empty")),
    # --- malformed requests -------------------------------------------------------------------
    row("invalid-utf8-body", Body(raw=b'{"source": "x = \xff\xfe"}'), request()),
    row("non-json-body", Body(raw=b"x = 1"), request()),
    row("text-plain-body", Body(raw=b"x = 1", content_type="text/plain"), request()),
    row("empty-body", Body(raw=b""), request()),
    row("missing-source", Body(data={}), request("source")),
    row("null-source", Body(data={"source": None}), request("source")),
    row("int-source", Body(data={"source": 123}), request("source")),
    row("list-source", Body(data={"source": ["x = 1"]}), request("source")),
    row("inputs-not-a-map", Body(data={"source": "x = 1", "inputs": "x"}), request("inputs")),
    row("unknown-field", Body(data={"source": "x = 1", "exec": True}), request("exec")),
    row("unknown-mode", Body(data={"source": "x = 1", "mode": "shell"}), request("mode")),
    row("unknown-format", Body(data={"source": "x = 1", "formats": ["exe"]}), request("formats")),
    row(
        "device-cuda-7",
        Body(data={"source": "x = 1", "device": "cuda:7"}),
        Expect("device", ("cuda:7",)),
    ),
    row(
        "device-path",
        Body(data={"source": "x = 1", "device": "../../etc"}),
        Expect("device", ("../../etc",)),
    ),
    # --- classes (issue 14): only protocol dunders, only allowed bases, no class surgery ------
    row("class-slots", "class A:\n    __slots__ = ()", no("__slots__", at="__slots__", line=2)),
    row(
        "class-repr-dunder",
        "class A:\n    def __repr__(self):\n        return 'a'",
        no("__repr__", at="def", line=2),
    ),
    row(
        "class-init-subclass",
        "class A:\n    def __init_subclass__(cls):\n        pass",
        no("__init_subclass__", at="def", line=2),
    ),
    row(
        "class-descriptor-get",
        "class D:\n    def __get__(self, obj, owner):\n        return 1",
        no("__get__", at="def", line=2),
    ),
    row(
        "class-getattr-hook",
        "class A:\n    def __getattr__(self, name):\n        return 1",
        no("__getattr__", at="def", line=2),
    ),
    row(
        "class-set-name",
        "class A:\n    def __set_name__(self, owner, name):\n        pass",
        no("__set_name__", at="def", line=2),
    ),
    row("class-base-type", "class M(type):\n    pass", no("type", at="class")),
    row("class-base-int", "class A(int):\n    pass", no("int", at="class")),
    row("class-base-tensor", "class T(torch.Tensor):\n    pass", no("Tensor", at="class")),
    row("class-base-linear", "class L(torch.nn.Linear):\n    pass", no("Linear", at="class")),
    row("class-star-bases", "b = []\nclass A(*b):\n    pass", no("*", at="*b", line=2)),
    row(
        "class-decorator", "@staticmethod\nclass A:\n    pass", no("class decorators", at="static")
    ),
    row(
        "class-in-class",
        "class A:\n    class B:\n        pass",
        no("class", at="class B", line=2),
    ),
    row(
        "class-body-statement",
        "class A:\n    for i in range(3):\n        pass",
        no("class body", at="for", line=2),
    ),
    row(
        "instance-class",
        "class A:\n    pass\na = A()\nc = a.__class__",
        no("__class__", at="a.__class__", line=4),
    ),
    row(
        "class-bases-walk",
        "class A:\n    pass\nb = type(A()).__bases__",
        no("__bases__", at="type", line=3),
    ),
    row(
        "class-dict",
        "class A:\n    x = 1\nd = A.__dict__",
        no("__dict__", at="A.__dict__", line=3),
    ),
    row(  # the program's own class takes attributes (issue 14); torch's never
        "class-attribute-set-on-library-class",
        "torch.nn.Linear.x = 1",
        no("assigning 'Linear.x'", at="torch"),
    ),
    row(
        "module-method-replaced",
        "class M(torch.nn.Module):\n    pass\nm = M()\nm.parameters = 1",
        no("parameters", at="m.parameters", line=4),
    ),
    row(
        "module-base-forward-patched",
        "def f(self, x):\n    return x\ntorch.nn.Module.forward = f",
        no("Module.forward", at="torch", line=3),
    ),
    row(
        "module-forward-hook",
        "class M(torch.nn.Module):\n    pass\nM().register_forward_hook(print)",
        no("register_forward_hook", at="M()", line=3),
    ),
    row(
        "super-other-class",
        "s = super(int, 1).__init__()",
        no("super", at="super"),
    ),
    row(
        "super-dunder-walk",
        "class A:\n    def __init__(self):\n        g = super().__init__.__globals__",
        no("__globals__", at="super", line=3),
    ),
    row(
        "super-getattribute",
        "class A:\n    def __init__(self):\n        g = super().__getattribute__('x')",
        no("__getattribute__", at="super", line=3),
    ),
    row(
        "ctx-saved-tensors-set",
        "class F(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n"
        "        ctx.saved_tensors = (x,)\n        return x\n"
        "y = F.apply(torch.ones(1, requires_grad=True))",
        no("saved_tensors", at="ctx.saved_tensors", line=4),
    ),
    row(
        "ctx-dict",
        "class F(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n"
        "        d = ctx.__dict__\n        return x",
        no("__dict__", at="ctx.__dict__", line=4),
    ),
    row(
        "function-apply-base",
        "y = torch.autograd.Function.apply(torch.ones(1))",
        no("apply", at="torch"),
    ),
    row(
        "function-base-called",
        "m = torch.nn.Module()",
        no("Module", at="torch"),
    ),
    row(
        "getitem-endless-iteration",
        "class A:\n    def __getitem__(self, i):\n        return i\nfor v in A():\n    pass",
        limit("max_statements", at="pass", line=5),
    ),
    row(
        "getitem-consumed-by-list",
        "class A:\n    def __getitem__(self, i):\n        return i\nv = list(A())",
        limit("max_statements", at="return", line=3),
    ),
    row(
        "len-huge",
        "class A:\n    def __len__(self):\n        return 10**12\nv = list(A())",
        limit("max_sequence_len", at="list", line=4),
    ),
    row(
        "extra-repr-endless",
        "class M(torch.nn.Module):\n    def extra_repr(self):\n        while True:\n"
        "            pass\nprint(M())",
        limit("max_loop_iterations", at="while", line=3),
    ),
    row(
        "forward-recursion",
        "class M(torch.nn.Module):\n    def forward(self, x):\n        return self(x)\n"
        "y = M()(torch.ones(1))",
        limit("max_call_depth", line=3),
    ),
    row(
        "dataset-huge-batch",
        "class D(torch.utils.data.Dataset):\n    def __len__(self):\n        return 2\n"
        "loader = torch.utils.data.DataLoader(D(), batch_size=10**9)",
        limit("max_sequence_len", at="torch", line=4),
    ),
    # --- functions, comprehensions, generators, exceptions -------------------------------------
    row("lambda-globals", "f = lambda: 1\ng = f.__globals__", no("__globals__", at="f.", line=2)),
    row(
        "lambda-recursion",
        "f = lambda n: f(n)\nf(1)",
        limit("max_call_depth", at="f(n)"),
    ),
    row("lambda-sorted-key", "v = sorted([2, 1], key=lambda a: a)", no("key", at="sorted")),
    row("lambda-map", "v = list(map(lambda a: a, [1]))", no("map", at="map")),
    row(
        "lambda-collate-fn",
        "ds = torch.utils.data.TensorDataset(torch.ones(2))\n"
        "dl = torch.utils.data.DataLoader(ds, collate_fn=lambda b: b)",
        no("collate_fn", at="torch", line=2),
    ),
    row(
        "genexp-frame",
        "g = (i for i in range(3))\nf = g.gi_frame",
        no("gi_frame", at="g.gi_frame", line=2),
    ),
    row(
        "generator-code",
        "def gen():\n    yield 1\nc = gen().gi_code",
        no("gi_code", at="gen()", line=3),
    ),
    row(
        "generator-endless",
        "def gen():\n    while True:\n        yield 1\nfor v in gen():\n    break",
        limit("max_loop_iterations", at="while", line=2),
    ),
    row(
        "generator-send",
        "def gen():\n    yield 1\ngen().send(None)",
        no("send", at="gen()", line=3),
    ),
    row(
        "join-bomb",
        "s = 'x' * 10**5\nt = ''.join([s] * 10**5)",
        limit("max_sequence_len", at="''.join", line=2),
    ),
    row(
        "exception-traceback",
        "try:\n    1 / 0\nexcept Exception as e:\n    t = e.__traceback__",
        no("__traceback__", at="e.__traceback__", line=4),
    ),
    row(
        "exception-context",
        "try:\n    1 / 0\nexcept Exception as e:\n    t = e.__context__",
        no("__context__", at="e.__context__", line=4),
    ),
    row(
        "exception-with-traceback",
        "try:\n    1 / 0\nexcept Exception as e:\n    t = e.with_traceback(None)",
        no("with_traceback", at="e.with_traceback", line=4),
    ),
    row(
        "except-swallows-loop-limit",
        "try:\n    while True:\n        pass\nexcept Exception:\n    pass",
        limit("max_loop_iterations", at="while", line=2),
    ),
    row(
        "except-swallows-recursion",
        "def f():\n    return f()\ntry:\n    f()\nexcept Exception:\n    pass",
        limit("max_call_depth", line=2),
    ),
    row(
        "except-swallows-refusal",
        "try:\n    x = torch.ones(1)\n    x.foo = 1\nexcept Exception:\n    print('caught')",
        no("foo", at="x.foo", line=3),
    ),
    row(
        "except-base-exception",
        "try:\n    pass\nexcept BaseException:\n    pass",
        no("BaseException", at="BaseException", line=3),
    ),
    row(
        "except-keyboard-interrupt",
        "try:\n    pass\nexcept KeyboardInterrupt:\n    pass",
        no("KeyboardInterrupt", at="KeyboardInterrupt", line=3),
    ),
    row(
        "handler-private-name",
        "try:\n    pass\nexcept Exception as _e:\n    pass",
        no("_e", line=3),
    ),
    row(
        "nonlocal-in-closure",
        "def f():\n    def g():\n        nonlocal x",
        syntax("no binding for nonlocal 'x'", at="nonlocal", line=3),
    ),
    row(
        "iter-huge-tensor",
        "it = iter(torch.ones(10**6))",
        limit("max_loop_iterations", at="iter"),
    ),
    # --- a tensor's rows, unbound at once wherever C iterates it: sized as a loop first -----
    row(
        "enumerate-huge-tensor",
        "x = torch.ones(10**6)\nfor i, v in enumerate(x):\n    break",
        limit("max_loop_iterations", at="enumerate", line=2),
    ),
    row(
        "zip-huge-tensor",
        "x = torch.ones(10**6)\nfor a, b in zip(x, [1]):\n    break",
        limit("max_loop_iterations", at="zip", line=2),
    ),
    row(
        "list-tensor-rows",
        "x = torch.ones(10**5)\nl = list(x)",
        limit("max_loop_iterations", at="list", line=2),
    ),
    row(
        "sum-tensor-rows",
        "x = torch.ones(10**5, 2)\ns = sum(x)",
        limit("max_loop_iterations", at="sum", line=2),
    ),
    row(
        "unpack-star-huge-tensor",
        "x = torch.ones(10**6)\na, *b = x",
        limit("max_loop_iterations", at="a, *b", line=2),
    ),
    row(
        "unpack-pair-huge-tensor",
        "a, b = torch.ones(10**6)",
        limit("max_loop_iterations", at="a, b"),
    ),
    row(
        "star-huge-tensor",
        "l = [*torch.ones(10**5)]",
        limit("max_loop_iterations", at="torch"),
    ),
    row(
        "extend-by-tensor-rows",
        "l = []\nl += torch.ones(10**5)",
        limit("max_loop_iterations", at="l +=", line=2),
    ),
    # --- list.extend / dict.update: the iterable is taken bounded before C consumes it -------
    row("extend-range-huge", "l = []\nl.extend(range(10**9))", limit("max_sequence_len", line=2)),
    row(
        "update-from-endless-generator",
        "d = {}\nd.update((i, i) for i in range(10**8))",
        limit("max_loop_iterations", line=2),
    ),
    row(
        "extend-by-itself-doubling",
        "l = [1]\nfor _ in range(40):\n    l.extend(l)",
        limit("max_sequence_len", at="l.extend", line=3),
    ),
    row(
        "extend-nests-deep",
        "x = []\nfor i in range(100000):\n    y = []\n    y.extend([x])\n    x = y",
        limit("max_container_depth", at="[x]", line=4),
    ),
    row(
        "update-nests-deep",
        "x = {}\nfor i in range(100000):\n    y = {}\n    y.update({'k': x})\n    x = y",
        limit("max_container_depth", at="{'k': x}", line=4),
    ),
    row(
        "extend-by-tensor-rows-method",
        "l = []\nl.extend(torch.ones(10**6))",
        limit("max_sequence_len", at="l.extend", line=2),
    ),
    row(
        "set-update-still-refused", "s = set()\ns.update([1])", no("update", at="s.update", line=2)
    ),
    row(
        "shuffle-huge-tensor",
        "import random\nx = torch.ones(10**6)\nrandom.shuffle(x)",
        limit("max_loop_iterations", at="random.shuffle", line=3),
    ),
    # --- generators run when they are made: stopped by the budget, never by memory ----------
    row(
        "generator-yields-tensors-forever",
        "def gen():\n    while True:\n        yield torch.ones(10**6)\nfor v in gen():\n    break",
        limit("max_allocated_elements", at="torch.ones", line=3),
    ),
    row(
        "genexp-endless-range",
        "g = (i for i in range(10**9))\nv = next(g)",
        limit("max_loop_iterations", at="range"),
    ),
    row(
        "generator-over-huge-tensor",
        "def gen(x):\n    for v in x:\n        yield v\ng = gen(torch.ones(10**6))",
        limit("max_loop_iterations", at="for", line=2),
    ),
    row(
        "genexp-over-huge-tensor",
        "g = (v * 2 for v in torch.ones(10**6))",
        limit("max_loop_iterations", at="torch.ones"),
    ),
    # --- a backward's products are weighed whatever their kind: batched, `@`, convolution ----
    row(
        "bmm-chain-backward",
        BATCHED + "for i in range(5):\n    y = torch.bmm(y, w)\ny.sum().backward()",
        limit("max_backward_elements", at="y.sum", line=6),
    ),
    row(
        "batched-matmul-chain-backward",
        BATCHED + "for i in range(5):\n    y = y @ w\ny.sum().backward()",
        limit("max_backward_elements", at="y.sum", line=6),
    ),
    row(
        "conv-chain-backward",
        CONVS + "y.sum().backward()",
        limit("max_backward_elements", at="y.sum", line=6),
    ),
    row(
        "conv-chain-grad",
        CONVS + "g = torch.autograd.grad(y.sum(), c.weight)",
        limit("max_backward_elements", at="torch", line=6),
    ),
    row(
        "module-parameters-replaced",
        "class M(torch.nn.Module):\n    def parameters(self):\n        return []",
        no("parameters", at="class"),
    ),
    row(
        "module-call-replaced-by-attribute",
        "class M(torch.nn.Module):\n    register_forward_hook = print",
        no("register_forward_hook", at="class"),
    ),
    # --- numpy: no files, no buffers, no objects, sized before numpy allocates -----------------
    row("numpy-load", "import numpy as np\na = np.load('f.npy')", no("np.load", at="np", line=2)),
    row(
        "numpy-loadtxt",
        "import numpy as np\na = np.loadtxt('f')",
        no("np.loadtxt", at="np", line=2),
    ),
    row(
        "numpy-tofile",
        "import numpy as np\na = np.zeros(2)\na.tofile('out.bin')",
        no("tofile", at="a.tofile", line=3),
    ),
    row(
        "numpy-ctypes",
        "import numpy as np\np = np.zeros(2).ctypes",
        no("ctypes", at="np.zeros", line=2),
    ),
    row("numpy-lib", "import numpy as np\nf = np.lib", no("np.lib", at="np", line=2)),
    row("numpy-memmap", "import numpy as np\nm = np.memmap('f')", no("np.memmap", at="np", line=2)),
    row(
        "numpy-data-buffer",
        "import numpy as np\nb = np.zeros(2).data",
        no("data", at="np.zeros", line=2),
    ),
    row(
        "numpy-object-array",
        "import numpy as np\na = np.array([print], dtype=object)",
        no("objects", at="np.array", line=2),
    ),
    row(
        "numpy-string-array",
        "import numpy as np\na = np.array(['x' * 10**5] * 10**5)",
        no("strings", at="np.array", line=2),
    ),
    row(
        "numpy-astype-string",
        "import numpy as np\na = np.zeros(10**6).astype('U100000')",
        no("strings", at="np.zeros", line=2),
    ),
    row(
        "numpy-zeros-huge",
        "import numpy as np\na = np.zeros((10**5, 10**5))",
        limit("max_tensor_elements", at="np.zeros", line=2),
    ),
    row(
        "numpy-arange-huge",
        "import numpy as np\na = np.arange(0, 1e12)",
        limit("max_tensor_elements", at="np.arange", line=2),
    ),
    row(
        "numpy-random-huge",
        "import numpy as np\na = np.random.rand(10**4, 10**4)",
        limit("max_tensor_elements", at="np.random", line=2),
    ),
    row(
        "numpy-broadcast-bomb",
        "import numpy as np\na = np.ones(10**6)\nb = a[:, None] * a[None, :]",
        limit("max_tensor_elements", at="a[:, None]", line=3),
    ),
    row(
        "numpy-nested-list-bomb",
        "import numpy as np\nrow = [0.0] * 10**5\na = np.array([row] * 10**5)",
        limit("max_tensor_elements", at="np.array", line=3),
    ),
    row(
        "numpy-fancy-index-bomb",
        "import numpy as np\na = np.ones((10, 10))\ni = np.zeros(10**5, dtype=np.int64)\n"
        "b = a[i[:, None], i]",
        no("index arrays", at="a[i", line=4),
    ),
    row(
        "numpy-outer-bomb",
        "import numpy as np\na = np.ones(10**6)\nb = np.outer(a, a)",
        limit("max_tensor_elements", at="np.outer", line=3),
    ),
    row(
        "numpy-random-state",
        "import numpy as np\ns = np.random.get_state()",
        no("get_state", at="np.random", line=2),
    ),
    # --- hooks, legacy constructors, layers -----------------------------------------------------
    row(
        "hook-torch-internal",
        "x = torch.ones(1, requires_grad=True)\nh = x.register_hook(torch.Tensor.zero_)",
        no("zero_", at="torch.Tensor.zero_", line=2),
    ),
    row(
        "hook-endless",
        "x = torch.ones(1, requires_grad=True)\n"
        "def h(g):\n    while True:\n        pass\n"
        "x.register_hook(h)\n(x * 2).sum().backward()",
        limit("max_loop_iterations", at="while", line=3),
    ),
    row(
        "hook-handle-private",
        "x = torch.ones(1, requires_grad=True)\nh = x.register_hook(print)\nd = h.hooks_dict_ref",
        no("hooks_dict_ref", at="h.hooks_dict_ref", line=3),
    ),
    row(
        "hook-backward-hooks-dict",
        "x = torch.ones(1, requires_grad=True)\nd = x._backward_hooks",
        no("_backward_hooks", at="x._backward_hooks", line=2),
    ),
    row(
        "module-hook-global",
        "h = torch.nn.modules.module.register_module_forward_hook(print)",
        no("modules", at="torch"),
    ),
    row(
        "legacy-tensor-uninitialised",
        "t = torch.Tensor(2, 3)",
        no("uninitialised", at="torch"),
    ),
    row(
        "legacy-float-tensor-size",
        "t = torch.FloatTensor(torch.Size([10**6]))",
        no("uninitialised", at="torch"),
    ),
    row(
        "resize-grows",
        "x = torch.zeros(2)\nx.resize_(1000)",
        no("resize_", at="x.resize_(1000)", line=2),
    ),
    row(
        "resize-grows-bound-method",
        "x = torch.zeros(2)\nf = x.resize_\nf(10, 10)",
        no("resize_", at="f(10, 10)", line=3),
    ),
    row(
        "resize-to-zero-then-back",
        "x = torch.ones(4)\nx.resize_(0)\nx.resize_(4)",
        no("resize_", at="x.resize_(4)", line=3),
    ),
    row("resize-negative", "x = torch.ones(4)\nx.resize_(-1)", no("negative", at="x", line=2)),
    row("resize-bool-size", "x = torch.ones(4)\nx.resize_(True, 2)", no("resize_", at="x", line=2)),
    row(
        "resize-many-dimensions",
        "x = torch.ones(4)\nx.resize_((0,) * 900)",
        limit("max_tensor_dims", at="x", line=2),
    ),
    row(
        "resize-memory-format",
        "x = torch.ones(4)\nx.resize_((2, 2), memory_format=None)",
        no("resize_", at="x", line=2),
    ),
    row(
        "resize-unbound",
        "x = torch.zeros(2)\ntorch.Tensor.resize_(x, 100)",
        no("resize_", at="torch", line=2),
    ),
    row(
        "legacy-tensor-storage",
        "t = torch.Tensor([1.0]).untyped_storage()",
        no("untyped_storage", at="torch"),
    ),
    row(
        "conv-huge-weight",
        "c = torch.nn.Conv2d(10**4, 10**4, 10)",
        limit("max_tensor_elements", at="torch"),
    ),
    row(
        "conv-huge-padding",
        "c = torch.nn.Conv2d(1, 1, 1, padding=10**4)\ny = c(torch.ones(1, 1, 1, 1))",
        limit("max_tensor_elements", at="c(", line=2),
    ),
    row(
        "one-hot-huge",
        "v = torch.nn.functional.one_hot(torch.tensor([10**9]))",
        limit("max_tensor_elements", at="torch"),
    ),
    row(
        "in-place-version-read",
        "x = torch.ones(1)\nx.relu_()\nv = x._version",
        no("_version", at="x._version", line=3),
    ),
    # --- math, random, collections, torch.autograd.functional ---------------------------------
    row("random-inst", "import random\nr = random._inst", no("_inst", at="random._inst", line=2)),
    row(
        "random-getrandbits",
        "import random\nv = random.getrandbits(10**9)",
        no("getrandbits", at="random", line=2),
    ),
    row(
        "random-class",
        "import random\nr = random.Random(1)",
        no("random.Random", at="random", line=2),
    ),
    row(
        "random-method-self",
        "import random\nr = random.seed.__self__",
        no("__self__", at="random", line=2),
    ),
    row(
        "random-sample-huge",
        "import random\nv = random.sample(range(10**9), 10**8)",
        limit("max_sequence_len", at="random.sample", line=2),
    ),
    row(
        "math-factorial",
        "import math\nv = math.factorial(10**6)",
        no("factorial", at="math", line=2),
    ),
    row("math-prod", "import math\nv = math.prod(range(10**9))", no("prod", at="math", line=2)),
    row("math-loader", "import math\nv = math.__loader__", no("__loader__", at="math", line=2)),
    row(
        "ordered-dict-huge",
        "from collections import OrderedDict\nd = OrderedDict((i, i) for i in range(10**9))",
        limit("max_loop_iterations", at="range", line=2),
    ),
    row("collections-deque", "from collections import deque", no("deque", at="from")),
    row("collections-abc", "import collections.abc", no("collections.abc", at="import")),
    row("import-numpy-ctypes", "import numpy.ctypeslib", no("numpy", at="import")),
    row("version-class", "v = torch.__version__.__class__", no("__class__", at="torch")),
    row(
        "jacobian-endless",
        "def f(x):\n    while True:\n        pass\n"
        "j = torch.autograd.functional.jacobian(f, torch.ones(2))",
        limit("max_loop_iterations", at="while", line=2),
    ),
    row(
        "jacobian-torch-internal",
        "j = torch.autograd.functional.jacobian(torch.Tensor.exp, torch.ones(2))",
        no("exp", at="torch.Tensor.exp"),
    ),  # --- issue 14, round 3: gradcheck, torch.func, saved tensors, scopes, classes ----------
    row(
        "gradcheck-endless",
        "from torch.autograd import gradcheck\ndef f(t):\n    while True:\n        pass\n"
        "x = torch.ones(2, dtype=torch.double, requires_grad=True)\ngradcheck(f, (x,))",
        limit("max_loop_iterations", at="while", line=3),
    ),
    row(
        "gradcheck-huge-input",
        "from torch.autograd import gradcheck\n"
        "x = torch.ones(10**6, dtype=torch.double, requires_grad=True)\ngradcheck(torch.sin, (x,))",
        limit("max_loop_iterations", at="gradcheck", line=3),
    ),
    row(
        "gradcheck-jacobian-bomb",
        "from torch.autograd import gradcheck\n"
        "x = torch.ones(1000, dtype=torch.double, requires_grad=True)\n"
        "gradcheck(lambda t: torch.outer(t, t), (x,))",
        limit("max_tensor_elements", at="gradcheck", line=3),
    ),
    row(
        "gradcheck-func-keyword",
        "x = torch.ones(1000, dtype=torch.double, requires_grad=True)\n"
        "torch.autograd.gradcheck(func=torch.outer, inputs=(x, x))",
        limit("max_tensor_elements", at="torch", line=2),
    ),
    row(
        "gradcheck-torch-internal",
        "x = torch.ones(3, dtype=torch.double, requires_grad=True)\n"
        "torch.autograd.gradcheck(torch.Tensor.zero_, (x,))",
        no("zero_", at="torch.Tensor.zero_", line=2),
    ),
    row(
        "vmap-huge-batch",
        "from torch.func import vmap\nx = torch.ones(1000, 1000)\n"
        "y = vmap(lambda r: torch.outer(r, r))(x)",
        limit("max_tensor_elements", at="torch.outer", line=3),
    ),
    row(
        "vmap-batch-times-expand",
        "from torch.func import vmap\nx = torch.ones(10**6, 1)\n"
        "y = vmap(lambda r: r.expand(100))(x)",
        limit("max_tensor_elements", at="r.expand", line=3),
    ),
    row(
        "vmap-nested-in-dims",
        "from torch.func import vmap\nx = torch.ones(1000, 1000)\n"
        "y = vmap(lambda p: torch.outer(p[0], p[0]), in_dims=((0, 0),))((x, x))",
        limit("max_tensor_elements", at="torch.outer", line=3),
    ),
    row(
        "vmap-over-dict",
        "from torch.func import vmap\nx = torch.ones(1000, 1000)\n"
        "y = vmap(lambda d: torch.outer(d['a'], d['a']))({'a': x})",
        limit("max_tensor_elements", at="torch.outer", line=3),
    ),
    row(
        "hessian-bomb",
        "from torch.func import hessian\nx = torch.ones(10000)\nh = hessian(lambda t: t.sum())(x)",
        limit("max_tensor_elements", at="hessian", line=3),
    ),
    row(
        "jacrev-bomb",
        "from torch.func import jacrev\nx = torch.ones(10000)\nj = jacrev(lambda t: t * 2)(x)",
        limit("max_tensor_elements", at="t * 2", line=3),
    ),
    row(
        "func-grad-endless",
        "from torch.func import grad\ndef f(t):\n    while True:\n        pass\n"
        "grad(f)(torch.ones(2))",
        limit("max_loop_iterations", at="while", line=3),
    ),
    row(
        "vmap-torch-internal",
        "from torch.func import vmap\nv = vmap(torch.Tensor.zero_)",
        no("zero_", at="torch.Tensor.zero_", line=2),
    ),
    row(
        "func-wrapped-dunder",
        "from torch.func import grad\ng = grad(torch.sin)\nprint(g.__wrapped__)",
        no("__wrapped__", at="g.__wrapped__", line=3),
    ),
    row(
        "vjp-fn-closure",
        "from torch.func import vjp\nout, fn = vjp(torch.sin, torch.ones(3))\nh = fn.__closure__",
        no("__closure__", at="fn.__closure__", line=3),
    ),
    row(
        "func-functional-call",
        "import torch.func\nf = torch.func.functional_call",
        no("functional_call", at="torch.func", line=2),
    ),
    row(
        "saved-assign",
        "x = torch.ones(2, requires_grad=True)\ny = x.exp()\n"
        "y.grad_fn._saved_result = torch.zeros(2)",
        no("read-only", at="y.grad_fn", line=3),
    ),
    row(
        "saved-raw",
        "x = torch.ones(2, requires_grad=True)\ny = x.exp()\nr = y.grad_fn._raw_saved_result",
        no("_raw_saved_result", at="y.grad_fn", line=3),
    ),
    row(
        "saved-dunder",
        "x = torch.ones(2, requires_grad=True)\ny = x.exp()\nc = y.grad_fn._saved_result.__class__",
        no("__class__", at="y.grad_fn", line=3),
    ),
    row(
        "accumulate-variable-assign",
        "x = torch.ones(2, requires_grad=True)\nacc = (x * 2).grad_fn.next_functions[0][0]\n"
        "acc.variable = torch.zeros(2)",
        no("assigning", at="acc.variable", line=3),
    ),
    row(
        "saved-hooks-endless-unpack",
        "def pack(t):\n    return t\ndef unpack(t):\n    while True:\n        pass\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "with torch.autograd.graph.saved_tensors_hooks(pack, unpack):\n    y = x.exp()\n"
        "y.sum().backward()",
        limit("max_loop_iterations", at="while", line=4),
    ),
    row(
        "saved-hooks-torch-internal",
        "h = torch.autograd.graph.saved_tensors_hooks(torch.Tensor.zero_, print)",
        no("zero_", at="torch.Tensor.zero_"),
    ),
    row(
        "saved-hooks-other-context",
        "with torch.autograd.graph.disable_saved_tensors_hooks('no'):\n    pass",
        no("disable_saved_tensors_hooks", at="torch"),
    ),
    row(
        "class-attr-torch-module",
        "torch.nn.Module.x = 1",
        no("assigning 'Module.x'", at="torch"),
    ),
    row("class-attr-object", "object.x = 1", no("assigning 'object.x'", at="object")),
    row("class-attr-type", "type.x = 1", no("assigning", at="type")),
    row(
        "class-attr-own-mro",
        "class A:\n    pass\nA.mro = 1",
        no("assigning 'A.mro'", at="A.mro", line=3),
    ),
    row(
        "class-attr-through-type",
        "class A:\n    pass\ntype(A).x = 1",
        no("assigning 'type.x'", at="type", line=3),
    ),
    row(
        "class-attr-forward-of-base",
        "class M(torch.nn.Module):\n    pass\nM.parameters = 1",
        no("assigning 'M.parameters'", at="M.parameters", line=3),
    ),
    row(
        "class-of-instance-assign",
        "class A:\n    pass\na = A()\na.__class__ = int",
        no("__class__", at="a.__class__", line=4),
    ),
    row(
        "del-library-method",
        "del torch.nn.Linear.forward",
        no("deleting 'Linear.forward'", at="torch.nn.Linear"),
    ),
    row("del-object-attribute", "del object.mro", no("deleting 'object.mro'", at="object")),
    row(
        "del-dunder-init",
        "class A:\n    pass\ndel A.__init__",
        no("__init__", at="A.__init__", line=3),
    ),
    row(
        "del-module-item",
        "m = torch.nn.Sequential(torch.nn.ReLU())\ndel m[0]",
        no("deleting items not allowed on Sequential", at="m[0]", line=2),
    ),
    row(
        "nonlocal-private",
        "def f():\n    def g():\n        nonlocal __builtins__",
        no("nonlocal name", at="nonlocal", line=3),
    ),
    row(
        "global-parameter",
        "def f(torch):\n    global torch",
        syntax("parameter and global", at="global", line=2),
    ),
    row(
        "global-after-use",
        "def f():\n    print(torch)\n    global torch",
        syntax("used prior to global declaration", at="global", line=3),
    ),
    row(
        "state-dict-metadata",
        "m = torch.nn.Linear(2, 2)\nsd = m.state_dict()\nx = sd._metadata",
        no("_metadata", at="sd._metadata", line=3),
    ),
    row(
        "generators-state-bomb",
        "a = [torch.Generator() for i in range(9000)]\n"
        "b = [torch.Generator() for i in range(9000)]",
        limit("max_allocated_elements", at="torch.Generator", line=2),
    ),
    row(
        "generator-get-state-giant",
        "g = torch.Generator()\nstates = [g.get_state() for i in range(9000)]",
        limit("max_live_elements", at="states", line=2),
    ),
    row("generator-seed", "g = torch.Generator()\ng.seed()", no(".seed", at="g.seed", line=2)),
    row(
        "generator-method-replaced",
        "g = torch.Generator()\ng.manual_seed = print",
        no("assigning", at="g.manual_seed", line=2),
    ),
    row(  # `list` is the type itself now; calling it, however reached, stays bounded
        "type-of-list-called",
        "x = type([])(range(10**9))",
        limit("max_sequence_len", at="type"),
    ),
    row(
        "ordered-dict-fromkeys",
        "from collections import OrderedDict\nd = OrderedDict.fromkeys(range(10**9))",
        no("fromkeys", at="OrderedDict.fromkeys", line=2),
    ),
    row(
        "dual-level-enter",
        "import torch.autograd.forward_ad as fwAD\nfwAD.enter_dual_level()",
        no("enter_dual_level", at="fwAD", line=2),
    ),
    row(
        "module-apply-endless",
        "m = torch.nn.Linear(2, 2)\ndef f(mod):\n    while True:\n        pass\nm.apply(f)",
        limit("max_loop_iterations", at="while", line=3),
    ),
    row(
        "module-apply-torch-internal",
        "m = torch.nn.Linear(2, 2)\nm.apply(torch.nn.Module.zero_grad)",
        no("zero_grad", at="torch.nn.Module.zero_grad", line=2),
    ),
    # --- torchvision.transforms: no files, no program functions, sized before running ---------
    row(
        "vision-resize-huge",
        TV + "y = transforms.Resize((10**5, 10**5))(torch.rand(1, 2, 2))",
        limit("max_tensor_elements", at="transforms", line=2),
    ),
    row(
        "vision-resize-int-huge",
        TV + "y = transforms.Resize(10**4)(torch.rand(3, 2, 4))",
        limit("max_tensor_elements", at="transforms", line=2),
    ),
    row(
        "vision-random-resized-crop-huge",
        TV + "t = transforms.RandomResizedCrop(10**5)\ny = t(torch.rand(3, 8, 8))",
        limit("max_tensor_elements", at="t", line=3),
    ),
    row(
        "vision-random-crop-padding-huge",
        TV + "y = transforms.RandomCrop(2, padding=10**5)(torch.rand(1, 4, 4))",
        limit("max_tensor_elements", at="transforms", line=2),
    ),
    row(
        "vision-compose-resize-in-pil",
        TV + "t = transforms.Compose([transforms.ToPILImage(), transforms.Resize(5000)])\n"
        "y = t(torch.rand(3, 4, 4))",
        limit("max_tensor_elements", at="t", line=3),
    ),
    row(
        "vision-topil-huge-tensor",
        TV + "img = transforms.ToPILImage()(torch.zeros(1, 10**4, 10**4))",
        limit("max_tensor_elements", at="torch.zeros", line=2),
    ),
    row(
        "vision-lambda",
        TV + "t = transforms.Lambda(lambda x: x)",
        no("transforms.Lambda", at="transforms", line=2),
    ),
    row(
        "vision-compose-of-function",
        TV + "def f(x):\n    return x\nt = transforms.Compose([f])",
        no("Compose", at="transforms", line=4),
    ),
    row(
        "vision-constructor-takes-callable",
        TV + "t = transforms.Resize(3, interpolation=print)",
        no("Resize", at="transforms", line=2),
    ),
    row(
        "vision-transform-on-list",
        TV + "y = transforms.ToTensor()([[1, 2]])",
        no("ToTensor", at="transforms", line=2),
    ),
    row(
        "vision-transform-dunder-call",
        TV + "t = transforms.ToTensor()\nc = t.__call__",
        no("__call__", at="t.__call__", line=3),
    ),
    row(
        "vision-transform-dict",
        TV + "t = transforms.Resize(3)\nd = t.__dict__",
        no("__dict__", at="t.__dict__", line=3),
    ),
    row(
        "vision-transform-private",
        TV + "t = transforms.Resize(3)\nm = t._modules",
        no("_modules", at="t._modules", line=3),
    ),
    row(
        "vision-transform-attribute",
        TV + "t = transforms.Compose([transforms.ToTensor()])\nl = t.transforms",
        no("transforms", at="t.transforms", line=3),
    ),
    row(
        "vision-module-apply",
        TV + "t = transforms.Resize(3)\nt.apply(print)",
        no("apply", at="t.apply", line=3),
    ),
    row(
        "vision-functional",
        TV + "f = transforms.functional",
        no("functional", at="transforms", line=2),
    ),
    row("vision-import-io", "import torchvision.io", no("torchvision.io", at="import")),
    row("vision-import-datasets", "from torchvision import datasets", no("datasets", at="from")),
    row(
        "vision-import-models",
        "import torchvision.models as m",
        no("torchvision.models", at="import"),
    ),
    row(
        "vision-functional-import",
        "from torchvision.transforms import functional",
        no("functional", at="from"),
    ),
    row("vision-import-pil", "from PIL import Image", no("PIL", at="from")),
    row("vision-import-pil-module", "import PIL.Image", no("PIL", at="import")),
    row(
        "vision-datasets-attribute",
        "import torchvision\nd = torchvision.datasets",
        no("datasets", at="torchvision", line=2),
    ),
    row(
        "vision-compose-list-grown-by-a-function",
        TV + "steps = [transforms.ToTensor()]\nc = transforms.Compose(steps)\n"
        "steps.append(lambda t: t)\ny = c(torch.rand(2, 2, 1).numpy())",
        no("Compose holding a function", at="c", line=5),
    ),
    row(
        "vision-compose-holding-itself",
        TV + "steps = [transforms.ToTensor()]\nc = transforms.Compose(steps)\n"
        "steps.append(c)\ny = c(torch.rand(2, 2, 1).numpy())",
        no("nested", at="c", line=5),
    ),
    row(
        "vision-compose-of-many-steps",
        TV + "steps = [transforms.ToPILImage(), transforms.ToTensor()] * 50000\n"
        "y = transforms.Compose(steps)(torch.rand(1, 2, 2))",
        limit("max_run_seconds", line=3, server="clock"),
    ),
    row(
        "vision-transform-in-sequential",
        TV + "seq = torch.nn.Sequential(transforms.Resize(10**5))\ny = seq(torch.rand(1, 2, 2))",
        no("Sequential holding a Resize", at="torch.nn.Sequential", line=2),
    ),
    row(
        "vision-transform-in-sequential-dict",
        TV + "from collections import OrderedDict\n"
        "seq = torch.nn.Sequential(OrderedDict([('r', transforms.RandomResizedCrop(10**5))]))",
        no("Sequential holding a RandomResizedCrop", at="torch.nn.Sequential", line=3),
    ),
    row(
        "vision-transform-size-assigned",
        TV + "t = transforms.Resize(2)\nt.size = 10**5",
        no("size", at="t.size", line=3),
    ),
    row(
        "vision-image-save",
        TV + "img = transforms.ToPILImage()(torch.rand(3, 2, 2))\nimg.save('out.png')",
        no("save", at="img.save", line=3),
    ),
    row(
        "vision-image-tobytes",
        TV + "img = transforms.ToPILImage()(torch.rand(3, 2, 2))\nb = img.tobytes()",
        no("tobytes", at="img.tobytes", line=3),
    ),
    row(
        "vision-image-filename",
        TV + "img = transforms.ToPILImage()(torch.rand(3, 2, 2))\nf = img.filename",
        no("filename", at="img.filename", line=3),
    ),
    row(
        "vision-image-copy",
        TV + "img = transforms.ToPILImage()(torch.rand(3, 2, 2))\nc = img.copy()",
        no("copy", at="img.copy", line=3),
    ),
]


@dataclass(frozen=True)
class Sandbox:
    server: Server
    before: dict[str, tuple[int, int]]
    root_before: frozenset[str]


CACHES = frozenset({".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"})


def listing(*dirs: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `dirs`: path → (mtime in ns, size)."""
    seen: dict[str, tuple[int, int]] = {}
    for top in dirs:
        for folder, subdirs, files in os.walk(top):
            for name in subdirs + files:
                stat = (Path(folder) / name).lstat()
                seen[str(Path(folder) / name)] = (stat.st_mtime_ns, stat.st_size)
    return seen


def root_entries() -> frozenset[str]:
    return frozenset(p.name for p in ROOT.iterdir() if p.name not in CACHES)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with serve(tmp_path_factory.mktemp("sandbox"), {}) as server:
        before = listing(server.cwd, server.tmp, server.home)
        yield Sandbox(server, before, root_entries())


@pytest.fixture(scope="module")
def clock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("clock"), CLOCK) as server:
        yield server


def send(url: str, payload: str | Body) -> httpx.Response:
    endpoint = f"{url}/api/v1/run"
    if isinstance(payload, str):
        return httpx.post(endpoint, json={"source": payload}, timeout=60)
    if payload.data is not None:
        return httpx.post(endpoint, json=payload.data, timeout=60)
    headers = {"content-type": payload.content_type}
    return httpx.post(endpoint, content=payload.raw, headers=headers, timeout=60)


def expected_col(payload: str | Body, expect: Expect) -> int | None:
    """The column where `expect.at` starts on the expected line, in characters, 0-based."""
    if expect.at is None or not isinstance(payload, str) or expect.line is None:
        return None
    text = payload.replace("\r\n", "\n").split("\n")[expect.line - 1]
    assert expect.at in text, f"row error: {expect.at!r} is not on line {expect.line}"
    return text.index(expect.at)


@pytest.mark.parametrize(("payload", "expect"), HOSTILE)
def test_hostile_program_is_refused(
    sandbox: Sandbox, clock: Server, payload: str | Body, expect: Expect
) -> None:
    server = clock if expect.server == "clock" else sandbox.server
    response = send(server.url, payload)
    assert response.status_code in expect.status, response.text
    # every hostile program is answered within the wall-time limit and a second
    assert response.elapsed.total_seconds() < DEFAULTS.max_run_seconds + 1
    detail = json.loads(response.content)
    assert detail["kind"] == expect.type, detail
    assert detail["detail"], detail
    assert not expect.says or any(word in detail["detail"] for word in expect.says), detail
    if expect.type in ("not_allowed", "syntax", "limit"):
        assert {"detail", "line", "col"} <= detail.keys(), detail
    if expect.line is not None:
        assert detail["line"] == expect.line, detail
    col = expected_col(payload, expect)
    if col is not None:
        assert detail["col"] == col, detail
    if expect.limit is not None:
        value = float(CLOCK[expect.limit]) if expect.server == "clock" else None
        assert detail["limit"] == expect.limit, detail
        assert detail["value"] == (value or getattr(DEFAULTS, expect.limit)), detail


def test_table_is_large_and_positions_are_checked() -> None:
    assert len(HOSTILE) >= 300
    ids = [param.id for param in HOSTILE]
    assert len(set(ids)) == len(ids)
    with_position = [p for p in HOSTILE if p.values[1].at is not None]
    assert len(with_position) >= len(HOSTILE) // 2


def run_8_and_3(url: str) -> dict[str, Any]:
    source = (
        "import torch\n"
        "x = torch.tensor(3., requires_grad=True)\n"
        "y = torch.tensor(6., requires_grad=True)\n"
        "z = 2*x + x*y\n"
        "z.backward()\n"
    )
    response = httpx.post(f"{url}/api/v1/run", json={"source": source}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_after_the_table_nothing_was_written_and_runs_still_give_8_and_3(
    sandbox: Sandbox, clock: Server
) -> None:
    # Runs after the table (pytest keeps the file's order) on the servers that received it.
    server = sandbox.server
    assert listing(server.cwd, server.tmp, server.home) == sandbox.before
    assert root_entries() <= sandbox.root_before
    for url in (server.url, clock.url):
        data = run_8_and_3(url)
        assert data["ok"] is True
        assert (data["tensors"]["x"]["grad"], data["tensors"]["y"]["grad"]) == (8.0, 3.0)


# Programs that only look suspicious: each runs (200).
ACCEPTED = [
    pytest.param("open = 1\nprint(open)", id="variable-named-open"),
    pytest.param("eval = torch.tensor(2.)\nexec = eval * 3", id="variables-named-eval-exec"),
    pytest.param("getattr = 3\nprint(getattr)", id="variable-named-getattr"),
    pytest.param("α = torch.tensor(1.)", id="greek-name"),
    pytest.param("𝑥 = torch.tensor(2.)", id="math-italic-name"),
    pytest.param("y = " + "(" * 20 + "1" + ")" * 20, id="20-parentheses"),
    pytest.param("x = torch.zeros(999, 1000)", id="999x1000-tensor"),
    pytest.param("x = torch.ones(1000, 1000)", id="1000x1000-tensor"),
    pytest.param("s = \"__import__('os')\"\nprint(s)", id="string-with-dunder-import"),
    pytest.param("# import os\nx = 1", id="comment-import-os"),
    pytest.param(LEAF.replace("\n", "\r\n") + "y = x * 2\r\ny.backward()\r\n", id="crlf"),
    pytest.param(LEAF + "y = x * x; y.backward(); print(x.grad)", id="semicolons"),
    pytest.param('"""Mentions eval and open."""\nx = torch.tensor(1.)', id="docstring"),
    pytest.param(LEAF + "x", id="lone-expression"),
    pytest.param("print('eval(1)', 'open', '__class__')", id="suspicious-strings"),
    pytest.param("my_var = 1\nx_ = my_var + 1", id="underscore-inside-names"),
    pytest.param("n = 2**4000", id="big-but-allowed-int"),
    pytest.param(
        "import torch\nimport torch.nn.functional as F\nfrom torch import nn", id="allowed-imports"
    ),
    pytest.param(LEAF + "with torch.no_grad():\n    y = x * 2", id="no-grad-block"),
    pytest.param("for i in range(100):\n    pass", id="short-loop"),
    pytest.param("if __name__ == '__main__':\n    print(__name__)", id="main-guard"),
    pytest.param("print('{} {:.2f} {n!r}'.format('a', 1.5, n=[1]))", id="str-format"),
    pytest.param(
        "import torch.utils.data.dataset as Dataset\nclass D(Dataset.Dataset):\n    pass",
        id="dataset-module-alias",
    ),
    pytest.param("a = []\na.append(a)\nprint(a, a == a)", id="list-holding-itself"),
    pytest.param("t = 0\nfor i in range(99):\n    t = (t,)\nprint(t)", id="tuple-99-deep"),
    pytest.param(
        "a = [1]\nfor i in range(12):\n    a = [a, a]\nprint(len(str(a)))", id="small-dag"
    ),
    pytest.param("l = [[1, 2]] * 1000\nprint(len(sum(l, [])))", id="sum-of-lists"),
    pytest.param("x = torch.zeros([1] * 32)", id="32-dimensions"),
    pytest.param("x = torch.ones(3, requires_grad=True)\nx.grad = torch.ones(3)", id="set-grad"),
    pytest.param(GRAPH + "print(len(y.grad_fn.metadata))", id="metadata-read"),
    pytest.param("print(round(123456, -3), round(2**4000, -1000) > 0)", id="round-allowed"),
    pytest.param("_ = 1\nfor _ in range(2):\n    pass", id="underscore-alone"),
    pytest.param("class type_:\n    mro = 1\nprint(type_.mro)", id="class-attribute-named-mro"),
    pytest.param(
        "s = 'ctypes'\nd = {'tofile': 1}\nprint(d['tofile'], s)", id="numpy-words-as-data"
    ),
    pytest.param(
        "try:\n    x = 1 / 0\nexcept ZeroDivisionError as e:\n    print('caught', e)",
        id="try-except",
    ),
    pytest.param(
        TV + "img = transforms.ToPILImage()(torch.rand(3, 2, 2))\nprint(img.size, img.mode)",
        id="vision-image-size-and-mode",
    ),
]


@pytest.mark.parametrize("source", ACCEPTED)
def test_suspicious_looking_program_is_accepted(run_api: RunApi, source: str) -> None:
    status, data = run_api(source)
    assert status == 200, data
    assert data["ok"] is True, data["error"]


def test_names_are_nfkc_normalised_and_kept_in_unicode(run_api: RunApi) -> None:
    status, data = run_api("α = torch.tensor(1.)\n𝑥 = α * 2")
    assert status == 200, data
    assert set(data["tensors"]) == {"α", "x"}


def test_large_tensor_is_summarised(run_api: RunApi) -> None:
    status, data = run_api("x = torch.zeros(999, 1000)")
    assert status == 200, data
    x = data["tensors"]["x"]
    assert x["shape"] == [999, 1000] and x["value"] is None and x["truncated"] is True


def test_lone_expression_shows_its_value(run_api: RunApi) -> None:
    status, data = run_api("x = torch.tensor(2.)\nx")
    assert status == 200, data
    assert data["steps"][-1]["output"] == "tensor(2.)\n"


def test_crlf_and_semicolons_give_pytorch_gradients(run_api: RunApi) -> None:
    status, data = run_api(LEAF.replace("\n", "\r\n") + "y = x * x; y.backward()\r\n")
    assert status == 200, data
    assert data["tensors"]["x"]["grad"] == 6.0


def test_nan_and_infinities_come_back_as_json_strings(http: httpx.Client) -> None:
    source = (
        "x = torch.tensor([float('nan'), float('inf'), -float('inf')], requires_grad=True)\n"
        "y = (x * 2).sum()\n"
        "y.backward()\n"
        "z = torch.tensor(0., requires_grad=True)\n"
        "w = torch.sqrt(z)\n"
        "w.backward()\n"
        "n = torch.tensor(-1.).log()\n"
    )
    response = http.post("/api/v1/run", json={"source": source})
    assert response.status_code == 200, response.text
    data = json.loads(response.content)  # strict: Python's json accepts NaN, so check the text
    assert b"NaN" not in response.content and b"Infinity" not in response.content
    tensors = data["tensors"]
    assert tensors["x"]["value"] == ["nan", "inf", "-inf"]
    assert tensors["x"]["grad"] == [2.0, 2.0, 2.0]
    assert tensors["z"]["grad"] == "inf"
    assert tensors["n"]["value"] == "nan"


def test_printed_text_carries_no_heap_address(run_api: RunApi) -> None:
    source = (
        GRAPH + "def f():\n    pass\nprint(print, torch.ones, y.grad_fn, x.sum, f)\n"
        "print(repr(print), str(f), f'{f}', '%s' % f)\ny.grad_fn\n"
        # names that hold brackets themselves: a lambda, a closure, a program's class
        "g = lambda: 1\ndef outer():\n    def inner():\n        pass\n    return inner\n"
        "class C:\n    pass\nprint(g, outer(), C(), [g], {'k': C()})\n"
    )
    status, data = run_api(source)
    assert status == 200, data
    text = "".join(step["output"] for step in data["steps"])
    assert "0x" not in text and "<MulBackward0 object>" in text, text
    assert "<function <lambda>>" in text and "outer.<locals>.inner>" in text, text


def test_recording_the_graph_does_not_change_a_batched_grad(run_api: RunApi) -> None:
    source = (
        "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * x\n"
        "g = torch.autograd.grad(y, x, torch.eye(2), is_grads_batched=True)\nprint(g)\n"
    )
    answers = [run_api(source, formats=formats) for formats in ([], ["graph", "svg"])]
    for status, data in answers:
        assert status == 200 and data["ok"] is True, data
    outputs = ["".join(step["output"] for step in data["steps"]) for _, data in answers]
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    expected = torch.autograd.grad(x * x, x, torch.eye(2), is_grads_batched=True)
    assert outputs[0] == outputs[1] == f"{expected}\n"
