"""Test helpers: the Graph emulator in-process, for your own tests.

    from entra_invite.testing import Emulator

    def test_onboarding() -> None:
        with Emulator() as emu:
            client = emu.client()
            inv = client.invite("taylor@fabrikam.com", redirect_url="https://myapps.microsoft.com/")
            emu.redeem("taylor@fabrikam.com")
            assert client.status("taylor@fabrikam.com").state == "Accepted"
            assert emu.outbox() == []          # send_message=False: no email

With pytest, the fixture ``entra_invite_emulator`` (registered automatically when the package is
installed) gives a fresh, running ``Emulator`` per test and stops it afterwards:

    def test_lookup(entra_invite_emulator: Emulator) -> None:
        assert not entra_invite_emulator.client().lookup("nobody@fabrikam.com").exists

The emulator serves Graph under ``emu.url`` (``/v1.0``, ``/beta``), the token endpoint
``/{tenant}/oauth2/v2.0/token`` and its control API under ``/_emulator/``; its default app
(``emu.client_id`` / ``emu.client_secret``) may invite and read users.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from ._native import _READONLY_CLIENT_ID, _READONLY_CLIENT_SECRET, _Emulator

__all__ = ["Emulator", "READONLY_CLIENT_ID", "READONLY_CLIENT_SECRET"]

#: An app of the emulator's tenant that may read users but not invite (User.Read.All only).
READONLY_CLIENT_ID: str = _READONLY_CLIENT_ID
READONLY_CLIENT_SECRET: str = _READONLY_CLIENT_SECRET


class Emulator(_Emulator):
    """A running Graph emulator on an ephemeral loopback port; a (async) context manager that
    stops it on exit. ``Emulator(https=True)`` serves TLS with a fresh self-signed certificate
    (``ca_cert_pem``), which the clients made by ``client()`` / ``async_client()`` trust."""

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

    def set_policy(self, policy: dict[str, Any]) -> None:
        """Sets the tenant's invitation policy (``allowedDomains`` or ``blockedDomains``,
        ``crossTenantBlocked``; see the emulator's CONTROL_API.md): blocked invitations fail
        with ``BlockedByPolicyError``."""
        self.control("POST", "policy", policy)

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Emulator(url={self.url!r}, tenant={self.tenant!r}, {state})"
