"""The booster's trees as flat float32 arrays, evaluated one row at a time without XGBoost.

Why: a one-row XGBoost call pays for a DMatrix (or inplace-predict set-up) and its thread pool,
hundreds of microseconds, while the trees themselves take a few. `CompiledTrees.from_booster`
reads the same booster's JSON dump once; every tree is padded to a complete binary tree of the
ensemble's depth (a leaf above that depth is copied into all its padded descendants), so one row
is a handful of numpy gathers over all trees at once. Splits follow XGBoost exactly: float32
`value < threshold` goes left, a missing (NaN) value follows the node's default direction, and
the margin is accumulated in float32 in tree order from the intercept, as the CPU predictor
does, so it matches `output_margin=True` to the last bit on ordinary inputs (tests hold it to
1e-6). Supported: `gbtree` with numeric splits, one output, a logistic objective (the service's
binary:logistic); anything else is refused.

No new dependency: ONNX (onnxmltools + onnxruntime) was measured as the alternative (figures
and the reasons for this choice in docs/benchmarks.md); treelite was not tried.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xgboost as xgb

# Deeper ensembles would need 2**depth nodes per padded tree; the service's trees are depth 3.
MAX_DEPTH = 12
# Objectives whose intercept is stored as a probability and whose margin is its logit; others
# are refused rather than guessed (the service trains binary:logistic).
_LOGIT_OBJECTIVES = frozenset({"binary:logistic", "reg:logistic"})


@dataclass(frozen=True)
class CompiledTrees:
    """A tree ensemble as complete binary trees of `depth` levels, stored level by level.

    Node i of a tree has children 2i+1 (left) and 2i+2 (right); internal nodes are
    0 .. 2**depth-2, leaves follow. Arrays are (terms, nodes) so one row evaluates every tree
    at once. Term 0 is a constant tree holding the intercept, so a row's terms summed left to
    right in float32 are exactly XGBoost's margin.
    """

    depth: int
    n_features: int
    features: np.ndarray  # (terms, internal) int64 feature index of each split
    thresholds: np.ndarray  # (terms, internal) float32
    missing_right: np.ndarray  # (terms, internal) bool: a missing value goes right
    leaves: np.ndarray  # (terms, 2**depth) float32 leaf values
    # Index helpers for the flat gathers of `terms`, derived once in __post_init__.
    _node_base: np.ndarray = field(init=False, repr=False, compare=False)
    _leaf_base: np.ndarray = field(init=False, repr=False, compare=False)
    _flat_leaves: np.ndarray = field(init=False, repr=False, compare=False)

    @classmethod
    def from_booster(cls, booster: xgb.Booster) -> CompiledTrees:
        """Compile `booster` (as trained, already cut to its best iteration).

        Raises ValueError for what this form does not cover (categorical splits, several
        outputs, other boosters, trees deeper than MAX_DEPTH)."""
        model = json.loads(booster.save_raw(raw_format="json"))["learner"]
        gbm = model["gradient_booster"]
        if gbm.get("name") != "gbtree":
            raise ValueError(f"only gbtree boosters compile, not {gbm.get('name')!r}")
        params = model["learner_model_param"]
        if model["objective"]["name"] not in _LOGIT_OBJECTIVES:
            raise ValueError(f"objective {model['objective']['name']!r} does not compile")
        if int(params.get("num_class", 0)) > 1 or int(params.get("num_target", 1)) != 1:
            raise ValueError("only single-output boosters compile")
        if int(gbm["model"]["gbtree_model_param"]["num_parallel_tree"]) != 1:
            raise ValueError("boosted random forests (num_parallel_tree > 1) do not compile")
        trees = gbm["model"]["trees"]
        depth = max((_tree_depth(tree) for tree in trees), default=0)
        if depth > MAX_DEPTH:
            raise ValueError(f"trees {depth} deep exceed the compiled form's {MAX_DEPTH}")
        terms, internal = len(trees) + 1, 2**depth - 1
        features = np.zeros((terms, internal), dtype=np.int64)
        thresholds = np.full((terms, internal), np.inf, dtype=np.float32)
        missing_right = np.zeros((terms, internal), dtype=bool)
        leaves = np.zeros((terms, 2**depth), dtype=np.float32)
        leaves[0] = _base_margin(model)
        for t, tree in enumerate(trees, start=1):
            if any(int(kind) != 0 for kind in tree["split_type"]):
                raise ValueError("categorical splits do not compile")
            _place(tree, 0, 0, depth, (features[t], thresholds[t], missing_right[t], leaves[t]))
        return cls(
            depth=depth,
            n_features=int(params["num_feature"]),
            features=features,
            thresholds=thresholds,
            missing_right=missing_right,
            leaves=leaves,
        )

    def __post_init__(self) -> None:
        count, internal = self.features.shape
        object.__setattr__(self, "_node_base", np.arange(count, dtype=np.int64) * internal)
        leaf_base = np.arange(count, dtype=np.int64) * (internal + 1) - internal
        object.__setattr__(self, "_leaf_base", leaf_base)
        object.__setattr__(self, "_flat_leaves", self.leaves.ravel())

    @property
    def n_trees(self) -> int:
        """How many trees the ensemble holds (the intercept term not counted)."""
        return int(self.leaves.shape[0]) - 1

    def terms(self, row: np.ndarray) -> np.ndarray:
        """The intercept, then each tree's leaf value, for one float32 row of `n_features`
        values (NaN = missing)."""
        values = row[self.features]
        # NaN compares false both ways; such nodes take their default direction instead.
        go_right = np.where(np.isnan(values), self.missing_right, values >= self.thresholds)
        flat = go_right.ravel()
        node = np.zeros(len(self._node_base), dtype=np.int64)
        for _ in range(self.depth):
            node = 2 * node + 1 + flat[self._node_base + node]
        result: np.ndarray = self._flat_leaves[self._leaf_base + node]
        return result

    def margin_row(self, row: np.ndarray) -> float:
        """The booster's raw margin for one float32 row, accumulated as XGBoost does."""
        row = np.asarray(row, dtype=np.float32)
        if row.shape != (self.n_features,):
            raise ValueError(f"expected a row of {self.n_features} values, got {row.shape}")
        # cumsum adds strictly left to right in float32, unlike np.sum's pairwise order.
        return float(np.cumsum(self.terms(row), dtype=np.float32)[-1])

    def margins(self, matrix: np.ndarray) -> np.ndarray:
        """`margin_row` of every row of a (rows, n_features) matrix, for checks and tests."""
        matrix = np.asarray(matrix, dtype=np.float32)
        return np.array([self.margin_row(row) for row in matrix], dtype=np.float32)


