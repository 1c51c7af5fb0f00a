"""Runs every shared scenario of tests/scenarios/ (see its README) through the Python API,
sync and async, comparing results in the canonical JSON shapes, as core/tests/scenarios.rs does
through Rust."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import entra_invite as ei
from entra_invite.testing import READONLY_CLIENT_ID, READONLY_CLIENT_SECRET, Emulator

# ENTRA_INVITE_SCENARIOS_DIR points the runner at another directory of scenarios.
SCENARIOS = Path(os.environ.get("ENTRA_INVITE_SCENARIOS_DIR")
                 or Path(__file__).resolve().parents[2] / "tests" / "scenarios")
FILES = sorted(SCENARIOS.glob("*.json"))


def test_there_are_scenarios() -> None:
    assert len(FILES) >= 10


# The keys each part of a scenario may have (tests/scenarios/README.md). Step `input` objects are
# op-specific and not checked.
TOP_KEYS = ("name", "setup", "client", "steps")
SETUP_KEYS = ("users", "domains", "faults", "policy")
CLIENT_KEYS = ("app", "maxRetries", "timeoutSecs")
STEP_KEYS = ("op", "input", "expect")
EXPECT_KEYS = ("ok", "okPrefix", "okPresent", "save", "error", "noRequest")
ERROR_KEYS = ("kind", "code", "field", "maybeApplied")


def unknown_keys(sc: Any, name: str) -> list[str]:
    """One line per key of the scenario that the format does not know (a typo'd key would
    otherwise be ignored, and the expectation it was meant to carry would never run)."""
    out: list[str] = []

    def check(v: Any, allowed: tuple[str, ...], ctx: str, part: str) -> None:
        for k in v if isinstance(v, dict) else {}:
            if k not in allowed:
                out.append(f'{ctx}: unknown key "{k}" in {part} (allowed: {", ".join(allowed)})')

    check(sc, TOP_KEYS, name, "the scenario")
    if isinstance(sc, dict):
        check(sc.get("setup"), SETUP_KEYS, name, "setup")
        check(sc.get("client"), CLIENT_KEYS, name, "client")
        for n, step in enumerate(sc.get("steps") or []):
            step = step if isinstance(step, dict) else {}
            ctx = f"{name} step {n} ({step.get('op', '?')})"
            expect = step.get("expect")
            check(step, STEP_KEYS, ctx, "the step")
            check(expect, EXPECT_KEYS, ctx, "expect")
            check(expect.get("error") if isinstance(expect, dict) else None, ERROR_KEYS, ctx, "expect.error")
    return out


def load(path: Path) -> dict[str, Any]:
    """The scenario in `path`; a key the format does not know fails it before anything runs."""
    sc: dict[str, Any] = json.loads(path.read_text())
    unknown = unknown_keys(sc, path.name)
    assert not unknown, "\n".join(unknown)
    return sc


def subst(v: Any, saved: dict[str, Any], ctx: str) -> Any:
    if isinstance(v, str) and v.startswith("$"):
        assert v[1:] in saved, f"{ctx}: nothing saved as {v}"
        return saved[v[1:]]
    if isinstance(v, list):
        return [subst(x, saved, ctx) for x in v]
    if isinstance(v, dict):
        return {k: subst(x, saved, ctx) for k, x in v.items()}
    return v


def at(v: Any, path: str, ctx: str) -> Any:
    """`a.b.0.c`: object keys and array indices. A key or index that is not there fails the
    step (naming the path), so a typo'd path never reads as JSON null."""
    cur = v
    for k in path.split("."):
        if isinstance(cur, list) and k.isdigit() and int(k) < len(cur):
            cur = cur[int(k)]
        elif isinstance(cur, dict) and k in cur:
            cur = cur[k]
        else:
            raise AssertionError(f"{ctx}: path {path} does not exist in {v}")
    return cur


def same(got: Any, want: Any) -> bool:
    """JSON equality, as strict as the Rust runner's (`1` is neither `true` nor `1.0`)."""
    return json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)


