package com.entrainvite

import com.entrainvite.models.*
import com.entrainvite.testing.clientConfig
import com.entrainvite.testing.startEmulator
import java.nio.file.Files
import java.time.Instant
import java.util.Collections
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test

/** Every operation of the client against the emulator. */
class ClientTest : EmulatorTest() {
    @Test
    fun `invite returns Graph's invitation and the guest`() = runBlocking<Unit> {
        val invitation = client.invite(
            InvitationRequest(
                invitedUserEmailAddress = "taylor@fabrikam.com",
                inviteRedirectUrl = "https://myapps.microsoft.com/",
                invitedUserDisplayName = "Taylor Kim",
                sendInvitationMessage = true,
                customizedMessageBody = "Welcome aboard",
                ccRecipients = listOf(CcRecipient("lead@contoso.com")),
                invitedUserType = UserType.GUEST,
            )
        )
        println("Invited ${invitation.invitedUser?.id}: ${invitation.inviteRedeemUrl}")
        assertEquals("taylor@fabrikam.com", invitation.invitedUserEmailAddress)
        assertEquals("Taylor Kim", invitation.invitedUserDisplayName)
        assertEquals("Guest", invitation.invitedUserType)
        assertEquals("PendingAcceptance", invitation.status)
        assertTrue(invitation.inviteRedeemUrl!!.startsWith("https://login.microsoftonline.com/redeem?rd="))
        assertEquals("taylor_fabrikam.com#EXT#@contoso.onmicrosoft.com", invitation.invitedUser?.userPrincipalName)
        assertEquals("Welcome aboard", invitation.invitedUserMessageInfo?.customizedMessageBody)
        assertEquals("lead@contoso.com", invitation.invitedUserMessageInfo?.ccRecipients?.single()?.emailAddress?.address)
        // extra holds Graph's properties this library does not model, as a JSON object.
        assertTrue(json(invitation.extra).jsonObject.containsKey("@odata.context"), invitation.extra)
        val mail = json(emu.outbox()).jsonArray.single()
        assertEquals("taylor@fabrikam.com", mail.at("to").jsonPrimitive.content)
        assertEquals("lead@contoso.com", mail.at("cc").jsonArray.single().jsonPrimitive.content)
    }

    @Test
    fun `invite as a member`() = runBlocking<Unit> {
        val inv = client.invite(InvitationRequest("pat@fabrikam.com", REDIRECT, invitedUserType = UserType.MEMBER))
        assertEquals("Member", inv.invitedUserType)
    }

    @Test
    fun `lookup finds nothing, a user, or a verified domain`() = runBlocking<Unit> {
        assertEquals(Lookup(exists = false, user = null, verifiedDomain = null), client.lookup("nobody@fabrikam.com"))
        client.invite(request("sam@litware.com"))
        val found = client.lookup("sam@litware.com")
        assertTrue(found.exists, "expected an existing user, got $found")
        val user = found.user!!
        assertEquals("Guest", user.userType)
        assertEquals("Invitation", user.creationType)
        assertEquals("PendingAcceptance", user.externalUserState)
        assertEquals("sam@litware.com", user.mail)
        val domain = client.lookup("newhire@contoso.com")
        assertFalse(domain.exists)
        assertEquals("contoso.com", domain.verifiedDomain)
    }

    @Test
    fun `inviteIfAbsent invites once then reports the user`() = runBlocking<Unit> {
        val first = client.inviteIfAbsent(request("kim@fabrikam.com"))
        assertTrue(first.invited)
        assertNull(first.user)
        val second = client.inviteIfAbsent(request("kim@fabrikam.com"))
        assertFalse(second.invited)
        assertNull(second.invitation)
        assertEquals(first.invitation!!.invitedUser?.id, second.user!!.id)
        assertEquals(1L, counter("invitationsCreated"))
    }

    @Test
    fun `status follows redemption, by id and by email`() = runBlocking<Unit> {
        val inv = client.invite(request("lee@northwind.com"))
        val id = inv.invitedUser!!.id!!
        val pending = client.status(id)
        assertEquals(ExternalUserState.PENDING_ACCEPTANCE, pending.state)
        assertEquals("lee@northwind.com", pending.email)
        assertNotNull(pending.changedAt)
        emu.redeem("lee@northwind.com")
        val accepted = client.status("lee@northwind.com")
        assertEquals(ExternalUserState.ACCEPTED, accepted.state)
        assertEquals("Accepted", accepted.rawState)
        assertEquals(id, accepted.userId)
        assertTrue(accepted.changedAt!! > Instant.now().minusSeconds(300))
    }

