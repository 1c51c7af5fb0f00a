package com.entrainvite

import com.entrainvite.models.*
import com.entrainvite.testing.clientConfig
import com.entrainvite.testing.startEmulator
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test

/** Where the work runs: the core's one runtime, whatever the calling coroutine's dispatcher. */
@Order(1)
class RuntimeTest {
    @Test
    @Order(1)
    fun `loading the library starts no thread`() {
        assertFalse(runtimeStarted(), "the runtime started before any call")
        assertFalse(nativeThreadNames().any { it.startsWith("entra-invite") }, nativeThreadNames().toString())
    }

    @Test
    @Order(2)
    fun `suspend calls run on entra-invite-rt threads`() = runBlocking<Unit> {
        assertEquals("entra-invite-rt", runtimeThreadName())
        assertTrue(runtimeStarted())
        val names = nativeThreadNames()
        assertTrue(names.contains("entra-invite-rt"), names.toString())
        // uniffi's tokio support would have started a second runtime: it must not exist.
        assertFalse(names.any { it.startsWith("async-compat") || it.startsWith("tokio-runtime") }, names.toString())
    }

    @Test
    @Order(3)
    fun `200 concurrent calls share the one runtime`() = runBlocking<Unit> {
        val emu = startEmulator(false)
        try {
            Client(emu.clientConfig()).use { client ->
                val guest = client.invite(request("conc@fabrikam.com"))
                val id = guest.invitedUser!!.id!!
                val before = json(emu.stats()).at("totalRequests").toString().toLong()
                val workers = nativeThreadNames().count { it == "entra-invite-rt" }
                val results = withContext(Dispatchers.Default) {
                    (1..200).map { i ->
                        async {
                            when (i % 3) {
                                0 -> client.status(id).rawState!!
                                1 -> client.lookup("conc@fabrikam.com").user!!.id
                                else -> runtimeThreadName()
                            }
                        }
                    }.awaitAll()
                }
                assertEquals(200, results.size)
                assertTrue(results.filterIndexed { i, _ -> (i + 1) % 3 == 0 }.all { it == "PendingAcceptance" })
                assertTrue(results.filterIndexed { i, _ -> (i + 1) % 3 == 1 }.all { it == id })
                assertTrue(results.filterIndexed { i, _ -> (i + 1) % 3 == 2 }.all { it == "entra-invite-rt" })
                val after = json(emu.stats()).at("totalRequests").toString().toLong()
                assertTrue(after - before >= 133, "the emulator saw ${after - before} requests")
                // The calls added no thread: the runtime's threads did all of it.
                val now = nativeThreadNames().count { it == "entra-invite-rt" }
                assertTrue(now <= workers, "$now runtime threads, $workers before")
            }
        } finally {
            emu.stop()
        }
    }

    @Test
    @Order(4)
    fun `cancelling the coroutine cancels the Rust work`() = runBlocking<Unit> {
        val emu = startEmulator(false)
        try {
            val asked = CompletableDeferred<Unit>()
            val cancelled = CompletableDeferred<Unit>()
            // A provider that never answers: the Rust task waits inside it for the token.
            val provider = object : TokenProvider {
                override suspend fun token(): ProvidedToken {
                    asked.complete(Unit)
                    try {
                        delay(60_000)
                    } catch (e: CancellationException) {
                        cancelled.complete(Unit)
                        throw e
                    }
                    return ProvidedToken(Secret("never"), null)
                }
            }
            Client(ClientOptions(graphUrl = emu.url(), tokenProvider = provider)).use { client ->
                val job = launch(Dispatchers.Default) { client.lookup("taylor@fabrikam.com") }
                withTimeout(10_000) { asked.await() }
                job.cancelAndJoin()
                // Cancelling dropped the Rust future, whose drop aborted the task on the core
                // runtime, which dropped the provider's future, which cancelled this coroutine.
                withTimeout(10_000) { cancelled.await() }
                assertTrue(job.isCancelled)
                assertEquals(0L, json(emu.stats()).at("totalRequests").toString().toLong())
            }
            // The runtime is unharmed.
            assertEquals("entra-invite-rt", runtimeThreadName())
        } finally {
            emu.stop()
        }
    }

    @Test
    @Order(5)
    fun `a cancelled request leaves the client usable`() = runBlocking<Unit> {
        val emu = startEmulator(false)
        try {
            Client(emu.clientConfig()).use { client ->
                emu.setFaults("""{"latencyMs": {"min": 3000, "max": 3000}}""")
                val started = System.nanoTime()
                val job = launch(Dispatchers.Default) { client.lookup("slow@fabrikam.com") }
                delay(300)
                job.cancelAndJoin()
                assertTrue((System.nanoTime() - started) / 1_000_000 < 2500, "cancellation waited for the answer")
                emu.setFaults("{}")
                assertFalse(client.lookup("slow@fabrikam.com").exists)
            }
        } finally {
            emu.stop()
        }
    }
}
