"""The words a picture says, by language ("en", "zh"), and its palettes by background.

Torch's own names (ops such as MulBackward0, the student's variable names, the numbers) are never
translated: they are what the program and PyTorch's documentation say. Only our words around them
are: the row names, the legend and the summary a screen reader reads.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "shape": "shape",
        "value": "value",
        "grad": "grad",
        "flow": "∂",
        "step": "step",
        "large": "(large)",
        "freed": "saved tensors freed",
        "leaf": "leaf tensor",
        "intermediate": "intermediate",
        "output": "output",
        "constant": "constant / no grad",
        "detached": "detached",
        "op": "op (grad_fn)",
        "op_freed": "op, saved tensors freed",
        "error": "error here",
        "constant_edge": "- - ▷ constant input (no gradient)",
        "module": "module call (its ops inside)",
        "module_box": "module call, shut",
        "fold": "×N repeated iterations, folded",
        "line": "line {n}",
        "title": "Autograd graph",
        "summary": "{tensors} tensors, {ops} operations, {edges} edges",
        "outputs": "; output: {names}",
        "edge": "{source} → {target}",
        "edge_grad": "{source} → {target}, gradient {grad}",
        "iterations": "×{count} iterations",
        "lines": "lines {first}–{last}",
        "range": "{name} min {low} max {high}",
        "too_large": "value min {low} max {high} (too large to send)",
        "step_change": "step: max |Δ| {change}",
        "error_text": "{where}: {message}",  # torch's message says why, in English already
    },
    "zh": {
        "shape": "形状",
        "value": "值",
        "grad": "梯度",
        "flow": "∂",
        "step": "更新",
        "large": "（太大）",
        "freed": "保存的张量已释放",
        "leaf": "叶子张量",
        "intermediate": "中间结果",
        "output": "输出",
        "constant": "常量 / 无梯度",
        "detached": "已分离",
        "op": "运算（grad_fn）",
        "op_freed": "运算，保存的张量已释放",
        "error": "此处出错",
        "constant_edge": "- - ▷ 常量输入（无梯度）",
        "module": "模块调用（框内是它的运算）",
        "module_box": "模块调用（已收起）",
        "fold": "×N 次重复的迭代（已折叠）",
        "line": "第 {n} 行",
        "title": "自动求导计算图",
        "summary": "{tensors} 个张量，{ops} 个运算，{edges} 条边",
        "outputs": "；输出：{names}",
        "edge": "{source} → {target}",
        "edge_grad": "{source} → {target}，梯度 {grad}",
        "iterations": "×{count} 次迭代",
        "lines": "第 {first}–{last} 行",
        "range": "{name} 最小 {low} 最大 {high}",
        "too_large": "值 最小 {low} 最大 {high}（太大，未发送）",
        "step_change": "更新：最大 |Δ| {change}",
        # torch's message stays as torch wrote it (one can search for it), after our reason
        "error_text": "{where}：{reason}（PyTorch：{message}）",
        "reason_freed": "保存的张量已被之前的 backward 释放，这里又一次经过它反向传播",
        "reason_modified": "被原地修改，反向传播需要的是旧版本",
        "reason_saved_by": "它保存的张量后来被原地修改了",
        "reason_non_scalar": "对非标量输出调用了不带 gradient 的 backward()",
        "reason_no_grad": "对不需要梯度的张量调用了 backward()",
        "reason_non_leaf_grad": "读取了非叶子张量的 .grad：它是 None",
    },
}


def words(lang: str) -> dict[str, str]:
    """An unknown language reads English (the API validates `lang`; this is the fallback)."""
    return WORDS.get(lang, WORDS["en"])
