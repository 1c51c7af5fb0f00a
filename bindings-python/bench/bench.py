"""entra-invite (Python) against msgraph-sdk and raw httpx, in one run on one machine.

Measures, each over several fresh processes (median, min-max):
  import   in-process import time (`import entra_invite` / `from msgraph import GraphServiceClient`
           / `import httpx`)
  cpu      client CPU (user+sys, all threads, getrusage) per invitation, N sequential
           `POST /v1.0/invitations` against the Graph emulator (running in another process)
  first    process start -> first invitation returned (spawn, import, build client, invite)
  size     installed size of the package and everything it pulls in

Run it with bench/run.sh (makes the scratch venv with pinned msgraph-sdk/httpx and a release
wheel of entra-invite). Not a test: it prints a table and the ratios against the issue's goals.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.request
from importlib import metadata
from pathlib import Path
from typing import Any

REDIRECT = "https://myapps.microsoft.com/"
BURST = 25   # below entra-invite's pacing burst (30), so the burst figures never wait

SERVER = """
import sys
from entra_invite.testing import Emulator
emu = Emulator()
print(emu.url, flush=True)
sys.stdin.read()          # until the parent closes the pipe
emu.stop()
"""

IMPORTS = {
    "entra-invite": "import entra_invite",
    "msgraph-sdk": "from msgraph import GraphServiceClient",
    "httpx": "import httpx",
}

# Client set-up and one invitation per client kind; `URL`, `TOKEN`, `PREFIX` are substituted.
CLIENTS: dict[str, dict[str, str]] = {
    "entra-invite": {
        "setup": """
import entra_invite as ei
client = ei.Client(token=TOKEN, graph_url=URL)
def invite(email):
    inv = client.invite(email, invite_redirect_url=REDIRECT, invited_user_display_name="Guest User", message_language="en-US",
                        customized_message_body="Welcome aboard")
    assert inv.status == "PendingAcceptance"
def lookup(email):
    assert client.lookup(email).exists
""",
    },
    "entra-invite (async)": {
        "setup": """
import asyncio
import entra_invite as ei
client = ei.AsyncClient(token=TOKEN, graph_url=URL)
loop = asyncio.new_event_loop()
def invite(email):
    inv = loop.run_until_complete(client.invite(email, invite_redirect_url=REDIRECT, invited_user_display_name="Guest User",
                                                message_language="en-US", customized_message_body="Welcome aboard"))
    assert inv.status == "PendingAcceptance"
def lookup(email):
    assert loop.run_until_complete(client.lookup(email)).exists
""",
    },
    "msgraph-sdk": {
        "setup": """
import asyncio
from urllib.parse import urlparse
from kiota_abstractions.authentication import (AccessTokenProvider, AllowedHostsValidator,
                                               BaseBearerTokenAuthenticationProvider)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.invitation import Invitation
from msgraph.generated.models.invited_user_message_info import InvitedUserMessageInfo
from msgraph.generated.users.users_request_builder import UsersRequestBuilder
from kiota_abstractions.base_request_configuration import RequestConfiguration

class StaticToken(AccessTokenProvider):
    # azure-identity refuses plain-http authorities: hand the emulator's token to allowed hosts.
    def __init__(self):
        self.hosts = AllowedHostsValidator([urlparse(URL).hostname])
    async def get_authorization_token(self, uri, additional_authentication_context={}):
        return TOKEN if self.hosts.is_url_host_valid(uri) else ""
    def get_allowed_hosts_validator(self):
        return self.hosts

adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken()))
adapter.base_url = URL + "/v1.0"
client = GraphServiceClient(request_adapter=adapter)
loop = asyncio.new_event_loop()
def invite(email):
    body = Invitation(invited_user_email_address=email, invited_user_display_name="Guest User",
                      invite_redirect_url=REDIRECT, send_invitation_message=False,
                      invited_user_message_info=InvitedUserMessageInfo(
                          message_language="en-US", cc_recipients=[], customized_message_body="Welcome aboard"))
    inv = loop.run_until_complete(client.invitations.post(body))
    assert inv.status == "PendingAcceptance"
QP = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters
def lookup(email):
    cfg = RequestConfiguration(query_parameters=QP(
        filter=f"mail eq '{email}'",
        select=["id", "displayName", "mail", "userPrincipalName", "userType", "externalUserState",
                "externalUserStateChangeDateTime"]))
    res = loop.run_until_complete(client.users.get(request_configuration=cfg))
    assert res.value[0].id
""",
    },
    "httpx (raw)": {
        "setup": """
import json
import httpx
client = httpx.Client(base_url=URL + "/v1.0",
                      headers={"Authorization": "Bearer " + TOKEN, "Accept": "application/json"})
