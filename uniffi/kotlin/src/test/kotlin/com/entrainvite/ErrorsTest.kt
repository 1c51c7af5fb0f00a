package com.entrainvite

import com.entrainvite.models.*
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

/** Each error kind is its own exception class, carrying one `ErrorDetails` record. */
class ErrorsTest : EmulatorTest() {
    @Test
    fun `InvalidInput names the field and sends nothing`() = runBlocking<Unit> {
        val before = counter("totalRequests")
        val e = assertFailsWith<EntraInviteException.InvalidInput> {
            client.invite(request("not-an-address"))
        }
        assertEquals("invitedUserEmailAddress", e.details.field)
        assertEquals("InvalidInput", e.kind())
        assertEquals(ErrorKind.INVALID_INPUT, e.details.kind)
        assertTrue(e.details.message.isNotEmpty())
        val cc = assertFailsWith<EntraInviteException.InvalidInput> {
            client.invite(request("a@fabrikam.com").copy(ccRecipients = listOf(CcRecipient("b@fabrikam.com"), CcRecipient("c@fabrikam.com"))))
        }
        assertEquals("ccRecipients", cc.details.field)
        val url = assertFailsWith<EntraInviteException.InvalidInput> {
            client.invite(request("a@fabrikam.com").copy(inviteRedirectUrl = "http://myapps.microsoft.com/"))
        }
        assertEquals("inviteRedirectUrl", url.details.field)
        assertEquals(before, counter("totalRequests"))
    }

    @Test
    fun `Auth carries the token endpoint's code`() = runBlocking<Unit> {
        Client(emu.clientConfig().copy(clientSecret = Secret("not-the-secret"))).use { wrong ->
            val e = assertFailsWith<EntraInviteException.Auth> { wrong.lookup("taylor@fabrikam.com") }
            assertEquals("invalid_client", e.details.code)
            assertEquals(401.toUShort(), e.details.status)
            assertNotNull(e.details.aadsts)
        }
    }

    @Test
    fun `PermissionDenied for an app that may not invite`() = runBlocking<Unit> {
        val config = emu.clientConfig().copy(clientId = emu.readonlyClientId(), clientSecret = Secret(emu.readonlyClientSecret()))
        Client(config).use { readonly ->
            val e = assertFailsWith<EntraInviteException.PermissionDenied> {
                readonly.invite(request("taylor@fabrikam.com"))
            }
            assertEquals("Unauthorized", e.details.code)
            assertNotNull(e.details.status)
            assertNotNull(e.details.requestId)
            assertNotNull(e.details.clientRequestId)
            assertNotNull(e.details.date)
        }
    }

