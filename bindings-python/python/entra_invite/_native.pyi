"""Type stubs of the compiled module ``entra_invite._native`` (hand-written)."""

import datetime
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Final, Literal, TypedDict, final

from typing_extensions import Self

__version__: Final[str]
THREAD_NAME: Final[str]

StrPath = str | os.PathLike[str]
TokenResult = str | tuple[str, float | None] | Any
TokenProvider = Callable[[], TokenResult | Awaitable[TokenResult]]
GuestState = Literal["PendingAcceptance", "Accepted"]
UserTypeName = Literal["Guest", "Member"]
Json = Any

@final
class Invitation:
    @property
    def id(self) -> str | None: ...
    @property
    def invite_redeem_url(self) -> str | None: ...
    @property
    def invite_redirect_url(self) -> str | None: ...
    @property
    def invited_user_id(self) -> str | None: ...
    @property
    def invited_user_email_address(self) -> str | None: ...
    @property
    def invited_user_display_name(self) -> str | None: ...
    @property
    def invited_user_type(self) -> str | None: ...
    @property
    def send_invitation_message(self) -> bool | None: ...
    @property
    def reset_redemption(self) -> bool | None: ...
    @property
    def status(self) -> str | None: ...
    def to_dict(self) -> dict[str, Json]: ...

@final
class User:
    @property
    def id(self) -> str: ...
    @property
    def display_name(self) -> str | None: ...
    @property
    def mail(self) -> str | None: ...
    @property
    def user_principal_name(self) -> str | None: ...
    @property
    def user_type(self) -> str | None: ...
    @property
    def creation_type(self) -> str | None: ...
    @property
    def external_user_state(self) -> str | None: ...
    @property
    def account_enabled(self) -> bool | None: ...
    @property
    def other_mails(self) -> list[str]: ...
    @property
    def proxy_addresses(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Json]: ...

@final
class Lookup:
    @property
    def exists(self) -> bool: ...
    @property
    def user(self) -> User | None: ...
    @property
    def verified_domain(self) -> str | None: ...
    def to_dict(self) -> dict[str, Json]: ...
    def __bool__(self) -> bool: ...

@final
class InviteOutcome:
    @property
    def invited(self) -> bool: ...
    @property
    def invitation(self) -> Invitation | None: ...
    @property
    def user(self) -> User | None: ...
    def to_dict(self) -> dict[str, Json]: ...

