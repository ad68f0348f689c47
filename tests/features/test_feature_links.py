"""Link features: who shares which key with whom, before as_of, and who was bad before as_of."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from features import build_network, build_table, compute, compute_batch
from features.documents import DocumentEvidence

T = 1_750_000_000
DAY = 86_400
FullAccount = Callable[[], dict[str, Any]]


def _charge(account: str, created: int, card: str = "", customer: str = "") -> dict[str, Any]:
    return {
        "id": f"ch_{account}_{created}_{card}{customer}",
        "account": account,
        "created": created,
        "type": "charge",
        "amount": 1000,
        "currency": "usd",
        "status": "succeeded",
        "card_country": "US",
        "card_fingerprint": card,
        "customer": customer,
        "failure_code": "",
    }


@pytest.fixture
def scene(full_account: FullAccount) -> dict[str, Any]:
    """A uses card c1 from T; B uses c1 from T+1d; C uses c1 only from T+10d. B shares A's bank
    and is labelled bad at T+5d; D shares A's document and customer cus_1."""
    accounts = {}
    for name, bank in (("A", "bank_x"), ("B", "bank_x"), ("C", "bank_y"), ("D", "bank_z")):
        account = full_account()
        account.update(id=name, created=T - 100 * DAY)
        account["external_accounts"]["data"][0]["fingerprint"] = bank
        accounts[name] = account
    accounts["D"]["created"] = T + 3 * DAY  # D (and its document) appears at T+3d
    doc = DocumentEvidence(sha256="ab" * 32, size_bytes=10)
    evidence = {"A": (doc,), "D": (copy.copy(doc),)}
    frame = pd.DataFrame(
        [
            _charge("A", T, card="c1", customer="cus_1"),
            _charge("B", T + DAY, card="c1"),
            _charge("C", T + 10 * DAY, card="c1"),
            _charge("D", T + 4 * DAY, customer="cus_1"),
        ]
    )
    labels = pd.DataFrame({"account": ["B", "C"], "label": [1, 0], "labeled_at": [T + 5 * DAY] * 2})
    network = build_network(build_table(frame), accounts, evidence, labels)
    return {"accounts": accounts, "evidence": evidence, "frame": frame, "network": network}


def _links(scene: dict[str, Any], account: str, as_of: int) -> dict[str, float]:
    vector = compute(
        scene["accounts"][account],
        scene["evidence"].get(account, ()),
        scene["frame"],
        as_of,
        network=scene["network"],
    )
    return {k.removeprefix("linked_"): v for k, v in vector.as_dict().items() if "linked" in k}


def test_links_appear_only_once_both_sides_held_the_key(scene: dict[str, Any]) -> None:
    early = _links(scene, "A", T + 2 * DAY)
    assert early["accounts_card"] == 1.0  # B, not C (C's first use is later)
    assert early["accounts_bank"] == 1.0  # B's bank
    assert early["accounts_document"] == 0.0  # D does not exist yet
    assert early["accounts_customer"] == 0.0
    later = _links(scene, "A", T + 20 * DAY)
    assert later["accounts_card"] == 2.0
    assert later["accounts_document"] == 1.0 and later["accounts_customer"] == 1.0
    assert later["accounts_any"] == 3.0  # B, C and D, each counted once


def test_bad_links_count_only_labels_known_before_as_of(scene: dict[str, Any]) -> None:
    assert _links(scene, "A", T + 4 * DAY)["bad_accounts_card"] == 0.0
    after = _links(scene, "A", T + 6 * DAY)
    assert after["bad_accounts_card"] == 1.0 and after["bad_accounts_bank"] == 1.0
    assert after["bad_accounts_any"] == 1.0  # B once, though linked twice; C's label is 0


def test_own_keys_before_first_use_give_no_link(scene: dict[str, Any]) -> None:
    # C has not used c1 yet at T+5d, so its charge history links it to nobody.
    assert _links(scene, "C", T + 5 * DAY)["accounts_card"] == 0.0
    assert _links(scene, "C", T + 11 * DAY)["accounts_card"] == 2.0


def test_without_a_network_links_are_unknown(scene: dict[str, Any]) -> None:
    vector = compute(scene["accounts"]["A"], (), scene["frame"], T + 20 * DAY)
    links = [v for k, v in vector.as_dict().items() if k.startswith("linked_")]
    assert len(links) == 10 and all(np.isnan(links))


def test_an_account_unknown_to_the_network_links_through_its_keys(
    scene: dict[str, Any], full_account: FullAccount
) -> None:
    newcomer = full_account()
    newcomer.update(id="NEW")
    newcomer["external_accounts"]["data"][0]["fingerprint"] = "bank_x"
    frame = pd.DataFrame([_charge("NEW", T + 30 * DAY, card="c1")])
    vector = compute(newcomer, (), frame, T + 31 * DAY, network=scene["network"])
    assert vector["linked_accounts_card"] == 3.0  # A, B and C
    assert vector["linked_accounts_bank"] == 2.0  # A and B
    assert vector["linked_bad_accounts_any"] == 1.0  # B


def test_an_account_without_keys_links_to_nobody_as_in_batch(
    scene: dict[str, Any], full_account: FullAccount
) -> None:
    # No charges, no bank account, no documents: known to be linked to nobody (0, not NaN).
    newcomer = full_account()
    newcomer.update(id="NEW", external_accounts={"object": "list", "data": []})
    as_of = T + 31 * DAY
    vector = compute(newcomer, (), None, as_of, network=scene["network"])
    links = {k: v for k, v in vector.as_dict().items() if k.startswith("linked_")}
    assert links == dict.fromkeys(links, 0.0) and len(links) == 10
    snapshots = pd.DataFrame({"account": ["NEW"], "as_of": [as_of]})
    empty = scene["frame"].iloc[0:0]
    batch = compute_batch({"NEW": newcomer}, {}, empty, snapshots, network=scene["network"])
    assert {name: float(batch[name].iloc[0]) for name in links} == links


def test_key_holders_are_capped_to_the_earliest(scene: dict[str, Any]) -> None:
    capped = build_network(
        build_table(scene["frame"]), scene["accounts"], {}, None, max_holders_per_key=2
    )
    vector = compute(scene["accounts"]["A"], (), scene["frame"], T + 20 * DAY, network=capped)
    assert vector["linked_accounts_card"] == 1.0  # only A and B hold c1 in the index
