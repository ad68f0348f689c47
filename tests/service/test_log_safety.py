"""Failures are logged by type and stack frames, never by message."""

from __future__ import annotations

import pytest

from service.log_safety import failure_without_message


def _parse_amount(raw: str) -> int:
    return int(raw)


def _apply(raw: str) -> int:
    try:
        return _parse_amount(raw)
    except ValueError as exc:
        raise RuntimeError(f"cannot apply charge for {raw}") from exc


def test_types_and_frames_of_every_exception_in_the_chain_but_no_message() -> None:
    secret = "-".join(["jane", "provider@example.org"])  # not in any source line shown
    with pytest.raises(RuntimeError) as caught:
        _apply(secret)
    logged = failure_without_message(caught.value)
    assert secret not in logged and "jane" not in logged
    assert logged.index("ValueError") < logged.index("RuntimeError")  # the cause first
    assert "_parse_amount" in logged and "_apply" in logged
