"""One client process of bench/run.sh: imports its client, makes one first invitation and 20
warm-up requests, then times one workload; prints one JSON line of figures.

    python client.py <kind> <workload> <n> <tag>

kinds: entra-invite (sync), entra-invite-async, entra-invite-paced (sync, default pacing),
msgraph-sdk, httpx (raw AsyncClient). workloads: first (cold start), seq-invite, conc-invite
(n at 32 in flight), seq-lookup, seq-status (users from BENCH_FIXTURES, lines of `email id`).
Environment: BENCH_URL, BENCH_TOKEN, BENCH_FIXTURES.
"""

import time

T_START = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

KIND, WORKLOAD, N, TAG = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
URL, TOKEN = os.environ["BENCH_URL"].rstrip("/"), os.environ["BENCH_TOKEN"]
REDIRECT = "https://myapps.microsoft.com/"
CONCURRENCY = 32
SELECT = ["id", "displayName", "mail", "userPrincipalName", "userType", "creationType",
          "externalUserState", "externalUserStateChangeDateTime", "accountEnabled", "otherMails",
          "proxyAddresses", "createdDateTime"]


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


is_async = True
i0 = time.perf_counter()
if KIND in ("entra-invite", "entra-invite-paced"):
    import entra_invite as ei
    import_ms = (time.perf_counter() - i0) * 1e3
    is_async = False
    pacing = {} if KIND == "entra-invite-paced" else {"invitations_per_5s": 0}
    client = ei.Client(token=TOKEN, graph_url=URL, **pacing)

    def invite(email):
        inv = client.invite(email, invite_redirect_url=REDIRECT, invited_user_display_name="Guest User")
        assert inv.status == "PendingAcceptance"
        return inv.invited_user.id

    def lookup(email):
        assert client.lookup(email).exists

    def status(uid):
        assert client.status(uid).state
elif KIND == "entra-invite-async":
    import entra_invite as ei
    import_ms = (time.perf_counter() - i0) * 1e3
    client = ei.AsyncClient(token=TOKEN, graph_url=URL, invitations_per_5s=0)

    async def invite(email):
        inv = await client.invite(email, invite_redirect_url=REDIRECT, invited_user_display_name="Guest User")
        assert inv.status == "PendingAcceptance"
        return inv.invited_user.id

    async def lookup(email):
        assert (await client.lookup(email)).exists

    async def status(uid):
        assert (await client.status(uid)).state
elif KIND == "msgraph-sdk":
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph.generated.models.invitation import Invitation
    import_ms = (time.perf_counter() - i0) * 1e3
    from urllib.parse import urlparse
    from kiota_abstractions.authentication import (AccessTokenProvider, AllowedHostsValidator,
                                                   BaseBearerTokenAuthenticationProvider)
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder
    from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder

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
    QP = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters
    IQP = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters

    async def invite(email):
        body = Invitation(invited_user_email_address=email, invited_user_display_name="Guest User",
                          invite_redirect_url=REDIRECT, send_invitation_message=False)
        inv = await client.invitations.post(body)
        assert inv.status == "PendingAcceptance"
        return inv.invited_user.id

    async def lookup(email):
        cfg = RequestConfiguration(query_parameters=QP(filter=f"mail eq '{email}'", select=SELECT))
        res = await client.users.get(request_configuration=cfg)
        assert res.value[0].id

    async def status(uid):
        cfg = RequestConfiguration(query_parameters=IQP(select=SELECT))
        u = await client.users.by_user_id(uid).get(request_configuration=cfg)
        assert u.external_user_state
