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
            config.clientSecret = emu.readonlyClientSecret()
        case "wrongSecret":
            config.clientSecret = "not-the-secret"
        case let other:
            return XCTFail("\(file): unknown app \(other)")
        }
        if let n = at(sc, "client.maxRetries") as? NSNumber { config.maxRetries = n.uint32Value }
        let client = try Client(config: config)
        var saved: [String: Any] = [:]
        for (i, stepAny) in (sc["steps"] as? [Any] ?? []).enumerated() {
            let step = stepAny as? [String: Any] ?? [:]
            let op = step["op"] as? String ?? ""
            let input = subst(step["input"] ?? [String: Any](), saved) as? [String: Any] ?? [:]
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
                XCTAssertEqual(e.kind(), want["kind"] as? String, "\(ctx): \(e)")
                if let code = want["code"] as? String { XCTAssertEqual(e.code, code, "\(ctx): \(e)") }
                if let field = want["field"] as? String { XCTAssertEqual(e.field, field, "\(ctx): \(e)") }
                if (expect["noRequest"] as? Bool) == true {
                    XCTAssertEqual(before, after, "\(ctx): a request reached Graph")
                }
                continue
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

    private func runOp(_ client: Client, _ op: String, _ input: [String: Any]) async throws -> Any {
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
        default:
            throw ScenarioError.unknown("op \(op)")
        }
    }

    private func request(_ input: [String: Any]) throws -> InvitationRequest {
        var userType: UserType?
        switch (input["userType"] as? String)?.lowercased() {
        case nil: userType = nil
        case "guest": userType = .guest
        case "member": userType = .member
        case let other:
            throw EntraInviteError.InvalidInput(detail: "'\(other ?? "")' is not Guest or Member", field: "invitedUserType",
                                                status: nil, code: nil, requestId: nil, clientRequestId: nil, retryAfter: nil)
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
