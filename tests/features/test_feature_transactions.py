"""Transaction features against a plain pandas reference, and their point-in-time invariants."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features import compute
from features.transactions import _computed, build_table, table_from_records, transaction_features
from features.transactions.currency import USD_PER_UNIT, minor_per_major, normalise_amounts

DAY = 86_400
FAILURE_GROUP = {
    "stolen_card": "fraud",
    "incorrect_cvc": "card_data",
    "insufficient_funds": "funds",
}


def _window(frame: pd.DataFrame, as_of: int, days: int | None) -> pd.DataFrame:
    return frame if days is None else frame[frame["created"] >= as_of - days * DAY]


def _ratio(num: float, den: float) -> float:
    return num / den if den else np.nan


def reference(tx: pd.DataFrame, account: str, as_of: int, home: str) -> dict[str, float]:
    """A slow, obvious implementation of a representative set of transaction features."""
    rows = tx[(tx["account"] == account) & (tx["created"] < as_of)].copy()
    currency = rows["currency"].astype(object)
    minor = currency.map(minor_per_major).astype(np.int64)
    rows["usd"] = rows["amount"] / minor * currency.map(USD_PER_UNIT).astype(float)
    rows["round"] = rows["amount"] % np.where(minor == 1, 1000, minor * 10) == 0
    is_charge = rows["type"] == "charge"
    ok = rows[is_charge & (rows["status"] == "succeeded")]
    failed = rows[is_charge & (rows["status"] == "failed")]
    charges = rows[is_charge]
    out: dict[str, float] = {}
    for tag, days in (("1d", 1), ("7d", 7), ("30d", 30), ("all", None)):
        w_ok, w_failed = _window(ok, as_of, days), _window(failed, as_of, days)
        out[f"charge_count_{tag}"] = len(w_ok)
        out[f"charge_volume_usd_{tag}"] = w_ok["usd"].sum()
        out[f"failed_charge_rate_{tag}"] = _ratio(len(w_failed), len(w_ok) + len(w_failed))
    for tag, days in (("30d", 30), ("all", None)):
        w = _window(rows, as_of, days)
        w_ok = _window(ok, as_of, days)
        refunds = w[(w["type"] == "refund") & (w["status"] == "succeeded")]
        disputes = w[w["type"] == "dispute"]
        payouts = w[(w["type"] == "payout") & w["status"].isin(["paid", "pending"])]
        volume = w_ok["usd"].sum()
        out[f"refund_rate_count_{tag}"] = _ratio(len(refunds), len(w_ok))
        out[f"refund_rate_amount_{tag}"] = _ratio(refunds["usd"].sum(), volume)
        out[f"dispute_count_{tag}"] = len(disputes)
        out[f"dispute_rate_amount_{tag}"] = _ratio(disputes["usd"].sum(), volume)
        out[f"payout_to_volume_{tag}"] = _ratio(payouts["usd"].sum(), volume)
        out[f"ticket_median_usd_{tag}"] = w_ok["usd"].median() if len(w_ok) else np.nan
        out[f"ticket_p90_usd_{tag}"] = np.percentile(w_ok["usd"], 90) if len(w_ok) else np.nan
        cv = w_ok["usd"].std(ddof=0) / w_ok["usd"].mean() if len(w_ok) >= 2 else np.nan
        out[f"ticket_cv_{tag}"] = cv
        out[f"round_amount_share_{tag}"] = _ratio(w_ok["round"].sum(), len(w_ok))
        carded = w_ok[w_ok["card_country"] != ""]
        out[f"foreign_card_share_{tag}"] = _ratio(
            (carded["card_country"] != home).sum(), len(carded)
        )
    for key, column in (("card", "card_fingerprint"), ("customer", "customer")):
        keyed = charges[charges[column] != ""]
        counts = keyed[column].value_counts()
        out[f"distinct_{key}s_all"] = len(counts)
        out[f"distinct_{key}s_30d"] = _window(keyed, as_of, 30)[column].nunique()
        out[f"top_{key}_share_all"] = _ratio(counts.max() if len(counts) else 0, counts.sum())
        out[f"{key}_hhi_all"] = ((counts / counts.sum()) ** 2).sum() if len(counts) else np.nan
    recent_failed = _window(failed, as_of, 30)
    groups = recent_failed["failure_code"].astype(object).map(FAILURE_GROUP).fillna("other")
    for group in ("fraud", "card_data", "funds", "other"):
        out[f"failed_share_{group}_codes_30d"] = _ratio((groups == group).sum(), len(groups))
    payouts = rows[rows["type"] == "payout"]
    out["payout_failed_count_all"] = (payouts["status"] == "failed").sum()
    out["payout_failure_rate_all"] = _ratio(out["payout_failed_count_all"], len(payouts))
    out["days_since_first_charge"] = (as_of - ok["created"].min()) / DAY if len(ok) else np.nan
    out["days_since_last_charge"] = (as_of - ok["created"].max()) / DAY if len(ok) else np.nan
    vol = {tag: out[f"charge_volume_usd_{tag}"] for tag in ("7d", "30d")}
    out["charge_volume_growth_7d_30d"] = _ratio(vol["7d"] / 7, vol["30d"] / 30)
    return out


def test_matches_a_plain_pandas_reference(world: Any) -> None:
    table = build_table(world.transactions)
    snapshots = world.snapshots.iloc[:80]
    homes = [world.accounts[a]["country"] for a in snapshots["account"]]
    got = transaction_features(table, snapshots["account"].tolist(), snapshots["as_of"], homes)
    checked = 0
    for i, (account, as_of) in enumerate(
        zip(snapshots["account"], snapshots["as_of"], strict=True)
    ):
        expected = reference(world.transactions, account, int(as_of), homes[i])
        for name, value in expected.items():
            assert np.isclose(got[name][i], value, rtol=1e-6, atol=1e-3, equal_nan=True), (
                name,
                account,
                as_of,
                got[name][i],
                value,
            )
            checked += not np.isnan(value)
    assert checked > 2000  # the snapshots really exercise the features


@pytest.mark.parametrize(
    ("currency", "amount", "usd", "is_round"),
    [
        ("usd", 1000, 10.0, True),
        ("usd", 1999, 19.99, False),
        ("jpy", 1000, 1000 * USD_PER_UNIT["jpy"], True),  # zero-decimal: 1000 yen
        ("kwd", 10_000, 10 * USD_PER_UNIT["kwd"], True),  # three-decimal: 10 dinars
        ("xyz", 500, 5.0, False),  # unknown: two decimals at 1 USD
    ],
)
def test_currency_normalisation(currency: str, amount: int, usd: float, is_round: bool) -> None:
    units, round_flags = normalise_amounts(
        np.array([amount]), np.array([0]), np.array([currency], dtype=object)
    )
    assert units[0] / 10_000 == pytest.approx(usd, abs=1e-4)
    assert bool(round_flags[0]) == is_round


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), cut=st.integers(0, 220), future=st.integers(1, 300))
def test_rows_at_or_after_as_of_change_nothing(
    full_account: Callable[[], dict[str, Any]],
    transactions_factory: Callable[..., pd.DataFrame],
    seed: int,
    cut: int,
    future: int,
) -> None:
    rng = np.random.default_rng(seed)
    account = full_account()
    frame = transactions_factory(rng, [account["id"], "acct_other"], 400)
    as_of = int(frame["created"].min()) + cut * DAY
    later = transactions_factory(rng, [account["id"], "acct_other"], future)
    later["created"] = as_of + rng.integers(0, 30 * DAY, future)  # includes exactly as_of
    later["id"] = [f"later_{i}" for i in range(future)]
    before = frame[frame["created"] < as_of]
    base = compute(account, (), before, as_of)
    assert _same(compute(account, (), pd.concat([frame, later]), as_of).values, base.values)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), data=st.data())
def test_row_order_does_not_matter(
    full_account: Callable[[], dict[str, Any]],
    transactions_factory: Callable[..., pd.DataFrame],
    seed: int,
    data: st.DataObject,
) -> None:
    rng = np.random.default_rng(seed)
    account = full_account()
    # Ten days at minute resolution: many rows share a timestamp.
    frame = transactions_factory(rng, [account["id"]], 300, days=10)
    as_of = int(frame["created"].min()) + data.draw(st.integers(0, 11)) * DAY
    order = data.draw(st.permutations(range(len(frame))))
    shuffled = frame.iloc[list(order)]
    assert _same(
        compute(account, (), shuffled, as_of).values, compute(account, (), frame, as_of).values
    )


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    extra=st.dictionaries(
        st.text("abcdefghij_", min_size=1, max_size=8).filter(lambda n: n not in ("id", "type")),
        st.sampled_from(["text", "int", "none"]),
        max_size=4,
    ),
)
def test_unknown_extra_columns_are_ignored(
    full_account: Callable[[], dict[str, Any]],
    transactions_factory: Callable[..., pd.DataFrame],
    seed: int,
    extra: dict[str, str],
) -> None:
    rng = np.random.default_rng(seed)
    account = full_account()
    frame = transactions_factory(rng, [account["id"]], 200)
    known = set(frame.columns)
    wider = frame.copy()
    for name, kind in extra.items():
        if name in known:
            continue
        values = {"text": "x", "int": 7, "none": None}[kind]
        wider[name] = values
    as_of = int(frame["created"].max())
    assert _same(
        compute(account, (), wider, as_of).values, compute(account, (), frame, as_of).values
    )


def test_more_disputes_raise_the_dispute_rate(
    full_account: Callable[[], dict[str, Any]], transactions_factory: Callable[..., pd.DataFrame]
) -> None:
    account = full_account()
    frame = transactions_factory(np.random.default_rng(5), [account["id"]], 300)
    as_of = int(frame["created"].max()) + 1
    dispute = frame.iloc[[0]].assign(id="dp_new", type="dispute", status="lost", created=as_of - 60)
    before = compute(account, (), frame, as_of)
    after = compute(account, (), pd.concat([frame, dispute]), as_of)
    for name in ("dispute_rate_count_30d", "dispute_rate_count_all", "dispute_count_30d"):
        assert after[name] > before[name]


def test_input_frame_is_not_modified(world: Any) -> None:
    frame = world.transactions.copy()
    build_table(frame)
    pd.testing.assert_frame_equal(frame, world.transactions)


def _holed(rng: np.random.Generator, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as a database hands them over: optional keys None, blank, NaN, lower-case
    countries, or absent."""
    holes: tuple[Any, ...] = (None, "", float("nan"), "absent")
    for record in records:
        for column in ("card_country", "card_fingerprint", "customer", "failure_code"):
            if rng.random() < 0.3:
                hole = holes[rng.integers(0, len(holes))]
                if hole == "absent":
                    del record[column]
                else:
                    record[column] = hole
        if rng.random() < 0.1 and record.get("card_country"):
            record["card_country"] = str(record["card_country"]).lower()
    return records