def invite_kwargs(i: dict[str, Any]) -> dict[str, Any]:
    kw: dict[str, Any] = {"invite_redirect_url": i.get("redirectUrl", "")}
    for src, dst in [("displayName", "invited_user_display_name"), ("sendMessage", "send_invitation_message"),
                     ("message", "customized_message_body"), ("language", "message_language"),
                     ("cc", "cc_recipients"), ("userType", "invited_user_type")]:
        if i.get(src) is not None:
            kw[dst] = i[src]
    return kw


# The user properties the library $selects: Graph answers each of them, null when unset.
USER_KEYS = ("id", "displayName", "mail", "userPrincipalName", "userType", "creationType",
             "externalUserState", "externalUserStateChangeDateTime", "accountEnabled", "otherMails",
             "proxyAddresses", "createdDateTime")


def with_nulls(d: Any, keys: tuple[str, ...]) -> Any:
    """`d` with each of `keys` that it lacks set to None (to_dict() leaves unset properties out;
    the canonical shape has them as null, as the Kotlin and Swift runners build it)."""
    return {**{k: None for k in keys}, **d} if isinstance(d, dict) else d


def invitation_json(d: dict[str, Any]) -> dict[str, Any]:
    """Graph's invitation JSON, `invitedUser` with its `id` and `userPrincipalName`."""
    return {**d, "invitedUser": with_nulls(d.get("invitedUser"), ("id", "userPrincipalName"))}


def outcome_json(d: dict[str, Any]) -> dict[str, Any]:
    """`{ invited, invitation, user }` (inviteIfAbsent) or `{ exists, user, verifiedDomain }` (lookup)."""
    if d.get("invitation") is not None:
        d = {**d, "invitation": invitation_json(d["invitation"])}
    return {**d, "user": with_nulls(d.get("user"), USER_KEYS)}


def status_json(st: ei.GuestStatus) -> dict[str, Any]:
    return {"userId": st.user_id, "email": st.email, "state": st.raw_state,
            "changedAt": st.changed_at.isoformat() if st.changed_at else None}


def guests_json(all_: list[ei.GuestStatus]) -> dict[str, Any]:
    return {"count": len(all_), "emails": sorted(g.email for g in all_ if g.email)}


def control(emu: Emulator, op: str, i: Any) -> Any:
    """The ops that only talk to the emulator's control API."""
    if op == "redeem":
        return emu.redeem(i["email"])
    if op == "faults":
        return emu.control("DELETE", "faults") if i is None else emu.control("PUT", "faults", i)
    if op == "counters":
        return emu.control("GET", "counters")
    raise AssertionError(f"unknown op {op}")


@contextmanager
def bulk_file(i: dict[str, Any]) -> Iterator[Path]:
    """The step's CSV (text, or base64 bytes for files that are not UTF-8) in a temporary file."""
    data = base64.b64decode(i["csvBase64"]) if "csvBase64" in i else str(i.get("csv", "")).encode()
    with tempfile.TemporaryDirectory(prefix="ei-scenario-bulk-") as d:
        path = Path(d) / "input.csv"
        path.write_bytes(data)
        yield path


