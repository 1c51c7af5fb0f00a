"""Shared fixtures: an emulator per test, clients of its default app, and a tiny scripted
HTTP server for answers the emulator never gives (policy blocks, non-Graph bodies)."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import entra_invite as ei
from entra_invite.testing import Emulator

REDIRECT = "https://myapps.microsoft.com/"


def user_id(inv: ei.Invitation | None) -> str:
    """The invited user's object id (Graph always answers one for a created invitation)."""
    assert inv is not None and inv.invited_user is not None and inv.invited_user.id
    return inv.invited_user.id


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator() as e:
        yield e


@pytest.fixture
def client(emu: Emulator) -> ei.Client:
    return emu.client()


@pytest.fixture
def aclient(emu: Emulator) -> ei.AsyncClient:
    return emu.async_client()


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


class FakeGraph:
    """Answers every request with `answer` (JSON unless told otherwise); counts requests."""

    def __init__(self) -> None:
        self.answer = Answer(200, "{}")
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                fake.requests.append((self.command, self.path))
                a = fake.answer
                body = a.body.encode()
                self.send_response(a.status)
                headers = {"content-type": "application/json", **a.headers}
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _reply
            do_POST = _reply

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def graph_error(self, status: int, code: str, message: str) -> None:
        body = {"error": {"code": code, "message": message, "innerError": {"request-id": "req-1"}}}
        self.answer = Answer(status, json.dumps(body), {"request-id": "req-1", "client-request-id": "cr-1"})

    def client(self, **kw: Any) -> ei.Client:
        return ei.Client(token="static-token", graph_url=self.url, max_retries=0, **kw)

    def async_client(self, **kw: Any) -> ei.AsyncClient:
        return ei.AsyncClient(token="static-token", graph_url=self.url, max_retries=0, **kw)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_graph() -> Iterator[FakeGraph]:
    f = FakeGraph()
    yield f
    f.close()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(PEM with key + certificate, PKCS#12 archive, its password), made with openssl."""
    d = tmp_path_factory.mktemp("cert")
    key, crt = d / "key.pem", d / "crt.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(crt),
         "-days", "2", "-subj", "/CN=entra-invite-test"],
        check=True, capture_output=True,
    )
    pem = d / "app.pem"
    pem.write_text(key.read_text() + crt.read_text())
    pfx, password = d / "app.pfx", "pfx-password"
    subprocess.run(
        ["openssl", "pkcs12", "-export", "-inkey", str(key), "-in", str(crt), "-out", str(pfx),
         "-passout", f"pass:{password}"],
        check=True, capture_output=True,
    )
    return pem, pfx, password
