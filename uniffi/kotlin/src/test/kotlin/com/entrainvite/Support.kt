package com.entrainvite

import com.entrainvite.models.InvitationRequest
import com.entrainvite.models.UserType
import com.entrainvite.testing.TestEmulator
import com.entrainvite.testing.clientConfig
import com.entrainvite.testing.startEmulator
import java.io.File
import java.time.Duration
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.TestInstance

const val REDIRECT = "https://myapps.microsoft.com/"

/** Core's default settle timeout (uniffi records take no default for a Duration field). */
val SETTLE: Duration = Duration.ofSeconds(30)

fun json(text: String): JsonElement = Json.parseToJsonElement(text)

/** A path of object keys and array indices (`invitedUser.id`, `rows.0.outcome`); JSON null when absent. */
fun JsonElement.at(path: String): JsonElement =
    path.split('.').fold(this) { cur, k ->
        when (cur) {
            is JsonArray -> k.toIntOrNull()?.let { cur.getOrNull(it) }
            is JsonObject -> cur[k]
            else -> null
        } ?: JsonNull
    }

/** An invitation of a guest to `email` with the default options. */
fun request(email: String) = InvitationRequest(invitedUserEmailAddress = email, inviteRedirectUrl = REDIRECT, invitedUserType = UserType.GUEST)

/** Names of the native threads of this process (`/proc/self/task/<tid>/comm`). */
fun nativeThreadNames(): List<String> =
    File("/proc/self/task").listFiles().orEmpty().mapNotNull { t ->
        runCatching { File(t, "comm").readText().trim() }.getOrNull()
    }

/** The native name of the calling thread (a JVM name says nothing about a Rust-made thread). */
fun nativeThreadName(): String = File("/proc/thread-self/comm").readText().trim()

/** One emulator for the test class, reset before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmulatorTest {
    lateinit var emu: TestEmulator
    lateinit var client: Client

    @BeforeAll
    fun startEmulator() = runBlocking<Unit> {
        emu = startEmulator(false)
        client = Client(emu.clientConfig())
    }

    @BeforeEach
    fun resetEmulator() = runBlocking { emu.reset() }

    @AfterAll
    fun stopEmulator() = runBlocking<Unit> {
        client.close()
        emu.stop()
        emu.close()
    }

    suspend fun counter(name: String): Long = json(emu.stats()).jsonObject[name]!!.jsonPrimitive.long
}
