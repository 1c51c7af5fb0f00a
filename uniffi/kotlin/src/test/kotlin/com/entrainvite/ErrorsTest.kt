package com.entrainvite

import com.entrainvite.testing.clientConfig
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test

/** Each error kind is its own exception class, with Graph's details as properties. */
class ErrorsTest : EmulatorTest() {
    @Test
    fun `InvalidInput names the field and sends nothing`() = runBlocking<Unit> {
        val before = counter("totalRequests")
        val e = assertFailsWith<EntraInviteException.InvalidInput> {
            client.invite(InvitationRequest("not-an-address", REDIRECT))
        }
        assertEquals("invitedUserEmailAddress", e.field)
        assertEquals("InvalidInput", e.kind())
        assertTrue(e.detail.isNotEmpty())
        val cc = assertFailsWith<EntraInviteException.InvalidInput> {
            client.invite(InvitationRequest("a@fabrikam.com", REDIRECT, ccRecipients = listOf("b@fabrikam.com", "c@fabrikam.com")))
        }
        assertEquals("ccRecipients", cc.field)
        val url = assertFailsWith<EntraInviteException.InvalidInput> {
            client.invite(InvitationRequest("a@fabrikam.com", "http://myapps.microsoft.com/"))
        }
        assertEquals("inviteRedirectUrl", url.field)
        assertEquals(before, counter("totalRequests"))
    }

    @Test
    fun `Auth carries the token endpoint's code`() = runBlocking<Unit> {
        Client(emu.clientConfig().copy(clientSecret = Secret("not-the-secret"))).use { wrong ->
            val e = assertFailsWith<EntraInviteException.Auth> { wrong.lookup("taylor@fabrikam.com") }
            assertEquals("invalid_client", e.code)
            assertEquals(401.toUShort(), e.status)
        }
    }

    @Test
    fun `PermissionDenied for an app that may not invite`() = runBlocking<Unit> {
        val config = emu.clientConfig().copy(clientId = emu.readonlyClientId(), clientSecret = Secret(emu.readonlyClientSecret()))
        Client(config).use { readonly ->
            val e = assertFailsWith<EntraInviteException.PermissionDenied> {
                readonly.invite(InvitationRequest("taylor@fabrikam.com", REDIRECT))
            }
            assertEquals("Unauthorized", e.code)
            assertNotNull(e.status)
            assertNotNull(e.requestId)
            assertNotNull(e.clientRequestId)
        }
    }

    @Test
    fun `NotFound by id and by email`() = runBlocking<Unit> {
        val byId = assertFailsWith<EntraInviteException.NotFound> { client.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000") }
        assertEquals("Request_ResourceNotFound", byId.code)
        assertEquals(404.toUShort(), byId.status)
        assertFailsWith<EntraInviteException.NotFound> { client.status("ghost@fabrikam.com") }
    }

    @Test
    fun `AlreadyExists for an internal member's address`() = runBlocking<Unit> {
        emu.addUser("""{"displayName": "Morgan", "mail": "morgan@fabrikam.com", "userPrincipalName": "morgan@contoso.onmicrosoft.com", "userType": "Member"}""")
        val e = assertFailsWith<EntraInviteException.AlreadyExists> {
            client.invite(InvitationRequest("morgan@fabrikam.com", REDIRECT))
        }
        assertNotNull(e.status)
    }

    @Test
    fun `VerifiedDomain when inviting the tenant's own domain`() = runBlocking<Unit> {
        assertFailsWith<EntraInviteException.VerifiedDomain> {
            client.invite(InvitationRequest("newhire@contoso.com", REDIRECT))
        }
    }

    @Test
    fun `Throttled with Graph's code and the wait`() = runBlocking<Unit> {
        emu.setFaults("""{"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 429, "times": 5, "retryAfter": "1"}]}""")
        Client(emu.clientConfig().copy(maxRetries = 1u)).use { c ->
            val e = assertFailsWith<EntraInviteException.Throttled> { c.invite(InvitationRequest("taylor@fabrikam.com", REDIRECT)) }
            assertEquals("TooManyRequests", e.code)
            assertEquals(429.toUShort(), e.status)
            assertEquals(Duration.ofSeconds(1), e.retryAfter)
        }
    }

    @Test
    fun `Service after 5xx beyond the retries`() = runBlocking<Unit> {
        emu.setFaults("""{"scripted": [{"method": "GET", "pathContains": "/users", "status": 503, "times": 10, "retryAfter": "0"}]}""")
        Client(emu.clientConfig().copy(maxRetries = 1u)).use { c ->
            val e = assertFailsWith<EntraInviteException.Service> { c.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000") }
            assertEquals(503.toUShort(), e.status)
        }
    }

    @Test
    fun `Network when nothing listens`() = runBlocking<Unit> {
        Client(ClientConfig(graphUrl = "http://127.0.0.1:9", token = Secret("t"), maxRetries = 0u)).use { c ->
            assertFailsWith<EntraInviteException.Network> { c.lookup("a@fabrikam.com") }
        }
    }

    @Test
    fun `every kind is a subclass of one sealed exception`() {
        val e: EntraInviteException = EntraInviteException.Timeout("slow", null, null, null, null, null, null, false)
        val kind = when (e) {
            is EntraInviteException.Timeout -> "Timeout"
            else -> "other"
        }
        assertEquals("Timeout", kind)
        assertEquals("Timeout", e.kind())
        assertEquals("slow", e.detail)
        assertTrue(e.message!!.contains("slow"))
    }

    @Test
    fun `the fields read the same from the sealed type`() = runBlocking<Unit> {
        try {
            client.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000")
            fail("expected NotFound")
        } catch (e: EntraInviteException) {
            assertEquals("NotFound", e.kind())
            assertEquals("Request_ResourceNotFound", e.code)
            assertEquals(404.toUShort(), e.status)
            assertNotNull(e.requestId)
            assertTrue(e.detail.isNotEmpty())
        }
    }

    @Test
    fun `maybeApplied after a 500 on POST invitations, never for InvalidInput`() = runBlocking<Unit> {
        emu.setFaults("""{"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 500}]}""")
        val e = assertFailsWith<EntraInviteException.Service> { client.invite(request("maybe@fabrikam.com")) }
        assertEquals(500.toUShort(), e.status)
        assertTrue(e.maybeApplied, "a 500 to POST /invitations may have created it: ${e.message}")
        val sealed: EntraInviteException = e
        assertTrue(sealed.maybeApplied)
        val bad = assertFailsWith<EntraInviteException.InvalidInput> { client.invite(request("not-an-address")) }
        assertFalse(bad.maybeApplied)
        val sealedBad: EntraInviteException = bad
        assertFalse(sealedBad.maybeApplied)
    }

    @Test
    fun `a panic inside the library is an Internal error and the library keeps working`() = runBlocking<Unit> {
        // More panics than the runtime has worker threads: none of them may take a worker down.
        repeat(Runtime.getRuntime().availableProcessors() + 1) {
            val e = assertFailsWith<EntraInviteException.Internal> { debugForceInternalError() }
            assertEquals("Internal", e.kind())
            assertTrue(e.detail.isNotEmpty())
            assertFalse(e.maybeApplied)
        }
        // Same process, same runtime, same client: ordinary calls still work.
        assertEquals(Lookup.NotFound, client.lookup("after-panic@fabrikam.com"))
        val inv = client.invite(request("after-panic@fabrikam.com"))
        assertEquals("PendingAcceptance", inv.status)
        assertEquals("entra-invite-rt", runtimeThreadName())
    }
}
