"""Bulk invitation: the admin center's CSV, one result per row, resume, sync and async."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import entra_invite as ei
from entra_invite.testing import Emulator

from conftest import REDIRECT

HEADINGS = ("Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,"
            "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]")


def template(tmp_path: Path, rows: list[str], name: str = "in.csv") -> Path:
    p = tmp_path / name
    lines = ["version:v1.0", HEADINGS, "Example: Istokes@fabrikam.com,https://myapplications.microsoft.com,TRUE,Welcome!",
             *rows]
    p.write_text("\r\n".join(lines) + "\r\n")
    return p


ROWS = [
    f"n1@fabrikam.com,{REDIRECT},false,",
    f'n2@litware.com,{REDIRECT},TRUE,"Hello, partner"',
    f"already@fabrikam.com,{REDIRECT},false,",
    f"broken@@fabrikam.com,{REDIRECT},false,",
]


def test_every_row_gets_one_result_and_a_rerun_resumes(emu: Emulator, client: ei.Client, tmp_path: Path) -> None:
    client.invite("already@fabrikam.com", invite_redirect_url=REDIRECT)
    src, results = template(tmp_path, ROWS), tmp_path / "results.csv"
    run = client.bulk_invite(src, results=results, concurrency=4)
    assert isinstance(run, ei.BulkRun)
    got = {r.email: r for r in run}
    assert {e: r.outcome for e, r in got.items()} == {
        "n1@fabrikam.com": "invited", "n2@litware.com": "invited",
        "already@fabrikam.com": "existing", "broken@@fabrikam.com": "invalid"}
    assert got["n1@fabrikam.com"].user_id and got["n1@fabrikam.com"].redeem_url
    assert got["broken@@fabrikam.com"].error_kind == "InvalidInput"
    assert sorted(r.row for r in got.values()) == [4, 5, 6, 7]
    assert run.summary.to_dict() == {"invited": 2, "existing": 1, "failed": 0, "invalid": 1, "valid": 0,
                                     "resumed": 0, "inputChanged": False, "added": 0, "fixed": 0, "removed": 0}
    assert run.summary == run.summary and run.summary.invited == 2
    assert "BulkResult(row=" in repr(got["n1@fabrikam.com"])
    with results.open() as f:
        assert len(list(csv.reader(f))) >= 5
    assert emu.stats()["invitationsCreated"] == 3
    again = client.bulk_invite(src, results=results).finish()
    # Settled rows are resumed; an invalid row is reported again (nothing about it is resumed).
    assert again.resumed == 3 and again.invalid == 1 and again.invited == 0
    assert not again.input_changed and again.added == 0
    assert emu.stats()["invitationsCreated"] == 3            # nothing invited twice


def test_dry_run_and_bad_arguments(emu: Emulator, client: ei.Client, tmp_path: Path) -> None:
    src = template(tmp_path, [f"d@fabrikam.com,{REDIRECT},false,"])
    assert client.bulk_invite(src, dry_run=True).finish().valid == 1
    assert emu.stats()["invitationsCreated"] == 0
    with pytest.raises(ei.InvalidInputError) as e:
        client.bulk_invite(src, concurrency=0)
    assert e.value.field == "concurrency"
    with pytest.raises(ei.InvalidInputError) as e:
        client.bulk_invite(tmp_path / "missing.csv")
    assert e.value.field == "input"
    for t in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ei.InvalidInputError) as e:
            client.bulk_invite(src, settle_timeout=t)
        assert e.value.field == "settle_timeout"
    assert client.bulk_invite(src, dry_run=True, wait=True, settle_timeout=0).finish().valid == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("no,headings,here\n1,2,3\n")
    with pytest.raises(ei.InvalidInputError):
        client.bulk_invite(bad).finish()


async def test_async_bulk(emu: Emulator, aclient: ei.AsyncClient, tmp_path: Path) -> None:
    src = template(tmp_path, [f"a{i}@fabrikam.com,{REDIRECT},false," for i in range(10)])
    run = aclient.bulk_invite(src, concurrency=3, skip_existing=False)
    assert isinstance(run, ei.AsyncBulkRun)
    outcomes = [r.outcome async for r in run]
    assert outcomes == ["invited"] * 10
    assert run.summary.invited == 10
    src2 = template(tmp_path, [f"b{i}@fabrikam.com,{REDIRECT},false," for i in range(3)], "in2.csv")
    assert (await aclient.bulk_invite(src2).finish()).invited == 3
