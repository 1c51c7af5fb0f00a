package com.entrainvite

import com.entrainvite.testing.clientConfig
import com.entrainvite.testing.startEmulator
import java.nio.file.Files
import java.time.Instant
import java.util.Collections
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.jsonArray
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
                ccRecipients = listOf("lead@contoso.com"),
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
        // rawJson is Graph's object, every property included.
        assertEquals(invitation.invitedUser?.id, json(invitation.rawJson).at("invitedUser.id").jsonPrimitive.content)
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
        assertEquals(Lookup.NotFound, client.lookup("nobody@fabrikam.com"))
        client.invite(request("sam@litware.com"))
        when (val found = client.lookup("sam@litware.com")) {
            is Lookup.Existing -> {
                assertEquals("Guest", found.user.userType)
                assertEquals("Invitation", found.user.creationType)
                assertEquals("PendingAcceptance", found.user.externalUserState)
                assertEquals("sam@litware.com", found.user.mail)
            }
            else -> error("expected an existing user, got $found")
        }
        val domain = client.lookup("newhire@contoso.com")
        assertEquals(Lookup.VerifiedDomain("contoso.com"), domain)
    }

    @Test
    fun `inviteIfAbsent invites once then reports the user`() = runBlocking<Unit> {
        val first = client.inviteIfAbsent(request("kim@fabrikam.com"))
        val invited = assertIs<InviteOutcome.Invited>(first)
        val second = client.inviteIfAbsent(request("kim@fabrikam.com"))
        val existing = assertIs<InviteOutcome.Existing>(second)
        assertEquals(invited.invitation.invitedUser?.id, existing.user.id)
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
            BulkOptions(concurrency = 4u, resultsPath = dir.resolve("results.csv").toString()),
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
        val again = client.bulkInvite(input.toString(), BulkOptions(resultsPath = dir.resolve("results.csv").toString()), null)
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
            client.bulkInvite(input.toString(), BulkOptions(), object : BulkProgress {
                override fun onResult(result: BulkResult, summary: BulkSummary) {
                    throw EntraInviteException.Internal("stop here", null, null, null, null, null, null, false)
                }
            })
        }
        assertEquals("stop here", e.detail)
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
        Client(ClientConfig(graphUrl = emu.url(), tokenProvider = provider)).use { delegated ->
            assertEquals(Lookup.NotFound, delegated.lookup("ana@fabrikam.com"))
            delegated.invite(request("ana@fabrikam.com"))
            assertIs<Lookup.Existing>(delegated.lookup("ana@fabrikam.com"))
        }
        assertEquals(1, calls, "the token is cached until shortly before it expires")
    }

    @Test
    fun `a failing token provider fails the call`() = runBlocking<Unit> {
        val provider = object : TokenProvider {
            override suspend fun token(): ProvidedToken =
                throw EntraInviteException.Auth("user session expired", null, null, null, null, null, null, false)
        }
        Client(ClientConfig(graphUrl = emu.url(), tokenProvider = provider)).use { delegated ->
            val e = assertFailsWith<EntraInviteException.Auth> { delegated.lookup("ana@fabrikam.com") }
            assertTrue(e.detail.contains("tokenProvider"), e.detail)
            assertTrue(e.detail.contains("user session expired"), e.detail)
        }
        assertEquals(0L, counter("totalRequests"))
    }

    @Test
    fun `a fixed access token`() = runBlocking<Unit> {
        val t = json(emu.control("POST", "tokens", "{}")).at("access_token").jsonPrimitive.content
        Client(ClientConfig(graphUrl = emu.url(), token = Secret(t))).use { c ->
            assertEquals(Lookup.NotFound, c.lookup("fixed@fabrikam.com"))
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
                assertEquals(Lookup.NotFound, c.lookup("tls@fabrikam.com"))
                assertTrue(c.graphBase().startsWith("https://127.0.0.1:"))
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
        assertEquals("credential", e.field)
    }

    @Test
    fun `a configuration mistake is InvalidInput before any request`() {
        val e = assertFailsWith<EntraInviteException.InvalidInput> {
            Client(ClientConfig(tenant = "contoso.onmicrosoft.com", clientId = "x", clientSecret = Secret("y"), graphUrl = "http://example.com"))
        }
        assertEquals("graph_url", e.field)
        assertNull(e.status)
    }
}
