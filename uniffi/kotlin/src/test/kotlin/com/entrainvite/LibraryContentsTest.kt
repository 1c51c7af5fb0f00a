package com.entrainvite

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/**
 * The production library does not contain the emulator: it lives in the separate testing
 * library (the `entra-invite-testing` artifact). Checked on the bytes of both libraries in
 * `entra.lib.dir`: the emulator's control routes (`/_emulator/...`) and its crate's name.
 */
class LibraryContentsTest {
    private val dir = File(System.getProperty("entra.lib.dir") ?: error("entra.lib.dir is not set"))

    private fun occurrences(file: File, needle: String): Int {
        val hay = file.readBytes()
        val pat = needle.toByteArray()
        var n = 0
        var i = 0
        outer@ while (i <= hay.size - pat.size) {
            for (j in pat.indices) if (hay[i + j] != pat[j]) { i++; continue@outer }
            n++
            i += pat.size
        }
        return n
    }

    @Test
    fun `the production library contains no emulator, the testing library does`() {
        val prod = File(dir, "libentra_invite_ffi.so")
        val testing = File(dir, "libentra_invite_ffi_testing.so")
        assertTrue(prod.isFile && testing.isFile, "both libraries in $dir")
        assertEquals(0, occurrences(prod, "/_emulator/"), "emulator routes in $prod")
        assertEquals(0, occurrences(prod, "entra_invite_emulator"), "emulator code in $prod")
        assertTrue(occurrences(testing, "/_emulator/") > 0, "no emulator routes in $testing")
    }
}
