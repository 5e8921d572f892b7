"""A short hint, in English and Chinese, for the errors students meet most.

Matched on torch's (or Python's) own message; the message itself is always passed on verbatim.
"""

from __future__ import annotations

_HINTS: tuple[tuple[str, str, str], ...] = (
    (
        "Trying to backward through the graph a second time",
        "backward() frees the graph's saved tensors. Pass retain_graph=True to the first "
        "backward() if you need to call it again.",
        "backward() 之后计算图中保存的中间结果会被释放。如果还要再次反向传播，第一次调用时传入 "
        "retain_graph=True。",
    ),
    (
        "grad can be implicitly created only for scalar outputs",
        "backward() without arguments needs a scalar. Call .sum() first, or pass a gradient "
        "tensor of the same shape: y.backward(torch.ones_like(y)).",
        "不带参数的 backward() 只能用于标量。先调用 .sum()，或者传入同形状的 gradient："
        "y.backward(torch.ones_like(y))。",
    ),
    (
        "modified by an inplace operation",
        "A tensor that backward needs was changed in place (its version counter moved). Use an "
        "out-of-place op, or clone() before modifying.",
        "反向传播需要的张量被原地修改了（版本号变化）。改用非原地操作，或先 clone() 再修改。",
    ),
    (
        "does not require grad and does not have a grad_fn",
        "Nothing in this expression requires grad. Create the leaf with requires_grad=True, and "
        "do not compute it under torch.no_grad() or from a detach()ed tensor.",
        "这个表达式里没有需要梯度的张量。创建叶子张量时加 requires_grad=True，且不要在 "
        "torch.no_grad() 下或由 detach() 后的张量计算。",
    ),
    (
        "a leaf Variable that requires grad is being used in an in-place operation",
        "You cannot modify a leaf that requires grad in place. Wrap the update in "
        "`with torch.no_grad():` (or use .data).",
        "不能原地修改需要梯度的叶子张量。把更新放在 `with torch.no_grad():` 中（或使用 .data）。",
    ),
    (
        "Only Tensors of floating point and complex dtype can require gradients",
        "Gradients need floating point: write 3. instead of 3, or pass dtype=torch.float32.",
        "只有浮点（或复数）张量才能求梯度：写 3. 而不是 3，或者指定 dtype=torch.float32。",
    ),
    (
        "'NoneType' object has no attribute",
        "The value is None. A leaf's .grad is None until backward() has run; a non-leaf's "
        ".grad stays None unless you call retain_grad() before backward().",
        "这个值是 None。叶子张量在 backward() 之前 .grad 为 None；非叶子张量需要在 backward() "
        "之前调用 retain_grad() 才会保留 .grad。",
    ),
    (
        "Can't call numpy() on Tensor that requires grad",
        "Call .detach() first: x.detach().numpy().",
        "先调用 .detach()：x.detach().numpy()。",
    ),
    (
        "must match the size of tensor",
        "The shapes cannot be broadcast together. Check .shape of both operands.",
        "两个张量的形状无法广播。检查两个操作数的 .shape。",
    ),
    (
        "shapes cannot be multiplied",
        "Matrix multiplication needs the inner dimensions to agree: (n, k) @ (k, m).",
        "矩阵乘法要求内侧维度一致：(n, k) @ (k, m)。",
    ),
    (
        "expected scalar type",
        "The two tensors have different dtypes. Convert one with .float() or .to(other.dtype).",
        "两个张量的 dtype 不同。用 .float() 或 .to(other.dtype) 转换其中一个。",
    ),
    (
        "cannot access local variable",
        "A name assigned anywhere in a function is local to the whole function, so reading it "
        "before that assignment fails, even if a global has the same name. Pass the value in as "
        "a parameter and return the new one.",
        "函数里只要对某个名字赋过值，它在整个函数中就是局部变量，所以在赋值之前读取它会出错，"
        "即使外面有同名的全局变量。把这个值作为参数传进来，再把新值 return 出去。",
    ),
    (
        "required positional argument",
        "The call passes fewer arguments than the function has parameters without defaults.",
        "调用时传入的参数少于函数中没有默认值的参数个数。",
    ),
    (
        "is not defined",
        "This name has not been assigned yet. Check the spelling and the order of the lines.",
        "这个名字还没有被赋值。检查拼写和语句的顺序。",
    ),
)
_FALLBACK = (
    "PyTorch raised this error; the message above is PyTorch's own.",
    "这是 PyTorch 抛出的错误；上面的信息是 PyTorch 的原文。",
)


def hints_for(message: str) -> dict[str, str]:
    for needle, english, chinese in _HINTS:
        if needle in message:
            return {"en": english, "zh": chinese}
    return {"en": _FALLBACK[0], "zh": _FALLBACK[1]}