def _tree_depth(tree: dict[str, Any]) -> int:
    left, right = tree["left_children"], tree["right_children"]
    deepest, stack = 0, [(0, 0)]
    while stack:
        node, level = stack.pop()
        if left[node] == -1:
            deepest = max(deepest, level)
        else:
            stack.extend(((left[node], level + 1), (right[node], level + 1)))
    return deepest


def _place(
    tree: dict[str, Any],
    node: int,
    slot: int,
    depth: int,
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Copy `node` of an XGBoost tree into `slot` of the complete layout, recursively."""
    features, thresholds, missing_right, leaves = arrays
    internal = 2**depth - 1
    if tree["left_children"][node] == -1:
        # A leaf above the bottom: every padded descendant leaf carries its value; the padded
        # splits keep their +inf threshold (any path reaches the same value).
        value = np.float32(tree["split_conditions"][node])
        first, count = slot, 1
        while first < internal:
            first, count = 2 * first + 1, count * 2
        leaves[first - internal : first - internal + count] = value
        return
    features[slot] = int(tree["split_indices"][node])
    thresholds[slot] = np.float32(tree["split_conditions"][node])
    missing_right[slot] = not tree["default_left"][node]
    _place(tree, int(tree["left_children"][node]), 2 * slot + 1, depth, arrays)
    _place(tree, int(tree["right_children"][node]), 2 * slot + 2, depth, arrays)


def _base_margin(model: dict[str, Any]) -> np.float32:
    # XGBoost stores the intercept as a probability ("[1.484E-1]" in 3.x, a bare number before)
    # and takes its logit in float32, `-logf(1.0f / base_score - 1.0f)`; a float64 logit can
    # differ from it by one unit in the last place.
    raw = str(model["learner_model_param"]["base_score"]).strip("[]")
    base, one = np.float32(float(raw)), np.float32(1.0)
    # The quotient in float32, its log correctly rounded to float32 (glibc's logf is; numpy's
    # float32 log is not always).
    return np.float32(-math.log(float(np.float32(one / base - one))))
