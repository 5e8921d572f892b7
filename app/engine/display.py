"""Text a program makes from a value (print, repr, str, f-strings, `%`), without heap addresses.

CPython's default repr names an object's address (`<function f at 0x7f3e...>`, `<MulBackward0
object at 0x7f3e...>`, `<built-in method sum of Tensor object at 0x...>`): it tells a program
where the worker's heap lies and differs between two runs of the same program, so two answers
to the same request would differ. Every such text loses its ` at 0x...` part.
"""

from __future__ import annotations

import re
from typing import Any

# The address ends the repr; the name before it may hold brackets (`<function <lambda> at 0x...>`).
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+(?=>)")


def clean(text: str) -> str:
    if " at 0x" not in text:  # the common case, without the regex
        return text
    return _ADDRESS.sub("", text)


def shown(value: Any) -> str:
    """What `str(value)` gives, cleaned; a program's own string is left as it is."""
    return value if type(value) is str else clean(str(value))
