import EntraInvite
import Foundation
import XCTest

/// Runs every shared scenario of tests/scenarios/ (format: tests/scenarios/README.md).
final class ScenariosTests: EmulatorTestCase {
    /// tests/scenarios, found from this file's place in the repository.
    static let dir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/scenarios")

    func testEverySharedScenario() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.dir.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 10, "scenarios missing in \(Self.dir.path)")
        for f in files {
            try await run(f)
        }
    }

    private func run(_ file: String) async throws {
        let text = try String(contentsOf: Self.dir.appendingPathComponent(file), encoding: .utf8)
        let sc = try XCTUnwrap(json(text) as? [String: Any], file)
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
        for (i, stepAny) in (sc["steps"] as? [Any] ?? []).enumerated() {
            let step = stepAny as? [String: Any] ?? [:]
            let op = step["op"] as? String ?? ""
            let input = subst(step["input"] ?? NSNull(), saved)
            let expect = subst(step["expect"] ?? [String: Any](), saved) as? [String: Any] ?? [:]
            let ctx = "\(file) step \(i) (\(op))"
            let before = try await counter("totalRequests")
            var value: Any?
            var failure: EntraInviteError?
            do {
                value = try await runOp(client, op, input)
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
                if let code = want["code"] as? String { XCTAssertEqual(e.code, code, "\(ctx): \(e)") }
                if let field = want["field"] as? String { XCTAssertEqual(e.field, field, "\(ctx): \(e)") }
                if let maybe = want["maybeApplied"] as? Bool {
                    XCTAssertEqual(e.maybeApplied, maybe, "\(ctx): maybeApplied of \(e)")
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
            for (p, want) in expect["ok"] as? [String: Any] ?? [:] {
                XCTAssertTrue(same(at(v, p), want), "\(ctx): \(p) = \(at(v, p)), want \(want)")
            }
            for (p, want) in expect["okPrefix"] as? [String: String] ?? [:] {
                let got = at(v, p) as? String ?? ""
                XCTAssertTrue(got.hasPrefix(want), "\(ctx): \(p) = \(got)")
            }
            for p in expect["okPresent"] as? [String] ?? [] {
                XCTAssertFalse(at(v, p) is NSNull, "\(ctx): \(p) missing in \(v)")
            }
            for (k, p) in expect["save"] as? [String: String] ?? [:] {
                saved[k] = at(v, p)
            }
        }
    }

    private func runOp(_ client: Client, _ op: String, _ rawInput: Any) async throws -> Any {
        let input = rawInput as? [String: Any] ?? [:]
        let str = { (k: String) -> String? in input[k] as? String }
        switch op {
        case "invite":
            return canonical(try await client.invite(request: try request(input)))
        case "inviteIfAbsent":
            switch try await client.inviteIfAbsent(request: try request(input)) {
            case let .invited(invitation):
                return ["invited": true, "invitation": canonical(invitation), "user": NSNull()] as [String: Any]
            case let .existing(user):
                return ["invited": false, "invitation": NSNull(), "user": canonical(user)] as [String: Any]
            }
        case "lookup":
            switch try await client.lookup(email: str("email") ?? "") {
            case .notFound:
                return ["exists": false, "user": NSNull(), "verifiedDomain": NSNull()] as [String: Any]
            case let .existing(user):
                return ["exists": true, "user": canonical(user), "verifiedDomain": NSNull()] as [String: Any]
            case let .verifiedDomain(domain):
                return ["exists": false, "user": NSNull(), "verifiedDomain": domain] as [String: Any]
            }
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
            let req = InvitationRequest(invitedUserEmailAddress: str("email") ?? "", inviteRedirectUrl: str("redirectUrl") ?? "")
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
            return try await bulk(client, input)
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

    /// Writes the step's CSV to a file, runs the bulk API over it to the end (default options
    /// but `dryRun`), and answers the canonical `{ summary, rows }`, rows in file order.
    private func bulk(_ client: Client, _ input: [String: Any]) async throws -> Any {
        let bytes: Data
        if let b64 = input["csvBase64"] as? String {
            bytes = try XCTUnwrap(Data(base64Encoded: b64), "csvBase64 is base64")
        } else {
            bytes = Data((input["csv"] as? String ?? "").utf8)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ei-scenario-bulk-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("input.csv")
        try bytes.write(to: path)
        let rows = Rows()
        let summary = try await client.bulkInvite(
            inputPath: path.path, options: BulkOptions(dryRun: input["dryRun"] as? Bool ?? false), progress: rows)
        let result: [String: Any] = [
            "summary": ["invited": Int(summary.invited), "existing": Int(summary.existing), "failed": Int(summary.failed),
                        "invalid": Int(summary.invalid), "valid": Int(summary.valid)],
            "rows": rows.all.sorted { $0.row < $1.row }.map { r -> [String: Any] in
                ["row": Int(r.row), "email": r.email, "outcome": canonical(r.outcome), "errorKind": opt(r.errorKind)]
            },
        ]
        // Through JSON text, so the values compare like the scenario's own.
        return json(try encode(result))
    }

    private func request(_ input: [String: Any]) throws -> InvitationRequest {
        var userType: UserType?
        switch (input["userType"] as? String)?.lowercased() {
        case nil: userType = nil
        case "guest": userType = .guest
        case "member": userType = .member
        case let other:
            throw EntraInviteError.InvalidInput(detail: "'\(other ?? "")' is not Guest or Member", field: "invitedUserType",
                                                status: nil, code: nil, requestId: nil, clientRequestId: nil, retryAfter: nil,
                                                maybeApplied: false)
        }
        return InvitationRequest(
            invitedUserEmailAddress: input["email"] as? String ?? "",
            inviteRedirectUrl: input["redirectUrl"] as? String ?? "",
            invitedUserDisplayName: input["displayName"] as? String,
            sendInvitationMessage: input["sendMessage"] as? Bool ?? false,
            customizedMessageBody: input["message"] as? String,
            messageLanguage: input["language"] as? String,
            ccRecipients: input["cc"] as? [String] ?? [],
            invitedUserType: userType
        )
    }
}

enum ScenarioError: Error { case unknown(String) }

private func encode(_ v: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed]), as: UTF8.self)
}

private func subst(_ v: Any, _ saved: [String: Any]) -> Any {
    switch v {
    case let s as String where s.hasPrefix("$"): return saved[String(s.dropFirst())] ?? NSNull()
    case let a as [Any]: return a.map { subst($0, saved) }
    case let o as [String: Any]: return o.mapValues { subst($0, saved) }
    default: return v
    }
}

/// JSON equality of two values from JSONSerialization or built here.
private func same(_ a: Any, _ b: Any) -> Bool {
    switch (a, b) {
    case (is NSNull, is NSNull): return true
    case let (x as String, y as String): return x == y
    case let (x as [Any], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    case let (x as [String: Any], y as [String: Any]):
        return x.count == y.count && x.allSatisfy { k, v in y[k].map { same(v, $0) } ?? false }
    case let (x as NSNumber, y as NSNumber): return x == y
    case let (x as Bool, y as Bool): return x == y
    case let (x as Int, y as Int): return x == y
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
        "accountEnabled": opt(u.accountEnabled), "otherMails": u.otherMails, "proxyAddresses": u.proxyAddresses,
        "createdDateTime": opt(u.createdDateTime),
    ]
}
