"""AsyncClient: the same methods and arguments as coroutines, on the core's runtime."""

from __future__ import annotations

import asyncio
import datetime

import pytest

import entra_invite as ei
from entra_invite.testing import Emulator

from conftest import REDIRECT, user_id


async def test_every_method(emu: Emulator, aclient: ei.AsyncClient) -> None:
    sponsor = emu.add_user({"displayName": "Sponsor", "mail": "boss@contoso.com",
                            "userPrincipalName": "boss@contoso.com", "userType": "Member"})
    inv = await aclient.invite(
        "taylor@fabrikam.com", invite_redirect_url=REDIRECT, invited_user_display_name="Taylor", send_invitation_message=True,
        customized_message_body="Hello Sam, let's collaborate!", message_language="en-US", cc_recipients=["lead@contoso.com"],
        invited_user_type="Member", invited_user_sponsors=[sponsor["id"]],
    )
    assert inv.invited_user_type == "Member" and inv.invite_redeem_url
    assert inv.to_dict()["invitedUserMessageInfo"]["messageLanguage"] == "en-US"
    assert emu.outbox()[0]["cc"] == ["lead@contoso.com"]

    found = await aclient.lookup("taylor@fabrikam.com")
    assert found.exists and found.user is not None and found.user.id == user_id(inv)
    assert (await aclient.lookup("newhire@contoso.com")).verified_domain == "contoso.com"

    out = await aclient.invite_if_absent("sam@litware.com", invite_redirect_url=REDIRECT, invited_user_display_name="Sam",
                                         send_invitation_message=False, customized_message_body="m", message_language="de-DE",
                                         cc_recipients="lead@contoso.com", invited_user_type="Guest")
    assert out.invited and out.invitation is not None
    again = await aclient.invite_if_absent("sam@litware.com", invite_redirect_url=REDIRECT)
    assert not again.invited and again.user is not None

    st = await aclient.status("sam@litware.com")
    assert st.state == "PendingAcceptance"
    assert isinstance(st.changed_at, datetime.datetime) and st.changed_at.tzinfo is not None
    emu.redeem("sam@litware.com")
    assert (await aclient.status(st.user_id)).state == "Accepted"

    it = aclient.guests(page_size=1)
    assert isinstance(it, ei.AsyncGuestIterator)
    got = [g.email async for g in it]
    assert got == ["sam@litware.com"] and it.total == 1
    assert [g.email async for g in aclient.guests(state="Accepted")] == ["sam@litware.com"]
    assert [g async for g in aclient.guests(state="PendingAcceptance")] == []

    reset = await aclient.reset_redemption(st.user_id, invited_user_email_address="sam@northwind.com", invite_redirect_url=REDIRECT,
                                           invited_user_display_name="Sam N", send_invitation_message=True, customized_message_body="again",
                                           message_language="en-US", cc_recipients="lead@contoso.com",
                                           invited_user_type="Guest")
    assert reset.reset_redemption is True and user_id(reset) == st.user_id


async def test_errors_are_raised_from_coroutines(aclient: ei.AsyncClient) -> None:
    with pytest.raises(ei.InvalidInputError) as e:
        await aclient.invite("bad", invite_redirect_url=REDIRECT)
    assert e.value.field == "invitedUserEmailAddress"
    with pytest.raises(ei.NotFoundError):
        await aclient.status("ghost@fabrikam.com")


async def test_async_context_manager_and_from_env(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_TENANT_ID", emu.tenant)
    monkeypatch.setenv("AZURE_CLIENT_ID", emu.client_id)
    monkeypatch.setenv("AZURE_CLIENT_SECRET", emu.client_secret)
    monkeypatch.setenv("ENTRA_INVITE_GRAPH_URL", emu.url)
    async with ei.AsyncClient.from_env(timeout=10, max_retries=1) as c:
        assert c.tenant == emu.tenant and "AsyncClient(" in repr(c)
        assert (await c.invite("env@fabrikam.com", invite_redirect_url=REDIRECT)).id
    await c.close()


async def test_async_token_provider_runs_on_the_callers_loop(emu: Emulator) -> None:
    token: str = emu.control("POST", "tokens", {})["access_token"]
    loops: list[asyncio.AbstractEventLoop] = []
    lock = asyncio.Lock()          # bound to this loop: would fail on another one

    async def provider() -> tuple[str, float]:
        async with lock:
            loops.append(asyncio.get_running_loop())
            await asyncio.sleep(0.01)
        return token, 3600.0

    c = ei.AsyncClient(token_provider=provider, graph_url=emu.url)
    results = await asyncio.gather(*(c.lookup(f"u{i}@fabrikam.com") for i in range(10)))
    assert not any(r.exists for r in results)
    assert loops == [asyncio.get_running_loop()]       # one refresh for all ten calls


async def test_sync_provider_with_async_client(emu: Emulator) -> None:
    token: str = emu.control("POST", "tokens", {})["access_token"]
    c = ei.AsyncClient(token_provider=lambda: token, graph_url=emu.url)
    assert not (await c.lookup("a@fabrikam.com")).exists


async def test_guest_iteration_error(emu: Emulator) -> None:
    c = emu.async_client(client_secret="wrong", max_retries=0)
    with pytest.raises(ei.AuthError):
        async for _ in c.guests():
            pass
