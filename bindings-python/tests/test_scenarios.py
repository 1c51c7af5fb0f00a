"""Runs every shared scenario of tests/scenarios/ (see its README) through the Python API,
sync and async, comparing results in the canonical JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import entra_invite as ei
from entra_invite.testing import READONLY_CLIENT_ID, READONLY_CLIENT_SECRET, Emulator

SCENARIOS = Path(__file__).resolve().parents[2] / "tests" / "scenarios"
FILES = sorted(SCENARIOS.glob("*.json"))


def test_there_are_scenarios() -> None:
    assert len(FILES) >= 10


def subst(v: Any, saved: dict[str, Any]) -> Any:
    if isinstance(v, str) and v.startswith("$"):
        return saved[v[1:]]
    if isinstance(v, list):
        return [subst(x, saved) for x in v]
    if isinstance(v, dict):
        return {k: subst(x, saved) for k, x in v.items()}
    return v


def at(v: Any, path: str) -> Any:
    for k in path.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    return v


def invite_kwargs(i: dict[str, Any]) -> dict[str, Any]:
    kw: dict[str, Any] = {"redirect_url": i.get("redirectUrl", "")}
    for src, dst in [("displayName", "display_name"), ("sendMessage", "send_message"),
                     ("message", "message"), ("language", "message_language"), ("cc", "cc"),
                     ("userType", "user_type")]:
        if i.get(src) is not None:
            kw[dst] = i[src]
    return kw


def status_json(st: ei.GuestStatus) -> dict[str, Any]:
    return {"userId": st.user_id, "email": st.email, "state": st.raw_state,
            "changedAt": st.changed_at.isoformat() if st.changed_at else None}


def guests_json(all_: list[ei.GuestStatus]) -> dict[str, Any]:
    return {"count": len(all_), "emails": sorted(g.email for g in all_ if g.email)}


def run_sync(emu: Emulator, c: ei.Client, op: str, i: dict[str, Any]) -> Any:
    if op == "invite":
        return c.invite(i["email"], **invite_kwargs(i)).to_dict()
    if op == "inviteIfAbsent":
        return c.invite_if_absent(i["email"], **invite_kwargs(i)).to_dict()
    if op == "lookup":
        return c.lookup(i["email"]).to_dict()
    if op == "status":
        return status_json(c.status(i["user"]))
    if op == "guests":
        return guests_json(list(c.guests(i.get("state"))))
    if op == "reset":
        return c.reset_redemption(i["user"], email=i["email"], redirect_url=i["redirectUrl"]).to_dict()
    if op == "redeem":
        return emu.redeem(i["email"])
    raise AssertionError(f"unknown op {op}")


async def run_async(emu: Emulator, c: ei.AsyncClient, op: str, i: dict[str, Any]) -> Any:
    if op == "invite":
        return (await c.invite(i["email"], **invite_kwargs(i))).to_dict()
    if op == "inviteIfAbsent":
        return (await c.invite_if_absent(i["email"], **invite_kwargs(i))).to_dict()
    if op == "lookup":
        return (await c.lookup(i["email"])).to_dict()
    if op == "status":
        return status_json(await c.status(i["user"]))
    if op == "guests":
        return guests_json([g async for g in c.guests(i.get("state"))])
    if op == "reset":
        return (await c.reset_redemption(i["user"], email=i["email"], redirect_url=i["redirectUrl"])).to_dict()
    if op == "redeem":
        return emu.redeem(i["email"])
    raise AssertionError(f"unknown op {op}")


def setup(emu: Emulator, sc: dict[str, Any]) -> dict[str, Any]:
    s = sc.get("setup") or {}
    for d in s.get("domains") or []:
        emu.control("POST", "domains", d)
    for u in s.get("users") or []:
        emu.add_user(u)
    if s.get("policy") is not None:
        emu.set_policy(s["policy"])
    if s.get("faults") is not None:
        emu.set_faults(s["faults"])
    app = (sc.get("client") or {}).get("app", "default")
    kw: dict[str, Any] = {}
    if app == "readonly":
        kw = {"client_id": READONLY_CLIENT_ID, "client_secret": READONLY_CLIENT_SECRET}
    elif app == "wrongSecret":
        kw = {"client_secret": "not-the-secret"}
    else:
        assert app == "default", app
    retries = (sc.get("client") or {}).get("maxRetries")
    if retries is not None:
        kw["max_retries"] = retries
    return kw


def check(ctx: str, expect: dict[str, Any], result: Any, error: ei.EntraInviteError | None,
          before: int, after: int, saved: dict[str, Any]) -> None:
    if "error" in expect:
        want = expect["error"]
        assert error is not None, f"{ctx}: expected {want}, got {result}"
        assert error.kind == want["kind"], f"{ctx}: {error!r}"
        assert type(error).__name__ == f"{want['kind']}Error", ctx
        if "code" in want:
            assert error.code == want["code"], f"{ctx}: {error!r}"
        if "field" in want:
            assert getattr(error, "field", None) == want["field"], f"{ctx}: {error!r}"
        if expect.get("noRequest"):
            assert before == after, f"{ctx}: a request reached Graph"
        return
    assert error is None, f"{ctx}: {error!r}"
    for p, want in (expect.get("ok") or {}).items():
        assert at(result, p) == want, f"{ctx}: {p} in {result}"
    for p, want in (expect.get("okPrefix") or {}).items():
        assert str(at(result, p) or "").startswith(want), f"{ctx}: {p} in {result}"
    for p in expect.get("okPresent") or []:
        assert at(result, p) is not None, f"{ctx}: {p} missing in {result}"
    for k, p in (expect.get("save") or {}).items():
        saved[k] = at(result, p)


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_scenario_sync(path: Path) -> None:
    sc = json.loads(path.read_text())
    with Emulator() as emu:
        c = emu.client(**setup(emu, sc))
        saved: dict[str, Any] = {}
        for n, step in enumerate(sc["steps"]):
            i, expect = subst(step.get("input") or {}, saved), subst(step.get("expect") or {}, saved)
            before = emu.stats()["totalRequests"]
            result: Any = None
            error: ei.EntraInviteError | None = None
            try:
                result = run_sync(emu, c, step["op"], i)
            except ei.EntraInviteError as e:
                error = e
            after = emu.stats()["totalRequests"]
            check(f"{path.stem} step {n} ({step['op']})", expect, result, error, before, after, saved)


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
async def test_scenario_async(path: Path) -> None:
    sc = json.loads(path.read_text())
    with Emulator() as emu:
        c = emu.async_client(**setup(emu, sc))
        saved: dict[str, Any] = {}
        for n, step in enumerate(sc["steps"]):
            i, expect = subst(step.get("input") or {}, saved), subst(step.get("expect") or {}, saved)
            before = emu.stats()["totalRequests"]
            result: Any = None
            error: ei.EntraInviteError | None = None
            try:
                result = await run_async(emu, c, step["op"], i)
            except ei.EntraInviteError as e:
                error = e
            after = emu.stats()["totalRequests"]
            check(f"{path.stem} step {n} ({step['op']})", expect, result, error, before, after, saved)
