"""An analyst's resolution outranks rescores in the band it was made in, and only those."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.review_rules import RESOLUTIONS, AnalystResolution, analyst_override

WHEN = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)

band_orders = st.lists(
    st.text(alphabet="abcdefghij", min_size=1, max_size=6), min_size=1, max_size=6, unique=True
)


@given(order=band_orders, data=st.data())
def test_the_resolution_stands_exactly_while_the_band_is_unchanged(
    order: list[str], data: st.DataObject
) -> None:
    then = data.draw(st.sampled_from(order))
    now = data.draw(st.sampled_from(order))
    outcome = data.draw(st.sampled_from(RESOLUTIONS))
    resolution = AnalystResolution(outcome=outcome, band=then, resolved_at=WHEN)
    assert analyst_override(resolution, now, order) is (then == now)


@given(order=band_orders, data=st.data())
def test_once_the_band_has_moved_the_resolution_never_stands_again(
    order: list[str], data: st.DataObject
) -> None:
    then = data.draw(st.sampled_from(order))
    since = data.draw(st.lists(st.sampled_from(order), max_size=4))
    resolution = AnalystResolution(outcome="approve", band=then, resolved_at=WHEN)
    stands = analyst_override(resolution, then, order, [(band, None) for band in since])
    assert stands is all(band == then for band in since)


evidence = st.sampled_from(["e1", "e2", "e3"])


@given(order=band_orders, data=st.data())
def test_only_new_evidence_that_moves_the_band_overturns_the_analyst(
    order: list[str], data: st.DataObject
) -> None:
    # A new champion, a policy edit or time passing may move the band on the same evidence:
    # the analyst judged that evidence, so the resolution stands. New evidence in the same
    # band brings nothing the analyst did not weigh either.
    then, judged = data.draw(st.sampled_from(order)), data.draw(evidence)
    since = data.draw(st.lists(st.tuples(st.sampled_from(order), evidence), max_size=4))
    now, seen = data.draw(st.sampled_from(order)), data.draw(evidence)
    resolution = AnalystResolution("hold", then, WHEN, evidence=judged)

    def moved(band: str, digest: str) -> bool:
        return band != then and digest != judged

    stands = analyst_override(resolution, now, order, since, seen)
    assert stands is not (moved(now, seen) or any(moved(b, d) for b, d in since))


@given(order=band_orders, data=st.data())
def test_without_a_resolution_the_rescore_always_applies(
    order: list[str], data: st.DataObject
) -> None:
    assert analyst_override(None, data.draw(st.sampled_from(order)), order) is False


def test_a_band_the_policy_does_not_have_is_refused_for_a_rescore() -> None:
    resolution = AnalystResolution(outcome="hold", band="high", resolved_at=WHEN)
    with pytest.raises(ValueError, match="unknown risk band"):
        analyst_override(resolution, "severe", ["low", "high"])


def test_a_resolution_in_a_band_the_policy_no_longer_has_no_longer_stands() -> None:
    # Renamed `severe` -> `critical`: the policy speaks again instead of failing every rescore.
    resolution = AnalystResolution(outcome="hold", band="severe", resolved_at=WHEN)
    assert analyst_override(resolution, "critical", ["low", "high", "critical"]) is False
