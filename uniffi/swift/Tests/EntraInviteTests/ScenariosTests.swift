import EntraInvite
import EntraInviteTesting
import Foundation
import XCTest

/// Runs every shared scenario of tests/scenarios/ (format: tests/scenarios/README.md).
///
/// A step whose input the typed API cannot express (see `unrepresentable`) is skipped, never
/// faked: a SKIPPED line names it and why, and the test ends with the list of skipped steps.
final class ScenariosTests: EmulatorTestCase {
    /// ENTRA_INVITE_SCENARIOS_DIR when set, else tests/scenarios, found from this file's place in
    /// the repository.
    static let dir = ProcessInfo.processInfo.environment["ENTRA_INVITE_SCENARIOS_DIR"]
        .flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/scenarios")

    /// The steps skipped so far ("file step N (op)"), reported at the end.
    private var skipped: [String] = []

    func testEverySharedScenario() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.dir.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 10, "scenarios missing in \(Self.dir.path)")
        skipped = []
        for f in files {
            // A scenario that throws fails, and the next one still runs.
            do {
                try await run(f)
            } catch {
                XCTFail("\(f): \(error)")
            }
        }
        if !skipped.isEmpty {
            print("ScenariosTests: \(skipped.count) step(s) SKIPPED, not run and not passed: \(skipped.joined(separator: "; "))")
        }
    }

    private func run(_ file: String) async throws {
        let text = try String(contentsOf: Self.dir.appendingPathComponent(file), encoding: .utf8)
        let sc = try XCTUnwrap(json(text) as? [String: Any], file)
        // A key the format does not know fails the scenario before anything runs.
        let unknown = unknownKeys(sc, file)
        guard unknown.isEmpty else { return XCTFail(unknown.joined(separator: "\n")) }
        try await emu.reset()
        let setup = sc["setup"] as? [String: Any] ?? [:]
        for d in setup["domains"] as? [Any] ?? [] {
            _ = try await emu.control(method: "POST", path: "domains", body: encode(d))
        }
        for u in setup["users"] as? [Any] ?? [] {
            _ = try await emu.addUser(userJson: encode(u))
        }
        if let policy = setup["policy"], !(policy is NSNull) {
            _ = try await emu.control(method: "POST", path: "policy", body: encode(policy))
        }
        if let faults = setup["faults"], !(faults is NSNull) {
            try await emu.setFaults(faultsJson: encode(faults))
        }
        var config = emu.clientConfig()
        switch at(sc, "client.app") as? String ?? "default" {
        case "default": break
        case "readonly":
            config.clientId = emu.readonlyClientId()
            config.clientSecret = Secret(value: emu.readonlyClientSecret())
        case "wrongSecret":
            config.clientSecret = Secret(value: "not-the-secret")
        case let other:
            return XCTFail("\(file): unknown app \(other)")
        }
        if let n = at(sc, "client.maxRetries") as? NSNumber { config.maxRetries = n.uint32Value }
        if let t = at(sc, "client.timeoutSecs") as? NSNumber { config.timeout = t.doubleValue }
        let client = try Client(config: config)
        var saved: [String: Any] = [:]
        // The scenario's own folder: `bulk` steps' inputs and named results files, kept across
        // steps so a later step resumes an earlier one's results.
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ei-scenario-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        for (i, stepAny) in (sc["steps"] as? [Any] ?? []).enumerated() {
            let step = stepAny as? [String: Any] ?? [:]
            let op = step["op"] as? String ?? ""
            let ctx = "\(file) step \(i) (\(op))"
            let input = try subst(step["input"] ?? NSNull(), saved, ctx)
            guard let expect = try subst(step["expect"] ?? [String: Any](), saved, ctx) as? [String: Any] else {
                throw ScenarioError.failed("\(ctx): expect is not an object")
            }
            if let why = unrepresentable(op, input) {
                print("SKIPPED \(ctx): \(why)")
                skipped.append(ctx)
                continue
            }
            let before = try await counter("totalRequests")
            var value: Any?
            var failure: EntraInviteError?
            do {
                value = try await runOp(client, op, input, work: work, step: i)
            } catch let e as EntraInviteError {
                failure = e
            }
            let after = try await counter("totalRequests")
            if let want = expect["error"] as? [String: Any] {
                guard let e = failure else {
                    XCTFail("\(ctx): expected an error \(want), got \(String(describing: value))")
                    continue
                }
                // Every key is optional; each one present is asserted.
                if let kind = want["kind"] as? String { XCTAssertEqual(e.kind(), kind, "\(ctx): \(e)") }
                if let code = want["code"] as? String { XCTAssertEqual(e.details().code, code, "\(ctx): \(e)") }
                if let field = want["field"] as? String { XCTAssertEqual(e.details().field, field, "\(ctx): \(e)") }
                if let maybe = want["maybeApplied"] as? Bool {
                    XCTAssertEqual(e.details().maybeApplied, maybe, "\(ctx): maybeApplied of \(e)")
                }
                if (expect["noRequest"] as? Bool) == true {
                    // The counter read itself is not counted; nothing else may have happened.
                    XCTAssertEqual(before, after, "\(ctx): a request reached Graph")
                }
                continue
            }
            if (expect["noRequest"] as? Bool) == true {
                XCTAssertEqual(before, after, "\(ctx): a request reached Graph")
            }
            guard let v = value else {
                XCTFail("\(ctx): \(String(describing: failure))")
                continue
            }
            // A path that is not in the result fails the step (it never reads as null).
            let got = { (p: String) -> Any? in
                if let x = existing(v, p) { return x }
                XCTFail("\(ctx): path \(p) does not exist in \(v)")
                return nil
            }
            for (p, want) in try section(expect, "ok", [String: Any].self, ctx) ?? [:] {
                guard let g = got(p) else { continue }
                XCTAssertTrue(same(g, want), "\(ctx): \(p) = \(show(g)), want \(show(want))")
            }
            for (p, want) in try section(expect, "okPrefix", [String: String].self, ctx) ?? [:] {
                guard let g = got(p) else { continue }
                XCTAssertTrue((g as? String)?.hasPrefix(want) == true, "\(ctx): \(p) = \(g)")
            }
            for p in try section(expect, "okPresent", [String].self, ctx) ?? [] {
                guard let g = got(p) else { continue }
                XCTAssertFalse(g is NSNull, "\(ctx): \(p) is null in \(v)")
            }
            for (k, p) in try section(expect, "save", [String: String].self, ctx) ?? [:] {
                saved[k] = got(p)
            }
        }
    }

    private func runOp(_ client: Client, _ op: String, _ rawInput: Any, work: URL, step: Int) async throws -> Any {
        let input = rawInput as? [String: Any] ?? [:]
        let str = { (k: String) -> String? in input[k] as? String }
        switch op {
        case "invite":
            return canonical(try await client.invite(request: try request(input)))
        case "inviteIfAbsent":
            let o = try await client.inviteIfAbsent(request: try request(input))
            return ["invited": o.invited, "invitation": o.invitation.map(canonical) ?? NSNull(),
                    "user": o.user.map(canonical) ?? NSNull()] as [String: Any]
        case "lookup":
            let l = try await client.lookup(email: str("email") ?? "")
            return ["exists": l.exists, "user": l.user.map(canonical) ?? NSNull(),
                    "verifiedDomain": l.verifiedDomain ?? NSNull()] as [String: Any]
        case "status":
            let s = try await client.status(user: str("user") ?? "")
            return ["userId": s.userId, "email": s.email ?? NSNull(), "state": s.rawState ?? NSNull(),
                    "changedAt": s.changedAt.map { ISO8601DateFormatter().string(from: $0) } ?? NSNull()] as [String: Any]
        case "guests":
            let state: ExternalUserState?
            switch str("state") {
            case nil: state = nil
            case "PendingAcceptance": state = .pendingAcceptance
            case "Accepted": state = .accepted
            case let other: throw ScenarioError.unknown("state \(other ?? "")")
            }
            let all = try await client.guests(state: state)
            return ["count": all.count, "emails": all.compactMap(\.email).sorted()] as [String: Any]
        case "reset":
            let req = InvitationRequest(invitedUserEmailAddress: str("email") ?? "", inviteRedirectUrl: str("redirectUrl") ?? "",
                                        invitedUserType: .guest)
            return canonical(try await client.resetRedemption(user: str("user") ?? "", request: req))
        case "redeem":
            return json(try await emu.redeem(emailOrId: str("email") ?? ""))
        case "faults":
            if rawInput is NSNull {
                return json(try await emu.control(method: "DELETE", path: "faults", body: nil))
            }
            return json(try await emu.control(method: "PUT", path: "faults", body: encode(rawInput)))
        case "counters":
            return json(try await emu.control(method: "GET", path: "counters", body: nil))
        case "bulk":
            return try await bulk(client, input, work: work, step: step)
        default:
            throw ScenarioError.unknown("op \(op)")
        }
    }

    /// Collects the rows a bulk run reports (called on the library's threads).
    final class Rows: BulkProgress, @unchecked Sendable {
        private let lock = NSLock()
        private var results: [BulkResult] = []
        var all: [BulkResult] { lock.withLock { results } }
        func onResult(result: BulkResult, summary: BulkSummary) throws {
            lock.withLock { results.append(result) }
        }
    }

    /// Writes the step's CSV to a file of the scenario's folder and runs the bulk API over it to
    /// the end (default options but `dryRun` and `skipExisting`; `results`: `<name>.csv` in the
    /// scenario's folder, resumed by later steps). Answers the canonical `{ summary, rows }`,
    /// rows in file order, or for `concurrent: n` (n runs at once) `{ completed, refused }`.
    private func bulk(_ client: Client, _ input: [String: Any], work: URL, step: Int) async throws -> Any {
        let bytes: Data
        if let b64 = input["csvBase64"] as? String {
            bytes = try XCTUnwrap(Data(base64Encoded: b64), "csvBase64 is base64")
        } else {
            bytes = Data((input["csv"] as? String ?? "").utf8)
        }
        let fm = FileManager.default
        let inputs = work.appendingPathComponent("inputs")
        try fm.createDirectory(at: inputs, withIntermediateDirectories: true)
        let path = inputs.appendingPathComponent("step-\(step).csv")
        try bytes.write(to: path)
        var resultsPath: String?
        if let name = input["results"] {
            guard let name = name as? String, !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                throw ScenarioError.failed("results must be a plain file name, not \(name)")
            }
            let dir = work.appendingPathComponent("results")
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            resultsPath = dir.appendingPathComponent("\(name).csv").path
        }
        let options = BulkOptions(
            skipExisting: input["skipExisting"] as? Bool ?? true,
            dryRun: input["dryRun"] as? Bool ?? false,
            results: resultsPath,
            settleTimeout: settle)
        if let n = input["concurrent"] {
            guard let n = n as? Int, n >= 1 else { throw ScenarioError.failed("concurrent must be at least 1, not \(n)") }
            // All started at once; each ends as a finished run or an error.
            let ends = await withTaskGroup(of: Error?.self) { group -> [Error?] in
                for _ in 0..<n {
                    group.addTask {
                        do {
                            _ = try await client.bulkInvite(inputPath: path.path, options: options, progress: nil)
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                var all: [Error?] = []
                for await end in group { all.append(end) }
                return all
            }
            var completed = 0, refused = 0
            for end in ends {
                guard let error = end else {
                    completed += 1
                    continue
                }
                // Refused because the results file is in use; any other error is the step's.
                guard let e = error as? EntraInviteError, e.kind() == "InvalidInput", e.details().field == "results" else {
                    throw error
                }
                refused += 1
            }
            return json(try encode(["completed": completed, "refused": refused]))
        }
        let rows = Rows()
        let summary = try await client.bulkInvite(inputPath: path.path, options: options, progress: rows)
        let result: [String: Any] = [
            "summary": ["invited": Int(summary.invited), "existing": Int(summary.existing), "failed": Int(summary.failed),
                        "invalid": Int(summary.invalid), "valid": Int(summary.valid), "resumed": Int(summary.resumed),
                        "added": Int(summary.added), "fixed": Int(summary.fixed), "removed": Int(summary.removed),
                        "inputChanged": summary.inputChanged] as [String: Any],
            "rows": rows.all.sorted { $0.row < $1.row }.map { r -> [String: Any] in
                ["row": Int(r.row), "email": r.email, "outcome": canonical(r.outcome), "errorKind": opt(r.errorKind),
                 "userId": opt(r.userId), "redeemUrl": opt(r.redeemUrl)]
            },
        ]
        // Through JSON text, so the values compare like the scenario's own.
        return json(try encode(result))
    }

    private func request(_ input: [String: Any]) throws -> InvitationRequest {
        var userType: UserType?
        if let t = input["userType"], !(t is NSNull) {
            guard let typed = (t as? String).flatMap(scenarioUserType) else {
                throw ScenarioError.failed("userType \(t) cannot be expressed; the step should have been skipped")
            }
            userType = typed
        }
        return InvitationRequest(
            invitedUserEmailAddress: input["email"] as? String ?? "",
            inviteRedirectUrl: input["redirectUrl"] as? String ?? "",
            invitedUserDisplayName: input["displayName"] as? String,
            sendInvitationMessage: input["sendMessage"] as? Bool ?? false,
            customizedMessageBody: input["message"] as? String,
            messageLanguage: input["language"] as? String,
            ccRecipients: (input["cc"] as? [String] ?? []).map { CcRecipient(address: $0) },
            invitedUserType: userType ?? .guest
        )
    }
}

enum ScenarioError: Error {
    case unknown(String)
    case failed(String)
}

// The keys each part of a scenario may have (tests/scenarios/README.md). Step `input` objects are
// op-specific and not checked.
private let topKeys = ["name", "setup", "client", "steps"]
private let setupKeys = ["users", "domains", "faults", "policy"]
private let clientKeys = ["app", "maxRetries", "timeoutSecs"]
private let stepKeys = ["op", "input", "expect"]
private let expectKeys = ["ok", "okPrefix", "okPresent", "save", "error", "noRequest"]
private let errorKeys = ["kind", "code", "field", "maybeApplied"]

/// One line per key of the scenario that the format does not know (a typo'd key would otherwise
/// be ignored, and the expectation it was meant to carry would never run).
private func unknownKeys(_ sc: [String: Any], _ name: String) -> [String] {
    var out: [String] = []
    func check(_ v: Any?, _ allowed: [String], _ ctx: String, _ part: String) {
        let keys = (v as? [String: Any])?.keys.sorted() ?? []
        for k in keys where !allowed.contains(k) {
            out.append("\(ctx): unknown key \"\(k)\" in \(part) (allowed: \(allowed.joined(separator: ", ")))")
        }
    }
    check(sc, topKeys, name, "the scenario")
    check(sc["setup"], setupKeys, name, "setup")
    check(sc["client"], clientKeys, name, "client")
    for (i, stepAny) in (sc["steps"] as? [Any] ?? []).enumerated() {
        let step = stepAny as? [String: Any]
        let ctx = "\(name) step \(i) (\(step?["op"] as? String ?? "?"))"
        let expect = step?["expect"] as? [String: Any]
        check(step, stepKeys, ctx, "the step")
        check(expect, expectKeys, ctx, "expect")
        check(expect?["error"], errorKeys, ctx, "expect.error")
    }
    return out
}

/// The typed value of a scenario's `userType` (the core reads it case-insensitively).
private func scenarioUserType(_ t: String) -> UserType? {
    switch t.lowercased() {
    case "guest": return .guest
    case "member": return .member
    default: return nil
    }
}

/// Why a step cannot run through the typed Swift API, or nil when it can: `invitedUserType` is the
/// enum `UserType`, so an unknown `userType` (which the core refuses with InvalidInput) cannot even
/// be passed. Such a step is skipped, never answered with an error made up here.
private func unrepresentable(_ op: String, _ input: Any) -> String? {
    guard op == "invite" || op == "inviteIfAbsent",
          let t = (input as? [String: Any])?["userType"], !(t is NSNull) else { return nil }
    if let s = t as? String, scenarioUserType(s) != nil { return nil }
    return "userType '\(t)' is unrepresentable in the typed Swift API (invitedUserType is the enum UserType), "
        + "so the library's refusal of it cannot be exercised from Swift"
}

/// An `expect` section of the given shape; nil when absent, a failure when it has another shape
/// (a cast that quietly fell back to empty would assert nothing).
private func section<T>(_ expect: [String: Any], _ key: String, _ type: T.Type, _ ctx: String) throws -> T? {
    guard let raw = expect[key] else { return nil }
    guard let typed = raw as? T else { throw ScenarioError.failed("\(ctx): expect.\(key) is not a \(T.self): \(raw)") }
    return typed
}

/// `a.b.0.c`: object keys and array indices in a step's result; nil when a key or index is not
/// there (a JSON null is NSNull), so a typo'd path never reads as null.
private func existing(_ value: Any, _ path: String) -> Any? {
    var cur = value
    for key in path.split(separator: ".", omittingEmptySubsequences: false) {
        if let a = cur as? [Any], let i = Int(key) {
            guard i >= 0 && i < a.count else { return nil }
            cur = a[i]
        } else if let o = cur as? [String: Any], let next = o[String(key)] {
            cur = next
        } else {
            return nil
        }
    }
    return cur
}

private func encode(_ v: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed]), as: UTF8.self)
}

