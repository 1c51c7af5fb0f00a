"""entra-invite: Microsoft Entra B2B collaboration through Microsoft Graph.

Invite external users, find out whether someone is already in the directory, and follow
guests' acceptance — from a Rust core, with a blocking ``Client`` and an asyncio ``AsyncClient``.

    import entra_invite as ei
    client = ei.Client(tenant="contoso.onmicrosoft.com", client_id=..., client_secret=...)
    inv = client.invite("taylor@fabrikam.com", invite_redirect_url="https://myapps.microsoft.com/")

Importing this package starts no thread; the core's runtime starts with the first client.
"""

from __future__ import annotations

from ._native import (
    AsyncBulkRun,
    AsyncClient,
    AsyncGuestIterator,
    BulkResult,
    BulkRun,
    BulkSummary,
    Client,
    EmailAddress,
    GuestIterator,
    GuestStatus,
    Invitation,
    InvitedUser,
    InvitedUserMessageInfo,
    InviteOutcome,
    Lookup,
    ObjectIdentity,
    Recipient,
    User,
    __version__,
)
from .errors import (
    AlreadyExistsError,
    AuthError,
    BlockedByPolicyError,
    EntraInviteError,
    InternalError,
    InvalidInputError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    ServiceError,
    ThrottledError,
    TimeoutError,
    VerifiedDomainError,
)

__all__ = [
    "AsyncBulkRun",
    "AsyncClient",
    "AsyncGuestIterator",
    "BulkResult",
    "BulkRun",
    "BulkSummary",
    "Client",
    "EmailAddress",
    "GuestIterator",
    "GuestStatus",
    "Invitation",
    "InvitedUser",
    "InvitedUserMessageInfo",
    "InviteOutcome",
    "Lookup",
    "ObjectIdentity",
    "Recipient",
    "User",
    "__version__",
    "EntraInviteError",
    "InvalidInputError",
    "AuthError",
    "PermissionDeniedError",
    "NotFoundError",
    "AlreadyExistsError",
    "VerifiedDomainError",
    "BlockedByPolicyError",
    "ThrottledError",
    "ServiceError",
    "NetworkError",
    "TimeoutError",
    "ProtocolError",
    "InternalError",
]
