package com.entrainvite

import com.entrainvite.models.*
import com.entrainvite.testing.clientConfig
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test

/**
 * The client secret, certificate password, federated token and access tokens never show in
 * toString(), in an error's message or in any of its fields.
 */
class SecretsTest : EmulatorTest() {
    // Distinctive values: a leak of any of them, even in part, is found by its marker.
    private val clientSecret = "cs-KTsec7f3qZ9-do-not-print"
    private val certPassword = "pw-KTsec4m8R2w-do-not-print"
    private val fixedToken = "at-KTsec1x6P5v-do-not-print"
    private val federatedToken = "fed-KTsec9c2L7n-do-not-print"
    private val markers = listOf("KTsec7f3qZ9", "KTsec4m8R2w", "KTsec1x6P5v", "KTsec9c2L7n")

    private val dir: Path = Files.createTempDirectory("entra-invite-secrets")

    @AfterAll
    fun removeFiles() {
        dir.toFile().deleteRecursively()
    }

    private fun assertNoSecret(text: String?, what: String) {
        for (m in markers) assertFalse(text.orEmpty().contains(m), "$what shows a secret: $text")
    }

    /** Every way an exception is commonly printed, and every field it carries. */
    private fun assertNoSecret(e: EntraInviteException, what: String) {
        assertNoSecret(e.message, "$what: message")
        assertNoSecret(e.localizedMessage, "$what: localizedMessage")
        assertNoSecret(e.toString(), "$what: toString()")
        assertNoSecret(e.stackTraceToString(), "$what: stack trace")
        assertNoSecret(e.kind(), "$what: kind")
        // The details record prints every field it carries.
        assertNoSecret(e.details().toString(), "$what: details")
    }

    private suspend fun failure(what: String, call: suspend () -> Unit): EntraInviteException {
        try {
            call()
        } catch (e: EntraInviteException) {
            return e
        }
        fail("$what: expected an error")
    }

    /** A PKCS#12 file made by the JDK's keytool (null where there is none). */
    private fun pkcs12(password: String): Path? {
        val keytool = File(System.getProperty("java.home"), "bin/keytool")
        if (!keytool.canExecute()) return null
        val path = dir.resolve("app-${System.nanoTime()}.p12")
        val p = ProcessBuilder(
            keytool.path, "-genkeypair", "-alias", "app", "-keyalg", "RSA", "-keysize", "2048",
            "-dname", "CN=entra-invite-test", "-validity", "2", "-storetype", "PKCS12",
            "-keystore", path.toString(), "-storepass", password, "-keypass", password,
        ).redirectErrorStream(true).start()
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, p.inputStream.bufferedReader().readText())
        return path
    }

    private fun federatedTokenFile(): Path = dir.resolve("federated-token").also { Files.writeString(it, federatedToken) }

    private fun notACertificate(): Path = dir.resolve("not-a-certificate.p12").also { Files.writeString(it, "not a certificate") }

    @Test
    fun `a Secret prints as stars`() {
        Secret(clientSecret).use { s ->
            assertEquals("***", s.toString())
            assertNoSecret("$s", "string template")
        }
        val provided = ProvidedToken(Secret(fixedToken), null)
        assertNoSecret(provided.toString(), "ProvidedToken.toString()")
        assertTrue(provided.toString().contains("token=***"), provided.toString())
    }

    @Test
    fun `configurations and clients print no secret`() {
        val withSecret = emu.clientConfig().copy(clientSecret = Secret(clientSecret))
        val withToken = ClientOptions(graphUrl = emu.url(), token = Secret(fixedToken))
        val withFederated = ClientOptions(
            tenant = emu.tenant(), clientId = emu.clientId(), federatedTokenFile = federatedTokenFile().toString(),
            graphUrl = emu.url(),
        )
        val p12 = pkcs12(certPassword)
        val withCertificate = ClientOptions(
            tenant = emu.tenant(), clientId = emu.clientId(), certificatePath = (p12 ?: notACertificate()).toString(),
            certificatePassword = Secret(certPassword), graphUrl = emu.url(),
        )
        assertTrue(withSecret.toString().contains("clientSecret=***"), withSecret.toString())
        assertTrue(withToken.toString().contains("token=***"), withToken.toString())
        assertTrue(withCertificate.toString().contains("certificatePassword=***"), withCertificate.toString())
        for ((what, config) in listOf(
            "client secret" to withSecret, "fixed token" to withToken,
            "federated token file" to withFederated, "certificate" to withCertificate,
        )) {
            assertNoSecret(config.toString(), "ClientOptions with a $what")
            assertNoSecret(config.copy().toString(), "a copy of the ClientOptions with a $what")
            if (what == "certificate" && p12 == null) continue
            Client(config).use { c -> assertNoSecret(c.toString(), "Client with a $what") }
        }
    }

    @Test
    fun `the error for a wrong client secret shows no secret`() = runBlocking<Unit> {
        Client(emu.clientConfig().copy(clientSecret = Secret(clientSecret))).use { c ->
            val e = failure("wrong secret") { c.lookup("taylor@fabrikam.com") }
            assertEquals("Auth", e.kind())
            assertEquals("invalid_client", e.details().code)
            assertNoSecret(e, "wrong client secret")
            // The same through a second path: invite.
            assertNoSecret(failure("wrong secret") { c.invite(request("taylor@fabrikam.com")) }, "wrong client secret (invite)")
        }
    }

    @Test
    fun `errors for a rejected token, federated token or certificate password show no secret`() = runBlocking<Unit> {
        Client(ClientOptions(graphUrl = emu.url(), token = Secret(fixedToken))).use { c ->
            val e = failure("rejected token") { c.lookup("taylor@fabrikam.com") }
            assertEquals("Auth", e.kind(), e.message)
            assertNoSecret(e, "rejected access token")
        }
        val federated = ClientOptions(
            tenant = emu.tenant(), clientId = emu.clientId(), federatedTokenFile = federatedTokenFile().toString(),
            graphUrl = emu.url(),
        )
        val fe = failure("rejected federated token") { Client(federated).use { it.lookup("taylor@fabrikam.com") } }
        assertNoSecret(fe, "rejected federated token")
        // A real PKCS#12 file opened with the wrong password, and a file that is no certificate.
        for (path in listOfNotNull(pkcs12("the-right-password"), notACertificate())) {
            val config = ClientOptions(
                tenant = emu.tenant(), clientId = emu.clientId(), certificatePath = path.toString(),
                certificatePassword = Secret(certPassword), graphUrl = emu.url(),
            )
            val ce = failure("wrong certificate password") { Client(config).use { it.lookup("taylor@fabrikam.com") } }
            assertEquals("InvalidInput", ce.kind(), ce.message)
            assertNoSecret(ce, "wrong certificate password")
        }
    }
}