def invite(email):
    body = {"invitedUserEmailAddress": email, "invitedUserDisplayName": "Guest User",
            "inviteRedirectUrl": REDIRECT, "sendInvitationMessage": False,
            "invitedUserType": "Guest",
            "invitedUserMessageInfo": {"messageLanguage": "en-US", "ccRecipients": [],
                                       "customizedMessageBody": "Welcome aboard"}}
    r = client.post("/invitations", content=json.dumps(body), headers={"Content-Type": "application/json"})
    r.raise_for_status()
    assert r.json()["status"] == "PendingAcceptance"
def lookup(email):
    r = client.get("/users", params={
        "$filter": f"mail eq '{email}'",
        "$select": "id,displayName,mail,userPrincipalName,userType,externalUserState,"
                   "externalUserStateChangeDateTime"})
    r.raise_for_status()
    assert r.json()["value"][0]["id"]
""",
    },
}

CPU_RUN = """
import resource, time
{setup}
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
for i in range(20):
    invite(f"{{PREFIX}}-warm{{i}}@fabrikam.com")
out = {{}}
# back to back: entra-invite waits for its pacer (Graph's 150 invitations / 5 s per tenant)
c0, w0 = cpu(), time.perf_counter()
for i in range(N):
    invite(f"{{PREFIX}}-{{i}}@fabrikam.com")
c1, w1 = cpu(), time.perf_counter()
out["paced"] = ((c1 - c0) / N * 1e6, (w1 - w0) / N * 1e6)
# at Graph's sustained rate for a tenant (150 per 5 s): every client starts one invitation each
# 1/30 s, as entra-invite's pacer does by itself; idle gaps make each call dearer on a VM
c0, w0 = cpu(), time.perf_counter()
due = w0
for i in range(N):
    now = time.perf_counter()
    if now < due:
        time.sleep(due - now)
    invite(f"{{PREFIX}}-r{{i}}@fabrikam.com")
    due += 1 / 30
c1, w1 = cpu(), time.perf_counter()
out["rate"] = ((c1 - c0) / N * 1e6, (w1 - w0) / N * 1e6)
# bursts of BURST with a pause between (not counted): no client waits for pacing
spent, wall, done = 0.0, 0.0, 0
while done < N:
    time.sleep(1.0)
    c0, w0 = cpu(), time.perf_counter()
    for i in range(BURST):
        invite(f"{{PREFIX}}-b{{done + i}}@fabrikam.com")
    spent, wall, done = spent + cpu() - c0, wall + time.perf_counter() - w0, done + BURST
out["burst"] = (spent / done * 1e6, wall / done * 1e6)
# lookups (GET /users?$filter=...), never paced
c0, w0 = cpu(), time.perf_counter()
for i in range(N):
    lookup(f"{{PREFIX}}-{{i}}@fabrikam.com")
