"""Secrets never show: the client secret, the certificate's key and password, the federated
token and access tokens stay out of repr()/str() of the clients, of every part of an exception,
and of what reaches `logging` at its most verbose level."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import threading
import traceback
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import entra_invite as ei
from entra_invite.testing import Emulator

from conftest import REDIRECT

CLIENT_ID = "0a0a0a0a-5ec2-4e75-9a11-5ec2e75ec2e7"
SECRET = "cs~Zq81-DISTINCTIVE-client-secret-7f3e"
WRONG_SECRET = "cs~Wr0ng-DISTINCTIVE-wrong-secret-19ab"
STATIC_TOKEN = "at~Xy77-DISTINCTIVE-static-access-token"
PFX_PASSWORD = "pw~Kq93-DISTINCTIVE-pfx-password"
WRONG_PFX_PASSWORD = "pw~Bad4-DISTINCTIVE-wrong-password"
FEDERATED_GARBAGE = "fed~Jw55-DISTINCTIVE-federated-assertion"
ROLES = ["User.Invite.All", "User.Read.All", "User.ReadWrite.All"]


def everything_in(e: BaseException) -> str:
    """Every readable part of an exception: str, repr, args, each attribute, the formatted
    traceback with its causes."""
    parts = [str(e), repr(e), repr(e.args)]
    parts += [f"{k}={v!r}" for k, v in vars(e).items()]
    parts += [f"{k}={getattr(e, k)!r}" for k in dir(e) if not k.startswith("__") and not callable(getattr(e, k))]
    parts += traceback.format_exception(e)
    return "\n".join(parts)


def assert_absent(text: str, *secrets: str) -> None:
    for s in secrets:
        assert s not in text, f"a secret ({s[:6]}...) leaked into: {text}"


class TokenTap:
    """Stands in for the token endpoint: forwards to the emulator and keeps every access token
    it hands out, so tests know the exact tokens that must never show."""

    def __init__(self, upstream: str) -> None:
        self.tokens: list[str] = []
        tap = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                req = urllib.request.Request(upstream + self.path, data=body, method="POST", headers={
                    "content-type": self.headers.get("content-type", "application/x-www-form-urlencoded")})
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        status, answer = r.status, r.read()
                except urllib.error.HTTPError as err:
                    status, answer = err.code, err.read()
                try:
                    token = json.loads(answer).get("access_token")
                except ValueError:
                    token = None
                if token:
                    tap.tokens.append(token)
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def app(emu: Emulator) -> str:
    """An app of the emulator's tenant whose secret is SECRET."""
    emu.control("POST", "apps", {"clientId": CLIENT_ID, "clientSecret": SECRET, "roles": ROLES})
    return CLIENT_ID


@pytest.fixture
def tap(emu: Emulator) -> Iterator[TokenTap]:
    t = TokenTap(emu.url)
    yield t
    t.close()


@pytest.fixture
def pfx(certificate: tuple[Path, Path, str], tmp_path: Path) -> Path:
    """The test certificate as PKCS#12 under PFX_PASSWORD."""
    pem, _, _ = certificate
    out = tmp_path / "app.pfx"
    subprocess.run(["openssl", "pkcs12", "-export", "-in", str(pem), "-out", str(out),
                    "-passout", f"pass:{PFX_PASSWORD}"], check=True, capture_output=True)
    return out


def key_material(pem: Path) -> list[str]:
    """Lines of the private key's base64 body (any of them showing would leak the key)."""
    text = pem.read_text()
    body = text.split("-----BEGIN PRIVATE KEY-----")[1].split("-----END PRIVATE KEY-----")[0]
    return [line for line in body.split() if len(line) >= 40]


def test_repr_and_str_of_clients_hold_no_credential(emu: Emulator, app: str, tmp_path: Path,
                                                    certificate: tuple[Path, Path, str], pfx: Path) -> None:
    pem = certificate[0]
    federated = tmp_path / "federated-token"
    jwt = emu.control("POST", "federated-token", {"subject": "system:serviceaccount:ns:app"})["token"]
    federated.write_text(jwt)
    common: dict[str, Any] = {"tenant": emu.tenant, "graph_url": emu.url}
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"client_id": app, "client_secret": SECRET}, [SECRET]),
        ({"token": STATIC_TOKEN}, [STATIC_TOKEN]),
        ({"client_id": app, "certificate_path": pem}, key_material(pem)),
        ({"client_id": app, "certificate_path": pfx, "certificate_password": PFX_PASSWORD}, [PFX_PASSWORD]),
        ({"client_id": app, "federated_token_file": federated}, [jwt]),
        ({"token_provider": lambda: STATIC_TOKEN}, [STATIC_TOKEN]),
    ]
    classes: list[type[ei.Client] | type[ei.AsyncClient]] = [ei.Client, ei.AsyncClient]
    for kw, secrets in cases:
        for cls in classes:
            c = cls(**common, **kw)
            text = repr(c) + str(c) + f"{c}" + format(c, "")
            assert text.startswith(f"{cls.__name__}(tenant="), text
            assert_absent(text, *secrets)
        assert_absent(repr(emu.client(**kw)) + repr(emu.async_client(**kw)), *secrets)


def test_wrong_secret_error_holds_no_secret(emu: Emulator, app: str) -> None:
    c = ei.Client(tenant=emu.tenant, client_id=app, client_secret=WRONG_SECRET, graph_url=emu.url, max_retries=0)
    with pytest.raises(ei.AuthError) as e:
        c.invite("nobody@fabrikam.com", invite_redirect_url=REDIRECT)
    assert e.value.code == "invalid_client"
    assert_absent(everything_in(e.value), WRONG_SECRET, SECRET)


