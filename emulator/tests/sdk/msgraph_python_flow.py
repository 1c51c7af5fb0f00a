"""Microsoft's Python SDK (msgraph-sdk, unchanged) against the emulator.

Usage: python msgraph_python_flow.py BASE_URL
Creates an invitation, lists users with a $filter, reads a user with $select=externalUserState,
and pages through 250 guests with the SDK's PageIterator. Exits non-zero on any mismatch.
"""

import asyncio
import json
import sys
import urllib.request
from urllib.parse import urlparse


def control(base, path, body):
    req = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


async def main(base):
    from kiota_abstractions.authentication import (
        AccessTokenProvider, AllowedHostsValidator, BaseBearerTokenAuthenticationProvider)
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph.generated.models.invitation import Invitation
    from msgraph.generated.models.invited_user_message_info import InvitedUserMessageInfo
    from msgraph.generated.models.recipient import Recipient
    from msgraph.generated.models.email_address import EmailAddress
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder
    from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
    from msgraph_core.tasks.page_iterator import PageIterator

    control(base, "/_emulator/reset", {})
    token = control(base, "/_emulator/tokens", {})["access_token"]
    host = urlparse(base).hostname

    class StaticTokenProvider(AccessTokenProvider):
        def __init__(self):
            self._hosts = AllowedHostsValidator([host])

        async def get_authorization_token(self, uri, additional_authentication_context={}):
            return token if self._hosts.is_url_host_valid(uri) else ""

        def get_allowed_hosts_validator(self):
            return self._hosts

    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticTokenProvider()))
    adapter.base_url = base + "/v1.0"
    client = GraphServiceClient(request_adapter=adapter)

    # 1. Invitation.
    inv = await client.invitations.post(Invitation(
        invited_user_email_address="sdk.user@fabrikam.com",
        invited_user_display_name="SDK User",
        invite_redirect_url="https://myapps.microsoft.com",
        send_invitation_message=True,
        invited_user_message_info=InvitedUserMessageInfo(
            message_language="en-US", customized_message_body="Hello",
            cc_recipients=[Recipient(email_address=EmailAddress(address="cc@contoso.com"))]),
    ))
    assert inv.status == "PendingAcceptance", inv.status
    assert inv.invited_user.id, "invited user id"
    assert inv.invite_redeem_url.startswith("https://login.microsoftonline.com/redeem?rd="), inv.invite_redeem_url
    assert inv.invited_user_type == "Guest"
    user_id = inv.invited_user.id

    # 2. List with $filter.
    QP = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters
    res = await client.users.get(request_configuration=RequestConfiguration(query_parameters=QP(
        filter="mail eq 'sdk.user@fabrikam.com' or otherMails/any(x:x eq 'sdk.user@fabrikam.com')",
        select=["id", "mail", "userType", "externalUserState"])))
    assert len(res.value) == 1 and res.value[0].id == user_id, res.value
    assert res.value[0].user_type == "Guest"

    # 3. One user with $select=externalUserState.
    IQP = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters
    u = await client.users.by_user_id(user_id).get(request_configuration=RequestConfiguration(
        query_parameters=IQP(select=["externalUserState", "externalUserStateChangeDateTime"])))
    assert u.external_user_state == "PendingAcceptance", u.external_user_state
    assert u.external_user_state_change_date_time is not None
    # ... and by UPN (the SDK encodes '#').
    u2 = await client.users.by_user_id(inv.invited_user.user_principal_name).get()
    assert u2.id == user_id

    # 4. 250 guests, paged (100 per page) with the SDK's PageIterator and an advanced query.
    for i in range(249):
        await client.invitations.post(Invitation(
            invited_user_email_address=f"page{i:03d}@fabrikam.com",
            invite_redirect_url="https://myapps.microsoft.com"))
    cfg = RequestConfiguration(query_parameters=QP(
        filter="userType eq 'Guest'", select=["id", "mail"], count=True))
    cfg.headers.add("ConsistencyLevel", "eventual")
    first = await client.users.get(request_configuration=cfg)
    assert first.odata_count == 250, first.odata_count
    seen = []

    def collect(user):
        seen.append(user.id)
        return True

    it = PageIterator(first, adapter)
    it.headers.add("ConsistencyLevel", "eventual")  # set_headers() is broken in msgraph-core
    await it.iterate(collect)
    assert len(seen) == 250 and len(set(seen)) == 250, len(seen)
    await adapter._http_client.aclose()
    print("msgraph-sdk flow ok: invitation, $filter, $select=externalUserState, 250 guests paged")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1].rstrip("/")))
