"""Refusals in the reader's language: English is what the language raises; Chinese is made from
it by phrase rules, so every refusal of a shape (say, "X not allowed") reads in 中文 at once and
a new raise site of that shape needs no entry. Names, code and limits stay as written.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "zh")
_LANG_TAG = re.compile(r"\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?")

# (pattern, replacement), applied in order, each at most once. The whole-message shapes first,
# then the subjects of "... not allowed", then the tail every limit carries.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^import of '([^']*)' not allowed \(only (.*)\)$", r"不允许导入 '\1'（只能导入 \2）"),
        (r"^name '([^']*)' is not defined", r"名称 '\1' 未定义"),
        (r"^nonlocal declaration not allowed at module level", "模块顶层不允许 nonlocal 声明"),
        (r"^no binding for nonlocal '([^']*)' found", r"找不到 nonlocal '\1' 绑定的变量"),
        (r"^name '([^']*)' is parameter and (global|nonlocal)", r"名称 '\1' 既是参数又声明为 \2"),
        (r"^name '([^']*)' is nonlocal and global", r"名称 '\1' 既声明为 nonlocal 又声明为 global"),
        (r"^name '([^']*)' is used prior to (global|nonlocal) declaration",
         r"名称 '\1' 在 \2 声明之前已被使用"),
        (r"^name '([^']*)' is assigned to before (global|nonlocal) declaration",
         r"名称 '\1' 在 \2 声明之前已被赋值"),
        (r"^cannot delete starred", "不能删除带星号的目标"),
        (r"^(.+?) not allowed \(names starting with '_'\)",
         r"不允许使用 \1（名字不能以 '_' 开头）"),
        (r"^assigning (.+?) not allowed on (\w+)$", r"不允许在 \2 上赋值 \1"),
        (r"^(.+?) not allowed on (\w+)$", r"不允许在 \2 上使用 \1"),
        (r"^(.+?) not allowed here \((.*)\)$", r"此处不允许 \1（\2）"),
        (r"^(.+?) not allowed \(([^)]*)\): (.*)$", r"不允许 \1（\2）：\3"),
        (r"^(.+?) not allowed: (.*)$", r"不允许 \1：\2"),
        (r"^(.+?) not allowed \((.*)\)$", r"不允许 \1（\2）"),
        (r"^(.+?) not allowed$", r"不允许 \1"),
        (r"^only (.+) (?:are|is) allowed$", r"只允许 \1"),
        (r"^keyword argument repeated: (.*)$", r"关键字参数重复：\1"),
        (r"^(?:the )?program has (\d+) characters", r"程序有 \1 个字符"),
        (r"^the math text has (\d+) characters", r"数学式有 \1 个字符"),
        (r"^input '([^']*)' has (\d+) elements", r"输入 '\1' 有 \2 个元素"),
        (r"^the program is empty", "程序是空的"),
        (r"^(?:the )?program (?:with its inputs )?is too large", "程序太大"),
        (r"^(?:the )?program is nested too deeply(?: for the parser)?", "程序嵌套太深"),
        (r"^the expression is nested too deeply; split it over several lines",
         "表达式嵌套太深；请拆成几行"),
        (r"^(?:too many nested calls|calls nest too deeply for the interpreter)",
         "函数调用嵌套太深"),
        (r"^(?:integer literal|this integer) is too large", "整数太大"),
        (r"^invalid syntax", "语法错误"),
        (r"^a sequence of (\d+) items is too long", r"序列有 \1 项，太长"),
        (r"^a tensor of (\d+) elements is too large", r"张量有 \1 个元素，太大"),
        (r"^a tensor of (\d+) dimensions", r"张量有 \1 个维度"),
        (r"^(\d+) tensor elements are bound to names", r"变量中共有 \1 个张量元素"),
        (r"^an integer would be too large", "整数会太大"),
        (r"^(.+?) (?:of|over) a value of (\d+) items \(shared sublists counted each time\)",
         r"\1：值有 \2 项（共享的子列表每次都计数）"),
        (r"^the backward would compute about (\d+) gradient elements",
         r"反向传播将计算约 \1 个梯度元素"),
        (r"^the run created too many tensor elements", "运行创建的张量元素太多"),
        (r"^the run took too long", "运行时间太长"),
        (r"^too many backward calls", "backward 调用次数太多"),
        (r"^too many loop iterations", "循环次数太多"),
        (r"^too many operations", "运算次数太多"),
        (r"^too many statements executed", "执行的语句太多"),
        (r"^too much printed output", "打印的输出太多"),
        (r"^values nest too deeply", "值嵌套太深"),
        (r"^unexpected indent", "意外的缩进"),
        (r"^'(break|continue)' (?:outside loop|not properly in loop)", r"'\1' 不在循环中"),
        (r"^invalid character '(.)' \((U\+[0-9A-F]+)\)", r"无效字符 '\1'（\2）"),
        (r"^too many nested parentheses", "括号嵌套太多"),
        (r" \(limit (\w+) = ([^)]*)\)$", r"（限制 \1 = \2）"),
    )
)  # fmt: skip
# The subjects of "不允许 ..." in Chinese; the code itself (names, quotes) stays.
_SUBJECTS = (
    (re.compile(r"不允许 builtin "), "不允许内置函数 "),
    (re.compile(r"不允许 calling "), "不允许调用 "),
    (re.compile(r"不允许 assigning to "), "不允许赋值给 "),
    (re.compile(r"不允许 assigning items on "), "不允许给以下对象的元素赋值："),
    (re.compile(r"不允许 assigning "), "不允许赋值 "),
    (re.compile(r"不允许 attribute "), "不允许属性 "),
    (re.compile(r"不允许 deleting items"), "不允许删除元素"),
    (re.compile(r"上使用 deleting items"), "上删除元素"),
    (re.compile(r"不允许 deleting "), "不允许删除 "),
    (re.compile(r"不允许 name "), "不允许名称 "),
    (re.compile(r"不允许 function name "), "不允许函数名 "),
    (re.compile(r"不允许 decorators"), "不允许装饰器"),
    (re.compile(r"不允许 annotations"), "不允许类型注解"),
    (re.compile(r"不允许 bytes literals"), "不允许 bytes 字面量"),
    (re.compile(r"不允许 nested function definitions \(def inside def\)"), "不允许嵌套定义函数"),
)


# What a refusal of each kind is, for a message no rule reads: "语法错误：<Python's message>".
_KINDS = {
    "syntax": "语法错误",
    "not_allowed": "不允许",
    "limit": "超出限制",
    "device": "设备不可用",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def in_language(message: str, lang: str, kind: str = "program") -> str:
    """The refusal `message` in `lang`; English (or an unknown language) is the message itself."""
    if lang != "zh":
        return message
    text = message
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text, count=1)
    for pattern, replacement in _SUBJECTS:
        text = pattern.sub(replacement, text, count=1)
    if not _CJK.search(text):  # a shape no rule knows yet still says what kind of refusal it is
        text = f"{_KINDS.get(kind, '程序被拒绝')}：{text}"
    return text


def preferred_language(header: str | None) -> str:
    """The first of our languages an Accept-Language header ranks highest; English otherwise."""
    best, best_q = "en", 0.0
    for part in (header or "").split(",")[:32]:  # a header is bounded; so is the work on it
        match = _LANG_TAG.fullmatch(part)
        if match is None:
            continue
        try:
            q = float(match[2]) if match[2] else 1.0
        except ValueError:
            continue
        tag = match[1].lower()
        if tag in LANGUAGES and q > best_q:
            best, best_q = tag, q
    return best
