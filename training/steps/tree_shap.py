"""The booster's exact TreeSHAP contributions for one row, as a few array operations.

Why: reason codes need the model's own per-feature contributions, and XGBoost's
`pred_contribs` on a one-row DMatrix pays for the DMatrix and walks every tree in C++, which
cost more than the whole compiled score (figures in docs/benchmarks.md).

How: path-dependent TreeSHAP (what `pred_contribs` computes) explains v(S) = E[f(x) | x_S],
where a feature outside S is averaged over the tree's training cover. Per leaf, v(S) is the
leaf value times a product over the distinct features on the leaf's path: `a_f` (1 if the row
follows every split on f towards this leaf, else 0) when f is in S, `b_f` (the share of cover
that flows that way) when it is not. A tree is the sum of its leaves and Shapley values are
linear, so a row's contributions are the sum over all leaves of the Shapley values of these
product games, which have a closed form:

    phi_i = value * (a_i - b_i) * sum_{s} s! (k-s-1)! / k! * e_s(others)

where e_s is the sum, over the s-subsets S of the leaf's other features, of prod_S a * prod_rest b
(the coefficients of prod_j (b_j + a_j t)). A padded feature with a = b = 1 is a null player and
changes nobody's value, so every leaf gets the same number of players: the ensemble's deepest
path.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xgboost as xgb

# Every leaf keeps a table of 2**players outcomes: 8 rows for the service's 3-deep trees, 32
# (16 MB for 400 trees) at this limit. Deeper models keep XGBoost's own TreeSHAP.
MAX_PLAYERS = 5


@dataclass(frozen=True)
class TreeShap:
    """An ensemble's leaves as product games, their Shapley values tabulated per outcome.

    A row decides, for every leaf, which of its path's features it agrees with: a bit pattern
    of `players` bits. Each leaf's Shapley values for every pattern are computed once (from
    the closed form above), so a row costs one evaluation of every split, one gather and one
    sum per feature.
    """

    n_features: int
    node_feature: np.ndarray  # (nodes,) split feature of every node of every tree
    node_threshold: np.ndarray  # (nodes,) float32: a smaller value goes left
    node_missing_left: np.ndarray  # (nodes,) a missing value goes left
    step_node: np.ndarray  # (steps,) the node each step of each leaf's path passes
    step_left: np.ndarray  # (steps,) the path goes left there
    step_bit: np.ndarray  # (steps,) the bit of the step's player in its leaf's pattern
    leaf_first_step: np.ndarray  # (leaves,) steps are stored leaf after leaf
    player_feature: np.ndarray  # (leaves * players,) feature of each player (0 for padding)
    table: np.ndarray  # (leaves * 2**players, players) Shapley values per outcome
    _pattern_base: np.ndarray = field(repr=False)  # (leaves,) first table row of each leaf

    @classmethod
    def from_booster(cls, booster: xgb.Booster) -> TreeShap:
        """Tabulate `booster`'s trees (numeric splits, paths of at most MAX_PLAYERS distinct
        features; ValueError otherwise)."""
        model = json.loads(booster.save_raw(raw_format="json"))["learner"]
        nodes: list[tuple[int, np.float32, bool]] = []
        leaves = [
            leaf
            for tree in model["gradient_booster"]["model"]["trees"]
            for leaf in _leaf_paths(tree, nodes)
        ]
        players = max((len(leaf.path) for leaf in leaves), default=0) or 1
        if players > MAX_PLAYERS:
            raise ValueError(f"paths with {players} distinct features exceed {MAX_PLAYERS}")
        shape = (len(leaves), players)
        player_feature = np.zeros(shape, dtype=np.int64)
        unknown_share = np.ones(shape, dtype=np.float64)
        # A leaf's steps, root first; a lone leaf (a tree without splits) gets one padding
        # step on the extra always-left entry that `contributions` appends.
        steps: list[tuple[int, bool, int]] = []
        leaf_first_step = np.zeros(len(leaves), dtype=np.int64)
        for i, leaf in enumerate(leaves):
            leaf_first_step[i] = len(steps)
            for j, (feature, on) in enumerate(leaf.path.items()):
                player_feature[i, j] = feature
                unknown_share[i, j] = math.prod(step.share for step in on)
                steps.extend((step.node, step.left, 1 << j) for step in on)
            if not leaf.path:
                steps.append((len(nodes), True, 0))
        values = np.array([leaf.value for leaf in leaves], dtype=np.float64)
        real = np.array([[j < len(leaf.path) for j in range(players)] for leaf in leaves])
        return cls(
            n_features=int(model["learner_model_param"]["num_feature"]),
            node_feature=np.array([feature for feature, _, _ in nodes], dtype=np.int64),
            node_threshold=np.array([threshold for _, threshold, _ in nodes], dtype=np.float32),
            node_missing_left=np.array([left for _, _, left in nodes], dtype=bool),
            step_node=np.array([node for node, _, _ in steps], dtype=np.int64),
            step_left=np.array([left for _, left, _ in steps], dtype=bool),
            step_bit=np.array([bit for _, _, bit in steps], dtype=np.int64),
            leaf_first_step=leaf_first_step,
            player_feature=player_feature.ravel(),
            table=_tabulate(values, unknown_share, real.reshape(shape)),
            _pattern_base=np.arange(len(leaves), dtype=np.int64) * 2**players + 2**players - 1,
        )

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """Per-feature margin contributions for one float32 row (NaN = missing), bias dropped:
        what `Booster.predict(..., pred_contribs=True)[0, :-1]` gives."""
        values = row[self.node_feature]
        # NaN compares false both ways; a missing value takes the split's default direction.
        went_left = np.where(np.isnan(values), self.node_missing_left, values < self.node_threshold)
        went_left = np.append(went_left, True)  # the padding step's entry
        strays = (went_left[self.step_node] != self.step_left) * self.step_bit
        # Pattern = the players the row agrees with: all bits, less those it strays from.
        disagree = np.bitwise_or.reduceat(strays, self.leaf_first_step)
        phi = self.table[self._pattern_base - disagree]
        return np.bincount(self.player_feature, weights=phi.ravel(), minlength=self.n_features)


def _tabulate(values: np.ndarray, unknown: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Every leaf's Shapley values (times its value) for every pattern of known bits."""
    leaves, players = unknown.shape
    weights = np.array(
        [
            math.factorial(s) * math.factorial(players - s - 1) / math.factorial(players)
            for s in range(players)
        ]
    )
    table = np.zeros((leaves, 2**players, players), dtype=np.float64)
    for pattern in range(2**players):
        known = np.array([(pattern >> j) & 1 for j in range(players)], dtype=np.float64)
        for i in range(players):
            # Coefficients of prod over the other players of (b_j + a_j t), lowest power first.
            coefficients = np.zeros((leaves, players))
            coefficients[:, 0] = 1.0
            for j in range(players):
                if j != i:
                    shifted = np.zeros_like(coefficients)
                    shifted[:, 1:] = coefficients[:, :-1] * known[j]
                    coefficients = coefficients * unknown[:, j : j + 1] + shifted
            table[:, pattern, i] = (known[i] - unknown[:, i]) * (coefficients @ weights)
    table *= values[:, None, None]
    table[~np.broadcast_to(real[:, None, :], table.shape)] = 0.0
    return table.reshape(leaves * 2**players, players)


