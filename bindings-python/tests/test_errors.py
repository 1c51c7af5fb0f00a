"""Every exception class, raised by real calls, with its attributes."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import entra_invite as ei
from entra_invite.testing import READONLY_CLIENT_ID, READONLY_CLIENT_SECRET, Emulator

from conftest import REDIRECT, FakeGraph

ALL = [
    ei.InvalidInputError, ei.AuthError, ei.PermissionDeniedError, ei.NotFoundError,
    ei.AlreadyExistsError, ei.VerifiedDomainError, ei.BlockedByPolicyError, ei.ThrottledError,
    ei.ServiceError, ei.NetworkError, ei.TimeoutError, ei.ProtocolError, ei.InternalError,
]


def test_hierarchy_and_pickling() -> None:
    for cls in ALL:
        assert issubclass(cls, ei.EntraInviteError)
        e = cls("boom", kind=cls.kind, code="c", status=400, request_id="r", client_request_id="cr")
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is cls
        assert (back.kind, back.code, back.status, back.request_id, back.client_request_id, back.message) == (
            cls.kind, "c", 400, "r", "cr", "boom")
        assert str(back).startswith(f"[{cls.kind}] boom")
    assert issubclass(ei.InvalidInputError, ValueError)
    assert issubclass(ei.TimeoutError, TimeoutError)
    assert issubclass(ei.NetworkError, ConnectionError)


def test_invalid_input_names_the_field_and_sends_nothing(emu: Emulator, client: ei.Client) -> None:
    before = emu.stats()["totalRequests"]
    cases: list[tuple[dict[str, Any], str]] = [
        (dict(email="not-an-address"), "invitedUserEmailAddress"),
        (dict(email="a@fabrikam.com", invite_redirect_url="http://insecure/"), "inviteRedirectUrl"),
        (dict(email="a@fabrikam.com", cc_recipients=["a@contoso.com", "b@contoso.com"]), "ccRecipients"),
        (dict(email="a@fabrikam.com", invited_user_type="Owner"), "invitedUserType"),
        (dict(email="a@fabrikam.com", message_language="not a language"), "messageLanguage"),
        (dict(email="a@fabrikam.com", invited_user_sponsors=["not-an-id"]), "invitedUserSponsors"),
    ]
    for kw, field in cases:
        args = {"invite_redirect_url": REDIRECT, **kw}
        email = args.pop("email")
        with pytest.raises(ei.InvalidInputError) as e:
            client.invite(email, **args)
        assert e.value.field == field and e.value.kind == "InvalidInput", kw
        assert e.value.status is None
    assert emu.stats()["totalRequests"] == before


def test_auth_error_carries_the_token_endpoint_code(emu: Emulator) -> None:
    with pytest.raises(ei.AuthError) as e:
        emu.client(client_secret="not-the-secret").lookup("a@fabrikam.com")
    assert e.value.kind == "Auth"
    assert e.value.code == "invalid_client"
    assert e.value.status in (400, 401)
    assert e.value.aadsts is not None
    assert "not-the-secret" not in str(e.value) and "not-the-secret" not in repr(e.value)


def test_permission_denied(emu: Emulator) -> None:
    c = emu.client(client_id=READONLY_CLIENT_ID, client_secret=READONLY_CLIENT_SECRET)
    with pytest.raises(ei.PermissionDeniedError) as e:
        c.invite("a@fabrikam.com", invite_redirect_url=REDIRECT)
    assert e.value.status in (401, 403) and e.value.code == "Unauthorized"
    assert e.value.request_id and e.value.client_request_id


def test_not_found(client: ei.Client) -> None:
    with pytest.raises(ei.NotFoundError) as e:
        client.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000")
    assert (e.value.status, e.value.code) == (404, "Request_ResourceNotFound")
    assert e.value.request_id


def test_already_exists(emu: Emulator, client: ei.Client) -> None:
    emu.add_user({"displayName": "Morgan", "mail": "morgan@fabrikam.com",
                  "userPrincipalName": "morgan@contoso.onmicrosoft.com", "userType": "Member"})
    with pytest.raises(ei.AlreadyExistsError) as e:
        client.invite("morgan@fabrikam.com", invite_redirect_url=REDIRECT)
    assert e.value.status == 400


def test_verified_domain(client: ei.Client) -> None:
    with pytest.raises(ei.VerifiedDomainError):
        client.invite("newhire@contoso.com", invite_redirect_url=REDIRECT)
    with pytest.raises(ei.VerifiedDomainError):
        client.invite_if_absent("newhire@contoso.com", invite_redirect_url=REDIRECT)


def test_blocked_by_policy(fake_graph: FakeGraph) -> None:
    fake_graph.graph_error(400, "BadRequest",
                           "The invitation is blocked by cross-tenant access settings of the tenant.")
    with pytest.raises(ei.BlockedByPolicyError) as e:
        fake_graph.client().invite("a@fabrikam.com", invite_redirect_url=REDIRECT)
    assert (e.value.status, e.value.code, e.value.request_id) == (400, "BadRequest", "req-1")


def test_throttled_with_retry_after(emu: Emulator) -> None:
    emu.set_faults({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 429,
                                  "times": 5, "retryAfter": "7"}]})
    with pytest.raises(ei.ThrottledError) as e:
        emu.client(max_retries=0).invite("a@fabrikam.com", invite_redirect_url=REDIRECT)
    assert (e.value.status, e.value.code) == (429, "TooManyRequests")
    assert e.value.retry_after == 7.0


def test_service(emu: Emulator) -> None:
    emu.set_faults({"scripted": [{"method": "GET", "pathContains": "/users", "status": 503,
                                  "times": 10, "retryAfter": "0"}]})
    with pytest.raises(ei.ServiceError) as e:
        emu.client(max_retries=1).status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000")
    assert e.value.status == 503


def test_network() -> None:
    c = ei.Client(token="t", graph_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(ei.NetworkError) as e:
        c.lookup("a@fabrikam.com")
    assert e.value.kind == "Network" and e.value.status is None


def test_timeout(emu: Emulator) -> None:
    token = emu.control("POST", "tokens", {})["access_token"]
    emu.set_faults({"latencyMs": {"min": 1000, "max": 1000}})
    with pytest.raises(ei.TimeoutError) as e:
        ei.Client(token=token, graph_url=emu.url, timeout=0.2, max_retries=0).lookup("a@fabrikam.com")
    assert e.value.kind == "Timeout"


def test_protocol(fake_graph: FakeGraph) -> None:
    from conftest import Answer
    fake_graph.answer = Answer(201, "<html>not graph</html>", {"content-type": "text/html"})
    with pytest.raises(ei.ProtocolError) as e:
        fake_graph.client().invite("a@fabrikam.com", invite_redirect_url=REDIRECT)
    assert e.value.kind == "Protocol"


def test_maybe_applied_after_an_ambiguous_invitation(emu: Emulator, client: ei.Client) -> None:
    assert ei.EntraInviteError("m").maybe_applied is False
    emu.set_faults({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 500}]})
    with pytest.raises(ei.ServiceError) as e:
        client.invite("maybe@fabrikam.com", invite_redirect_url=REDIRECT)
    assert e.value.maybe_applied is True
    assert e.value.status == 500
    assert pickle.loads(pickle.dumps(e.value)).maybe_applied is True
    with pytest.raises(ei.InvalidInputError) as bad:
        client.invite("not-an-address", invite_redirect_url=REDIRECT)
    assert bad.value.maybe_applied is False
    # A failed read never created anything.
    emu.set_faults({"scripted": [{"method": "GET", "pathContains": "/users", "status": 503, "times": 10,
                                  "retryAfter": "0"}]})
    with pytest.raises(ei.ServiceError) as read:
        emu.client(max_retries=0).lookup("maybe@fabrikam.com")
    assert read.value.maybe_applied is False


async def test_maybe_applied_async(emu: Emulator, aclient: ei.AsyncClient) -> None:
    emu.set_faults({"scripted": [{"method": "POST", "pathContains": "/invitations", "drop": True}]})
    with pytest.raises(ei.NetworkError) as e:
        await aclient.invite("maybe-async@fabrikam.com", invite_redirect_url=REDIRECT)
    assert e.value.maybe_applied is True
    with pytest.raises(ei.InvalidInputError) as bad:
        await aclient.invite("maybe-async@fabrikam.com", invite_redirect_url="http://insecure/")
    assert bad.value.maybe_applied is False


async def test_async_raises_the_same_classes(emu: Emulator, fake_graph: FakeGraph) -> None:
    fake_graph.graph_error(400, "BadRequest", "The invitation is blocked by tenant policy.")
    with pytest.raises(ei.BlockedByPolicyError):
        await fake_graph.async_client().invite("a@fabrikam.com", invite_redirect_url=REDIRECT)
    with pytest.raises(ei.AuthError):
        await emu.async_client(client_secret="x").lookup("a@fabrikam.com")
    with pytest.raises(ei.AlreadyExistsError):
        emu.add_user({"mail": "m@fabrikam.com", "userPrincipalName": "m@contoso.onmicrosoft.com"})
        await emu.async_client().invite("m@fabrikam.com", invite_redirect_url=REDIRECT)
