// Microsoft's Node Graph client (@microsoft/microsoft-graph-client v3) against the Graph emulator.
//
// The client is used unchanged, with its default middleware chain (Authentication, Retry,
// Redirect, Telemetry, HTTPMessage) and Node's global fetch. It only attaches the bearer token to
// https:// URLs whose host is Graph's or listed in `customHosts`, so the emulator is served over
// https (`graph-emulator --https <pem>`) and Node trusts its self-signed certificate through
// NODE_EXTRA_CA_CERTS (set by run.sh from GRAPH_EMULATOR_CA). No fetch wrapper, no scheme swap.
//
// Environment:
//   GRAPH_EMULATOR_URL  https base URL printed by `graph-emulator --https ...` ("listening on <url>")
//   GRAPH_EMULATOR_CA   the PEM the emulator wrote (informational; Node reads NODE_EXTRA_CA_CERTS)

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import graphClient from "@microsoft/microsoft-graph-client";

const { Client, PageIterator, GraphError } = graphClient;

// Emulator defaults (emulator/CONTROL_API.md).
const TENANT_ID = "5b1fa6c9-1c6b-4c3b-9d4c-7f2a8d5e0c11";
const INITIAL_DOMAIN = "contoso.onmicrosoft.com";
const VERIFIED_DOMAIN = "contoso.com";

const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const GUID_RE = new RegExp(`^${GUID}$`);
// research/graph-api.md §1.4: login.microsoftonline.com/redeem?rd=<lower-hex-escaped
// https://invitations.microsoft.com/redeem/?tenant=..&user=..&ticket=..&ver=2.0>
const REDEEM_URL_RE = new RegExp(
  "^https://login\\.microsoftonline\\.com/redeem\\?rd=" +
    "https%3a%2f%2finvitations\\.microsoft\\.com%2fredeem%2f%3f" +
    `tenant%3d(?<tenant>${GUID})` +
    `%26user%3d(?<user>${GUID})` +
    "%26ticket%3d(?<ticket>[A-Za-z0-9%._-]+)" +
    "%26ver%3d2\\.0$",
);

const GUEST_COUNT = 250;
const PAGE_SIZE = 100;

const BASE_URL = (process.env.GRAPH_EMULATOR_URL || "").replace(/\/+$/, "");

const tag = () => "t" + randomUUID().replaceAll("-", "").slice(0, 10);
const guestUpn = (email) => {
  const [local, domain] = email.split("@");
  return `${local}_${domain}#EXT#@${INITIAL_DOMAIN}`;
};

