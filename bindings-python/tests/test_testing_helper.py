"""`entra_invite.testing`: the Emulator helper and the pytest fixture."""

from __future__ import annotations

import pytest

import entra_invite as ei
from entra_invite.testing import Emulator

from conftest import REDIRECT, user_id


def test_fixture_from_the_plugin(entra_invite_emulator: Emulator) -> None:
    assert entra_invite_emulator.running
    assert entra_invite_emulator.url.startswith("http://127.0.0.1:")
    c = entra_invite_emulator.client()
    assert not c.lookup("nobody@fabrikam.com").exists


def test_emulator_control_api() -> None:
    emu = Emulator()
    try:
        assert "running" in repr(emu) and emu.tenant == "contoso.onmicrosoft.com"
        assert emu.client_id and emu.client_secret and emu.ca_cert_pem is None
        c = emu.client()
        inv = c.invite("taylor@fabrikam.com", invite_redirect_url=REDIRECT, send_invitation_message=True)
        assert emu.outbox()[0]["inviteRedeemUrl"] == inv.invite_redeem_url
        user = emu.redeem(user_id(inv))
        assert user["externalUserState"] == "Accepted"
        stats = emu.stats()
        assert stats["invitationsCreated"] == 1 and stats["tokenRequests"] == 1
        emu.add_domain("fabrikam.com")
        assert c.lookup("someone@fabrikam.com").verified_domain == "fabrikam.com"
        added = emu.add_user({"displayName": "Ann", "mail": "ann@contoso.com", "userType": "Member"})
        assert c.lookup("ann@contoso.com").user is not None and added["id"]
        emu.set_faults({"scripted": [{"method": "GET", "pathContains": "/users", "status": 503,
                                      "times": 1, "retryAfter": "0"}]})
        assert emu.control("GET", "faults")["scripted"]
        emu.set_faults(None)
        emu.reset()
        assert emu.outbox() == [] and emu.stats()["invitationsCreated"] == 0
    finally:
        emu.stop()
    emu.stop()                                  # idempotent
    assert not emu.running and "stopped" in repr(emu)
    with pytest.raises(ei.InvalidInputError):
        emu.outbox()


async def test_async_context_manager() -> None:
    async with Emulator() as emu:
        c = emu.async_client(max_retries=0)
        assert (await c.invite("a@fabrikam.com", invite_redirect_url=REDIRECT)).id
    assert not emu.running


def test_overrides_of_the_default_client(emu: Emulator) -> None:
    with pytest.raises(ei.AuthError):
        emu.client(client_secret="wrong").lookup("a@fabrikam.com")
    token = emu.control("POST", "tokens", {})["access_token"]
    assert not emu.client(token=token).lookup("a@fabrikam.com").exists
    with pytest.raises(TypeError):
        emu.client(colour="blue")  # type: ignore[call-arg]
