"""/v1/accounts/{account}/documents: the onboarding flow uploads a provider's PDF documents."""

from __future__ import annotations

import functools
from email.message import Message
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from features.documents import ParseLimits
from service.api.deps import DatabaseDep, SessionDep, SettingsDep, require_scope
from service.api.problems import FieldError, problem_response, problem_responses
from service.api.schemas.common import AccountId
from service.api.schemas.documents import DocumentPublic
from service.usecases.upload_document import (
    MAX_FILENAME,
    DocumentUpload,
    Parser,
    document_limits,
    document_parser,
    error_message,
    upload_document,
)

ACCEPTED_TYPES = ("application/pdf", "application/octet-stream")
MULTIPART = "multipart/form-data"
RAW_PDF_BODY = {
    **{media: {"schema": {"type": "string", "format": "binary"}} for media in ACCEPTED_TYPES},
    MULTIPART: {
        "schema": {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary"}},
            "required": ["file"],
        }
    },
}

router = APIRouter(
    prefix="/v1/accounts",
    tags=["documents"],
    dependencies=[require_scope("documents:write")],
    responses=problem_responses(401, 403, 413, 415, 422, 503),
)


def get_parse_limits(settings: SettingsDep) -> ParseLimits:
    """The parse limits for uploads (tests override this dependency)."""
    return document_limits(settings)


def get_document_parser(
    limits: Annotated[ParseLimits, Depends(get_parse_limits)], settings: SettingsDep
) -> Parser:
    """The document parser for uploads, within the parse limits (tests override it)."""
    return document_parser(limits, settings.document_parsers)


ParserDep = Annotated[Parser, Depends(get_document_parser)]
LimitsDep = Annotated[ParseLimits, Depends(get_parse_limits)]


@router.post(
    "/{account}/documents",
    status_code=status.HTTP_201_CREATED,
    response_model=DocumentPublic,
    responses={200: {"model": DocumentPublic, "description": "The same file, uploaded before"}},
    openapi_extra={"requestBody": {"required": True, "content": RAW_PDF_BODY}},
)
async def create_document(
    request: Request,
    response: Response,
    account: AccountId,
    session: SessionDep,
    database: DatabaseDep,
    parse: ParserDep,
    limits: LimitsDep,
) -> DocumentPublic | JSONResponse:
    """Upload one PDF: a multipart form with the file in field `file`, or the raw request body
    (`Content-Type: application/pdf`, the file name, if any, in `Content-Disposition:
    attachment; filename="…"` rather than the URL, which proxies and access logs record).

    201 with what the document shows (kind, fields found, forensic flags); 200 with the stored
    record when the account already uploaded these exact bytes; 422 with the document-level
    reason (`encrypted`, `not_pdf`, `corrupt`, `too_large`, `too_many_pages`, `timeout`,
    `empty`) when it cannot be read; the failed upload is still recorded. 503 with Retry-After
    when every document parser stayed busy (nothing is recorded: send it again).
    """
    if session.in_transaction():
        # The key lookup's read holds a pooled connection; a client sending its file slowly
        # must not keep it (a few such uploads took every connection, and the API answered
        # 503 to everyone).
        await run_in_threadpool(session.rollback)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == MULTIPART:
        upload = await _form_upload(request, account)
        if isinstance(upload, FieldError):
            return problem_response(
                request,
                status=422,
                title="Invalid input",
                slug="invalid-input",
                detail=upload.msg,
                errors=[upload],
            )
        part_type = upload.content_type.split(";")[0].strip()
        if part_type not in ACCEPTED_TYPES:
            return _unsupported(request, f"a `file` part of type {part_type}")
    elif content_type in ACCEPTED_TYPES:
        upload = DocumentUpload(
            account_id=account,
            data=await request.body(),
            content_type=content_type,
            filename=filename_of(request.headers.get("content-disposition")),
        )
    else:
        return _unsupported(request, content_type)
    # Parsing and the database are blocking; the event loop keeps serving meanwhile.
    outcome = await run_in_threadpool(
        functools.partial(
            upload_document,
            session=session,
            upload=upload,
            parse=parse,
            write_turn=database.write_turn,
        )
    )
    document = outcome.document
    if document.error is not None:
        message = error_message(document.error, limits)
        where = ["body", "file"] if content_type == MULTIPART else ["body"]
        return _rejected(request, document.id, document.error, message, where)
    response.status_code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
    return DocumentPublic.of(document)


async def _form_upload(request: Request, account: str) -> DocumentUpload | FieldError:
    """The upload in a multipart form's `file` field, or what is wrong with the form."""
    async with request.form(max_files=1, max_fields=10) as form:
        file = form.get("file")
        if file is None:
            message = "the multipart form has no field 'file'"
            return FieldError(loc=["body", "file"], msg=message, type="missing")
        if isinstance(file, str):
            message = (
                "field 'file' is a text part: send the PDF as a file part, with a filename "
                "(curl: -F file=@document.pdf)"
            )
            return FieldError(loc=["body", "file"], msg=message, type="not_a_file")
        return DocumentUpload(
            account_id=account,
            data=await file.read(),
            content_type=(file.content_type or "application/pdf").lower(),
            filename=file.filename[:MAX_FILENAME] if file.filename else None,
        )


def filename_of(disposition: str | None) -> str | None:
    """The file name a `Content-Disposition` header gives (RFC 6266, `filename*` included)."""
    if not disposition:
        return None
    header = Message()
    header["content-disposition"] = disposition
    name = header.get_filename()
    return name[:MAX_FILENAME] if name else None


def _rejected(
    request: Request, document_id: str, reason: str, message: str, where: list[str]
) -> JSONResponse:
    return problem_response(
        request,
        status=422,
        title="Document rejected",
        slug="document-rejected",
        detail=f"document {document_id} was recorded but could not be read: {message}",
        errors=[FieldError(loc=list(where), msg=message, type=f"document.{reason}")],
    )


def _unsupported(request: Request, content_type: str) -> JSONResponse:
    hint = f"{content_type or 'no content type'} is not accepted; "
    return problem_response(
        request,
        status=415,
        title="Unsupported media type",
        slug="unsupported-media-type",
        detail=hint + "send the PDF in a multipart form field `file`, or as the raw body with "
        "Content-Type: application/pdf",
    )