// Control API (not Graph, so plain fetch): JSON in, JSON out.
async function control(method, path, body) {
  let res;
  try {
    res = await fetch(`${BASE_URL}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new Error(`${method} ${BASE_URL}/_emulator${path}: ${e.message} (${e.cause?.code ?? e.cause ?? "no cause"})`);
  }
  const text = await res.text();
  assert.ok(res.ok, `${method} /_emulator${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Set up once, lazily, from inside the first test that needs it (rather than in a `before` hook,
// whose failure node:test reports as cancelled tests rather than failed ones).
let clientPromise;
function graph() {
  clientPromise ??= (async () => {
    assert.ok(BASE_URL, "GRAPH_EMULATOR_URL is not set (run tests/sdk-compat/run.sh)");
    const url = new URL(BASE_URL);
    assert.equal(url.protocol, "https:", "this client sends its token only over https: start the emulator with --https");
    const { access_token: token, expires_in: expiresIn } = await control("POST", "/tokens", {});
    assert.equal(token.split(".").length, 3, "a JWT");
    assert.ok(expiresIn > 0);
    return Client.init({
      authProvider: (done) => done(null, token),
      baseUrl: `${BASE_URL}/`,
      defaultVersion: "v1.0",
      // Non-Graph hosts get no Authorization header unless listed here (hostname only).
      customHosts: new Set([url.hostname]),
    });
  })();
  return clientPromise;
}

const invite = async (email, extra = {}) =>
  (await graph()).api("/invitations").post({
    invitedUserEmailAddress: email,
    inviteRedirectUrl: "https://myapp.contoso.com",
    ...extra,
  });

async function expectGraphError(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof GraphError, `expected a GraphError, got ${e}`);
    return e;
  }
  assert.fail("expected the request to fail");
}

describe("invitation", () => {
  test("creates an invitation with a redeem URL and the invited user", async () => {
    const email = `${tag()}.taylor@fabrikam.com`;
    const inv = await invite(email, {
      invitedUserDisplayName: "Taylor",
      sendInvitationMessage: false,
      invitedUserMessageInfo: { messageLanguage: "en-US", customizedMessageBody: "Welcome" },
    });

    assert.match(inv["@odata.context"], /\/v1\.0\/\$metadata#invitations\/\$entity$/);
    assert.match(inv.id, GUID_RE);
    assert.equal(inv.invitedUserEmailAddress, email);
    assert.equal(inv.invitedUserDisplayName, "Taylor");
    assert.equal(inv.inviteRedirectUrl.replace(/\/$/, ""), "https://myapp.contoso.com");
    assert.equal(inv.invitedUserType, "Guest");
    assert.equal(inv.sendInvitationMessage, false);
    assert.equal(inv.resetRedemption, false);
    assert.equal(inv.status, "PendingAcceptance");

    const m = REDEEM_URL_RE.exec(inv.inviteRedeemUrl);
    assert.ok(m, `redeem URL has not the documented shape: ${inv.inviteRedeemUrl}`);
    assert.equal(m.groups.tenant, TENANT_ID);
    const inner = new URL(new URL(inv.inviteRedeemUrl).searchParams.get("rd"));
    assert.equal(`${inner.origin}${inner.pathname}`, "https://invitations.microsoft.com/redeem/");
    assert.equal(inner.searchParams.get("tenant"), TENANT_ID);
    assert.equal(inner.searchParams.get("ver"), "2.0");
    assert.ok(inner.searchParams.get("ticket"));

    assert.match(inv.invitedUser.id, GUID_RE);
    assert.notEqual(inv.invitedUser.id, inv.id);
    assert.equal(inv.invitedUser.userPrincipalName, guestUpn(email));
  });

  test("the invited user exists as a guest", async () => {
    const client = await graph();
    const email = `${tag()}.sam@fabrikam.com`;
    const inv = await invite(email);
    const user = await client
      .api(`/users/${inv.invitedUser.id}`)
      .select(["id", "userPrincipalName", "mail", "userType", "creationType", "proxyAddresses"])
      .get();
    assert.equal(user.id, inv.invitedUser.id);
    assert.equal(user.userPrincipalName, guestUpn(email));
    assert.equal(user.mail, email);
    assert.equal(user.userType, "Guest");
    assert.equal(user.creationType, "Invitation");
    assert.deepEqual(user.proxyAddresses, [`SMTP:${email}`]);
  });

  test("re-inviting the same guest keeps the user id and issues a new ticket", async () => {
    const email = `${tag()}.again@fabrikam.com`;
    const first = await invite(email);
    const second = await invite(email);
    assert.equal(second.invitedUser.id, first.invitedUser.id);
    assert.notEqual(second.id, first.id);
    const t1 = REDEEM_URL_RE.exec(first.inviteRedeemUrl).groups.ticket;
    const t2 = REDEEM_URL_RE.exec(second.inviteRedeemUrl).groups.ticket;
    assert.notEqual(t1, t2);
  });

  test("Graph errors surface as GraphError with code and request id", async () => {
    const client = await graph();
    const verified = await expectGraphError(invite(`${tag()}@${VERIFIED_DOMAIN}`));
    assert.equal(verified.statusCode, 400);
    assert.equal(verified.code, "BadRequest");
    assert.match(verified.message, /is a verified domain of this directory/);
    assert.match(verified.requestId ?? "", GUID_RE);

    const missing = await expectGraphError(client.api(`/users/${randomUUID()}`).get());
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, "Request_ResourceNotFound");
    assert.match(missing.requestId ?? "", GUID_RE);
  });
});

describe("$filter", () => {
  test("mail eq finds exactly the invited guest", async () => {
    const client = await graph();
    const t = tag();
    const email = `${t}.filter@fabrikam.com`;
    const inv = await invite(email);
    await invite(`${t}.other@fabrikam.com`);
    const res = await client.api("/users").filter(`mail eq '${email}'`).get();
    assert.match(res["@odata.context"], /\/v1\.0\/\$metadata#users$/);
    assert.deepEqual(res.value.map((u) => u.id), [inv.invitedUser.id]);
    assert.equal(res.value[0].mail, email);
    assert.equal(res.value[0].userPrincipalName, guestUpn(email));
    assert.equal(res["@odata.nextLink"], undefined);
  });

  test("the documented lookup with any() lambdas and or", async () => {
    const client = await graph();
    const t = tag();
    const email = `${t}.lookup@fabrikam.com`;
    const lookup = (e) =>
      `userPrincipalName eq '${e}' or mail eq '${e}' ` +
      `or proxyAddresses/any(x:x eq 'SMTP:${e}') or otherMails/any(x:x eq '${e}')`;
    const inv = await invite(email);
    const hit = await client.api("/users").filter(lookup(email)).get();
    assert.deepEqual(hit.value.map((u) => u.id), [inv.invitedUser.id]);
    const miss = await client.api("/users").filter(lookup(`${t}.nobody@fabrikam.com`)).get();
    assert.deepEqual(miss.value, []);
  });

  test("string literal with a doubled quote", async () => {
    const client = await graph();
    const email = `${tag()}.o'neil@fabrikam.com`;
    const inv = await invite(email);
    const res = await client
      .api("/users")
      .filter(`mail eq '${email.replaceAll("'", "''")}'`)
      .select(["id", "mail"])
      .get();
    assert.deepEqual(res.value.map((u) => [u.id, u.mail]), [[inv.invitedUser.id, email]]);
  });

  test("an advanced query needs ConsistencyLevel: eventual and $count=true", async () => {
    const client = await graph();
    const domain = `${tag()}.example`;
    const filter = `endswith(mail,'@${domain}')`;
    const invited = [];
    for (const name of ["ana", "ben", "cai"]) invited.push(await invite(`${name}@${domain}`));
    const res = await client
      .api("/users")
      .header("ConsistencyLevel", "eventual")
      .filter(filter)
      .count(true)
      .select(["id", "mail"])
      .get();
    assert.equal(res["@odata.count"], 3);
    assert.deepEqual(res.value.map((u) => u.id).sort(), invited.map((i) => i.invitedUser.id).sort());
    const plain = await expectGraphError(client.api("/users").filter(filter).get());
    assert.equal(plain.statusCode, 400);
    assert.equal(plain.code, "Request_UnsupportedQuery");
  });
});

describe("$select=externalUserState", () => {
  test("a new guest is PendingAcceptance, and only when selected", async () => {
    const client = await graph();
    const inv = await invite(`${tag()}.state@fabrikam.com`);
    const plain = await client.api(`/users/${inv.invitedUser.id}`).get();
    assert.equal(plain.id, inv.invitedUser.id);
    assert.equal(plain.externalUserState, undefined);

    const selected = await client
      .api(`/users/${inv.invitedUser.id}`)
      .select(["id", "externalUserState", "externalUserStateChangeDateTime"])
      .get();
    assert.equal(selected.id, inv.invitedUser.id);
    assert.equal(selected.externalUserState, "PendingAcceptance");
    assert.ok(!Number.isNaN(Date.parse(selected.externalUserStateChangeDateTime)), selected.externalUserStateChangeDateTime);
    assert.equal(selected.userPrincipalName, undefined);
    assert.equal(selected.displayName, undefined);
  });

  test("in a filtered list", async () => {
    const client = await graph();
    const email = `${tag()}.liststate@fabrikam.com`;
    const inv = await invite(email);
    const res = await client
      .api("/users")
      .filter(`mail eq '${email}'`)
      .select(["id", "mail", "externalUserState"])
      .get();
    assert.deepEqual(res.value.map((u) => [u.id, u.externalUserState]), [[inv.invitedUser.id, "PendingAcceptance"]]);
  });

  test("Accepted after redemption", async () => {
    const client = await graph();
    const inv = await invite(`${tag()}.redeemed@fabrikam.com`);
    await control("POST", "/redeem", { userId: inv.invitedUser.id });
    const user = await client
      .api(`/users/${inv.invitedUser.id}`)
      .select(["id", "externalUserState", "externalUserStateChangeDateTime"])
      .get();
    assert.equal(user.externalUserState, "Accepted");
    assert.ok(!Number.isNaN(Date.parse(user.externalUserStateChangeDateTime)));
  });

  test("a guest read by its #EXT# UPN", async () => {
    const client = await graph();
    const email = `${tag()}.byupn@fabrikam.com`;
    const inv = await invite(email);
    const upn = inv.invitedUser.userPrincipalName;
    const user = await client.api(`/users/${encodeURIComponent(upn)}`).get();
    assert.equal(user.id, inv.invitedUser.id);
    assert.equal(user.userPrincipalName, guestUpn(email));
  });
});

describe("paging through 250 guests", () => {
  let prefix;
  const expected = new Map(); // id -> mail

  let seeded;
  // 250 guests through the control API, matched only by this suite's filter; seeded once, lazily.
  const seed = () =>
    (seeded ??= (async () => {
      prefix = "pg" + randomUUID().replaceAll("-", "").slice(0, 8);
      for (let i = 0; i < GUEST_COUNT; i++) {
        const n = String(i).padStart(3, "0");
        const mail = `${prefix}-${n}@northwindtraders.com`;
        const user = await control("POST", "/users", {
          displayName: `Paging Guest ${n}`,
          mail,
          userPrincipalName: guestUpn(mail),
          userType: "Guest",
          creationType: "Invitation",
          externalUserState: "PendingAcceptance",
        });
        expected.set(user.id, mail);
      }
      assert.equal(expected.size, GUEST_COUNT);
    })());

  const firstPage = async () => {
    const client = await graph();
    await seed();
    return client
      .api("/users")
      .filter(`userType eq 'Guest' and startswith(mail,'${prefix}-')`)
      .select(["id", "mail", "userType"])
      .top(PAGE_SIZE)
      .get();
  };

  test("PageIterator visits 250 guests once each", async () => {
    const client = await graph();
    const first = await firstPage();
    assert.equal(first.value.length, PAGE_SIZE);
    assert.ok(first["@odata.nextLink"], "first page of 250 with $top=100 must carry @odata.nextLink");
    const seen = [];
    const iterator = new PageIterator(client, first, (user) => {
      seen.push(user);
      return true; // keep going
    });
    await iterator.iterate();
    assert.equal(iterator.isComplete(), true);
    const ids = seen.map((u) => u.id);
    assert.equal(ids.length, GUEST_COUNT);
    assert.equal(new Set(ids).size, GUEST_COUNT, "duplicates across pages");
    assert.deepEqual(new Set(ids), new Set(expected.keys()));
    for (const u of seen) {
      assert.equal(u.mail, expected.get(u.id));
      assert.equal(u.userType, "Guest");
    }
  });

  test("nextLinks are absolute, on the emulator, with $skiptoken, pages 100/100/50", async () => {
    const client = await graph();
    const pages = [];
    const links = [];
    let page = await firstPage();
    pages.push(page.value);
    while (page["@odata.nextLink"]) {
      const link = page["@odata.nextLink"];
      links.push(link);
      page = await client.api(link).get();
      pages.push(page.value);
    }
    assert.deepEqual(pages.map((p) => p.length), [100, 100, 50]);
    assert.equal(links.length, 2);
    for (const link of links) {
      const u = new URL(link);
      assert.equal(u.origin, BASE_URL, link);
      assert.equal(u.pathname, "/v1.0/users", link);
      assert.ok(u.searchParams.get("$skiptoken"), link);
      assert.equal(u.searchParams.has("$skip"), false, link);
    }
    const ids = pages.flat().map((u) => u.id);
    assert.equal(ids.length, GUEST_COUNT);
    assert.equal(new Set(ids).size, GUEST_COUNT);
    assert.deepEqual(new Set(ids), new Set(expected.keys()));
  });
});