c1, w1 = cpu(), time.perf_counter()
out["lookup"] = ((c1 - c0) / N * 1e6, (w1 - w0) / N * 1e6)
print(json.dumps(out))
"""

FIRST_RUN = """
{setup}
invite(f"{{PREFIX}}-first@fabrikam.com")
print("ok", flush=True)
"""


def header(url: str, token: str, prefix: str, n: int = 0) -> str:
    return (f"import json\nURL = {url!r}\nTOKEN = {token!r}\nPREFIX = {prefix!r}\nN = {n}\n"
            f"BURST = {BURST}\nREDIRECT = {REDIRECT!r}\n")


def med(xs: list[float]) -> str:
    return f"{statistics.median(xs):,.1f} ({min(xs):,.1f}-{max(xs):,.1f})"


def py(code: str, timeout: float = 600) -> str:
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"child failed:\n{code}\n{p.stderr}")
    return p.stdout


def import_ms(stmt: str) -> float:
    code = f"import time\nt = time.perf_counter()\n{stmt}\nprint((time.perf_counter() - t) * 1000)"
    return float(py(code))


def first_invitation_ms(code: str) -> float:
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    line = p.stdout.readline()
    elapsed = (time.perf_counter() - t) * 1000
    p.wait(timeout=60)
    if line.strip() != "ok":
        raise RuntimeError(f"first invitation failed: {line!r}")
    return elapsed


def installed_mib(dist_name: str) -> tuple[float, int]:
    """Bytes of every file of `dist_name` and its (transitive, unconditional) requirements."""
    seen: set[str] = set()
    todo = [dist_name]
    total = 0
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for f in dist.files or []:
            try:
                total += Path(str(dist.locate_file(f))).stat().st_size
            except OSError:
                pass
        for req in dist.requires or []:
            if "extra ==" in req:
                continue
            m = re.match(r"[A-Za-z0-9._-]+", req)
            if m:
                todo.append(m.group(0))
    return total / 2**20, len(seen)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--n", type=int, default=200, help="timed calls per figure and run")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    args = ap.parse_args()

    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    req = urllib.request.Request(f"{url}/_emulator/tokens", data=b'{"expiresInSecs": 36000}',
                                 headers={"content-type": "application/json"}, method="POST")
    token = json.load(urllib.request.urlopen(req))["access_token"]
    raw: dict[str, Any] = {"import_ms": {}, "first_ms": {}, "size": {}}
    modes = ("paced", "rate", "burst", "lookup")
    for mode in modes:
        raw[f"cpu_us_{mode}"], raw[f"wall_us_{mode}"] = {}, {}
    try:
        for r in range(args.runs):            # interleaved, so drifting machine load hits all alike
            for name, stmt in IMPORTS.items():
                raw["import_ms"].setdefault(name, []).append(import_ms(stmt))
            for name, c in CLIENTS.items():
                prefix = f"r{r}-{abs(hash(name)) % 10**6}"
                code = header(url, token, prefix + "-f") + textwrap.dedent(FIRST_RUN.format(setup=c["setup"]))
                raw["first_ms"].setdefault(name, []).append(first_invitation_ms(code))
                code = header(url, token, prefix, args.n) + textwrap.dedent(CPU_RUN.format(setup=c["setup"]))
                out = json.loads(py(code))
                for mode in modes:
                    raw[f"cpu_us_{mode}"].setdefault(name, []).append(out[mode][0])
                    raw[f"wall_us_{mode}"].setdefault(name, []).append(out[mode][1])
            print(f"run {r + 1}/{args.runs} done", file=sys.stderr, flush=True)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)
    for dist in ("entra-invite", "msgraph-sdk", "httpx"):
        mib, count = installed_mib(dist)
        raw["size"][dist] = {"mib": mib, "distributions": count}

    versions = {d: metadata.version(d) for d in ("entra-invite", "msgraph-sdk", "httpx")}
    print(f"\nentra-invite {versions['entra-invite']} vs msgraph-sdk {versions['msgraph-sdk']} "
          f"and httpx {versions['httpx']}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
          f"{args.runs} fresh processes per figure, median (min-max); {args.n} sequential invitations per CPU run\n")
    print("| client | import ms | start -> first invitation ms |")
    print("|---|---|---|")
    for name in CLIENTS:
        imp = raw["import_ms"].get(name)
        print(f"| {name} | {med(imp) if imp else '-'} | {med(raw['first_ms'][name])} |")
    print("\nClient CPU (user+sys, all threads) and wall time per call, in us:\n")
    print("| client | invitation CPU, back to back | wall | invitation CPU, 30/s | wall "
          f"| invitation CPU, bursts of {BURST} | wall | lookup CPU | wall |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in CLIENTS:
        cells = []
        for mode in modes:
            cells += [med(raw[f"cpu_us_{mode}"][name]), med(raw[f"wall_us_{mode}"][name])]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n| package | installed MiB | distributions |")
    print("|---|---|---|")
    for d, s in raw["size"].items():
        print(f"| {d} | {s['mib']:.1f} | {s['distributions']} |")

    m = statistics.median
    ours, ms, hx = "entra-invite", "msgraph-sdk", "httpx (raw)"
    goals = [
        ("import time", m(raw["import_ms"][ms]) / m(raw["import_ms"][ours]), 20),
        ("CPU per invitation vs msgraph-sdk (back to back)",
         m(raw["cpu_us_paced"][ms]) / m(raw["cpu_us_paced"][ours]), 50),
        ("CPU per invitation vs httpx (back to back)",
         m(raw["cpu_us_paced"][hx]) / m(raw["cpu_us_paced"][ours]), 1),
        ("CPU per invitation vs msgraph-sdk (all at 30/s)",
         m(raw["cpu_us_rate"][ms]) / m(raw["cpu_us_rate"][ours]), 50),
        ("CPU per invitation vs httpx (all at 30/s)",
         m(raw["cpu_us_rate"][hx]) / m(raw["cpu_us_rate"][ours]), 1),
        ("CPU per invitation vs msgraph-sdk (bursts)",
         m(raw["cpu_us_burst"][ms]) / m(raw["cpu_us_burst"][ours]), 50),
        ("CPU per invitation vs httpx (bursts)",
         m(raw["cpu_us_burst"][hx]) / m(raw["cpu_us_burst"][ours]), 1),
        ("CPU per lookup vs msgraph-sdk", m(raw["cpu_us_lookup"][ms]) / m(raw["cpu_us_lookup"][ours]), 50),
        ("CPU per lookup vs httpx", m(raw["cpu_us_lookup"][hx]) / m(raw["cpu_us_lookup"][ours]), 1),
        ("start -> first invitation", m(raw["first_ms"][ms]) / m(raw["first_ms"][ours]), 20),
        ("installed size", raw["size"]["msgraph-sdk"]["mib"] / raw["size"][ours]["mib"], 30),
    ]
    print("\n| goal | msgraph-sdk (or httpx) / entra-invite | wanted | met |")
    print("|---|---|---|---|")
    for what, ratio, want in goals:
        print(f"| {what} | {ratio:,.1f}x | > {want}x | {'yes' if ratio > want else 'NO'} |")
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1))


if __name__ == "__main__":
    main()
