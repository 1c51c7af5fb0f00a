"""The blocking Client: every method and every argument, against the emulator."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

import entra_invite as ei
from entra_invite.testing import Emulator

from conftest import REDIRECT, user_id


def test_invite_with_every_argument(emu: Emulator, client: ei.Client) -> None:
    sponsor = emu.add_user({"displayName": "Sponsor", "mail": "boss@contoso.com",
                            "userPrincipalName": "boss@contoso.com", "userType": "Member"})
    inv = client.invite(
        "taylor@fabrikam.com",
        invite_redirect_url=REDIRECT,
        invited_user_display_name="Taylor",
        send_invitation_message=True,
        customized_message_body="Hello Sam, let's collaborate!",
        message_language="en-US",
        cc_recipients=["lead@contoso.com"],
        invited_user_type="Member",
        invited_user_sponsors=[sponsor["id"]],
    )
    assert isinstance(inv, ei.Invitation)
    assert inv.id and user_id(inv) and inv.invite_redeem_url
    assert inv.invite_redeem_url.startswith("https://")
    assert inv.status == "PendingAcceptance"
    assert inv.invited_user_email_address == "taylor@fabrikam.com"
    assert inv.invited_user_display_name == "Taylor"
    assert inv.invited_user_type == "Member"
    assert inv.invite_redirect_url == REDIRECT
    assert inv.send_invitation_message is True
    d = inv.to_dict()
    assert d["invitedUserEmailAddress"] == "taylor@fabrikam.com"
    assert d["invitedUser"]["id"] == user_id(inv)
    info = d["invitedUserMessageInfo"]
    assert info["customizedMessageBody"] == "Hello Sam, let's collaborate!"
    assert info["messageLanguage"] == "en-US"
    assert info["ccRecipients"][0]["emailAddress"]["address"] == "lead@contoso.com"
    assert repr(inv).startswith("Invitation(id='")
    (mail,) = emu.outbox()
    assert mail["to"] == "taylor@fabrikam.com"
    assert mail["cc"] == ["lead@contoso.com"]
    assert mail["language"] == "en-US"
    assert mail["customizedMessageBody"] == "Hello Sam, let's collaborate!"


def test_invite_defaults_and_cc_as_a_string(emu: Emulator, client: ei.Client) -> None:
    inv = client.invite("lee@northwind.com", invite_redirect_url=REDIRECT)
    assert inv.invited_user_type == "Guest"
    assert inv.send_invitation_message is False
    assert emu.outbox() == []
    inv2 = client.invite("kim@northwind.com", invite_redirect_url=REDIRECT, send_invitation_message=True, cc_recipients="lead@contoso.com")
    assert inv2.to_dict()["invitedUserMessageInfo"]["ccRecipients"][0]["emailAddress"]["address"] == "lead@contoso.com"
    assert inv2 == inv2 and inv2 != inv


def test_lookup(emu: Emulator, client: ei.Client) -> None:
    missing = client.lookup("nobody@fabrikam.com")
    assert (missing.exists, missing.user, missing.verified_domain) == (False, None, None)
    assert not missing
    assert missing.to_dict() == {"exists": False, "user": None, "verifiedDomain": None}
    inv = client.invite("taylor@fabrikam.com", invite_redirect_url=REDIRECT)
    found = client.lookup("Taylor@Fabrikam.com")
    assert found.exists and found
    assert found.user is not None
    assert found.user.id == user_id(inv)
    assert found.user.mail == "taylor@fabrikam.com"
    assert found.user.user_type == "Guest"
    assert found.user.external_user_state == "PendingAcceptance"
    assert "#EXT#" in (found.user.user_principal_name or "")
    assert found.user.to_dict()["id"] == user_id(inv)
    assert isinstance(found.user.other_mails, list) and isinstance(found.user.proxy_addresses, list)
    assert "exists=True" in repr(found)
    domain = client.lookup("newhire@contoso.com")
    assert (domain.exists, domain.verified_domain) == (False, "contoso.com")


def test_invite_if_absent(client: ei.Client) -> None:
    first = client.invite_if_absent("sam@litware.com", invite_redirect_url=REDIRECT, invited_user_display_name="Sam",
                                    send_invitation_message=True, customized_message_body="Hi", message_language="fr-FR",
                                    cc_recipients="lead@contoso.com", invited_user_type="Guest")
    assert first.invited and first.user is None
    assert first.invitation is not None and first.invitation.invited_user_display_name == "Sam"
    again = client.invite_if_absent("sam@litware.com", invite_redirect_url=REDIRECT)
    assert not again.invited and again.invitation is None
    assert again.user is not None and again.user.id == user_id(first.invitation)
    assert again.to_dict()["invited"] is False
    assert first.to_dict()["invitation"]["id"] == first.invitation.id
    assert repr(again).startswith("InviteOutcome(invited=False")


def test_status_by_email_and_id(emu: Emulator, client: ei.Client) -> None:
    inv = client.invite("taylor@fabrikam.com", invite_redirect_url=REDIRECT)
    st = client.status("taylor@fabrikam.com")
    assert isinstance(st, ei.GuestStatus)
    assert st.user_id == user_id(inv)
    assert st.state == "PendingAcceptance" and st.raw_state == "PendingAcceptance"
    assert st.email == "taylor@fabrikam.com"
    assert st.user_type == "Guest"
    assert st.user.id == st.user_id
    assert isinstance(st.changed_at, datetime.datetime)
    assert st.changed_at.tzinfo is not None and st.changed_at.utcoffset() == datetime.timedelta(0)
    emu.redeem("taylor@fabrikam.com")
    by_id = client.status(user_id(inv))
    assert by_id.state == "Accepted"
    assert by_id.to_dict()["state"] == "Accepted"
    assert by_id.to_dict()["changedAt"]
    assert "GuestStatus(user_id=" in repr(by_id)


def test_status_of_a_member_has_no_state(emu: Emulator, client: ei.Client) -> None:
    emu.add_user({"displayName": "Morgan", "mail": "morgan@contoso.com",
                  "userPrincipalName": "morgan@contoso.com", "userType": "Member"})
    st = client.status("morgan@contoso.com")
    assert st.state is None and st.changed_at is None and st.user_type == "Member"


def test_guests_every_page_lazily(emu: Emulator, client: ei.Client) -> None:
    for i in range(5):
        client.invite(f"g{i}@fabrikam.com", invite_redirect_url=REDIRECT)
    emu.redeem("g0@fabrikam.com")
    it = client.guests(page_size=2)
    assert isinstance(it, ei.GuestIterator)
    assert it.total is None
    before = _user_list_requests(emu)
    first = next(it)
    assert _user_list_requests(emu) == before + 1      # one page fetched, not all
    assert it.total == 5
    rest = list(it)
    assert _user_list_requests(emu) == before + 3
    emails = sorted([first.email or ""] + [g.email or "" for g in rest])
    assert emails == [f"g{i}@fabrikam.com" for i in range(5)]
    assert [g.email for g in client.guests(state="Accepted")] == ["g0@fabrikam.com"]
    assert len(list(client.guests("PendingAcceptance"))) == 4
    assert list(client.guests(state="PendingAcceptance", page_size=999))[0].state == "PendingAcceptance"


def _user_list_requests(emu: Emulator) -> int:
    reqs: dict[str, int] = emu.stats()["requests"]
    return sum(n for k, n in reqs.items() if k.startswith("GET /v1.0/users "))


def test_guests_bad_arguments(client: ei.Client) -> None:
    with pytest.raises(ei.InvalidInputError) as e:
        client.guests(state="Maybe")  # type: ignore[arg-type]
    assert e.value.field == "externalUserState"
    with pytest.raises(ei.InvalidInputError) as e:
        client.guests(page_size=0)
    assert e.value.field == "page_size"


def test_a_keyword_of_the_wrong_type_is_named(emu: Emulator, client: ei.Client) -> None:
    with pytest.raises(TypeError, match="Client\\(\\) argument 'tenant'"):
        ei.Client(tenant=5, graph_url=emu.url, token="t")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="invite\\(\\) argument 'invite_redirect_url'"):
        client.invite("a@fabrikam.com", invite_redirect_url=["x"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="bulk_invite\\(\\) argument 'concurrency'"):
        client.bulk_invite(__file__, concurrency="many")  # type: ignore[arg-type]


def test_reset_redemption_by_id_and_email(emu: Emulator, client: ei.Client) -> None:
    inv = client.invite("taylor@fabrikam.com", invite_redirect_url=REDIRECT)
    emu.redeem("taylor@fabrikam.com")
    reset = client.reset_redemption(user_id(inv), invited_user_email_address="taylor@northwind.com",
                                    invite_redirect_url=REDIRECT, send_invitation_message=True, customized_message_body="Again",
                                    message_language="en-US", invited_user_display_name="Taylor N")
    assert user_id(reset) == user_id(inv)
    assert reset.reset_redemption is True
    assert reset.to_dict()["resetRedemption"] is True
    assert client.status(user_id(inv)).state == "PendingAcceptance"
    again = client.reset_redemption("taylor@northwind.com", invited_user_email_address="taylor@litware.com", invite_redirect_url=REDIRECT)
    assert user_id(again) == user_id(inv)
    with pytest.raises(ei.NotFoundError):
        client.reset_redemption("ghost@fabrikam.com", invited_user_email_address="x@fabrikam.com", invite_redirect_url=REDIRECT)


def test_client_properties_and_context_manager(emu: Emulator) -> None:
    with ei.Client(tenant=emu.tenant, client_id=emu.client_id, client_secret=emu.client_secret,
                   graph_url=emu.url) as c:
        assert c.tenant == emu.tenant
        assert c.graph_url.startswith(emu.url)
        assert "Client(tenant='contoso.onmicrosoft.com'" in repr(c)
        assert not c.lookup("nobody@fabrikam.com").exists
    c.close()


def test_from_env(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_TENANT_ID", emu.tenant)
    monkeypatch.setenv("AZURE_CLIENT_ID", emu.client_id)
    monkeypatch.setenv("AZURE_CLIENT_SECRET", emu.client_secret)
    monkeypatch.setenv("ENTRA_INVITE_GRAPH_URL", emu.url)
    assert ei.Client.from_env().invite("a@fabrikam.com", invite_redirect_url=REDIRECT).id
    # Keyword arguments win over the environment; a credential given replaces the env's.
    with pytest.raises(ei.AuthError):
        ei.Client.from_env(client_secret="wrong", max_retries=0).lookup("a@fabrikam.com")
    token = emu.control("POST", "tokens", {})["access_token"]
    assert ei.Client.from_env(token=token).lookup("a@fabrikam.com").exists
    monkeypatch.delenv("AZURE_CLIENT_SECRET")
    with pytest.raises(ei.InvalidInputError) as e:
        ei.Client.from_env()
    assert e.value.field == "credential"


def test_static_token(emu: Emulator) -> None:
    token = emu.control("POST", "tokens", {})["access_token"]
    c = ei.Client(token=token, graph_url=emu.url)
    assert c.invite("t@fabrikam.com", invite_redirect_url=REDIRECT).id
    assert emu.stats()["tokenRequests"] == 0


def test_token_provider_forms(emu: Emulator) -> None:
    token: str = emu.control("POST", "tokens", {"expiresInSecs": 3600})["access_token"]
    calls: list[str] = []

    def plain() -> str:
        calls.append(ei._native._current_thread_name())
        return token

    c = ei.Client(token_provider=plain, graph_url=emu.url)
    c.lookup("a@fabrikam.com")
    c.lookup("b@fabrikam.com")
    assert calls == [ei._native.THREAD_NAME]            # cached, fetched on a runtime thread

    c2 = ei.Client(token_provider=lambda: (token, 3600.0), graph_url=emu.url)
    assert not c2.lookup("a@fabrikam.com").exists

    class AccessToken:  # azure-core's shape
        def __init__(self, token: str, expires_on: int) -> None:
            self.token, self.expires_on = token, expires_on

    import time
    c3 = ei.Client(token_provider=lambda: AccessToken(token, int(time.time()) + 3600), graph_url=emu.url)
    assert not c3.lookup("a@fabrikam.com").exists

    async def coro() -> str:
        return token

    c4 = ei.Client(token_provider=coro, graph_url=emu.url)
    assert not c4.lookup("a@fabrikam.com").exists


def test_token_provider_failure_is_auth_error_with_cause(emu: Emulator) -> None:
    def broken() -> str:
        raise LookupError("vault unreachable")

    c = ei.Client(token_provider=broken, graph_url=emu.url)
    with pytest.raises(ei.AuthError) as e:
        c.lookup("a@fabrikam.com")
    assert "vault unreachable" in e.value.message
    assert isinstance(e.value.__cause__, LookupError)
    with pytest.raises(ei.AuthError):
        ei.Client(token_provider=lambda: 42, graph_url=emu.url).lookup("a@fabrikam.com")
    with pytest.raises(ei.InvalidInputError):
        ei.Client(token_provider="not callable", graph_url=emu.url)  # type: ignore[arg-type]


def _register_app(emu: Emulator, **app: Any) -> str:
    client_id = "0a0a0a0a-1b1b-2c2c-3d3d-4e4e4e4e4e4e"
    emu.control("POST", "apps", {"clientId": client_id, "roles": ["User.Invite.All", "User.Read.All"], **app})
    return client_id


def test_certificate_pem_and_pkcs12(emu: Emulator, certificate: tuple[Path, Path, str]) -> None:
    pem, pfx, password = certificate
    cert_only = pem.read_text().split("-----END PRIVATE KEY-----")[1].strip()
    client_id = _register_app(emu, certificatePem=cert_only)
    c = ei.Client(tenant=emu.tenant, client_id=client_id, certificate_path=pem, graph_url=emu.url)
    assert c.invite("cert@fabrikam.com", invite_redirect_url=REDIRECT).id
    c2 = ei.Client(tenant=emu.tenant, client_id=client_id, certificate_path=str(pfx),
                   certificate_password=password, graph_url=emu.url)
    assert c2.lookup("cert@fabrikam.com").exists
    with pytest.raises(ei.EntraInviteError):
        ei.Client(tenant=emu.tenant, client_id=client_id, certificate_path=str(pfx),
                  certificate_password="wrong", graph_url=emu.url)


def test_federated_token_file(emu: Emulator, tmp_path: Path) -> None:
    client_id = _register_app(emu, federated={"subject": "system:serviceaccount:ns:app"})
    jwt = emu.control("POST", "federated-token", {"subject": "system:serviceaccount:ns:app"})["token"]
    f = tmp_path / "token"
    f.write_text(jwt)
    c = ei.Client(tenant=emu.tenant, client_id=client_id, federated_token_file=f, graph_url=emu.url)
    assert c.invite("wi@fabrikam.com", invite_redirect_url=REDIRECT).id
    c2 = ei.Client(tenant=emu.tenant, client_id=client_id, federated_token_file=str(tmp_path / "missing"),
                   graph_url=emu.url, max_retries=0)
    with pytest.raises(ei.AuthError):
        c2.lookup("wi@fabrikam.com")


def test_cloud_and_authority_url(emu: Emulator) -> None:
    kw: dict[str, Any] = dict(tenant=emu.tenant, client_id=emu.client_id, client_secret=emu.client_secret)
    assert not ei.Client(cloud="usgovl4", graph_url=emu.url, **kw).lookup("a@fabrikam.com").exists
    assert not ei.Client(cloud="global", graph_url=emu.url, authority_url=emu.url, **kw).lookup("a@fabrikam.com").exists
    with pytest.raises(ei.InvalidInputError) as e:
        ei.Client(cloud="mars", **kw)
    assert e.value.field == "cloud"
    assert ei.Client(cloud="china", **kw).graph_url.startswith("https://microsoftgraph.chinacloudapi.cn")
    dead = ei.Client(graph_url=emu.url, authority_url="http://127.0.0.1:9", max_retries=0, timeout=5, **kw)
    with pytest.raises(ei.NetworkError):
        dead.lookup("a@fabrikam.com")
    with pytest.raises(ei.InvalidInputError) as e:
        ei.Client(graph_url="http://graph.example.com", **kw)
    assert e.value.field == "graph_url"


def test_https_emulator_and_ca_cert(tmp_path: Path) -> None:
    with Emulator(https=True) as emu:
        assert emu.url.startswith("https://") and emu.ca_cert_pem
        assert emu.client().invite("tls@fabrikam.com", invite_redirect_url=REDIRECT).id
        kw: dict[str, Any] = dict(tenant=emu.tenant, client_id=emu.client_id,
                                  client_secret=emu.client_secret, graph_url=emu.url)
        assert ei.Client(ca_cert=emu.ca_cert_pem, **kw).lookup("tls@fabrikam.com").exists
        pem = tmp_path / "ca.pem"
        pem.write_text(emu.ca_cert_pem)
        assert ei.Client(ca_cert=pem, **kw).lookup("tls@fabrikam.com").exists
        assert ei.Client(ca_cert=str(pem), **kw).lookup("tls@fabrikam.com").exists
        assert ei.Client(ca_cert=emu.ca_cert_pem.encode(), **kw).lookup("tls@fabrikam.com").exists
        with pytest.raises(ei.NetworkError):
            ei.Client(max_retries=0, **kw).lookup("tls@fabrikam.com")   # not trusted
        with pytest.raises(ei.InvalidInputError) as e:
            ei.Client(ca_cert=tmp_path / "missing.pem", **kw)
        assert e.value.field == "ca_cert"


def test_timeout_and_max_retries(emu: Emulator) -> None:
    slow = emu.client(timeout=0.3, max_retries=0)
    slow.lookup("warm@fabrikam.com")      # token fetched before the latency starts
    emu.set_faults({"latencyMs": {"min": 1500, "max": 1500}})
    with pytest.raises(ei.TimeoutError) as e:
        slow.lookup("a@fabrikam.com")
    assert isinstance(e.value, TimeoutError)   # also the builtin
    emu.set_faults(None)
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ei.InvalidInputError) as ie:
            emu.client(timeout=bad)
        assert ie.value.field == "timeout"
    # POST /invitations is resent only when Graph cannot have acted (429).
    emu.set_faults({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 429,
                                  "times": 1, "retryAfter": "0"}]})
    with pytest.raises(ei.ThrottledError):
        emu.client(max_retries=0).invite("r@fabrikam.com", invite_redirect_url=REDIRECT)
    emu.set_faults({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 429,
                                  "times": 1, "retryAfter": "0"}]})
    assert emu.client(max_retries=2).invite("r@fabrikam.com", invite_redirect_url=REDIRECT).id


def test_threads_share_a_client(emu: Emulator, client: ei.Client) -> None:
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(8) as pool:
        invs = list(pool.map(lambda i: client.invite(f"t{i}@fabrikam.com", invite_redirect_url=REDIRECT), range(40)))
    assert len({user_id(i) for i in invs}) == 40
    assert emu.stats()["invitationsCreated"] == 40



def test_invitation_pacing(emu: Emulator) -> None:
    import time
    fast = emu.client(invitations_per_5s=0)                   # pacing off
    started = time.monotonic()
    for i in range(60):
        fast.invite(f"fast{i}@fabrikam.com", invite_redirect_url=REDIRECT)
    unpaced = time.monotonic() - started
    paced_client = emu.client(invitations_per_5s=25)         # a burst of 25, then 5 per s
    started = time.monotonic()
    for i in range(30):
        paced_client.invite(f"paced{i}@fabrikam.com", invite_redirect_url=REDIRECT)
    paced = time.monotonic() - started
    assert unpaced < 1.5, unpaced
    assert paced > 0.8, paced
