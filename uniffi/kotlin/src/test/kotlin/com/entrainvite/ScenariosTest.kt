package com.entrainvite

import com.entrainvite.models.*
import com.entrainvite.testing.clientConfig
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.Base64
import java.util.Collections
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

/**
 * Runs every shared scenario of tests/scenarios/ (format: tests/scenarios/README.md), or of the
 * directory named by ENTRA_INVITE_SCENARIOS_DIR.
 *
 * A step whose input the typed API cannot express (see [unrepresentable]) is skipped, never
 * faked: the scenario prints a SKIPPED line for it and the step is reported as a skipped test of
 * its own ("<scenario> step N: skipped"), so it is never counted as passed.
 */
class ScenariosTest : EmulatorTest() {
    private val dir = File(
        System.getenv("ENTRA_INVITE_SCENARIOS_DIR")?.takeIf { it.isNotEmpty() }
            ?: System.getProperty("entra.scenarios.dir") ?: "../../tests/scenarios"
    )

    @TestFactory
    fun scenarios(): List<DynamicTest> {
        val files = dir.listFiles { f -> f.name.endsWith(".json") }.orEmpty().sortedBy { it.name }
        assertTrue(files.size >= 10, "scenarios missing in $dir")
        return files.flatMap { f ->
            val skips = skippedSteps(f)
            listOf(DynamicTest.dynamicTest(f.nameWithoutExtension) { runBlocking { run(f, skips) } }) +
                skips.map { (i, why) ->
                    DynamicTest.dynamicTest("${f.nameWithoutExtension} step $i: skipped") { assumeTrue(false, why) }
                }
        }
    }

    /** The steps of a scenario file that cannot run through the typed API: index to reason. */
    private fun skippedSteps(file: File): Map<Int, String> =
        json(file.readText()).jsonObject["steps"]!!.jsonArray.withIndex().mapNotNull { (i, step) ->
            val s = step.jsonObject
            unrepresentable(s["op"]!!.jsonPrimitive.content, s["input"] ?: JsonNull)?.let { i to it }
        }.toMap()

