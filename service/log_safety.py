"""Logging a failure without its message: exception messages may quote account data.

Pydantic, database drivers and plain `int("…")` repeat their input in their messages, and that
input can be an account's name, e-mail address or bank details. Failures are therefore logged
by exception type and stack frames only, which say where it broke without saying what it read.
"""

from __future__ import annotations

import traceback


def failure_without_message(exc: BaseException) -> str:
    """`TypeName` and the stack frames of `exc` and of the exceptions it was raised from
    (those first, as Python prints them), never a message."""
    parts = []
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{type(current).__name__} (message withheld)\n{frames}")
        current = current.__cause__ or current.__context__
    return "-- while handling it, another was raised --\n".join(reversed(parts))