async def test_wrong_secret_error_holds_no_secret_async(emu: Emulator, app: str) -> None:
    c = ei.AsyncClient(tenant=emu.tenant, client_id=app, client_secret=WRONG_SECRET, graph_url=emu.url,
                       max_retries=0)
    with pytest.raises(ei.AuthError) as e:
        await c.lookup("nobody@fabrikam.com")
    assert_absent(everything_in(e.value), WRONG_SECRET, SECRET)


def test_other_credential_errors_hold_no_secret(emu: Emulator, app: str, tmp_path: Path, pfx: Path) -> None:
    # A wrong PKCS#12 password is refused when the client is built.
    with pytest.raises(ei.EntraInviteError) as e:
        ei.Client(tenant=emu.tenant, client_id=app, certificate_path=pfx, certificate_password=WRONG_PFX_PASSWORD,
                  graph_url=emu.url)
    assert_absent(everything_in(e.value), WRONG_PFX_PASSWORD, PFX_PASSWORD)
    # A federated assertion the token endpoint rejects.
    f = tmp_path / "federated-token"
    f.write_text(FEDERATED_GARBAGE)
    with pytest.raises(ei.AuthError) as e:
        ei.Client(tenant=emu.tenant, client_id=app, federated_token_file=f, graph_url=emu.url,
                  max_retries=0).lookup("a@fabrikam.com")
    assert_absent(everything_in(e.value), FEDERATED_GARBAGE)
    # An access token Graph rejects, given directly and through a provider.
    rejected: list[dict[str, Any]] = [{"token": STATIC_TOKEN}, {"token_provider": lambda: STATIC_TOKEN}]
    for kw in rejected:
        with pytest.raises(ei.EntraInviteError) as e:
            ei.Client(graph_url=emu.url, max_retries=0, **kw).lookup("a@fabrikam.com")
        assert_absent(everything_in(e.value), STATIC_TOKEN)


def test_errors_after_a_token_was_issued_hold_neither_secret_nor_token(emu: Emulator, app: str,
                                                                       tap: TokenTap) -> None:
    c = ei.Client(tenant=emu.tenant, client_id=app, client_secret=SECRET, graph_url=emu.url,
                  authority_url=tap.url, max_retries=0)
    assert not c.lookup("a@fabrikam.com").exists
    assert len(tap.tokens) == 1
    errors: list[ei.EntraInviteError] = []
    for call in (lambda: c.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000"),
                 lambda: c.invite("newhire@contoso.com", invite_redirect_url=REDIRECT),
                 lambda: c.invite("not-an-address", invite_redirect_url=REDIRECT)):
        with pytest.raises(ei.EntraInviteError) as e:
            call()
        errors.append(e.value)
    emu.set_faults({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 500}]})
    with pytest.raises(ei.ServiceError) as e:
        c.invite("maybe@fabrikam.com", invite_redirect_url=REDIRECT)
    errors.append(e.value)
    for err in errors:
        assert_absent(everything_in(err), SECRET, *tap.tokens)


async def test_trace_logging_shows_no_secret_and_no_token(emu: Emulator, app: str, tap: TokenTap,
                                                          caplog: pytest.LogCaptureFixture,
                                                          capfd: pytest.CaptureFixture[str]) -> None:
    kw: dict[str, Any] = dict(tenant=emu.tenant, client_id=app, client_secret=SECRET, graph_url=emu.url,
                              authority_url=tap.url)
    c, ac = ei.Client(**kw), ei.AsyncClient(**kw)
    # Level 1: everything, down to the core's TRACE events (Python level 5).
    with caplog.at_level(1, logger="entra_invite"):
        # Retries and an ambiguous invitation resolved by lookup make the core log.
        emu.set_faults({"scripted": [
            {"method": "GET", "pathContains": "/users", "status": 503, "retryAfter": "0"},
            {"method": "POST", "pathContains": "/invitations", "status": 429, "retryAfter": "0"},
        ]})
        inv = c.invite("logged@fabrikam.com", invite_redirect_url=REDIRECT)
        assert inv.id
        assert c.lookup("logged@fabrikam.com").exists
        assert c.status("logged@fabrikam.com").state == "PendingAcceptance"
        emu.set_faults({"scripted": [
            {"method": "POST", "pathContains": "/invitations", "drop": True, "actFirst": True}]})
        assert not c.invite_if_absent("ambiguous@fabrikam.com", invite_redirect_url=REDIRECT).invited
        assert len(list(c.guests())) >= 2
        assert (await ac.invite_if_absent("async@fabrikam.com", invite_redirect_url=REDIRECT)).invited
        assert [g async for g in ac.guests()]
        with pytest.raises(ei.NotFoundError):
            await ac.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000")
        ei._native._emit_test_event(SECRET)
    tokens = tap.tokens
    assert len(tokens) == 2        # one per client
    records = [r for r in caplog.records if r.name.startswith("entra_invite")]
    messages = [r.getMessage() for r in records]
    assert any("retrying Graph call" in m for m in messages), messages
    assert any("looking the user up" in m for m in messages), messages
    assert any(r.name == "entra_invite.selftest" for r in records)
    for r in caplog.records:
        text = r.getMessage() + repr(vars(r))
        assert_absent(text, SECRET, *tokens)
        assert not re.search(r"Bearer (?!\*\*\*)\S", text, re.I), text
    out, err = capfd.readouterr()
    assert_absent(out + err, SECRET, *tokens)
    assert_absent(caplog.text, SECRET, *tokens)
