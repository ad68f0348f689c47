"""Document uploads over HTTP: good files, hostile files, duplicates, limits and scopes."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from svc_routes_support import DOCUMENT_LIMIT, MAX_PAGES, IssueKey, drawn_pdf, good_pdf

from service.api.routes.documents import filename_of
from service.db.database import Database
from service.db.repositories.evidence import list_documents
from service.usecases.upload_document import MAX_FILENAME
from training.synth.plan import DocumentKind

PDF = {"Content-Type": "application/pdf"}


def upload(
    client: httpx.Client, account: str, data: bytes, headers: dict[str, str]
) -> httpx.Response:
    return client.post(
        f"/v1/accounts/{account}/documents", content=data, headers={**PDF, **headers}
    )


def named(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def stored(database: Database, account: str) -> list[tuple[str | None, str | None]]:
    with database.session() as session:
        return [(d.kind, d.error) for d in list_documents(session=session, account_id=account)]


def test_a_readable_pdf_is_stored_and_summarised_without_values(
    client: httpx.Client, issue: IssueKey, routes_database: Database, account_id: str
) -> None:
    key = issue(["documents:write"])
    response = upload(client, account_id, good_pdf(), {**key.headers, **named("statement.pdf")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["account_id"] == account_id
    assert body["kind"] == "bank_statement"
    assert body["error"] is None
    assert "holder" in body["fields_found"] or "legal_name" in body["fields_found"]
    assert "statement.pdf" not in response.text
    assert stored(routes_database, account_id) == [("bank_statement", None)]


def test_the_same_file_again_returns_the_stored_record(
    client: httpx.Client, issue: IssueKey, routes_database: Database, account_id: str
) -> None:
    key = issue(["documents:write"])
    data = good_pdf(DocumentKind.REGISTRATION_CERTIFICATE, seed=3)
    first = upload(client, account_id, data, key.headers)
    again = upload(client, account_id, data, key.headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert len(stored(routes_database, account_id)) == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (drawn_pdf(encrypt=StandardEncryption("user-secret", "owner")), "encrypted"),
        (drawn_pdf()[:400], "corrupt"),
        (b"", "empty"),
        (b"name,amount\nNorthwind,12\n", "not_pdf"),
        (drawn_pdf(pages=MAX_PAGES + 2), "too_many_pages"),
    ],
    ids=["encrypted", "truncated", "empty", "not-a-pdf", "too-many-pages"],
)
def test_an_unreadable_file_is_refused_with_its_reason_and_still_recorded(
    client: httpx.Client,
    issue: IssueKey,
    routes_database: Database,
    account_id: str,
    data: bytes,
    reason: str,
) -> None:
    key = issue(["documents:write"])
    response = upload(client, account_id, data, key.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("document-rejected")
    assert problem["errors"][0]["loc"] == ["body"]
    assert problem["errors"][0]["type"] == f"document.{reason}"
    assert stored(routes_database, account_id) == [(None, reason)]
    if reason == "too_many_pages":  # the caller learns the limit it hit
        assert problem["errors"][0]["msg"] == f"the PDF has more than {MAX_PAGES} pages, the limit"


def test_a_body_over_the_upload_limit_is_refused_with_413(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    key = issue(["documents:write"])
    response = upload(client, account_id, b"%PDF-1.4\n" + b"0" * DOCUMENT_LIMIT, key.headers)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_multipart_form_upload_in_field_file_is_accepted(
    client: httpx.Client, issue: IssueKey, routes_database: Database, account_id: str
) -> None:
    key = issue(["documents:write"])
    response = client.post(
        f"/v1/accounts/{account_id}/documents",
        files={"file": ("certificate.pdf", good_pdf(), "application/pdf")},
        headers=key.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["error"] is None
    assert len(stored(routes_database, account_id)) == 1


def test_a_multipart_form_without_file_names_the_field(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    key = issue(["documents:write"])
    response = client.post(
        f"/v1/accounts/{account_id}/documents",
        files={"document": ("a.pdf", good_pdf(), "application/pdf")},
        headers=key.headers,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["body", "file"]
    assert response.json()["detail"] == "the multipart form has no field 'file'"


def test_a_file_sent_as_a_text_part_is_told_to_be_a_file_part(
    client: httpx.Client, issue: IssueKey, routes_database: Database, account_id: str
) -> None:
    # curl -F "file=<doc.pdf" sends the bytes as a text part, without a filename.
    key = issue(["documents:write"])
    response = client.post(
        f"/v1/accounts/{account_id}/documents",
        data={"file": "%PDF-1.4 not really"},
        files={"other": ("x.txt", b"x", "text/plain")},
        headers=key.headers,
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["loc"], error["type"]) == (["body", "file"], "not_a_file")
    assert "send the PDF as a file part" in error["msg"]
    assert stored(routes_database, account_id) == []


def test_an_unreadable_file_in_a_form_is_refused_on_its_field(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    key = issue(["documents:write"])
    response = client.post(
        f"/v1/accounts/{account_id}/documents",
        files={"file": ("notes.pdf", b"plain text, no PDF here", "application/pdf")},
        headers=key.headers,
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["loc"], error["type"]) == (["body", "file"], "document.not_pdf")


def test_other_media_types_get_415(client: httpx.Client, issue: IssueKey, account_id: str) -> None:
    key = issue(["documents:write"])
    text = upload(client, account_id, b"hello", {**key.headers, "Content-Type": "text/plain"})
    assert text.status_code == 415
    assert "multipart form field `file`" in text.json()["detail"]


def test_a_form_part_of_another_media_type_gets_415_and_is_not_stored(
    client: httpx.Client, issue: IssueKey, routes_database: Database, account_id: str
) -> None:
    key = issue(["documents:write"])
    response = client.post(
        f"/v1/accounts/{account_id}/documents",
        files={"file": ("page.html", good_pdf(), "text/html")},
        headers=key.headers,
    )
    assert response.status_code == 415
    assert "a `file` part of type text/html is not accepted" in response.json()["detail"]
    assert stored(routes_database, account_id) == []


def test_two_files_in_the_form_are_a_422_on_the_body(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    key = issue(["documents:write"])
    pdf = good_pdf()
    response = client.post(
        f"/v1/accounts/{account_id}/documents",
        files=[
            ("file", ("a.pdf", pdf, "application/pdf")),
            ("file", ("b.pdf", pdf, "application/pdf")),
        ],
        headers=key.headers,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["loc"] == ["body"] and "Too many files" in error["msg"]


def test_a_malformed_account_id_is_a_field_error(client: httpx.Client, issue: IssueKey) -> None:
    key = issue(["documents:write"])
    response = upload(client, "cus_123", good_pdf(), key.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["path", "account"]


def test_a_long_file_name_is_cut_to_the_column_size(
    client: httpx.Client, issue: IssueKey, routes_database: Database, account_id: str
) -> None:
    key = issue(["documents:write"])
    response = upload(client, account_id, good_pdf(seed=2), {**key.headers, **named("x" * 400)})
    assert response.status_code == 201
    with routes_database.session() as session:
        document = list_documents(session=session, account_id=account_id)[0]
    assert document.filename == "x" * MAX_FILENAME


def test_uploading_needs_the_documents_scope(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    reader = issue(["accounts:read"])
    response = upload(client, account_id, good_pdf(), reader.headers)
    anonymous = upload(client, account_id, good_pdf(), {})
    assert (response.status_code, anonymous.status_code) == (403, 401)


def test_racing_uploads_of_one_file_store_it_once(
    client: httpx.Client, issue: IssueKey, routes_database: Database, account_id: str
) -> None:
    key = issue(["documents:write"])
    data = good_pdf(DocumentKind.TAX_ID_LETTER, seed=11)
    with ThreadPoolExecutor(max_workers=3) as pool:
        responses = list(
            pool.map(lambda _: upload(client, account_id, data, key.headers), range(3))
        )
    assert sorted(r.status_code for r in responses) == [200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert len(stored(routes_database, account_id)) == 1


def test_uploads_never_log_file_names_or_printed_values(
    client: httpx.Client,
    issue: IssueKey,
    routes_database: Database,
    account_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = issue(["documents:write"])
    caplog.set_level(logging.DEBUG)
    response = upload(
        client, account_id, good_pdf(seed=5), {**key.headers, **named("jane-doe.pdf")}
    )
    assert response.status_code == 201
    with routes_database.session() as session:
        evidence = list_documents(session=session, account_id=account_id)[0].evidence
    printed = [evidence[name] for name in ("legal_name", "holder", "address") if evidence[name]]
    assert printed, "the sample document should print at least a name or an address"
    # The service's own logs and the server's (the test client logs its own requests).
    logged = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(("service", "uvicorn", "features"))
    )
    assert response.json()["id"] in logged
    for secret in ["jane-doe", *printed]:
        assert secret not in logged
        assert secret not in response.text


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (None, None),
        ("attachment", None),
        ('attachment; filename="kvk.pdf"', "kvk.pdf"),
        ("attachment; filename*=UTF-8''K%C3%B6ln%20extract.pdf", "Köln extract.pdf"),
    ],
)
def test_the_file_name_is_read_from_content_disposition(
    header: str | None, name: str | None
) -> None:
    assert filename_of(header) == name