/// `$name` replaced by the value saved under that name; a name nothing was saved under fails.
private func subst(_ v: Any, _ saved: [String: Any], _ ctx: String) throws -> Any {
    switch v {
    case let s as String where s.hasPrefix("$"):
        guard let x = saved[String(s.dropFirst())] else { throw ScenarioError.failed("\(ctx): nothing saved as \(s)") }
        return x
    case let a as [Any]: return try a.map { try subst($0, saved, ctx) }
    case let o as [String: Any]: return try o.mapValues { try subst($0, saved, ctx) }
    default: return v
    }
}

/// A value for a failure message (a JSON boolean shows as true/false, not 1/0).
private func show(_ v: Any) -> String {
    jsonBool(v).map { $0 ? "true" : "false" } ?? String(describing: v)
}

/// The value of a JSON boolean: a Swift `Bool`, or the NSNumber JSONSerialization makes of
/// `true`/`false` (objCType "c"); nil for anything else, numbers included.
private func jsonBool(_ v: Any) -> Bool? {
    if type(of: v) == Bool.self { return v as? Bool }
    if let n = v as? NSNumber, String(cString: n.objCType) == "c" { return n.boolValue }
    return nil
}

/// JSON equality of two values from JSONSerialization or built here, as strict as the other
/// runners': a boolean only equals a boolean (NSNumber alone would make `true` equal `1`),
/// numbers compare by value, strings only equal strings.
private func same(_ a: Any, _ b: Any) -> Bool {
    if a is NSNull || b is NSNull { return a is NSNull && b is NSNull }
    let (p, q) = (jsonBool(a), jsonBool(b))
    if p != nil || q != nil { return p == q }
    switch (a, b) {
    case let (x as String, y as String): return x == y
    case (is String, _), (_, is String): return false
    case let (x as [Any], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    case let (x as [String: Any], y as [String: Any]):
        return x.count == y.count && x.allSatisfy { k, v in y[k].map { same(v, $0) } ?? false }
    case let (x as NSNumber, y as NSNumber): return x == y
    default: return false
    }
}

private func opt(_ v: Any?) -> Any { v ?? NSNull() }

/// The core's name of an outcome (`invited`, `existing`, ...), as in the results CSV.
private func canonical(_ o: BulkOutcome) -> String {
    switch o {
    case .invited: return "invited"
    case .existing: return "existing"
    case .failed: return "failed"
    case .invalid: return "invalid"
    case .valid: return "valid"
    case .sending: return "sending"
    }
}

/// Graph's invitation JSON, rebuilt from the typed record (the scenarios' canonical shape).
private func canonical(_ i: Invitation) -> [String: Any] {
    [
        "id": opt(i.id), "invitedUserDisplayName": opt(i.invitedUserDisplayName),
        "invitedUserEmailAddress": opt(i.invitedUserEmailAddress), "invitedUserType": opt(i.invitedUserType),
        "inviteRedeemUrl": opt(i.inviteRedeemUrl), "inviteRedirectUrl": opt(i.inviteRedirectUrl),
        "resetRedemption": opt(i.resetRedemption), "sendInvitationMessage": opt(i.sendInvitationMessage),
        "status": opt(i.status),
        "invitedUser": i.invitedUser.map { ["id": opt($0.id), "userPrincipalName": opt($0.userPrincipalName)] as [String: Any] } ?? NSNull(),
    ]
}

/// Graph's user JSON, rebuilt from the typed record.
private func canonical(_ u: User) -> [String: Any] {
    [
        "id": u.id, "displayName": opt(u.displayName), "mail": opt(u.mail),
        "userPrincipalName": opt(u.userPrincipalName), "userType": opt(u.userType),
        "creationType": opt(u.creationType), "externalUserState": opt(u.externalUserState),
        "externalUserStateChangeDateTime": opt(u.externalUserStateChangeDateTime),
        "accountEnabled": opt(u.accountEnabled), "otherMails": u.otherMails ?? [], "proxyAddresses": u.proxyAddresses ?? [],
        "createdDateTime": opt(u.createdDateTime),
    ]
}
