"""Test support for entra-invite: the Graph emulator in-process, for your own tests.

    from entra_invite_testing import Emulator     # or: from entra_invite.testing import Emulator

    def test_onboarding() -> None:
        with Emulator() as emu:
            client = emu.client()
            inv = client.invite("taylor@fabrikam.com", invite_redirect_url="https://myapps.microsoft.com/")
            emu.redeem("taylor@fabrikam.com")
            assert client.status("taylor@fabrikam.com").state == "Accepted"
            assert emu.outbox() == []          # send_invitation_message=False: no email

With pytest, the fixture ``entra_invite_emulator`` (registered automatically when this package
is installed) gives a fresh, running ``Emulator`` per test and stops it afterwards:

    def test_lookup(entra_invite_emulator: Emulator) -> None:
        assert not entra_invite_emulator.client().lookup("nobody@fabrikam.com").exists

The emulator serves Graph under ``emu.url`` (``/v1.0``, ``/beta``), the token endpoint
``/{tenant}/oauth2/v2.0/token`` and its control API under ``/_emulator/``; its default app
(``emu.client_id`` / ``emu.client_secret``) may invite and read users.

This package is separate from ``entra-invite`` so that production installs do not carry the
emulator. Its native module has its own copy of the Rust core and so its own runtime (one more
``entra-invite-rt`` thread once an emulator runs), which serves the emulator only; the clients
that ``client()`` / ``async_client()`` return are ordinary ``entra_invite`` clients.
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import TYPE_CHECKING, Any

import entra_invite

from ._native import READONLY_CLIENT_ID as _RO_ID
from ._native import READONLY_CLIENT_SECRET as _RO_SECRET
from ._native import _Emulator, __version__

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from entra_invite._native import _ClientOptions

__all__ = ["Emulator", "READONLY_CLIENT_ID", "READONLY_CLIENT_SECRET", "__version__"]

#: An app of the emulator's tenant that may read users but not invite (User.Read.All only).
READONLY_CLIENT_ID: str = _RO_ID
READONLY_CLIENT_SECRET: str = _RO_SECRET

#: A JSON value (as ``json.loads`` returns it).
Json = Any

#: Keyword arguments that name a credential: any of them replaces the default app's secret.
_CREDENTIALS = ("client_secret", "certificate_path", "federated_token_file", "token", "token_provider")


class Emulator(_Emulator):
    """A running Graph emulator on an ephemeral loopback port; a (async) context manager that
    stops it on exit. ``Emulator(https=True)`` serves TLS with a fresh self-signed certificate
    (``ca_cert_pem``), which the clients made by ``client()`` / ``async_client()`` trust."""

    # -- clients of the emulator's default app ---------------------------------------------

    def _client_options(self, overrides: dict[str, Any]) -> dict[str, Any]:
        given = {k: v for k, v in overrides.items() if v is not None}
        opts: dict[str, Any] = {
            "tenant": self.tenant,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "graph_url": self.url,
        }
        if self.ca_cert_pem is not None and not {"ca_cert", "ca_cert_pem"} & given.keys():
            opts["ca_cert_pem"] = self.ca_cert_pem
        if any(k in given for k in _CREDENTIALS):
            del opts["client_secret"]          # the given credential replaces the default app's
        if not self.running:
            raise entra_invite.InvalidInputError("is stopped", field="emulator")
        opts.update(given)
        return opts

    def client(self, **options: Unpack[_ClientOptions]) -> entra_invite.Client:
        """A ``Client`` of the emulator's default app (keyword arguments, those of
        ``entra_invite.Client``, override its settings)."""
        return entra_invite.Client(**self._client_options(dict(options)))

    def async_client(self, **options: Unpack[_ClientOptions]) -> entra_invite.AsyncClient:
        """An ``AsyncClient`` of the emulator's default app (keyword arguments override)."""
        return entra_invite.AsyncClient(**self._client_options(dict(options)))

    # -- control API ------------------------------------------------------------------------

    def control(self, method: str, path: str, body: Json = None) -> Json:
        """Any control-API call: ``method /_emulator/{path}`` with an optional JSON body."""
        answer = self._control(method, path, None if body is None else json.dumps(body))
        return json.loads(answer)

    def redeem(self, email_or_id: str) -> dict[str, Json]:
        """The guest accepts their invitation (by email or user id); returns the user (Graph
        JSON)."""
        user: dict[str, Json] = json.loads(self._redeem(email_or_id))
        return user

    def outbox(self) -> list[dict[str, Json]]:
        """Invitation emails "sent" so far."""
        out: list[dict[str, Json]] = self.control("GET", "outbox")
        return out

    def set_faults(self, faults: dict[str, Json] | None = None) -> None:
        """Replaces the active faults (Faults JSON, camelCase); ``None`` clears them."""
        if faults is None:
            self.control("DELETE", "faults")
        else:
            self.control("PUT", "faults", faults)

    def stats(self) -> dict[str, Json]:
        """Request counters: per route and status, ``invitationsCreated``, ``earlyRetries``,
        ``tokenRequests``, ``totalRequests``."""
        out: dict[str, Json] = self.control("GET", "counters")
        return out

    def add_user(self, user: dict[str, Json]) -> dict[str, Json]:
        """Seeds a user (Graph user properties, camelCase); returns it with its id."""
        out: dict[str, Json] = self.control("POST", "users", user)
        return out

    def add_domain(self, domain: str, *, verified: bool = True) -> dict[str, Json]:
        """Adds a domain to the tenant (``verified=True``: a verified domain)."""
        out: dict[str, Json] = self.control("POST", "domains", {"id": domain, "isVerified": verified})
        return out

    def reset(self) -> None:
        """Back to the initial state (users, counters, outbox, faults)."""
        self.control("POST", "reset")

    def set_policy(self, policy: dict[str, Any]) -> None:
        """Sets the tenant's invitation policy (``allowedDomains`` or ``blockedDomains``,
        ``crossTenantBlocked``; see the emulator's CONTROL_API.md): blocked invitations fail
        with ``BlockedByPolicyError``."""
        self.control("POST", "policy", policy)

    # -- context managers -------------------------------------------------------------------

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Emulator:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Emulator(url={self.url!r}, tenant={self.tenant!r}, {state})"

