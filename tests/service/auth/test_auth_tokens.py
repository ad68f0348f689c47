"""Key tokens: unguessable, parseable back to their key id, verified only with the right pepper."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.auth import tokens

PEPPER = b"p" * 32


def test_tokens_carry_their_key_id_and_are_unique() -> None:
    issued = [tokens.new_token() for _ in range(200)]
    assert len({t.token for t in issued}) == len({t.key_id for t in issued}) == 200
    for token in issued:
        assert token.token.startswith(f"cr_live_{token.key_id}_")
        assert tokens.key_id_of(token.token) == token.key_id
        assert token.token not in repr(token)


@given(st.text(max_size=80))
def test_anything_else_has_no_key_id(text: str) -> None:
    assert tokens.key_id_of(text) is None


def test_a_token_matches_its_digest_only_under_the_same_pepper() -> None:
    token = tokens.new_token().token
    stored = tokens.digest(token, PEPPER)
    assert len(stored) == 64
    assert tokens.matches(token, stored, PEPPER)
    assert not tokens.matches(token, stored, b"q" * 32)
    assert not tokens.matches(token[:-1] + ("a" if token[-1] != "a" else "b"), stored, PEPPER)