    private suspend fun run(file: File, skips: Map<Int, String>) {
        val sc = json(file.readText()).jsonObject
        // A key the format does not know fails the scenario before anything runs.
        unknownKeys(sc, file.name).takeIf { it.isNotEmpty() }?.let { fail(it.joinToString("\n")) }
        emu.reset()
        val setup = sc["setup"] as? JsonObject
        (setup?.get("domains") as? JsonArray)?.forEach { emu.control("POST", "domains", it.toString()) }
        (setup?.get("users") as? JsonArray)?.forEach { emu.addUser(it.toString()) }
        setup?.get("policy")?.takeIf { it !is JsonNull }?.let { emu.control("POST", "policy", it.toString()) }
        setup?.get("faults")?.takeIf { it !is JsonNull }?.let { emu.setFaults(it.toString()) }
        var config = emu.clientConfig()
        when (val app = sc.at("client.app").jsonPrimitive.contentOrNull ?: "default") {
            "default" -> {}
            "readonly" -> config = config.copy(clientId = emu.readonlyClientId(), clientSecret = Secret(emu.readonlyClientSecret()))
            "wrongSecret" -> config = config.copy(clientSecret = Secret("not-the-secret"))
            else -> fail("${file.name}: unknown app $app")
        }
        sc.at("client.maxRetries").jsonPrimitive.intOrNull?.let { config = config.copy(maxRetries = it.toUInt()) }
        sc.at("client.timeoutSecs").jsonPrimitive.doubleOrNull?.let {
            config = config.copy(timeout = Duration.ofNanos((it * 1e9).toLong()))
        }
        val saved = mutableMapOf<String, JsonElement>()
        val skipped = mutableSetOf<Int>()
        // The scenario's own folder: `bulk` steps' inputs and named results files, kept across
        // steps so a later step resumes an earlier one's results.
        val work = Files.createTempDirectory("ei-scenario-")
        try {
            Client(config).use { client ->
                sc["steps"]!!.jsonArray.forEachIndexed { i, stepEl ->
                    val step = stepEl.jsonObject
                    val op = step["op"]!!.jsonPrimitive.content
                    val ctx = "${file.name} step $i ($op)"
                    val input = subst(step["input"] ?: JsonNull, saved, ctx)
                    val expect = subst(step["expect"] ?: JsonObject(emptyMap()), saved, ctx).jsonObject
                    unrepresentable(op, input)?.let { why ->
                        println("SKIPPED $ctx: $why")
                        skipped += i
                        return@forEachIndexed
                    }
                    val before = counter("totalRequests")
                    val result = try {
                        Result.success(runOp(client, op, input, work, i))
                    } catch (e: EntraInviteException) {
                        Result.failure(e)
                    }
                    val after = counter("totalRequests")
                    val want = expect["error"] as? JsonObject
                    if (want != null) {
                        val e = result.exceptionOrNull() as? EntraInviteException
                            ?: fail("$ctx: expected an error $want, got ${result.getOrNull()}")
                        // Every key is optional; each one present is asserted.
                        want["kind"]?.jsonPrimitive?.contentOrNull?.let { assertEquals(it, e.kind(), "$ctx: ${e.message}") }
                        want["code"]?.jsonPrimitive?.contentOrNull?.let { assertEquals(it, e.details().code, "$ctx: ${e.message}") }
                        want["field"]?.jsonPrimitive?.contentOrNull?.let { assertEquals(it, e.details().field, "$ctx: ${e.message}") }
                        want["maybeApplied"]?.jsonPrimitive?.booleanOrNull?.let {
                            assertEquals(it, e.details().maybeApplied, "$ctx: maybeApplied of ${e.message}")
                        }
                        if (expect["noRequest"]?.jsonPrimitive?.booleanOrNull == true) {
                            // The counter read itself is not counted; nothing else may have happened.
                            assertEquals(before, after, "$ctx: a request reached Graph")
                        }
                        return@forEachIndexed
                    }
                    if (expect["noRequest"]?.jsonPrimitive?.booleanOrNull == true) {
                        assertEquals(before, after, "$ctx: a request reached Graph")
                    }
                    val v = result.getOrElse { fail("$ctx: ${it.message}") }
                    // JsonElement equality is strict: `true` is not `1`, `1` is not `1.0`.
                    (expect["ok"] as? JsonObject)?.forEach { (p, w) -> assertEquals(w, v.existing(p, ctx), "$ctx: $p in $v") }
                    (expect["okPrefix"] as? JsonObject)?.forEach { (p, w) ->
                        val got = (v.existing(p, ctx) as? JsonPrimitive)?.takeIf { it.isString }?.content
                            ?: fail("$ctx: $p = ${v.existing(p, ctx)} is not a string")
                        assertTrue(got.startsWith(w.jsonPrimitive.content), "$ctx: $p = $got")
                    }
                    (expect["okPresent"] as? JsonArray)?.forEach { p ->
                        assertTrue(v.existing(p.jsonPrimitive.content, ctx) !is JsonNull, "$ctx: $p is null in $v")
                    }
                    (expect["save"] as? JsonObject)?.forEach { (k, p) -> saved[k] = v.existing(p.jsonPrimitive.content, ctx) }
                }
            }
        } finally {
            work.toFile().deleteRecursively()
        }
        // The steps skipped are exactly the ones reported as skipped tests.
        assertEquals(skips.keys, skipped.toSet(), "${file.name}: skipped steps")
    }