elif KIND == "httpx":
    import httpx
    import_ms = (time.perf_counter() - i0) * 1e3
    client = httpx.AsyncClient(base_url=URL + "/v1.0", headers={"Authorization": "Bearer " + TOKEN})
    SEL = ",".join(SELECT)

    async def invite(email):
        body = {"invitedUserEmailAddress": email, "invitedUserDisplayName": "Guest User",
                "inviteRedirectUrl": REDIRECT, "sendInvitationMessage": False, "invitedUserType": "Guest"}
        r = await client.post("/invitations", content=json.dumps(body),
                              headers={"Content-Type": "application/json"})
        r.raise_for_status()
        inv = r.json()
        assert inv["status"] == "PendingAcceptance"
        return inv["invitedUser"]["id"]

    async def lookup(email):
        r = await client.get("/users", params={"$filter": f"mail eq '{email}'", "$select": SEL})
        r.raise_for_status()
        assert r.json()["value"][0]["id"]

    async def status(uid):
        r = await client.get(f"/users/{uid}", params={"$select": SEL})
        r.raise_for_status()
        assert r.json()["externalUserState"]
else:
    raise SystemExit(f"unknown kind {KIND}")


def fixtures():
    with open(os.environ["BENCH_FIXTURES"]) as f:
        return [tuple(line.split()) for line in f if line.strip()]


def op_for(workload, fx):
    if workload in ("seq-invite", "conc-invite"):
        return lambda i: invite(f"{TAG}-{i}@fabrikam.com")
    if workload == "seq-lookup":
        return lambda i: lookup(fx[i % len(fx)][0])
    if workload == "seq-status":
        return lambda i: status(fx[i % len(fx)][1])
    raise SystemExit(f"unknown workload {workload}")


async def amain(out):
    f0 = time.perf_counter()
    await invite(f"{TAG}-first@fabrikam.com")
    out["first_req_ms"] = (time.perf_counter() - f0) * 1e3
    out["start_to_first_ms"] = (time.perf_counter() - T_START) * 1e3
    if WORKLOAD == "first":
        return
    fx = fixtures() if WORKLOAD in ("seq-lookup", "seq-status") else []
    op = op_for(WORKLOAD, fx)
    warm = (lambda i: invite(f"{TAG}-warm{i}@fabrikam.com")) if "invite" in WORKLOAD else op
    for i in range(20):
        await warm(i)
    c0, w0 = cpu(), time.perf_counter()
    if WORKLOAD == "conc-invite":
        sem = asyncio.Semaphore(CONCURRENCY)

        async def one(i):
            async with sem:
                await op(i)
        await asyncio.gather(*(one(i) for i in range(N)))
    else:
        for i in range(N):
            await op(i)
    out["cpu_s"], out["wall_s"] = cpu() - c0, time.perf_counter() - w0


def smain(out):
    f0 = time.perf_counter()
    invite(f"{TAG}-first@fabrikam.com")
    out["first_req_ms"] = (time.perf_counter() - f0) * 1e3
    out["start_to_first_ms"] = (time.perf_counter() - T_START) * 1e3
    if WORKLOAD == "first":
        return
    fx = fixtures() if WORKLOAD in ("seq-lookup", "seq-status") else []
    op = op_for(WORKLOAD, fx)
    warm = (lambda i: invite(f"{TAG}-warm{i}@fabrikam.com")) if "invite" in WORKLOAD else op
    for i in range(20):
        warm(i)
    c0, w0 = cpu(), time.perf_counter()
    if WORKLOAD == "conc-invite":      # a blocking client: 32 threads
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(op, range(N)))
    else:
        for i in range(N):
            op(i)
    out["cpu_s"], out["wall_s"] = cpu() - c0, time.perf_counter() - w0


out = {"client": KIND, "workload": WORKLOAD, "import_ms": import_ms}
if is_async:
    asyncio.run(amain(out))
else:
    smain(out)
if WORKLOAD != "first":
    out.update(n=N, concurrency=CONCURRENCY if WORKLOAD == "conc-invite" else 1, errors=0,
               cpu_us_per_req=out["cpu_s"] / N * 1e6, wall_us_per_req=out["wall_s"] / N * 1e6,
               req_per_s=N / out["wall_s"])
out["peak_rss_mib"] = peak_rss_mib()
print(json.dumps(out), flush=True)
