"""Scope lists: read leniently (spaces, repeats), checked strictly (only known scopes)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.auth.scopes import ADMIN, SCOPES, InvalidScope, grants, parse_scopes

known = st.sampled_from(sorted(SCOPES))
spacing = st.sampled_from(["", " ", "  ", "\t"])


@given(st.lists(st.tuples(spacing, known, spacing), min_size=1, max_size=12))
def test_any_spelling_of_known_scopes_parses_to_the_set(parts: list[tuple[str, str, str]]) -> None:
    text = ",".join(f"{before}{scope}{after}" for before, scope, after in parts)
    assert parse_scopes(text) == {scope for _, scope, _ in parts}


@given(st.lists(known, max_size=5), st.text(min_size=1).filter(lambda s: s.strip() not in SCOPES))
def test_one_unknown_scope_rejects_the_whole_list(good: list[str], bad: str) -> None:
    if "," in bad or not bad.strip():
        bad = f"x{bad.replace(',', '')}x"
    with pytest.raises(InvalidScope, match="unknown scope"):
        parse_scopes(",".join([*good, bad]))


@pytest.mark.parametrize("text", ["", " ", ",", " , ,"])
def test_an_empty_list_is_refused(text: str) -> None:
    with pytest.raises(InvalidScope, match="at least one"):
        parse_scopes(text)


@given(st.frozensets(known), known)
def test_a_key_is_granted_exactly_its_scopes_unless_admin(
    granted: frozenset[str], wanted: str
) -> None:
    assert grants(granted, wanted) == (wanted in granted or ADMIN in granted)


@given(known)
def test_admin_is_granted_everything(wanted: str) -> None:
    assert grants({ADMIN}, wanted)


def test_scope_names_follow_resource_colon_action() -> None:
    assert all(name == ADMIN or name.count(":") == 1 for name in SCOPES)