    private suspend fun runOp(client: Client, op: String, input: JsonElement, work: Path, step: Int): JsonElement = when (op) {
        "invite" -> client.invite(request(input)).canonical()
        "inviteIfAbsent" -> client.inviteIfAbsent(request(input)).let { o ->
            buildJsonObject {
                put("invited", o.invited)
                put("invitation", o.invitation?.canonical() ?: JsonNull)
                put("user", o.user?.canonical() ?: JsonNull)
            }
        }
        "lookup" -> client.lookup(input.str("email")!!).let { l ->
            buildJsonObject {
                put("exists", l.exists); put("user", l.user?.canonical() ?: JsonNull); put("verifiedDomain", l.verifiedDomain)
            }
        }
        "status" -> client.status(input.str("user")!!).let { s ->
            buildJsonObject {
                put("userId", s.userId); put("email", s.email); put("state", s.rawState); put("changedAt", s.changedAt?.toString())
            }
        }
        "guests" -> {
            val state = when (input.str("state")) {
                null -> null
                "PendingAcceptance" -> ExternalUserState.PENDING_ACCEPTANCE
                "Accepted" -> ExternalUserState.ACCEPTED
                else -> fail("unknown state ${input.str("state")}")
            }
            val all = client.guests(state)
            buildJsonObject {
                put("count", all.size)
                put("emails", buildJsonArray { all.mapNotNull { it.email }.sorted().forEach { add(JsonPrimitive(it)) } })
            }
        }
        "reset" -> client.resetRedemption(
            input.str("user")!!,
            InvitationRequest(input.str("email") ?: "", input.str("redirectUrl") ?: "", invitedUserType = UserType.GUEST),
        ).canonical()
        "redeem" -> json(emu.redeem(input.str("email")!!))
        "faults" -> json(
            if (input is JsonNull) emu.control("DELETE", "faults", null) else emu.control("PUT", "faults", input.toString())
        )
        "counters" -> json(emu.control("GET", "counters", null))
        "bulk" -> bulk(client, input, work, step)
        else -> fail("unknown op $op")
    }

    /**
     * Writes the step's CSV to a file of the scenario's folder and runs the bulk API over it to
     * the end (default options but `dryRun` and `skipExisting`; `results`: `<name>.csv` in the
     * scenario's folder, resumed by later steps). Answers the canonical `{ summary, rows }`, rows
     * in file order, or for `concurrent: n` (n runs at once) `{ completed, refused }`.
     */
    private suspend fun bulk(client: Client, input: JsonElement, work: Path, step: Int): JsonElement {
        val obj = input as? JsonObject ?: JsonObject(emptyMap())
        val bytes = input.str("csvBase64")?.let { Base64.getDecoder().decode(it) }
            ?: (input.str("csv") ?: "").toByteArray(Charsets.UTF_8)
        val inputs = Files.createDirectories(work.resolve("inputs"))
        val path = inputs.resolve("step-$step.csv")
        Files.write(path, bytes)
        val results = input.str("results")?.let { name ->
            require(name.isNotEmpty() && name.none { it == '/' || it == '\\' } && name != "." && name != "..") {
                "results must be a plain file name, not '$name'"
            }
            Files.createDirectories(work.resolve("results")).resolve("$name.csv").toString()
        }
        val options = BulkOptions(
            dryRun = obj["dryRun"]?.jsonPrimitive?.booleanOrNull ?: false,
            skipExisting = obj["skipExisting"]?.jsonPrimitive?.booleanOrNull ?: true,
            results = results,
            settleTimeout = SETTLE,
        )
        val concurrent = obj["concurrent"]?.jsonPrimitive?.intOrNull
        if (concurrent != null) {
            require(concurrent >= 1) { "concurrent must be at least 1, not $concurrent" }
            // All started at once; each ends as a finished run or an error.
            val ends = coroutineScope {
                (1..concurrent).map {
                    async {
                        try {
                            Result.success(client.bulkInvite(path.toString(), options, null))
                        } catch (e: EntraInviteException) {
                            Result.failure(e)
                        }
                    }
                }.awaitAll()
            }
            var completed = 0
            var refused = 0
            for (end in ends) {
                val e = end.exceptionOrNull() as? EntraInviteException
                when {
                    e == null -> completed++
                    e.kind() == "InvalidInput" && e.details().field == "results" -> refused++
                    // Any other error is the step's.
                    else -> throw e
                }
            }
            return buildJsonObject { put("completed", completed); put("refused", refused) }
        }
        val rows = Collections.synchronizedList(mutableListOf<BulkResult>())
        val summary = client.bulkInvite(
            path.toString(),
            options,
            object : BulkProgress {
                override fun onResult(result: BulkResult, summary: BulkSummary) {
                    rows += result
                }
            },
        )
        return buildJsonObject {
            put("summary", buildJsonObject {
                put("invited", summary.invited.toLong()); put("existing", summary.existing.toLong())
                put("failed", summary.failed.toLong()); put("invalid", summary.invalid.toLong())
                put("valid", summary.valid.toLong()); put("resumed", summary.resumed.toLong())
                put("added", summary.added.toLong()); put("fixed", summary.fixed.toLong())
                put("removed", summary.removed.toLong()); put("inputChanged", summary.inputChanged)
            })
            put("rows", buildJsonArray {
                rows.toList().sortedBy { it.row }.forEach { r ->
                    add(buildJsonObject {
                        put("row", r.row.toLong()); put("email", r.email)
                        put("outcome", r.outcome.canonical()); put("errorKind", r.errorKind)
                        put("userId", r.userId); put("redeemUrl", r.redeemUrl)
                    })
                }
            })
        }
    }