    @Test
    fun `guests lists every page and filters by state`() = runBlocking<Unit> {
        for (i in 1..5) client.invite(request("g$i@fabrikam.com"))
        emu.redeem("g1@fabrikam.com")
        assertEquals(5, client.guests(null).size)
        assertEquals(listOf("g1@fabrikam.com"), client.guests(ExternalUserState.ACCEPTED).map { it.email })
        assertEquals(4, client.guests(ExternalUserState.PENDING_ACCEPTANCE).size)
        // Page by page, two at a time: three requests.
        val pager = client.guestPages(null, 2u)
        val seen = mutableListOf<String?>()
        var pages = 0
        while (true) {
            val page = pager.nextPage() ?: break
            pages++
            seen += page.map { it.email }
        }
        assertEquals(3, pages)
        assertEquals((1..5).map { "g$it@fabrikam.com" }.sortedBy { it }, seen.filterNotNull().sorted())
        assertEquals(5uL, pager.total())
    }

    @Test
    fun `resetRedemption keeps the user and issues a new link`() = runBlocking<Unit> {
        val first = client.invite(request("alex@fabrikam.com"))
        emu.redeem("alex@fabrikam.com")
        val reset = client.resetRedemption("alex@fabrikam.com", request("alex@litware.com"))
        assertEquals(first.invitedUser?.id, reset.invitedUser?.id)
        assertEquals(true, reset.resetRedemption)
        assertTrue(reset.inviteRedeemUrl != first.inviteRedeemUrl)
        val status = client.status(first.invitedUser!!.id!!)
        assertEquals(ExternalUserState.PENDING_ACCEPTANCE, status.state)
    }

    @Test
    fun `bulkInvite reports every row and returns the counts`() = runBlocking<Unit> {
        client.invite(request("already@fabrikam.com"))
        val dir = Files.createTempDirectory("entra-invite-bulk")
        val input = dir.resolve("guests.csv")
        Files.writeString(
            input,
            "email,redirectUrl,displayName\n" +
                "one@fabrikam.com,https://myapps.microsoft.com/,One\n" +
                "two@fabrikam.com,https://myapps.microsoft.com/,Two\n" +
                "already@fabrikam.com,https://myapps.microsoft.com/,Again\n" +
                "not-an-address,https://myapps.microsoft.com/,Bad\n",
        )
        val seen = Collections.synchronizedList(mutableListOf<BulkResult>())
        val threads = Collections.synchronizedSet(mutableSetOf<String>())
        val summary = client.bulkInvite(
            input.toString(),
            BulkOptions(concurrency = 4uL, results = dir.resolve("results.csv").toString(), settleTimeout = SETTLE),
            object : BulkProgress {
                override fun onResult(result: BulkResult, summary: BulkSummary) {
                    seen += result
                    threads += nativeThreadName()
                }
            },
        )
        assertEquals(
            BulkSummary(
                invited = 2u, existing = 1u, failed = 0u, invalid = 1u, valid = 0u, resumed = 0u,
                inputChanged = false, added = 0u, fixed = 0u, removed = 0u,
            ),
            summary,
        )
        assertEquals(4, seen.size)
        assertEquals(BulkOutcome.INVALID, seen.single { it.email == "not-an-address" }.outcome)
        assertNotNull(seen.single { it.email == "one@fabrikam.com" }.redeemUrl)
        // The callback is called from the runtime's own threads.
        assertEquals(setOf("entra-invite-rt"), threads.toSet())
        // A second run with the same results file redoes nothing: the settled rows are resumed, the
        // invalid one is reported again (nothing about an invalid row is resumed).
        val again = client.bulkInvite(input.toString(), BulkOptions(results = dir.resolve("results.csv").toString(), settleTimeout = SETTLE), null)
        assertEquals(3uL, again.resumed)
        assertEquals(1uL, again.invalid)
        assertEquals(0uL, again.invited)
        assertEquals(3L, counter("invitationsCreated"))
    }

