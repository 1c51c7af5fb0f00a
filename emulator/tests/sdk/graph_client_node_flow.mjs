// Microsoft's Node client (@microsoft/microsoft-graph-client v3, unchanged) against the emulator
// served over --https. It attaches the token only to https URLs of known or custom hosts.
// Usage: NODE_EXTRA_CA_CERTS=<emulator cert pem> node graph_client_node_flow.mjs https://127.0.0.1:PORT
import { Client, PageIterator } from "@microsoft/microsoft-graph-client";
import assert from "node:assert/strict";

const base = process.argv[2].replace(/\/$/, "");
const host = new URL(base).hostname;

async function control(path, body) {
  const r = await fetch(base + path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assert.ok(r.ok, `${path}: ${r.status}`);
  return r.json();
}

await control("/_emulator/reset", {});
const { access_token: token } = await control("/_emulator/tokens", {});
const client = Client.init({
  authProvider: (done) => done(null, token),
  baseUrl: base + "/",
  defaultVersion: "v1.0",
  customHosts: new Set([host]),
});

// 1. Invitation.
const inv = await client.api("/invitations").post({
  invitedUserEmailAddress: "node.user@fabrikam.com",
  inviteRedirectUrl: "https://myapps.microsoft.com",
});
assert.equal(inv.status, "PendingAcceptance");
assert.ok(inv.inviteRedeemUrl.startsWith("https://login.microsoftonline.com/redeem?rd="));
const id = inv.invitedUser.id;

// 2. $filter.
const found = await client.api("/users")
  .filter("mail eq 'node.user@fabrikam.com' or otherMails/any(x:x eq 'node.user@fabrikam.com')")
  .select(["id", "mail", "userType"]).get();
assert.equal(found.value.length, 1);
assert.equal(found.value[0].id, id);

// 3. $select=externalUserState, by id and by UPN.
const u = await client.api(`/users/${id}`).select("externalUserState").get();
assert.equal(u.externalUserState, "PendingAcceptance");
const byUpn = await client.api(`/users/${encodeURIComponent(inv.invitedUser.userPrincipalName)}`).get();
assert.equal(byUpn.id, id);

// 4. 250 guests paged with PageIterator and an advanced query.
for (let i = 0; i < 249; i++) {
  await client.api("/invitations").post({
    invitedUserEmailAddress: `npage${String(i).padStart(3, "0")}@fabrikam.com`,
    inviteRedirectUrl: "https://myapps.microsoft.com",
  });
}
const first = await client.api("/users").header("ConsistencyLevel", "eventual")
  .filter("userType eq 'Guest'").select(["id"]).count(true).get();
assert.equal(first["@odata.count"], 250);
const seen = new Set();
const it = new PageIterator(client, first, (user) => { seen.add(user.id); return true; },
  { headers: { ConsistencyLevel: "eventual" } });
await it.iterate();
assert.equal(seen.size, 250);

// Errors come back as GraphError with Graph's code.
await assert.rejects(client.api("/users/nobody@nowhere.com").get(),
  (e) => e.statusCode === 404 && e.code === "Request_ResourceNotFound");
console.log("microsoft-graph-client flow ok over https: invitation, $filter, $select, 250 guests paged");