def bulk_kwargs(i: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Default options but `dryRun` and `skipExisting` as given; `results` names `<name>.csv` in
    the scenario's own folder, which lives for the whole scenario (later steps resume it)."""
    kw: dict[str, Any] = {"dry_run": bool(i.get("dryRun", False)),
                          "skip_existing": bool(i.get("skipExisting", True))}
    if i.get("results") is not None:
        kw["results"] = folder / f"{i['results']}.csv"
    return kw


def concurrent_runs(i: dict[str, Any]) -> int | None:
    n = i.get("concurrent")
    if n is None:
        return None
    assert isinstance(n, int) and not isinstance(n, bool) and n >= 1, f"concurrent: {n!r}"
    return n


def refused(e: ei.EntraInviteError) -> bool:
    """A run refused because its results file was in use by another run."""
    return isinstance(e, ei.InvalidInputError) and e.field == "results"


def concurrent_json(outcomes: list[str]) -> dict[str, Any]:
    return {"completed": outcomes.count("completed"), "refused": outcomes.count("refused")}


SUMMARY_KEYS = (("invited", "invited"), ("existing", "existing"), ("failed", "failed"),
                ("invalid", "invalid"), ("valid", "valid"), ("resumed", "resumed"), ("added", "added"),
                ("fixed", "fixed"), ("removed", "removed"), ("inputChanged", "input_changed"))


def bulk_json(rows: list[ei.BulkResult], summary: ei.BulkSummary) -> dict[str, Any]:
    return {
        "summary": {k: getattr(summary, py) for k, py in SUMMARY_KEYS},
        "rows": [{"row": r.row, "email": r.email, "outcome": r.outcome, "errorKind": r.error_kind,
                  "userId": r.user_id, "redeemUrl": r.redeem_url}
                 for r in sorted(rows, key=lambda r: r.row)],
    }


def bulk_sync(c: ei.Client, i: dict[str, Any], folder: Path) -> Any:
    with bulk_file(i) as path:
        kw = bulk_kwargs(i, folder)
        n = concurrent_runs(i)
        if n is None:
            run = c.bulk_invite(path, **kw)
            rows = list(run)
            return bulk_json(rows, run.summary)
        # Every run starts when bulk_invite is called: all are started before any is drained.
        runs = [c.bulk_invite(path, **kw) for _ in range(n)]
        outcomes: list[str] = []
        for r in runs:
            try:
                r.finish()
                outcomes.append("completed")
            except ei.EntraInviteError as e:
                if not refused(e):
                    raise AssertionError(f"a concurrent run failed: {e!r}") from e
                outcomes.append("refused")
        return concurrent_json(outcomes)


async def bulk_async(c: ei.AsyncClient, i: dict[str, Any], folder: Path) -> Any:
    with bulk_file(i) as path:
        kw = bulk_kwargs(i, folder)
        n = concurrent_runs(i)
        if n is None:
            run = c.bulk_invite(path, **kw)
            rows = [r async for r in run]
            return bulk_json(rows, run.summary)

        async def drain(r: ei.AsyncBulkRun) -> str:
            try:
                await r.finish()
                return "completed"
            except ei.EntraInviteError as e:
                if not refused(e):
                    raise AssertionError(f"a concurrent run failed: {e!r}") from e
                return "refused"

        runs = [c.bulk_invite(path, **kw) for _ in range(n)]
        return concurrent_json(list(await asyncio.gather(*(drain(r) for r in runs))))


def run_sync(emu: Emulator, c: ei.Client, op: str, input_: Any, folder: Path) -> Any:
    i: dict[str, Any] = input_ or {}
    if op == "invite":
        return invitation_json(c.invite(i["email"], **invite_kwargs(i)).to_dict())
    if op == "inviteIfAbsent":
        return outcome_json(c.invite_if_absent(i["email"], **invite_kwargs(i)).to_dict())
    if op == "lookup":
        return outcome_json(c.lookup(i["email"]).to_dict())
    if op == "status":
        return status_json(c.status(i["user"]))
    if op == "guests":
        return guests_json(list(c.guests(i.get("state"))))
    if op == "reset":
        return invitation_json(c.reset_redemption(i["user"], invited_user_email_address=i["email"], invite_redirect_url=i["redirectUrl"]).to_dict())
    if op == "bulk":
        return bulk_sync(c, i, folder)
    return control(emu, op, input_)


async def run_async(emu: Emulator, c: ei.AsyncClient, op: str, input_: Any, folder: Path) -> Any:
    i: dict[str, Any] = input_ or {}
    if op == "invite":
        return invitation_json((await c.invite(i["email"], **invite_kwargs(i))).to_dict())
    if op == "inviteIfAbsent":
        return outcome_json((await c.invite_if_absent(i["email"], **invite_kwargs(i))).to_dict())
    if op == "lookup":
        return outcome_json((await c.lookup(i["email"])).to_dict())
    if op == "status":
        return status_json(await c.status(i["user"]))
    if op == "guests":
        return guests_json([g async for g in c.guests(i.get("state"))])
    if op == "reset":
        return invitation_json((await c.reset_redemption(i["user"], invited_user_email_address=i["email"], invite_redirect_url=i["redirectUrl"])).to_dict())
    if op == "bulk":
        return await bulk_async(c, i, folder)
    return control(emu, op, input_)


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
    timeout = (sc.get("client") or {}).get("timeoutSecs")
    if timeout is not None:
        kw["timeout"] = float(timeout)
    return kw


def check(ctx: str, expect: dict[str, Any], result: Any, error: ei.EntraInviteError | None,
          before: int, after: int, saved: dict[str, Any]) -> None:
    if expect.get("noRequest"):
        # The counter reads themselves are not counted; nothing else may have happened.
        assert before == after, f"{ctx}: a request reached Graph"
    if "error" in expect:
        want = expect["error"] or {}
        assert error is not None, f"{ctx}: expected {want}, got {result}"
        if "kind" in want:
            assert error.kind == want["kind"], f"{ctx}: {error!r}"
            assert type(error).__name__ == f"{want['kind']}Error", ctx
        if "code" in want:
            assert error.code == want["code"], f"{ctx}: {error!r}"
        if "field" in want:
            assert getattr(error, "field", None) == want["field"], f"{ctx}: {error!r}"
        if "maybeApplied" in want:
            assert error.maybe_applied is want["maybeApplied"], f"{ctx}: maybe_applied of {error!r}"
        return
    assert error is None, f"{ctx}: {error!r}"
    for p, want in (expect.get("ok") or {}).items():
        got = at(result, p, ctx)
        assert same(got, want), f"{ctx}: {p} = {got!r}, not {want!r}, in {result}"
    for p, want in (expect.get("okPrefix") or {}).items():
        got = at(result, p, ctx)
        assert isinstance(got, str) and got.startswith(want), f"{ctx}: {p} = {got!r} in {result}"
    for p in expect.get("okPresent") or []:
        assert at(result, p, ctx) is not None, f"{ctx}: {p} is null in {result}"
    for k, p in (expect.get("save") or {}).items():
        saved[k] = at(result, p, ctx)


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_scenario_sync(path: Path) -> None:
    sc = load(path)
    with Emulator() as emu, tempfile.TemporaryDirectory(prefix="ei-scenario-") as folder:
        c = emu.client(**setup(emu, sc))
        saved: dict[str, Any] = {}
        for n, step in enumerate(sc["steps"]):
            ctx = f"{path.stem} step {n} ({step['op']})"
            i, expect = subst(step.get("input"), saved, ctx), subst(step.get("expect") or {}, saved, ctx)
            before = emu.stats()["totalRequests"]
            result: Any = None
            error: ei.EntraInviteError | None = None
            try:
                result = run_sync(emu, c, step["op"], i, Path(folder))
            except ei.EntraInviteError as e:
                error = e
            after = emu.stats()["totalRequests"]
            check(ctx, expect, result, error, before, after, saved)


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
async def test_scenario_async(path: Path) -> None:
    sc = load(path)
    with Emulator() as emu, tempfile.TemporaryDirectory(prefix="ei-scenario-") as folder:
        c = emu.async_client(**setup(emu, sc))
        saved: dict[str, Any] = {}
        for n, step in enumerate(sc["steps"]):
            ctx = f"{path.stem} step {n} ({step['op']})"
            i, expect = subst(step.get("input"), saved, ctx), subst(step.get("expect") or {}, saved, ctx)
            before = emu.stats()["totalRequests"]
            result: Any = None
            error: ei.EntraInviteError | None = None
            try:
                result = await run_async(emu, c, step["op"], i, Path(folder))
            except ei.EntraInviteError as e:
                error = e
            after = emu.stats()["totalRequests"]
            check(ctx, expect, result, error, before, after, saved)