    private fun request(input: JsonElement): InvitationRequest {
        val userType = input.str("userType")?.let { t ->
            userType(t) ?: error("userType '$t' cannot be expressed; the step should have been skipped")
        }
        return InvitationRequest(
            invitedUserEmailAddress = input.str("email") ?: "",
            inviteRedirectUrl = input.str("redirectUrl") ?: "",
            invitedUserDisplayName = input.str("displayName"),
            sendInvitationMessage = (input as? JsonObject)?.get("sendMessage")?.jsonPrimitive?.booleanOrNull ?: false,
            customizedMessageBody = input.str("message"),
            messageLanguage = input.str("language"),
            ccRecipients = ((input as? JsonObject)?.get("cc") as? JsonArray)?.map { CcRecipient(it.jsonPrimitive.content) } ?: emptyList(),
            invitedUserType = userType ?: UserType.GUEST,
        )
    }
}

// The keys each part of a scenario may have (tests/scenarios/README.md). Step `input` objects are
// op-specific and not checked.
private val TOP_KEYS = listOf("name", "setup", "client", "steps")
private val SETUP_KEYS = listOf("users", "domains", "faults", "policy")
private val CLIENT_KEYS = listOf("app", "maxRetries", "timeoutSecs")
private val STEP_KEYS = listOf("op", "input", "expect")
private val EXPECT_KEYS = listOf("ok", "okPrefix", "okPresent", "save", "error", "noRequest")
private val ERROR_KEYS = listOf("kind", "code", "field", "maybeApplied")

/**
 * One line per key of the scenario that the format does not know (a typo'd key would otherwise be
 * ignored, and the expectation it was meant to carry would never run).
 */
private fun unknownKeys(sc: JsonObject, name: String): List<String> {
    val out = mutableListOf<String>()
    fun check(v: JsonElement?, allowed: List<String>, ctx: String, part: String) {
        (v as? JsonObject)?.keys?.filter { it !in allowed }?.forEach {
            out += "$ctx: unknown key \"$it\" in $part (allowed: ${allowed.joinToString(", ")})"
        }
    }
    check(sc, TOP_KEYS, name, "the scenario")
    check(sc["setup"], SETUP_KEYS, name, "setup")
    check(sc["client"], CLIENT_KEYS, name, "client")
    (sc["steps"] as? JsonArray)?.forEachIndexed { i, stepEl ->
        val step = stepEl as? JsonObject
        val ctx = "$name step $i (${step?.str("op") ?: "?"})"
        val expect = step?.get("expect") as? JsonObject
        check(step, STEP_KEYS, ctx, "the step")
        check(expect, EXPECT_KEYS, ctx, "expect")
        check(expect?.get("error"), ERROR_KEYS, ctx, "expect.error")
    }
    return out
}

