"""The core's tracing events reach `logging` (logger `entra_invite`), with secrets redacted."""

from __future__ import annotations

import logging

import pytest

import entra_invite as ei
from entra_invite.testing import Emulator

from conftest import REDIRECT


def test_retry_events_reach_logging(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    c = emu.client()
    c.lookup("warm@fabrikam.com")
    emu.set_faults({"scripted": [{"method": "GET", "pathContains": "/users", "status": 503,
                                  "times": 1, "retryAfter": "0"}]})
    with caplog.at_level(logging.DEBUG, logger="entra_invite"):
        c.lookup("a@fabrikam.com")
    records = [r for r in caplog.records if r.name.startswith("entra_invite")]
    retry = [r for r in records if "retrying Graph call" in r.getMessage()]
    assert retry, [r.getMessage() for r in caplog.records]
    rec = retry[0]
    assert rec.levelno == logging.DEBUG
    assert rec.name.startswith("entra_invite.")
    assert getattr(rec, "rust_thread") == "entra-invite-rt"    # logged on a runtime thread
    assert getattr(rec, "rust_fields")["attempt"]
    for r in records:
        assert emu.client_secret not in r.getMessage()


def test_nothing_reaches_python_below_the_level(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    c = emu.client()
    c.lookup("warm@fabrikam.com")
    emu.set_faults({"scripted": [{"method": "GET", "pathContains": "/users", "status": 503,
                                  "times": 1, "retryAfter": "0"}]})
    with caplog.at_level(logging.WARNING, logger="entra_invite"):
        c.lookup("a@fabrikam.com")
    assert not [r for r in caplog.records if r.name.startswith("entra_invite")]


def test_secrets_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    secret = "eyJhbGciOi.super-secret-value.sig"
    with caplog.at_level(logging.DEBUG, logger="entra_invite"):
        ei._native._emit_test_event(secret)
        ei._native._emit_test_event("plain-secret-42")
    records = [r for r in caplog.records if r.name == "entra_invite.selftest"]
    assert len(records) == 2
    for r in records:
        text = r.getMessage() + repr(getattr(r, "rust_fields"))
        assert "super-secret" not in text and "plain-secret-42" not in text, text
        assert "***" in text
        assert r.levelno == logging.WARNING


async def test_async_calls_log_too(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    c = emu.async_client()
    await c.lookup("warm@fabrikam.com")
    emu.set_faults({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 429,
                                  "times": 1, "retryAfter": "0"}]})
    with caplog.at_level(logging.DEBUG, logger="entra_invite"):
        await c.invite("a@fabrikam.com", invite_redirect_url=REDIRECT)
    assert any("retrying Graph call" in r.getMessage() for r in caplog.records)
