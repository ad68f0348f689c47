"""The description of one feature, as the registry lists it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FeatureType = Literal["float", "int", "bool"]
Monotone = Literal[-1, 0, 1]


@dataclass(frozen=True)
class FeatureSpec:
    """A feature's name, type, group, monotone direction and human description.

    `monotone` is +1 when a higher value may only raise risk, -1 when it may only lower it and
    0 when the relation is free; training passes it to XGBoost's `monotone_constraints` and
    reason codes read it. Every value is carried as a float; NaN means "not observed".
    """

    name: str
    type: FeatureType
    group: str
    monotone: Monotone
    description: str