private fun JsonElement.str(k: String): String? = ((this as? JsonObject)?.get(k) as? JsonPrimitive)?.contentOrNull

/** The typed value of a scenario's `userType` (the core reads it case-insensitively). */
private fun userType(t: String): UserType? = UserType.entries.firstOrNull { it.name.equals(t, ignoreCase = true) }

/**
 * Why a step cannot run through the typed Kotlin API, or null when it can: `invitedUserType` is
 * the enum [UserType], so an unknown `userType` (which the core refuses with InvalidInput) cannot
 * even be passed. Such a step is skipped, never answered with an error made up here.
 */
private fun unrepresentable(op: String, input: JsonElement): String? {
    if (op != "invite" && op != "inviteIfAbsent") return null
    val t = input.str("userType") ?: return null
    if (userType(t) != null) return null
    return "userType '$t' is unrepresentable in the typed Kotlin API (invitedUserType is the enum UserType), " +
        "so the library's refusal of it cannot be exercised from Kotlin"
}

/**
 * `a.b.0.c`: object keys and array indices in a step's result. A key or index that is not there
 * fails the step (naming the path), so a typo'd path never reads as JSON null.
 */
private fun JsonElement.existing(path: String, ctx: String): JsonElement =
    path.split('.').fold(this) { cur, k ->
        when (cur) {
            is JsonArray -> k.toIntOrNull()?.let { cur.getOrNull(it) }
            is JsonObject -> cur[k]
            else -> null
        } ?: fail("$ctx: path $path does not exist in $this")
    }

/** The core's name of an outcome (`invited`, `existing`, ...), as in the results CSV. */
private fun BulkOutcome.canonical(): String = when (this) {
    BulkOutcome.INVITED -> "invited"
    BulkOutcome.EXISTING -> "existing"
    BulkOutcome.FAILED -> "failed"
    BulkOutcome.INVALID -> "invalid"
    BulkOutcome.VALID -> "valid"
    BulkOutcome.SENDING -> "sending"
}

private fun subst(v: JsonElement, saved: Map<String, JsonElement>, ctx: String): JsonElement = when (v) {
    is JsonPrimitive -> if (v.isString && v.content.startsWith("$")) {
        saved[v.content.substring(1)] ?: fail("$ctx: nothing saved as ${v.content}")
    } else v
    is JsonArray -> JsonArray(v.map { subst(it, saved, ctx) })
    is JsonObject -> JsonObject(v.mapValues { subst(it.value, saved, ctx) })
}

/** Graph's invitation JSON, rebuilt from the typed record (the scenarios' canonical shape). */
private fun Invitation.canonical(): JsonObject = buildJsonObject {
    put("id", id)
    put("invitedUserDisplayName", invitedUserDisplayName)
    put("invitedUserEmailAddress", invitedUserEmailAddress)
    put("invitedUserType", invitedUserType)
    put("inviteRedeemUrl", inviteRedeemUrl)
    put("inviteRedirectUrl", inviteRedirectUrl)
    put("resetRedemption", resetRedemption)
    put("sendInvitationMessage", sendInvitationMessage)
    put("status", status)
    put("invitedUser", invitedUser?.let { u -> buildJsonObject { put("id", u.id); put("userPrincipalName", u.userPrincipalName) } } ?: JsonNull)
}

/** Graph's user JSON, rebuilt from the typed record. */
private fun User.canonical(): JsonObject = buildJsonObject {
    put("id", id)
    put("displayName", displayName)
    put("mail", mail)
    put("userPrincipalName", userPrincipalName)
    put("userType", userType)
    put("creationType", creationType)
    put("externalUserState", externalUserState)
    put("externalUserStateChangeDateTime", externalUserStateChangeDateTime)
    put("accountEnabled", accountEnabled)
    put("otherMails", buildJsonArray { otherMails.orEmpty().forEach { add(JsonPrimitive(it)) } })
    put("proxyAddresses", buildJsonArray { proxyAddresses.orEmpty().forEach { add(JsonPrimitive(it)) } })
    put("createdDateTime", createdDateTime)
}