@final
class GuestStatus:
    @property
    def user_id(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def display_name(self) -> str | None: ...
    @property
    def user_principal_name(self) -> str | None: ...
    @property
    def user_type(self) -> str | None: ...
    @property
    def state(self) -> GuestState | None: ...
    @property
    def raw_state(self) -> str | None: ...
    @property
    def changed_at(self) -> datetime.datetime | None: ...
    @property
    def user(self) -> User: ...
    def to_dict(self) -> dict[str, Json]: ...

@final
class GuestIterator(Iterator[GuestStatus]):
    def __iter__(self) -> Self: ...
    def __next__(self) -> GuestStatus: ...
    @property
    def total(self) -> int | None: ...

@final
class AsyncGuestIterator(AsyncIterator[GuestStatus]):
    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[GuestStatus]: ...
    @property
    def total(self) -> int | None: ...

class BulkSummary(TypedDict):
    invited: int
    existing: int
    failed: int
    invalid: int
    valid: int
    resumed: int
    input_changed: bool
    added: int
    fixed: int
    removed: int

@final
class BulkResult:
    @property
    def row(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def outcome(self) -> Literal["invited", "existing", "failed", "invalid", "valid"]: ...
    @property
    def user_id(self) -> str | None: ...
    @property
    def redeem_url(self) -> str | None: ...
    @property
    def error_kind(self) -> str | None: ...
    @property
    def error_code(self) -> str | None: ...
    @property
    def message(self) -> str | None: ...
    @property
    def request_id(self) -> str | None: ...

@final
class BulkRun(Iterator[BulkResult]):
    def __iter__(self) -> Self: ...
    def __next__(self) -> BulkResult: ...
    @property
    def summary(self) -> BulkSummary: ...
    def finish(self) -> BulkSummary: ...
    def close(self) -> None: ...

@final
class AsyncBulkRun(AsyncIterator[BulkResult]):
    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[BulkResult]: ...
    @property
    def summary(self) -> BulkSummary: ...
    async def finish(self) -> BulkSummary: ...
    def close(self) -> None: ...

@final
class Client:
    def __init__(
        self,
        *,
        tenant: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        certificate_path: StrPath | None = None,
        certificate_password: str | None = None,
        federated_token_file: StrPath | None = None,
        token: str | None = None,
        token_provider: TokenProvider | None = None,
        cloud: str | None = None,
        graph_url: str | None = None,
        authority_url: str | None = None,
        ca_cert: StrPath | bytes | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        invitations_per_5s: int | None = None,
    ) -> None: ...
    @classmethod
    def from_env(
        cls,
        *,
        tenant: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        certificate_path: StrPath | None = None,
        certificate_password: str | None = None,
        federated_token_file: StrPath | None = None,
        token: str | None = None,
        token_provider: TokenProvider | None = None,
        cloud: str | None = None,
        graph_url: str | None = None,
        authority_url: str | None = None,
        ca_cert: StrPath | bytes | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        invitations_per_5s: int | None = None,
    ) -> Client: ...
    @property
    def tenant(self) -> str: ...
    @property
    def graph_url(self) -> str: ...
    def invite(
        self,
        email: str,
        *,
        redirect_url: str,
        display_name: str | None = None,
        send_message: bool = False,
        message: str | None = None,
        message_language: str | None = None,
        cc: str | Sequence[str] | None = None,
        user_type: UserTypeName | None = None,
        sponsors: Sequence[str] | None = None,
    ) -> Invitation: ...
    def invite_if_absent(
        self,
        email: str,
        *,
        redirect_url: str,
        display_name: str | None = None,
        send_message: bool = False,
        message: str | None = None,
        message_language: str | None = None,
        cc: str | Sequence[str] | None = None,
        user_type: UserTypeName | None = None,
        sponsors: Sequence[str] | None = None,
    ) -> InviteOutcome: ...
    def lookup(self, email: str) -> Lookup: ...
    def status(self, email_or_id: str) -> GuestStatus: ...
    def guests(self, state: GuestState | None = None, *, page_size: int | None = None) -> GuestIterator: ...
    def reset_redemption(
        self,
        user: str,
        *,
        email: str,
        redirect_url: str,
        display_name: str | None = None,
        send_message: bool = False,
        message: str | None = None,
        message_language: str | None = None,
        cc: str | Sequence[str] | None = None,
        user_type: UserTypeName | None = None,
        sponsors: Sequence[str] | None = None,
    ) -> Invitation: ...
    def bulk_invite(
        self,
        path: StrPath,
        *,
        concurrency: int = 16,
        skip_existing: bool = True,
        dry_run: bool = False,
        results: StrPath | None = None,
        wait: bool = False,
        settle_timeout: float = 30.0,
    ) -> BulkRun: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> bool: ...

@final
class AsyncClient:
    def __init__(
        self,
        *,
        tenant: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        certificate_path: StrPath | None = None,
        certificate_password: str | None = None,
        federated_token_file: StrPath | None = None,
        token: str | None = None,
        token_provider: TokenProvider | None = None,
        cloud: str | None = None,
        graph_url: str | None = None,
        authority_url: str | None = None,
        ca_cert: StrPath | bytes | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        invitations_per_5s: int | None = None,
    ) -> None: ...
    @classmethod
    def from_env(
        cls,
        *,
        tenant: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        certificate_path: StrPath | None = None,
        certificate_password: str | None = None,
        federated_token_file: StrPath | None = None,
        token: str | None = None,
        token_provider: TokenProvider | None = None,
        cloud: str | None = None,
        graph_url: str | None = None,
        authority_url: str | None = None,
        ca_cert: StrPath | bytes | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        invitations_per_5s: int | None = None,
    ) -> AsyncClient: ...
    @property
    def tenant(self) -> str: ...
    @property
    def graph_url(self) -> str: ...
    async def invite(
        self,
        email: str,
        *,
        redirect_url: str,
        display_name: str | None = None,
        send_message: bool = False,
        message: str | None = None,
        message_language: str | None = None,
        cc: str | Sequence[str] | None = None,
        user_type: UserTypeName | None = None,
        sponsors: Sequence[str] | None = None,
    ) -> Invitation: ...
    async def invite_if_absent(
        self,
        email: str,
        *,
        redirect_url: str,
        display_name: str | None = None,
        send_message: bool = False,
        message: str | None = None,
        message_language: str | None = None,
        cc: str | Sequence[str] | None = None,
        user_type: UserTypeName | None = None,
        sponsors: Sequence[str] | None = None,
    ) -> InviteOutcome: ...
    async def lookup(self, email: str) -> Lookup: ...
    async def status(self, email_or_id: str) -> GuestStatus: ...
    def guests(self, state: GuestState | None = None, *, page_size: int | None = None) -> AsyncGuestIterator: ...
    async def reset_redemption(
        self,
        user: str,
        *,
        email: str,
        redirect_url: str,
        display_name: str | None = None,
        send_message: bool = False,
        message: str | None = None,
        message_language: str | None = None,
        cc: str | Sequence[str] | None = None,
        user_type: UserTypeName | None = None,
        sponsors: Sequence[str] | None = None,
    ) -> Invitation: ...
    def bulk_invite(
        self,
        path: StrPath,
        *,
        concurrency: int = 16,
        skip_existing: bool = True,
        dry_run: bool = False,
        results: StrPath | None = None,
        wait: bool = False,
        settle_timeout: float = 30.0,
    ) -> AsyncBulkRun: ...
    async def close(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> bool: ...

def _close_exit_gate() -> None: ...
def _live_tasks() -> int: ...
async def _runtime_thread_name() -> str: ...
def _current_thread_name() -> str: ...
def _runtime_started() -> bool: ...
def _force_internal_error() -> None: ...
async def _force_internal_error_async() -> None: ...
def _emit_test_event(secret: str) -> None: ...