@SETTINGS
# Both encodings: plain Python up to RECORDS_WITHOUT_PANDAS records, pandas past it.
@given(seed=st.integers(0, 2**32 - 1), n=st.one_of(st.integers(0, 120), st.integers(250, 400)))
def test_records_encode_to_the_same_table_as_their_frame(
    full_account: Callable[[], dict[str, Any]],
    transactions_factory: Callable[..., pd.DataFrame],
    seed: int,
    n: int,
) -> None:
    rng = np.random.default_rng(seed)
    account = full_account()
    frame = transactions_factory(rng, [account["id"], "acct_other"], n, days=40)
    records = _holed(rng, frame.to_dict("records"))
    holed_frame = pd.DataFrame.from_records(records, columns=list(frame.columns))
    from_frame = build_table(holed_frame)
    from_records = table_from_records(records)
    for field in dataclasses.fields(from_frame):
        mine, theirs = getattr(from_records, field.name), getattr(from_frame, field.name)
        if isinstance(theirs, np.ndarray):
            assert mine.dtype == theirs.dtype, field.name
            assert np.array_equal(mine, theirs), field.name
        else:
            assert mine == theirs, field.name
    as_of = int(frame["created"].min()) + int(rng.integers(0, 41)) * DAY if n else DAY
    assert _same(
        compute(account, (), records, as_of).values,
        compute(account, (), holed_frame, as_of).values,
    )


def test_a_record_without_a_required_key_is_named() -> None:
    record = {"account": "acct_1", "created": DAY, "type": "charge", "amount": 100}
    with pytest.raises(ValueError, match=r"record 0 lacks key\(s\): currency, status"):
        table_from_records([record])


@SETTINGS
@given(
    as_of=st.lists(st.integers(0, 2**33), min_size=1, max_size=5),
    home=st.sampled_from([None, "US", "FR", ""]),
)
def test_no_transactions_at_all_gives_what_the_full_computation_gives(
    as_of: list[int], home: str | None
) -> None:
    empty = table_from_records([])
    accounts = [f"acct_{i}" for i in range(len(as_of))]
    homes = [home] * len(as_of)
    shortcut = transaction_features(empty, accounts, as_of, homes)
    computed = _computed(empty, accounts, as_of, homes, None)
    assert shortcut.keys() == computed.keys()
    for name, column in computed.items():
        assert shortcut[name].dtype == column.dtype, name
        assert _same(shortcut[name], column), name
