"""Exceptions raised by entra-invite: one class per error kind, all under EntraInviteError."""

from __future__ import annotations

import builtins
TYPE_CHECKING = False
if TYPE_CHECKING:  # keeps `import entra_invite` free of the typing module (~2 ms)
    from typing import Any

__all__ = [
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


class EntraInviteError(Exception):
    """Any failure of an entra-invite call.

    The attributes are the core's ``ErrorDetails``: ``kind`` is the stable name of the error kind
    (``"NotFound"``, ``"Throttled"``, ...); ``message`` is readable; ``field`` names the bad input
    of an ``InvalidInputError``; ``status``, ``code``, ``request_id``, ``client_request_id`` and
    ``date`` come from Graph's (or the token endpoint's) answer when there was one;
    ``retry_after`` (seconds) says when Graph allows a retry; ``aadsts`` is a token-endpoint
    error number. ``maybe_applied`` is True when the invitation may have been created even though
    the call failed (a 5xx, a dropped connection or an unreadable answer to the invitation
    request): look the user up before sending it again. Never contains a secret or a token.
    """

    kind: str = "Internal"
    maybe_applied: bool = False

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        field: str | None = None,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        client_request_id: str | None = None,
        date: str | None = None,
        retry_after: float | None = None,
        aadsts: int | None = None,
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(message)
        self.kind = kind if kind is not None else type(self).kind
        self.message = message
        self.field = field
        self.status = status
        self.code = code
        self.request_id = request_id
        self.client_request_id = client_request_id
        self.date = date
        self.retry_after = retry_after
        self.aadsts = aadsts
        self.maybe_applied = maybe_applied

    def _fields(self) -> dict[str, Any]:
        skip = {"message"}
        return {k: v for k, v in vars(self).items() if k not in skip and not k.startswith("_")}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self._fields()))

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(f"status {self.status}")
        if self.code:
            parts.append(f"code {self.code}")
        if self.request_id:
            parts.append(f"request-id {self.request_id}")
        tail = f" ({', '.join(parts)})" if parts else ""
        return f"[{self.kind}] {self.message}{tail}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, code={self.code!r}, status={self.status!r})"


def _rebuild(cls: type[EntraInviteError], message: str, fields: dict[str, Any]) -> EntraInviteError:
    return cls(message, **fields)


class InvalidInputError(EntraInviteError, ValueError):
    """Bad input, refused before anything was sent (``field`` names it), or refused by Graph."""

    kind = "InvalidInput"


class AuthError(EntraInviteError):
    """The token endpoint refused the credential (``code``/``aadsts`` say why), a token was
    rejected, or the token provider failed (its exception is the ``__cause__``)."""

    kind = "Auth"


class PermissionDeniedError(EntraInviteError):
    """The app or user lacks the permission or role for the call."""

    kind = "PermissionDenied"


class NotFoundError(EntraInviteError):
    """The user (or route) does not exist."""

    kind = "NotFound"


class AlreadyExistsError(EntraInviteError):
    """The invitee already exists in the tenant as an internal member."""

    kind = "AlreadyExists"


class VerifiedDomainError(EntraInviteError):
    """The invitee's domain is a verified domain of the tenant: add them as a member instead."""

    kind = "VerifiedDomain"


class BlockedByPolicyError(EntraInviteError):
    """Cross-tenant access settings, allow/deny lists or tenant policy block the invitation."""

    kind = "BlockedByPolicy"


class ThrottledError(EntraInviteError):
    """Graph answered 429 and retries ran out; ``retry_after`` (seconds) says when to come back."""

    kind = "Throttled"


class ServiceError(EntraInviteError):
    """Graph failed (5xx) and retries ran out."""

    kind = "Service"


class NetworkError(EntraInviteError, ConnectionError):
    """The connection failed."""

    kind = "Network"


class TimeoutError(EntraInviteError, builtins.TimeoutError):
    """No answer within the configured ``timeout``."""

    kind = "Timeout"


class ProtocolError(EntraInviteError):
    """Graph answered something that cannot be understood."""

    kind = "Protocol"


class InternalError(EntraInviteError):
    """A bug in entra-invite; please report it."""

    kind = "Internal"
