"""Secrets, limits and encoding for the webhook route tests (signing is in svc_support)."""

from __future__ import annotations

import json
from typing import Any

OLD_SECRET = "whsec_old_" + "o" * 24
NEW_SECRET = "whsec_new_" + "n" * 24
MAX_BODY_BYTES = 16 * 1024


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()
