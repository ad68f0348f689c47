"""How often each feature is a reason code: over a holdout, which features push scores up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from training.steps.model import RiskModel, describe_reason

_COLUMNS = ("reason", "description", "first", "anywhere", "share_first", "share_anywhere")


def reason_frequency(reasons: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Count, over rows of reason codes (strongest first), how often each code comes first and
    how often it appears at all; shares are of all rows (a row may have no reason at all).

    Returns:
        A new frame: reason, description, first, anywhere, share_first, share_anywhere, most
        frequent first (ties by name).
    """
    first = Counter(row[0] for row in reasons if row)
    anywhere = Counter(code for row in reasons for code in set(row))
    total = max(len(reasons), 1)
    rows = [
        {
            "reason": code,
            "description": describe_reason(code),
            "first": first[code],
            "anywhere": count,
            "share_first": first[code] / total,
            "share_anywhere": count / total,
        }
        for code, count in anywhere.items()
    ]
    table = pd.DataFrame(rows, columns=list(_COLUMNS))
    return table.sort_values(
        ["anywhere", "first", "reason"], ascending=[False, False, True], ignore_index=True
    )


def explain(model: RiskModel, frame: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """Score each row of a feature frame and attach its top reason codes.

    Returns:
        A new frame aligned with `frame`: score and reasons (codes joined by ";").
    """
    matrix = model.matrix(frame)
    return pd.DataFrame(
        {
            "score": model.predict(matrix),
            "reasons": [";".join(r) for r in model.reasons(matrix, top=top)],
        },
        index=frame.index,
    )


def split_reasons(joined: pd.Series) -> list[tuple[str, ...]]:
    """`a;b;c` strings (as in scores.csv) back into tuples; an empty string is no reason."""
    return [tuple(code for code in str(text).split(";") if code) for text in joined.fillna("")]


def top_share(scores: pd.Series, share: float) -> pd.Series:
    """A mask of the highest-scored `share` of rows (at least one): the ones a review queue
    would see first."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    count = max(1, int(np.ceil(share * len(scores))))
    order = np.argsort(-scores.to_numpy(), kind="stable")[:count]
    mask = np.zeros(len(scores), dtype=bool)
    mask[order] = True
    return pd.Series(mask, index=scores.index)
