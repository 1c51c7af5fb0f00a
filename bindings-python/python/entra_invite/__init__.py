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
from . import errors
from .errors import *  # noqa: F403  (one exception class per error kind: errors.__all__)

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
]
__all__ += errors.__all__