@dataclass(frozen=True)
class _Step:
    node: int  # index of the split node in the ensemble's flat list
    left: bool  # the leaf lies on this split's left
    share: float  # cover of the child taken / cover of the split node


@dataclass(frozen=True)
class _Leaf:
    value: float
    path: dict[int, list[_Step]]  # feature -> the splits on it along the path, root first


def _leaf_paths(tree: dict[str, Any], nodes: list[tuple[int, np.float32, bool]]) -> list[_Leaf]:
    """The tree's leaves with their paths; appends its nodes to `nodes`, the flat list of
    (split feature, threshold, missing goes left) that steps index."""
    left, right = tree["left_children"], tree["right_children"]
    cover = tree["sum_hessian"]
    if any(int(kind) != 0 for kind in tree["split_type"]):
        raise ValueError("categorical splits are not supported")
    first = len(nodes)
    for node in range(len(left)):
        feature = int(tree["split_indices"][node])
        threshold = np.float32(tree["split_conditions"][node])
        nodes.append((feature, threshold, bool(tree["default_left"][node])))
    found: list[_Leaf] = []
    stack: list[tuple[int, list[tuple[int, _Step]]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        if left[node] == -1:
            grouped: dict[int, list[_Step]] = {}
            for feature, step in path:
                grouped.setdefault(feature, []).append(step)
            found.append(_Leaf(float(tree["split_conditions"][node]), grouped))
            continue
        feature = int(tree["split_indices"][node])
        for child, is_left in ((int(left[node]), True), (int(right[node]), False)):
            step = _Step(first + node, is_left, float(cover[child]) / float(cover[node]))
            stack.append((child, [*path, (feature, step)]))
    return found
