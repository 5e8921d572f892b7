"""Errors for programs the language refuses.

    ProgramError(kind, message, span)      any refusal; becomes a 422 at the API edge
     ├── ProgramSyntaxError   kind "syntax"     the text is not a program at all
     ├── NotAllowed           kind "not_allowed" a construct outside the allow-list
     ├── LimitExceeded        kind "limit"      a named limit was hit (before or during a run)
     └── DeviceUnavailable    kind "device"     the requested device is not on this machine

Errors raised *by torch or Python semantics* while a program runs are not ProgramErrors:
the engine records them as step errors (a result, not a refusal).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.lang.messages import in_language


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line, 0-based column (as `ast` reports them), end inclusive of nothing."""

    line: int
    col: int
    end_line: int | None = None
    end_col: int | None = None

    @classmethod
    def of(cls, node: object) -> Span | None:
        line = getattr(node, "lineno", None)
        if line is None:
            return None
        return cls(
            line=line,
            col=getattr(node, "col_offset", 0),
            end_line=getattr(node, "end_lineno", None),
            end_col=getattr(node, "end_col_offset", None),
        )


def char_column(lines: list[str] | tuple[str, ...], line: int, byte_col: int) -> int:
    """`ast` counts columns in UTF-8 bytes; editors and SyntaxError count characters."""
    if not 1 <= line <= len(lines):
        return byte_col
    encoded = lines[line - 1].encode("utf-8", errors="surrogatepass")
    return len(encoded[:byte_col].decode("utf-8", errors="ignore"))


class ProgramError(Exception):
    kind = "program"

    def __init__(
        self, message: str, span: Span | None = None, hints: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.hints = hints  # what to write instead, by language ("en", "zh"); math notation

    def in_characters(self, source: str) -> ProgramError:
        """Turn an `ast` (byte) column into a character column, once, where it is raised."""
        if self.span is not None and not source.isascii():
            lines = source.splitlines()
            self.span = Span(
                self.span.line,
                char_column(lines, self.span.line, self.span.col),
                self.span.end_line,
                None
                if self.span.end_line is None or self.span.end_col is None
                else char_column(lines, self.span.end_line, self.span.end_col),
            )
        return self

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        """`message` in `lang`; `hints` in both languages (what to write instead where the
        refusal knows it, else the message itself), so a client may show either."""
        out: dict[str, object] = {
            "type": self.kind,
            "message": in_language(self.message, lang, self.kind),
            "line": self.span.line if self.span else None,
            "col": self.span.col if self.span else None,
        }
        both = {code: in_language(self.message, code, self.kind) for code in ("en", "zh")}
        out["hints"] = dict(self.hints) if self.hints else both
        return out


class ProgramSyntaxError(ProgramError):
    kind = "syntax"


class NotAllowed(ProgramError):
    kind = "not_allowed"


class LimitExceeded(ProgramError):
    kind = "limit"

    def __init__(self, limit: str, value: object, message: str, span: Span | None = None):
        super().__init__(f"{message} (limit {limit} = {value})", span)
        self.limit = limit
        self.value = value

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        return {**super().to_dict(lang), "limit": self.limit, "value": self.value}


class DeviceUnavailable(ProgramError):
    kind = "device"
