"""Every table of the service, importable from one place (Alembic reads `Base.metadata`)."""

from service.db.base import Base
from service.db.models.accounts import Account, Document, Transaction
from service.db.models.api_keys import ApiKey
from service.db.models.decisions import (
    Action,
    ActionAttempt,
    ActionStatus,
    Decision,
    Review,
    ReviewStatus,
)
from service.db.models.inbox import InboxEvent, InboxStatus

__all__ = [
    "Account",
    "Action",
    "ActionAttempt",
    "ActionStatus",
    "ApiKey",
    "Base",
    "Decision",
    "Document",
    "InboxEvent",
    "InboxStatus",
    "Review",
    "ReviewStatus",
    "Transaction",
]
