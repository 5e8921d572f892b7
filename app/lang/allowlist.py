"""The allow-list: every name, attribute and module member a program may use, as plain strings.

The language checks programs against these sets on the AST before anything runs; the engine
resolves the same names to torch objects. Grow the lists as lessons need, never by a wildcard.
Anything not listed here is refused by name.
"""

from __future__ import annotations

# Python modules (engine/pymodules.py). No factorial/comb/prod/fsum/choices/getrandbits.
MATH_MEMBERS = frozenset(
    """
    pi e tau inf nan sqrt exp log log2 log10 log1p expm1 sin cos tan asin acos atan atan2
    sinh cosh tanh erf floor ceil fabs pow isclose isnan isinf isfinite hypot degrees radians
    trunc copysign
    """.split()
)
RANDOM_MEMBERS = frozenset(
    "seed random randint randrange uniform gauss normalvariate shuffle choice".split()
)

# Members reachable as `torch.<name>`; dtypes are members too.
TORCH_DTYPES = frozenset(
    "float32 float float64 double float16 half bfloat16 int64 long int32 int int16 int8 "
    "uint8 bool complex64 complex128".split()
)
TORCH_FUNCTIONS = frozenset(
    """
    tensor as_tensor ones zeros ones_like zeros_like full full_like rand rand_like randn
    randn_like randint randperm normal arange linspace eye manual_seed
    exp log sin cos tan tanh sigmoid relu matmul mm mv bmm dot outer sum mean prod std var
    pow sqrt rsqrt abs max min maximum minimum argmax argmin cat stack where clamp clip
    softmax log_softmax square neg add sub mul div exp2 log2 log10 log1p expm1 sinh cosh
    asin acos atan atan2 erf floor ceil round sign cumsum norm allclose equal isnan isfinite
    reshape flatten squeeze unsqueeze transpose permute t tril triu diag trace sort topk
    logsumexp numel is_tensor is_grad_enabled get_default_dtype no_grad enable_grad
    set_grad_enabled broadcast_shapes Size device inference_mode from_numpy Generator vmap
    abs_ acos_ asin_ atan_ ceil_ clamp_ clip_ cos_ cosh_ erf_ exp2_ exp_ expm1_ floor_ log10_
    log1p_ log2_ log_ neg_ relu_ round_ rsqrt_ sigmoid_ sin_ sinh_ sqrt_ square_ tan_ tanh_
    """.split()
)
# Reachable but not callable: used with isinstance() and for display only.
# The legacy constructors are called only with data (`torch.Tensor([1, 2])`, library.py):
# `torch.Tensor(2, 3)` would hand out uninitialised memory.
TORCH_TYPES = frozenset(
    {"Tensor", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor"}
)
TORCH_SUBMODULES = frozenset({"nn", "autograd", "cuda", "optim", "utils", "func"})
# Base classes a program's `class` may extend (not callable themselves).
CLASS_BASES = frozenset({"Module", "Dataset", "Function"})

SUBMODULE_MEMBERS: dict[str, frozenset[str]] = {
    "torch.autograd": frozenset(
        """
        grad backward Function Variable functional gradcheck gradgradcheck forward_ad graph
        """.split()
    ),
    # `with torch.autograd.graph.saved_tensors_hooks(pack, unpack):` (engine/callbacks.py)
    "torch.autograd.graph": frozenset({"saved_tensors_hooks"}),
    # Dual numbers for forward-mode AD: `with fwAD.dual_level():` (interpreter.py).
    "torch.autograd.forward_ad": frozenset({"dual_level", "make_dual", "unpack_dual"}),
    # Each takes a function of the program, which torch calls back (evaluate.py wraps it).
    "torch.autograd.functional": frozenset({"jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"}),
    "torch.cuda": frozenset({"is_available", "device_count"}),
    # Function transforms: each takes a function of the program (engine/transforms.py).
    "torch.func": frozenset("grad grad_and_value vjp jvp jacrev jacfwd hessian vmap".split()),
    "torch.nn": frozenset(
        """
        functional init Linear Sequential ReLU Sigmoid Tanh Softmax Flatten MSELoss BCELoss
        BCEWithLogitsLoss CrossEntropyLoss Parameter Module Conv2d MaxPool2d Dropout NLLLoss
        """.split()
    ),
    "torch.nn.init": frozenset(
        """
        normal_ uniform_ zeros_ ones_ constant_ xavier_uniform_ xavier_normal_ kaiming_uniform_
        kaiming_normal_ trunc_normal_ orthogonal_ eye_ dirac_ calculate_gain
        """.split()
    ),
    "torch.nn.functional": frozenset(
        """
        relu sigmoid tanh softmax log_softmax mse_loss l1_loss cross_entropy nll_loss
        binary_cross_entropy binary_cross_entropy_with_logits linear gelu leaky_relu silu
        elu softplus normalize one_hot max_pool2d dropout
        """.split()
    ),
    "torch.optim": frozenset({"SGD", "Adam"}),
    "torch.utils": frozenset({"data"}),
    "torch.utils.data": frozenset(
        {"TensorDataset", "DataLoader", "Dataset", "dataset", "dataloader"}
    ),
    # the modules the classes live in: `import torch.utils.data.dataset as Dataset`, then
    # `class MyData(Dataset.Dataset)` and `DataLoader.DataLoader(...)`, as the notes write it
    "torch.utils.data.dataset": frozenset({"Dataset", "TensorDataset"}),
    "torch.utils.data.dataloader": frozenset({"DataLoader"}),
    # torchvision: only its transforms, run on tensors, arrays and the images they make (no
    # files: no io, datasets, models, Lambda or PIL; engine/vision.py sizes every call first)
    "torchvision": frozenset({"transforms"}),
    "torchvision.transforms": frozenset(
        """
        Compose ToTensor ToPILImage Normalize Resize CenterCrop RandomResizedCrop
        RandomHorizontalFlip RandomVerticalFlip RandomCrop Grayscale
        """.split()
    ),
}

# Modules a program may import (so real code pastes in), with the name each binds by default.
IMPORTABLE_MODULES = frozenset(
    {
        "torch", "torch.nn", "torch.nn.functional", "torch.autograd", "torch.optim",
        "torch.autograd.functional", "torch.nn.init", "torch.autograd.forward_ad",
        "torch.autograd.graph", "torch.func", "torch.utils.data", "torch.utils.data.dataset",
        "torch.utils.data.dataloader", "math", "random", "collections", "numpy",
        "torchvision", "torchvision.transforms",
    }
)  # fmt: skip
# `from X import Y` where X.Y is not itself importable with `import X.Y` (exactly these).
IMPORTABLE_FROM = frozenset(
    {
        "torch.utils.data", "torch.utils.data.TensorDataset", "torch.utils.data.DataLoader",
        "torch.utils.data.Dataset", "torch.autograd.Function", "torch.nn.Module",
        "torch.autograd.Variable", "collections.OrderedDict",
    }
)  # fmt: skip

TENSOR_PROPERTIES = frozenset(
    "grad data grad_fn is_leaf requires_grad shape dtype device T mT ndim is_cuda "
    "retains_grad".split()
)
TENSOR_SETTABLE = frozenset({"data", "grad", "requires_grad"})
TENSOR_METHODS = frozenset(
    """
    backward detach detach_ retain_grad requires_grad_ sum mean prod std var pow exp log sin
    cos tan tanh sigmoid relu sqrt rsqrt abs neg square reciprocal log1p expm1 exp2 log2
    log10 sinh cosh asin acos atan erf floor ceil round sign view view_as reshape reshape_as
    t item tolist zero_ fill_ clone matmul mm mv bmm dot outer unsqueeze squeeze max min
    maximum minimum argmax argmin norm softmax log_softmax logsumexp add sub mul div add_
    sub_ mul_ div_ pow_ neg_ abs_ sqrt_ exp_ clamp_ copy_ normal_ uniform_ clamp clip size
    dim numel nelement ndimension element_size float double half long int bool to cpu cuda
    type type_as expand expand_as repeat flatten permute transpose contiguous is_contiguous
    cumsum all any eq ne gt lt ge le equal allclose isnan isfinite masked_fill
    index_select gather split chunk unbind topk sort argsort tril triu diag trace
    new_zeros new_ones new_tensor new_full is_floating_point register_hook is_inference numpy
    acos_ asin_ atan_ ceil_ clip_ cos_ cosh_ cumsum_ eq_ erf_ exp2_ expm1_ floor_ ge_ gt_ le_
    log10_ log1p_ log2_ log_ lt_ masked_fill_ ne_ reciprocal_ relu_ round_ rsqrt_ sigmoid_
    sign_ sin_ sinh_ square_ squeeze_ t_ tan_ tanh_ transpose_ tril_ triu_ unsqueeze_
    resize_
    """.split()
)
HANDLE_ATTRIBUTES = frozenset({"remove"})
# A PIL image a transform made (`ToPILImage()(t)`): read its size and mode, or hand it to
# another transform; none of its methods (save, tobytes, ...).
IMAGE_ATTRIBUTES = frozenset({"size", "mode"})
# A torch.Generator of the program's own (no `seed`: it draws from the OS, and runs repeat).
GENERATOR_ATTRIBUTES = frozenset(
    {"manual_seed", "initial_seed", "get_state", "set_state", "device"}
)
# What `fwAD.unpack_dual(t)` gives (a named tuple).
DUAL_ATTRIBUTES = frozenset({"primal", "tangent"})
# numpy (engine/numpy_module.py): module members, and what an array offers. No `tofile`, `data`,
# `ctypes`, `repeat`, `dot` (sized only as np.dot), `view`, `base`, ...
NUMPY_MEMBERS = frozenset(
    """
    pi e inf nan newaxis float32 float64 int64 int32 bool_ array asarray zeros ones eye arange
    linspace full exp log sqrt sin cos tanh abs square maximum minimum clip sum mean max min
    argmax argmin round std var sign floor ceil dot matmul outer concatenate stack random seed
    shuffle rand randn normal uniform randint permutation
    """.split()
)
NDARRAY_ATTRIBUTES = frozenset(
    """
    shape dtype ndim size T astype reshape sum mean max min argmax argmin tolist item copy
    flatten transpose std var round
    """.split()
)
# `variable`: the leaf an AccumulateGrad node accumulates into. A node's `_saved_*` attributes
# are read-only and the only `_` names reachable (app/lang/checks.py, engine/access.py).
NODE_ATTRIBUTES = frozenset({"name", "next_functions", "metadata", "variable"})
SAVED_PREFIX = "_saved_"
RETURN_TYPE_ATTRIBUTES = frozenset({"values", "indices"})
SIZE_ATTRIBUTES = frozenset({"numel", "count", "index"})
DTYPE_ATTRIBUTES = frozenset({"is_floating_point", "is_complex", "itemsize"})
DEVICE_ATTRIBUTES = frozenset({"type", "index"})
# `extend` (like `dict.update`) takes its iterable in the evaluator first, bounded (_grown_by).
LIST_ATTRIBUTES = frozenset(
    {"append", "pop", "insert", "index", "count", "reverse", "clear", "copy", "extend"}
)
TUPLE_ATTRIBUTES = frozenset({"count", "index"})
# `join` is sized before it runs (evaluate.py); no `replace` or `format` (a width of 10⁹).
# `format` only with plain fields ({}, {0}, {name}): engine/strformat.py
STR_ATTRIBUTES = frozenset(
    {"upper", "lower", "strip", "startswith", "endswith", "join", "split", "format"}
)
# Set algebra takes any iterable and consumes it in C: not listed.
DICT_ATTRIBUTES = frozenset(
    {"items", "keys", "values", "get", "pop", "setdefault", "copy", "clear", "update"}
)
SET_ATTRIBUTES = frozenset({"add", "discard", "remove", "pop", "copy", "clear"})
EXCEPTION_ATTRIBUTES = frozenset({"args"})
FLOAT_ATTRIBUTES = frozenset({"is_integer", "real", "imag"})
# torch.nn modules (a Parameter is a Tensor and has the Tensor's attributes).
MODULE_ATTRIBUTES = frozenset(
    """
    weight bias parameters named_parameters zero_grad train eval requires_grad_ training
    in_features out_features in_channels out_channels kernel_size apply state_dict
    load_state_dict named_modules modules children named_children buffers named_buffers
    """.split()
)
OPTIMIZER_ATTRIBUTES = frozenset({"step", "zero_grad"})
DATASET_ATTRIBUTES = frozenset({"tensors"})
# The `ctx` of a program's torch.autograd.Function, and what its class offers.
CTX_ATTRIBUTES = frozenset(
    """
    save_for_backward saved_tensors needs_input_grad mark_dirty mark_non_differentiable
    set_materialize_grads
    """.split()
)
FUNCTION_CLASS_ATTRIBUTES = frozenset({"apply"})
LOADER_ATTRIBUTES = frozenset({"dataset", "batch_size", "drop_last", "generator"})

# Builtins a program may call. Everything else from Python's builtins is refused by name
# (unless the program binds that name itself: a variable called `open` is fine).
BUILTINS = frozenset(
    """
    print range len float int bool str abs min max sum round list tuple enumerate zip
    isinstance issubclass repr divmod pow all any sorted reversed type super object staticmethod
    set dict iter next id
    """.split()
)
# Exception classes a program may catch (`except RuntimeError as e:`) and raise.
EXCEPTIONS = frozenset(
    """
    Exception RuntimeError ValueError TypeError IndexError KeyError ZeroDivisionError
    AttributeError NameError StopIteration AssertionError ArithmeticError LookupError
    NotImplementedError UnboundLocalError
    """.split()
)
# `__name__` reads "__main__" (a program is the main script); it is never a place to store
CONSTANT_NAMES = frozenset({"True", "False", "None", "__name__"})

ALL_ATTRIBUTE_NAMES = (
    TORCH_DTYPES
    | TORCH_FUNCTIONS
    | TORCH_TYPES
    | TORCH_SUBMODULES
    | frozenset().union(*SUBMODULE_MEMBERS.values())
    | TENSOR_PROPERTIES
    | TENSOR_METHODS
    | NODE_ATTRIBUTES
    | RETURN_TYPE_ATTRIBUTES
    | SIZE_ATTRIBUTES
    | DTYPE_ATTRIBUTES
    | DEVICE_ATTRIBUTES
    | LIST_ATTRIBUTES
    | TUPLE_ATTRIBUTES
    | STR_ATTRIBUTES
    | FLOAT_ATTRIBUTES
    | MODULE_ATTRIBUTES
    | OPTIMIZER_ATTRIBUTES
    | DATASET_ATTRIBUTES
    | LOADER_ATTRIBUTES
    | DICT_ATTRIBUTES
    | SET_ATTRIBUTES
    | EXCEPTION_ATTRIBUTES
    | HANDLE_ATTRIBUTES
    | IMAGE_ATTRIBUTES
    | GENERATOR_ATTRIBUTES
    | DUAL_ATTRIBUTES
    | NUMPY_MEMBERS
    | NDARRAY_ATTRIBUTES
    | CTX_ATTRIBUTES
    | FUNCTION_CLASS_ATTRIBUTES
    | MATH_MEMBERS
    | RANDOM_MEMBERS
    | frozenset({"sample", "OrderedDict"})
)


def module_members(module: str) -> frozenset[str]:
    """Names `from module import name` may bind (besides the importable submodules)."""
    if module == "torch":
        return TORCH_FUNCTIONS | TORCH_DTYPES | TORCH_TYPES
    if module == "math":
        return MATH_MEMBERS
    if module == "random":
        return RANDOM_MEMBERS | {"sample"}
    if module == "collections":
        return frozenset({"OrderedDict"})
    if module == "numpy":
        return NUMPY_MEMBERS
    return SUBMODULE_MEMBERS.get(module, frozenset())
