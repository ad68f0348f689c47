"""GET /v1/accounts/{account}/documents: what an account uploaded, page by page, no values."""

from __future__ import annotations

import httpx
from svc_routes_support import IssueKey, good_pdf

from training.synth.plan import DocumentKind

PDF = {"Content-Type": "application/pdf"}


def test_an_accounts_documents_are_listed_in_upload_order_with_rejections(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    writer, reader = issue(["documents:write"]), issue(["accounts:read"])
    sent = [
        good_pdf(DocumentKind.BANK_STATEMENT, seed=21),
        b"not a pdf at all",
        good_pdf(DocumentKind.TAX_ID_LETTER, seed=22),
    ]
    uploaded = [
        client.post(
            f"/v1/accounts/{account_id}/documents", content=data, headers={**PDF, **writer.headers}
        )
        for data in sent
    ]
    assert [r.status_code for r in uploaded] == [201, 422, 201]
    ids = [uploaded[0].json()["id"], None, uploaded[2].json()["id"]]

    first = client.get(f"/v1/accounts/{account_id}/documents?limit=2", headers=reader.headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert page["object"] == "list" and page["has_more"] is True
    assert [d["kind"] for d in page["data"]] == ["bank_statement", None]
    assert [d["error"] for d in page["data"]] == [None, "not_pdf"]
    assert page["data"][0]["id"] == ids[0]
    assert page["data"][0]["fields_found"]  # what was found, named

    cursor = page["data"][-1]["id"]
    rest = client.get(
        f"/v1/accounts/{account_id}/documents",
        params={"starting_after": cursor},
        headers=reader.headers,
    ).json()
    assert rest["has_more"] is False
    assert [d["id"] for d in rest["data"]] == [ids[2]]
    assert rest["data"][0]["kind"] == "tax_id_letter"


def test_listing_documents_never_returns_the_values_found(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    writer, reader = issue(["documents:write"]), issue(["accounts:read"])
    data = good_pdf(DocumentKind.BANK_STATEMENT, seed=23)
    client.post(
        f"/v1/accounts/{account_id}/documents", content=data, headers={**PDF, **writer.headers}
    )
    listed = client.get(f"/v1/accounts/{account_id}/documents", headers=reader.headers)
    [document] = listed.json()["data"]
    assert set(document) == {
        "id",
        "account_id",
        "content_type",
        "size_bytes",
        "sha256",
        "kind",
        "pages",
        "fields_found",
        "forensic_flags",
        "error",
        "received_at",
    }


def test_unknown_accounts_cursors_and_scopes_are_refused(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    writer, reader = issue(["documents:write"]), issue(["accounts:read"])
    unknown = client.get(f"/v1/accounts/{account_id}/documents", headers=reader.headers)
    assert unknown.status_code == 404
    client.post(
        f"/v1/accounts/{account_id}/documents",
        content=good_pdf(seed=24),
        headers={**PDF, **writer.headers},
    )
    bad_cursor = client.get(
        f"/v1/accounts/{account_id}/documents",
        params={"starting_after": "doc_nope"},
        headers=reader.headers,
    )
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"][0]["loc"] == ["query", "starting_after"]
    forbidden = client.get(f"/v1/accounts/{account_id}/documents", headers=writer.headers)
    assert forbidden.status_code == 403