    @Test
    fun `NotFound by id and by email`() = runBlocking<Unit> {
        val byId = assertFailsWith<EntraInviteException.NotFound> { client.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000") }
        assertEquals("Request_ResourceNotFound", byId.details.code)
        assertEquals(404.toUShort(), byId.details.status)
        assertFailsWith<EntraInviteException.NotFound> { client.status("ghost@fabrikam.com") }
    }

    @Test
    fun `AlreadyExists for an internal member's address`() = runBlocking<Unit> {
        emu.addUser("""{"displayName": "Morgan", "mail": "morgan@fabrikam.com", "userPrincipalName": "morgan@contoso.onmicrosoft.com", "userType": "Member"}""")
        val e = assertFailsWith<EntraInviteException.AlreadyExists> {
            client.invite(request("morgan@fabrikam.com"))
        }
        assertNotNull(e.details.status)
    }

    @Test
    fun `VerifiedDomain when inviting the tenant's own domain`() = runBlocking<Unit> {
        assertFailsWith<EntraInviteException.VerifiedDomain> {
            client.invite(request("newhire@contoso.com"))
        }
    }

    @Test
    fun `Throttled with Graph's code and the wait`() = runBlocking<Unit> {
        emu.setFaults("""{"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 429, "times": 5, "retryAfter": "1"}]}""")
        Client(emu.clientConfig().copy(maxRetries = 1u)).use { c ->
            val e = assertFailsWith<EntraInviteException.Throttled> { c.invite(request("taylor@fabrikam.com")) }
            assertEquals("TooManyRequests", e.details.code)
            assertEquals(429.toUShort(), e.details.status)
            assertEquals(Duration.ofSeconds(1), e.details.retryAfter)
        }
    }

    @Test
    fun `Service after 5xx beyond the retries`() = runBlocking<Unit> {
        emu.setFaults("""{"scripted": [{"method": "GET", "pathContains": "/users", "status": 503, "times": 10, "retryAfter": "0"}]}""")
        Client(emu.clientConfig().copy(maxRetries = 1u)).use { c ->
            val e = assertFailsWith<EntraInviteException.Service> { c.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000") }
            assertEquals(503.toUShort(), e.details.status)
        }
    }

    @Test
    fun `Network when nothing listens`() = runBlocking<Unit> {
        Client(ClientOptions(graphUrl = "http://127.0.0.1:9", token = Secret("t"), maxRetries = 0u)).use { c ->
            assertFailsWith<EntraInviteException.Network> { c.lookup("a@fabrikam.com") }
        }
    }

    @Test
    fun `every kind is a subclass of one sealed exception`() {
        val e: EntraInviteException = EntraInviteException.Timeout(ErrorDetails(ErrorKind.TIMEOUT, "slow"))
        val kind = when (e) {
            is EntraInviteException.Timeout -> "Timeout"
            else -> "other"
        }
        assertEquals("Timeout", kind)
        assertEquals("Timeout", e.kind())
        assertEquals("slow", e.details().message)
        assertEquals(ErrorKind.TIMEOUT, e.details().kind)
        assertTrue(e.message!!.contains("slow"), e.message)
    }

    @Test
    fun `the details read the same from the sealed type`() = runBlocking<Unit> {
        try {
            client.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000")
            fail("expected NotFound")
        } catch (e: EntraInviteException) {
            assertEquals("NotFound", e.kind())
            val d = e.details()
            assertEquals(ErrorKind.NOT_FOUND, d.kind)
            assertEquals("Request_ResourceNotFound", d.code)
            assertEquals(404.toUShort(), d.status)
            assertNotNull(d.requestId)
            assertTrue(d.message.isNotEmpty())
            assertEquals((e as EntraInviteException.NotFound).details, d)
        }
    }

    @Test
    fun `maybeApplied after a 500 on POST invitations, never for InvalidInput`() = runBlocking<Unit> {
        emu.setFaults("""{"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 500}]}""")
        val e = assertFailsWith<EntraInviteException.Service> { client.invite(request("maybe@fabrikam.com")) }
        assertEquals(500.toUShort(), e.details.status)
        assertTrue(e.details.maybeApplied, "a 500 to POST /invitations may have created it: ${e.message}")
        val sealed: EntraInviteException = e
        assertTrue(sealed.details().maybeApplied)
        val bad = assertFailsWith<EntraInviteException.InvalidInput> { client.invite(request("not-an-address")) }
        assertFalse(bad.details.maybeApplied)
        val sealedBad: EntraInviteException = bad
        assertFalse(sealedBad.details().maybeApplied)
    }

    @Test
    fun `a panic inside the library is an Internal error and the library keeps working`() = runBlocking<Unit> {
        // More panics than the runtime has worker threads: none of them may take a worker down.
        repeat(Runtime.getRuntime().availableProcessors() + 1) {
            val e = assertFailsWith<EntraInviteException.Internal> { debugForceInternalError() }
            assertEquals("Internal", e.kind())
            assertTrue(e.details.message.isNotEmpty())
            assertFalse(e.details.maybeApplied)
        }
        // Same process, same runtime, same client: ordinary calls still work.
        assertFalse(client.lookup("after-panic@fabrikam.com").exists)
        val inv = client.invite(request("after-panic@fabrikam.com"))
        assertEquals("PendingAcceptance", inv.status)
        assertEquals("entra-invite-rt", runtimeThreadName())
    }
}
