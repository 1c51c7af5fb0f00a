"""Microsoft's own Python SDK (`msgraph-sdk`, Kiota-generated) against the Graph emulator.

The SDK is used unchanged: its own GraphRequestAdapter, default httpx client and default Graph
middleware chain. Only two things are pointed elsewhere, as anyone testing against a local Graph
would do: the adapter's base URL (the emulator's `/v1.0`) and the authentication provider (a
static bearer token issued by the emulator's control API, because azure-identity refuses
non-https authorities).

Environment:
  GRAPH_EMULATOR_URL   base URL printed by `graph-emulator` ("listening on <url>"), plain http.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import uuid
from urllib.parse import parse_qs, unquote, urlparse

import httpx
import pytest
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.invitation import Invitation
from msgraph.generated.models.invited_user_message_info import InvitedUserMessageInfo
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.user_collection_response import UserCollectionResponse
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
from msgraph.generated.users.users_request_builder import UsersRequestBuilder
from msgraph_core.tasks.page_iterator import PageIterator

# Emulator defaults (emulator/CONTROL_API.md).
TENANT_ID = "5b1fa6c9-1c6b-4c3b-9d4c-7f2a8d5e0c11"
INITIAL_DOMAIN = "contoso.onmicrosoft.com"
VERIFIED_DOMAIN = "contoso.com"

GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
GUID_RE = re.compile(rf"^{GUID}$")
# research/graph-api.md §1.4: login.microsoftonline.com/redeem?rd=<lower-hex-escaped
# https://invitations.microsoft.com/redeem/?tenant=..&user=..&ticket=..&ver=2.0>
REDEEM_URL_RE = re.compile(
    r"^https://login\.microsoftonline\.com/redeem\?rd="
    r"https%3a%2f%2finvitations\.microsoft\.com%2fredeem%2f%3f"
    rf"tenant%3d(?P<tenant>{GUID})"
    rf"%26user%3d(?P<user>{GUID})"
    r"%26ticket%3d(?P<ticket>[A-Za-z0-9%._-]+)"
    r"%26ver%3d2\.0$"
)

GUEST_COUNT = 250
PAGE_SIZE = 100


# --------------------------------------------------------------------------- plumbing
@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("GRAPH_EMULATOR_URL")
    if not url:
        pytest.fail("GRAPH_EMULATOR_URL is not set (run tests/sdk-compat/run.sh)")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def control(base_url):
    """Plain HTTP client for the emulator's control API (not part of Graph, so not the SDK)."""
    with httpx.Client(base_url=f"{base_url}/_emulator", timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def token(control) -> str:
    r = control.post("/tokens", json={})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["access_token"].count(".") == 2, body  # a JWT
    assert body["expires_in"] > 0
    return body["access_token"]


@pytest.fixture
def tag() -> str:
    """A per-test prefix so tests never see each other's users."""
    return "t" + uuid.uuid4().hex[:10]


class StaticTokenProvider(AccessTokenProvider):
    """Kiota's documented extension point: hands a fixed token to allowed hosts only."""

    def __init__(self, token: str, host: str):
        self._token = token
        self._hosts = AllowedHostsValidator([host])

    async def get_authorization_token(self, uri, additional_authentication_context=None):
        return self._token if self._hosts.is_url_host_valid(uri) else ""

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return self._hosts


@pytest.fixture
def graph(base_url, token):
    """Returns `run(fn)`: runs `await fn(client)` on a fresh event loop with a fresh SDK client.

    The SDK is async-only; one loop (and one httpx pool) per test keeps tests independent
    without needing a pytest asyncio plugin.
    """

    def run(fn):
        async def main():
            auth = BaseBearerTokenAuthenticationProvider(
                StaticTokenProvider(token, urlparse(base_url).hostname)
            )
            adapter = GraphRequestAdapter(auth)  # default httpx client + Graph middleware
            adapter.base_url = f"{base_url}/v1.0"  # must be set before GraphServiceClient()
            client = GraphServiceClient(request_adapter=adapter)
            try:
                return await fn(client)
            finally:
                # The adapter owns its default httpx.AsyncClient; close it on this loop.
                http = getattr(adapter, "_http_client", None)
                if http is not None:
                    with contextlib.suppress(Exception):
                        await http.aclose()

        return asyncio.run(main())

    return run


def users_query(**kwargs) -> RequestConfiguration:
    return RequestConfiguration(
        query_parameters=UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(**kwargs)
    )


def user_query(**kwargs) -> RequestConfiguration:
    return RequestConfiguration(
        query_parameters=UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(**kwargs)
    )


async def invite(client: GraphServiceClient, email: str, **extra) -> Invitation:
    body = Invitation(
        invited_user_email_address=email,
        invite_redirect_url="https://myapp.contoso.com",
        **extra,
    )
    return await client.invitations.post(body)


def guest_upn(email: str) -> str:
    local, domain = email.split("@")
    return f"{local}_{domain}#EXT#@{INITIAL_DOMAIN}"


# --------------------------------------------------------------------------- invitation
def test_create_invitation_returns_redeem_url_and_invited_user(graph, tag):
    email = f"{tag}.taylor@fabrikam.com"

    async def flow(client):
        return await invite(
            client,
            email,
            invited_user_display_name="Taylor",
            send_invitation_message=False,
            invited_user_message_info=InvitedUserMessageInfo(
                message_language="en-US", customized_message_body="Welcome"
            ),
        )

    inv = graph(flow)

    assert isinstance(inv, Invitation)
    assert GUID_RE.match(inv.id or ""), inv.id
    assert inv.invited_user_email_address == email
    assert inv.invited_user_display_name == "Taylor"
    assert inv.invite_redirect_url.rstrip("/") == "https://myapp.contoso.com"
    assert inv.invited_user_type == "Guest"
    assert inv.send_invitation_message is False
    assert inv.reset_redemption is False
    assert inv.status == "PendingAcceptance"

    m = REDEEM_URL_RE.match(inv.invite_redeem_url or "")
    assert m, f"redeem URL has not the documented shape: {inv.invite_redeem_url!r}"
    assert m["tenant"] == TENANT_ID
    inner = unquote(parse_qs(urlparse(inv.invite_redeem_url).query)["rd"][0])
    assert inner.startswith("https://invitations.microsoft.com/redeem/?"), inner
    inner_q = parse_qs(urlparse(inner).query)
    assert inner_q["tenant"] == [TENANT_ID]
    assert inner_q["ver"] == ["2.0"]
    assert inner_q["ticket"][0], inner

    assert inv.invited_user is not None
    assert GUID_RE.match(inv.invited_user.id or ""), inv.invited_user.id
    assert inv.invited_user.id != inv.id  # the invitation and the user are different objects
    assert inv.invited_user.user_principal_name == guest_upn(email)


def test_invited_user_exists_as_a_guest(graph, tag):
    email = f"{tag}.sam@fabrikam.com"

    async def flow(client):
        inv = await invite(client, email)
        user = await client.users.by_user_id(inv.invited_user.id).get(
            request_configuration=user_query(
                select=["id", "userPrincipalName", "mail", "userType", "creationType",
                        "otherMails", "proxyAddresses"]
            )
        )
        return inv, user

    inv, user = graph(flow)
    assert user.id == inv.invited_user.id
    assert user.user_principal_name == guest_upn(email)
    assert user.mail == email
    assert user.user_type == "Guest"
    assert user.creation_type == "Invitation"
    assert user.proxy_addresses == [f"SMTP:{email}"]


def test_reinvite_same_guest_keeps_user_id_and_issues_new_ticket(graph, tag):
    email = f"{tag}.again@fabrikam.com"

    async def flow(client):
        return await invite(client, email), await invite(client, email)

    first, second = graph(flow)
    assert second.invited_user.id == first.invited_user.id
    assert second.id != first.id
    t1 = REDEEM_URL_RE.match(first.invite_redeem_url)["ticket"]
    t2 = REDEEM_URL_RE.match(second.invite_redeem_url)["ticket"]
    assert t1 != t2


def test_graph_errors_deserialize_into_odata_error(graph, tag):
    async def flow(client):
        with pytest.raises(ODataError) as verified:
            await invite(client, f"{tag}@{VERIFIED_DOMAIN}")
        with pytest.raises(ODataError) as missing:
            await client.users.by_user_id(str(uuid.uuid4())).get()
        return verified.value, missing.value

    verified, missing = graph(flow)
    assert verified.response_status_code == 400
    assert verified.error.code == "BadRequest"
    assert "is a verified domain of this directory" in verified.error.message
    assert GUID_RE.match(verified.error.inner_error.request_id or ""), verified.error.inner_error
    assert missing.response_status_code == 404
    assert missing.error.code == "Request_ResourceNotFound"
    assert GUID_RE.match(missing.error.inner_error.request_id or ""), missing.error.inner_error


# --------------------------------------------------------------------------- $filter
def test_filter_mail_eq_finds_the_invited_guest(graph, tag):
    email = f"{tag}.filter@fabrikam.com"

    async def flow(client):
        inv = await invite(client, email)
        await invite(client, f"{tag}.other@fabrikam.com")
        res = await client.users.get(request_configuration=users_query(filter=f"mail eq '{email}'"))
        return inv, res

    inv, res = graph(flow)
    assert isinstance(res, UserCollectionResponse)
    assert [u.id for u in res.value] == [inv.invited_user.id]
    assert res.value[0].mail == email
    assert res.value[0].user_principal_name == guest_upn(email)
    assert res.odata_next_link is None


def test_filter_lookup_with_any_lambdas_and_or(graph, tag):
    """The Graph form of the documented "does this email exist" lookup (graph-api.md §2.2)."""
    email = f"{tag}.lookup@fabrikam.com"
    flt = (
        f"userPrincipalName eq '{email}' or mail eq '{email}' "
        f"or proxyAddresses/any(x:x eq 'SMTP:{email}') or otherMails/any(x:x eq '{email}')"
    )

    async def flow(client):
        inv = await invite(client, email)
        hit = await client.users.get(request_configuration=users_query(filter=flt))
        miss = await client.users.get(
            request_configuration=users_query(filter=flt.replace(email, f"{tag}.nobody@fabrikam.com"))
        )
        return inv, hit, miss

    inv, hit, miss = graph(flow)
    assert [u.id for u in hit.value] == [inv.invited_user.id]
    assert miss.value == []


def test_filter_string_literal_with_doubled_quote(graph, tag):
    email = f"{tag}.o'neil@fabrikam.com"
    odata_literal = email.replace("'", "''")

    async def flow(client):
        inv = await invite(client, email)
        res = await client.users.get(
            request_configuration=users_query(filter=f"mail eq '{odata_literal}'", select=["id", "mail"])
        )
        return inv, res

    inv, res = graph(flow)
    assert [(u.id, u.mail) for u in res.value] == [(inv.invited_user.id, email)]


def test_filter_advanced_query_needs_consistency_level_and_count(graph, tag):
    """endsWith on mail is an advanced query: ConsistencyLevel: eventual + $count=true."""
    domain = f"{tag}.example"
    flt = f"endswith(mail,'@{domain}')"

    async def flow(client):
        invited = [await invite(client, f"{name}@{domain}") for name in ("ana", "ben", "cai")]
        cfg = users_query(filter=flt, count=True, select=["id", "mail"])
        cfg.headers.add("ConsistencyLevel", "eventual")
        res = await client.users.get(request_configuration=cfg)
        with pytest.raises(ODataError) as plain:
            await client.users.get(request_configuration=users_query(filter=flt))
        return invited, res, plain.value

    invited, res, plain = graph(flow)
    assert res.odata_count == 3
    assert sorted(u.id for u in res.value) == sorted(i.invited_user.id for i in invited)
    assert plain.response_status_code == 400
    assert plain.error.code == "Request_UnsupportedQuery"


# --------------------------------------------------------------------------- $select
def test_select_external_user_state_is_pending_acceptance(graph, tag):
    email = f"{tag}.state@fabrikam.com"

    async def flow(client):
        inv = await invite(client, email)
        item = client.users.by_user_id(inv.invited_user.id)
        plain = await item.get()
        selected = await item.get(
            request_configuration=user_query(
                select=["id", "externalUserState", "externalUserStateChangeDateTime"]
            )
        )
        return inv, plain, selected

    inv, plain, selected = graph(flow)
    # Not in the default property set: only returned when selected.
    assert plain.id == inv.invited_user.id
    assert plain.external_user_state is None
    assert selected.id == inv.invited_user.id
    assert selected.external_user_state == "PendingAcceptance"
    assert selected.external_user_state_change_date_time is not None
    # $select returns only what was asked for.
    assert selected.user_principal_name is None
    assert selected.display_name is None


def test_select_external_user_state_in_a_filtered_list(graph, tag):
    email = f"{tag}.liststate@fabrikam.com"

    async def flow(client):
        inv = await invite(client, email)
        res = await client.users.get(
            request_configuration=users_query(
                filter=f"mail eq '{email}'", select=["id", "mail", "externalUserState"]
            )
        )
        return inv, res

    inv, res = graph(flow)
    assert [(u.id, u.external_user_state) for u in res.value] == [
        (inv.invited_user.id, "PendingAcceptance")
    ]


def test_select_external_user_state_after_redemption(graph, control, tag):
    email = f"{tag}.redeemed@fabrikam.com"

    async def invite_only(client):
        return await invite(client, email)

    inv = graph(invite_only)
    r = control.post("/redeem", json={"userId": inv.invited_user.id})
    assert r.status_code == 200, r.text

    async def read(client):
        return await client.users.by_user_id(inv.invited_user.id).get(
            request_configuration=user_query(select=["id", "externalUserState", "externalUserStateChangeDateTime"])
        )

    user = graph(read)
    assert user.external_user_state == "Accepted"
    assert user.external_user_state_change_date_time is not None


def test_get_guest_by_upn_with_ext_marker(graph, tag):
    email = f"{tag}.byupn@fabrikam.com"

    async def flow(client):
        inv = await invite(client, email)
        # The SDK percent-encodes '#' in the path segment (%23EXT%23).
        return inv, await client.users.by_user_id(inv.invited_user.user_principal_name).get()

    inv, user = graph(flow)
    assert user.id == inv.invited_user.id
    assert user.user_principal_name == guest_upn(email)


# --------------------------------------------------------------------------- paging
@pytest.fixture(scope="module")
def seeded_guests(control):
    """250 guests, seeded through the control API, that only this module's filter matches."""
    prefix = "pg" + uuid.uuid4().hex[:8]
    ids = {}
    for i in range(GUEST_COUNT):
        mail = f"{prefix}-{i:03d}@northwindtraders.com"
        r = control.post(
            "/users",
            json={
                "displayName": f"Paging Guest {i:03d}",
                "mail": mail,
                "userPrincipalName": guest_upn(mail),
                "userType": "Guest",
                "creationType": "Invitation",
                "externalUserState": "PendingAcceptance",
            },
        )
        assert r.status_code in (200, 201), r.text
        ids[r.json()["id"]] = mail
    assert len(ids) == GUEST_COUNT
    return prefix, ids


def paging_query(prefix: str) -> RequestConfiguration:
    return users_query(
        filter=f"userType eq 'Guest' and startswith(mail,'{prefix}-')",
        select=["id", "mail", "userType"],
        top=PAGE_SIZE,
    )


def test_page_iterator_pages_through_250_guests(graph, seeded_guests):
    prefix, expected = seeded_guests
    seen = []

    def collect(user):
        seen.append((user.id, user.mail, user.user_type))
        return True  # keep iterating

    async def flow(client):
        first = await client.users.get(request_configuration=paging_query(prefix))
        assert len(first.value) == PAGE_SIZE
        assert first.odata_next_link, "first page of 250 with $top=100 must carry @odata.nextLink"
        iterator = PageIterator(first, client.request_adapter)
        await iterator.iterate(collect)

    graph(flow)
    ids = [s[0] for s in seen]
    assert len(ids) == GUEST_COUNT
    assert len(set(ids)) == GUEST_COUNT, "duplicates across pages"
    assert set(ids) == set(expected)
    assert all(mail == expected[uid] and utype == "Guest" for uid, mail, utype in seen)


def test_next_link_following_with_top_100(graph, base_url, seeded_guests):
    prefix, expected = seeded_guests

    async def flow(client):
        pages = []
        links = []
        page = await client.users.get(request_configuration=paging_query(prefix))
        pages.append(page.value)
        while page.odata_next_link:
            links.append(page.odata_next_link)
            page = await client.users.with_url(page.odata_next_link).get()
            pages.append(page.value)
        return pages, links

    pages, links = graph(flow)
    assert [len(p) for p in pages] == [100, 100, 50]
    assert len(links) == 2
    for link in links:
        u = urlparse(link)
        assert f"{u.scheme}://{u.netloc}" == base_url, link  # absolute, on the emulator's origin
        assert u.path == "/v1.0/users", link
        q = parse_qs(u.query)
        assert q.get("$skiptoken"), link
        assert "$skip" not in q, link
    ids = [u.id for p in pages for u in p]
    assert len(set(ids)) == len(ids) == GUEST_COUNT
    assert set(ids) == set(expected)
    # $filter and $select carried over by the nextLink: every item matches and has mail selected.
    assert all(u.mail == expected[u.id] and u.user_type == "Guest" for p in pages for u in p)