    @Test
    fun `a progress callback that throws stops the run with its error`() = runBlocking<Unit> {
        val dir = Files.createTempDirectory("entra-invite-bulk")
        val input = dir.resolve("guests.csv")
        Files.writeString(input, "email,redirectUrl\na@fabrikam.com,https://myapps.microsoft.com/\n")
        val e = assertFailsWith<EntraInviteException.Internal> {
            client.bulkInvite(input.toString(), BulkOptions(settleTimeout = SETTLE), object : BulkProgress {
                override fun onResult(result: BulkResult, summary: BulkSummary) {
                    throw EntraInviteException.Internal(ErrorDetails(ErrorKind.INTERNAL, "stop here"))
                }
            })
        }
        assertEquals("stop here", e.details.message)
    }

    @Test
    fun `a token provider supplies the tokens (delegated mode)`() = runBlocking<Unit> {
        var calls = 0
        val provider = object : TokenProvider {
            override suspend fun token(): ProvidedToken {
                calls++
                val t = json(emu.control("POST", "tokens", "{}")).at("access_token").jsonPrimitive.content
                return ProvidedToken(token = Secret(t), expiresOn = Instant.now().plusSeconds(3600))
            }
        }
        Client(ClientOptions(graphUrl = emu.url(), tokenProvider = provider)).use { delegated ->
            assertFalse(delegated.lookup("ana@fabrikam.com").exists)
            delegated.invite(request("ana@fabrikam.com"))
            assertTrue(delegated.lookup("ana@fabrikam.com").exists)
        }
        assertEquals(1, calls, "the token is cached until shortly before it expires")
    }

    @Test
    fun `a failing token provider fails the call`() = runBlocking<Unit> {
        val provider = object : TokenProvider {
            override suspend fun token(): ProvidedToken =
                throw EntraInviteException.Auth(ErrorDetails(ErrorKind.AUTH, "user session expired"))
        }
        Client(ClientOptions(graphUrl = emu.url(), tokenProvider = provider)).use { delegated ->
            val e = assertFailsWith<EntraInviteException.Auth> { delegated.lookup("ana@fabrikam.com") }
            assertTrue(e.details.message.contains("tokenProvider"), e.details.message)
            assertTrue(e.details.message.contains("user session expired"), e.details.message)
        }
        assertEquals(0L, counter("totalRequests"))
    }

    @Test
    fun `a fixed access token`() = runBlocking<Unit> {
        val t = json(emu.control("POST", "tokens", "{}")).at("access_token").jsonPrimitive.content
        Client(ClientOptions(graphUrl = emu.url(), token = Secret(t))).use { c ->
            assertFalse(c.lookup("fixed@fabrikam.com").exists)
            assertEquals("", c.tenant())
        }
    }

    @Test
    fun `https with the emulator's own certificate`() = runBlocking<Unit> {
        val secure = startEmulator(true)
        try {
            val config = secure.clientConfig()
            assertTrue(config.graphUrl!!.startsWith("https://"))
            assertNotNull(config.caCertPem)
            Client(config).use { c ->
                assertFalse(c.lookup("tls@fabrikam.com").exists)
                assertTrue(c.graphUrl().startsWith("https://127.0.0.1:"))
                assertEquals("contoso.onmicrosoft.com", c.tenant())
            }
            // Without the certificate the server is not trusted.
            Client(config.copy(caCertPem = null)).use { c ->
                assertFailsWith<EntraInviteException.Network> { c.lookup("tls@fabrikam.com") }
            }
        } finally {
            secure.stop()
        }
    }

    @Test
    fun `fromEnv without any credential names what is missing`() {
        assumeTrue(System.getenv("AZURE_CLIENT_ID") == null && System.getenv("AZURE_TENANT_ID") == null)
        val e = assertFailsWith<EntraInviteException.InvalidInput> { Client.fromEnv() }
        assertEquals("credential", e.details.field)
    }

    @Test
    fun `a configuration mistake is InvalidInput before any request`() {
        val e = assertFailsWith<EntraInviteException.InvalidInput> {
            Client(ClientOptions(tenant = "contoso.onmicrosoft.com", clientId = "x", clientSecret = Secret("y"), graphUrl = "http://example.com"))
        }
        assertEquals("graph_url", e.details.field)
        assertNull(e.details.status)
    }
}
