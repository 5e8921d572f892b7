"""Program text → checked `Program`, or a `ProgramError` with line and column."""

from __future__ import annotations

import ast
import threading
import warnings

from app.lang.checks import check_tree
from app.lang.errors import LimitExceeded, ProgramSyntaxError, Span
from app.lang.program import Program, split_source
from app.settings import Limits

# ast.parse from several threads at once can raise SystemError on CPython 3.11 (gh-106905).
_PARSE_LOCK = threading.Lock()


def parse(source: str, limits: Limits) -> Program:
    if len(source) > limits.max_source_chars:
        raise LimitExceeded(
            "max_source_chars", limits.max_source_chars, f"program has {len(source)} characters"
        )
    if not source.strip():
        raise ProgramSyntaxError("the program is empty", Span(1, 0))
    module = _parse_module(source, limits)
    check_tree(module, limits)
    return Program(source, module, tuple(source.splitlines()), split_source(source))


def _parse_module(source: str, limits: Limits) -> ast.Module:
    try:
        # SyntaxWarnings (`1if x else 2`) would go to the server's stderr, not to the student
        with _PARSE_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(source, filename="<program>", mode="exec")
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = max((exc.offset or 1) - 1, 0)
        raise ProgramSyntaxError(exc.msg, Span(line, col)) from None
    except (ValueError, UnicodeError) as exc:
        # lone surrogates and NUL bytes: ast.parse raises ValueError, not SyntaxError
        raise ProgramSyntaxError(_describe_bad_text(exc), Span(1, 0)) from None
    except (RecursionError, MemoryError):
        raise LimitExceeded(
            "max_ast_depth", limits.max_ast_depth, "program is nested too deeply for the parser"
        ) from None


def _describe_bad_text(exc: Exception) -> str:
    if isinstance(exc, UnicodeError):
        return "the program contains characters that are not valid text (lone surrogates)"
    return "the program contains a NUL byte" if "null" in str(exc) else str(exc)
