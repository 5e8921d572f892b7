"""Problem details (RFC 9457): the one place an error body is built.

Every refusal and failure the service answers is a typed `Problem` — a program the language
refuses (`from_program_error`), a limit the interpreter, the worker or the pool hits (`limit`),
a request guard or an HTTP error (`request`), a busy or lost worker, a bug — and `encode` writes
its `application/problem+json` body. The worker and the pool build Problems here (they cannot
import the API); the API turns exceptions into Problems (app/api/errors.py) and re-encodes what a
worker answered with the request's `instance` and language (`localize`). Nobody else writes an
error body.

    {"type": "/docs/problems#limit", "title": "A limit was reached", "status": 422,
     "detail": "<what happened>", "instance": "/api/v1/run", "kind": "limit",
     "line": 3, "col": 4, "limit": "max_steps", "value": 10000, "hints": {"en": ..., "zh": ...}}

`kind` repeats the last part of `type` so clients can switch on a short name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/docs/problems#"

# kind → (status it usually comes with, title in English, title in Chinese)
KINDS: dict[str, tuple[int, str, str]] = {
    "syntax": (422, "The text is not a program", "这段文字不是程序"),
    "not_allowed": (422, "The language does not allow this", "语言不允许这样写"),
    "limit": (422, "A limit was reached", "超出了限制"),
    "device": (422, "The device is not available", "该设备不可用"),
    "request": (422, "The request is not valid", "请求无效"),
    "not_found": (404, "Not found", "未找到"),
    "method_not_allowed": (405, "Method not allowed", "不允许该方法"),
    "timeout": (408, "The request body did not arrive in time", "请求内容未按时到达"),
    "too_large": (413, "The request body is too large", "请求内容过大"),
    "rate_limited": (429, "Too many requests", "请求过多"),
    "busy": (503, "Every worker is busy", "所有工作进程都在忙"),
    "worker_lost": (503, "The worker stopped before it answered", "工作进程在回答前停止了"),
    "internal": (500, "Internal error", "内部错误"),
}
LANGUAGES = ("en", "zh")
_EXTRAS = ("limit", "value", "hints", "errors")
_STATUS_KINDS = {404: "not_found", 405: "method_not_allowed",
                 408: "timeout", 413: "too_large", 429: "rate_limited",
                 500: "internal"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    detail: str
    status: int = 0  # 0: the kind's usual status
    line: int | None = None
    col: int | None = None
    limit: str | None = None
    value: Any = None
    hints: dict[str, str] | None = None
    errors: list[dict[str, Any]] | None = None  # a request's field errors: {"loc", "msg"}
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def code(self) -> int:
        return self.status or KINDS[self.kind][0]


def from_program_error(exc: Any) -> Problem:
    """A `ProgramError` (app/lang/errors.py), duck-typed: this module imports no layer."""
    data = exc.to_dict()
    return Problem(
        kind=str(data["type"]),
        detail=str(data["message"]),
        line=data.get("line"),
        col=data.get("col"),
        limit=data.get("limit"),
        value=data.get("value"),
        hints=data.get("hints"),
    )


def limit(name: str, value: Any, detail: str) -> Problem:
    return Problem("limit", detail, limit=name, value=value)


def for_status(status: int, detail: str, headers: dict[str, str] | None = None) -> Problem:
    """An HTTP-level refusal (404, 405, 413, ...), its kind chosen by its status."""
    kind = _STATUS_KINDS.get(status, "request" if status < 500 else "internal")
    return Problem(kind, detail, status=status, headers=dict(headers or {}))


def to_json(problem: Problem, instance: str | None = None, lang: str = "en") -> dict[str, Any]:
    _status, english, chinese = KINDS[problem.kind]
    out: dict[str, Any] = {
        "type": TYPE_BASE + problem.kind,
        "title": chinese if lang == "zh" else english,
        "status": problem.code,
        "detail": _detail(problem, lang),
        "kind": problem.kind,
        "line": problem.line,
        "col": problem.col,
    }
    if instance is not None:
        out["instance"] = instance
    for name in _EXTRAS:
        if getattr(problem, name) is not None:
            out[name] = getattr(problem, name)
    return out


def _detail(problem: Problem, lang: str) -> str:
    """A refusal's `hints` that are its own message in both languages (app/lang/messages.py)
    give the detail in the reader's language; hints that say what to write instead do not."""
    hints = problem.hints or {}
    if lang != "en" and hints.get("en") == problem.detail and hints.get(lang):
        return hints[lang]
    return problem.detail


def encode(problem: Problem, instance: str | None = None, lang: str = "en") -> bytes:
    data = to_json(problem, instance, lang)
    return json.dumps(data, allow_nan=False, separators=(",", ":")).encode()


def from_json(data: dict[str, Any]) -> Problem:
    """What `to_json` wrote (a worker's answer, read back in the web process)."""
    kind = str(data.get("kind", "internal"))
    return Problem(
        kind=kind if kind in KINDS else "internal",
        detail=str(data.get("detail", "")),
        status=int(data.get("status") or 0),
        line=data.get("line"),
        col=data.get("col"),
        **{name: data.get(name) for name in _EXTRAS},
    )


def localize(body: bytes, instance: str | None, lang: str) -> bytes:
    """A worker's problem body with this request's `instance` and language."""
    return encode(from_json(json.loads(body)), instance, lang)


def choose_language(accept_language: str | None) -> str:
    """The first language of `Accept-Language` we write titles in (q-values in order)."""
    ranked = []
    for index, part in enumerate((accept_language or "").split(",")):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, name.strip().lower().split("-")[0]))
    for quality, _index, name in sorted(ranked):
        if quality < 0 and name in LANGUAGES:
            return name
    return "en"


def refusal_fields(data: dict[str, Any]) -> dict[str, Any]:
    """A problem body as the page's refusal view reads it: `type` is the kind, `message` the
    detail (app/web/build.py:refused_view)."""
    fields = {name: data.get(name) for name in ("line", "col", *_EXTRAS) if name in data}
    return {**fields, "type": data.get("kind", ""), "message": data.get("detail", "")}
