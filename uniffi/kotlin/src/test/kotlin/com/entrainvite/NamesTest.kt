package com.entrainvite

import com.entrainvite.models.BulkOptions
import com.entrainvite.models.InvitationRequest
import java.io.File
import java.lang.reflect.Modifier
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Test

/**
 * The public names of the generated types are the canonical ones of tests/api/names.json (Graph's
 * camelCase, which Kotlin keeps; enum entries in SCREAMING_SNAKE_CASE). Read by reflection, so a
 * renamed or added field fails here.
 */
class NamesTest {
    private val names = json(File(System.getProperty("entra.names.file") ?: "../../tests/api/names.json").readText()).jsonObject

    private fun list(section: String, key: String): Set<String> =
        names[section]!!.jsonObject[key]!!.jsonArray.map { it.jsonPrimitive.content }.toSet()

    /** The data a class carries: its instance fields (a data class keeps one per property). */
    private fun fields(c: Class<*>): Set<String> =
        c.declaredFields.filter { !Modifier.isStatic(it.modifiers) }.map { it.name }.toSet()

    private fun model(name: String): Class<*> = Class.forName("com.entrainvite.models.$name")

    private fun screamingSnake(name: String): String =
        name.replace(Regex("([a-z0-9])([A-Z])"), "$1_$2").uppercase()

    @Test
    fun `every result type has exactly the canonical fields`() {
        val types = names["types"] as JsonObject
        for (type in types.keys) {
            assertEquals(list("types", type), fields(model(type)), type)
        }
    }

    @Test
    fun `the inputs have exactly the canonical fields`() {
        assertEquals(list("inputs", "InvitationRequest"), fields(InvitationRequest::class.java), "InvitationRequest")
        assertEquals(list("inputs", "BulkOptions"), fields(BulkOptions::class.java), "BulkOptions")
        // The client options are a record here (secrets as `Secret` objects).
        assertEquals(list("inputs", "ClientOptions"), fields(ClientOptions::class.java), "ClientOptions")
    }

    @Test
    fun `the enums have exactly the canonical entries`() {
        val enums = names["enums"] as JsonObject
        for (e in enums.keys) {
            val entries = model(e).enumConstants.map { (it as Enum<*>).name }.toSet()
            assertEquals(list("enums", e).map(::screamingSnake).toSet(), entries, e)
        }
    }

    @Test
    fun `the client has the canonical methods, properties and constructors`() {
        val methods = Client::class.java.methods.map { it.name }.toSet()
        for (m in list("client", "methods") + list("client", "properties")) {
            assertTrue(m in methods, "Client.$m missing; it has $methods")
        }
        val constructors = Client.Companion::class.java.methods.map { it.name }.toSet()
        for (c in list("client", "constructors")) assertTrue(c in constructors, "Client.$c missing")
    }
}
