import EntraInvite
import EntraInviteTesting
import Foundation
import XCTest

/// Every operation of the client against the emulator.
final class ClientTests: EmulatorTestCase {
    func testInviteReturnsGraphsInvitation() async throws {
        let invitation = try await client.invite(request: InvitationRequest(
            invitedUserEmailAddress: "taylor@fabrikam.com",
            inviteRedirectUrl: "https://myapps.microsoft.com/",
            invitedUserDisplayName: "Taylor Kim",
            sendInvitationMessage: true,
            customizedMessageBody: "Welcome aboard",
            ccRecipients: [CcRecipient(address: "lead@contoso.com")],
            invitedUserType: .guest
        ))
        print("Invited \(invitation.invitedUser?.id ?? "?"): \(invitation.inviteRedeemUrl ?? "")")
        XCTAssertEqual(invitation.invitedUserEmailAddress, "taylor@fabrikam.com")
        XCTAssertEqual(invitation.invitedUserDisplayName, "Taylor Kim")
        XCTAssertEqual(invitation.invitedUserType, "Guest")
        XCTAssertEqual(invitation.status, "PendingAcceptance")
        XCTAssertTrue(invitation.inviteRedeemUrl?.hasPrefix("https://login.microsoftonline.com/redeem?rd=") ?? false)
        XCTAssertEqual(invitation.invitedUser?.userPrincipalName, "taylor_fabrikam.com#EXT#@contoso.onmicrosoft.com")
        XCTAssertEqual(invitation.invitedUserMessageInfo?.customizedMessageBody, "Welcome aboard")
        XCTAssertEqual(invitation.invitedUserMessageInfo?.ccRecipients.first?.emailAddress.address, "lead@contoso.com")
        // extra holds Graph's properties this library does not model, as a JSON object.
        XCTAssertNotNil((json(invitation.extra) as? [String: Any])?["@odata.context"] as? String, invitation.extra)
        let sent = try await emu.outbox()
        let outbox = try XCTUnwrap(json(sent) as? [Any])
        XCTAssertEqual(outbox.count, 1)
        XCTAssertEqual(at(outbox[0], "to") as? String, "taylor@fabrikam.com")
        XCTAssertEqual(at(outbox[0], "cc") as? [String], ["lead@contoso.com"])
    }

    func testInviteAsMember() async throws {
        let inv = try await client.invite(request: InvitationRequest(
            invitedUserEmailAddress: "pat@fabrikam.com", inviteRedirectUrl: redirect, invitedUserType: .member))
        XCTAssertEqual(inv.invitedUserType, "Member")
    }

    func testLookupFindsNothingAUserOrAVerifiedDomain() async throws {
        let none = try await client.lookup(email: "nobody@fabrikam.com")
        XCTAssertEqual(none, Lookup(exists: false, user: nil, verifiedDomain: nil))
        _ = try await client.invite(request: request("sam@litware.com"))
        let found = try await client.lookup(email: "sam@litware.com")
        XCTAssertTrue(found.exists, "expected an existing user, got \(found)")
        let user = try XCTUnwrap(found.user)
        XCTAssertEqual(user.userType, "Guest")
        XCTAssertEqual(user.creationType, "Invitation")
        XCTAssertEqual(user.externalUserState, "PendingAcceptance")
        XCTAssertEqual(user.mail, "sam@litware.com")
        let domain = try await client.lookup(email: "newhire@contoso.com")
        XCTAssertFalse(domain.exists)
        XCTAssertEqual(domain.verifiedDomain, "contoso.com")
    }

    func testInviteIfAbsentInvitesOnceThenReportsTheUser() async throws {
        let first = try await client.inviteIfAbsent(request: request("kim@fabrikam.com"))
        XCTAssertTrue(first.invited)
        XCTAssertNil(first.user)
        let invitation = try XCTUnwrap(first.invitation)
        let second = try await client.inviteIfAbsent(request: request("kim@fabrikam.com"))
        XCTAssertFalse(second.invited)
        XCTAssertNil(second.invitation)
        XCTAssertEqual(second.user?.id, invitation.invitedUser?.id)
        let created = try await counter("invitationsCreated")
        XCTAssertEqual(created, 1)
    }

    func testStatusFollowsRedemptionByIdAndByEmail() async throws {
        let inv = try await client.invite(request: request("lee@northwind.com"))
        let id = try XCTUnwrap(inv.invitedUser?.id)
        let pending = try await client.status(user: id)
        XCTAssertEqual(pending.state, .pendingAcceptance)
        XCTAssertEqual(pending.email, "lee@northwind.com")
        XCTAssertNotNil(pending.changedAt)
        _ = try await emu.redeem(emailOrId: "lee@northwind.com")
        let accepted = try await client.status(user: "lee@northwind.com")
        XCTAssertEqual(accepted.state, .accepted)
        XCTAssertEqual(accepted.rawState, "Accepted")
        XCTAssertEqual(accepted.userId, id)
        XCTAssertGreaterThan(try XCTUnwrap(accepted.changedAt), Date().addingTimeInterval(-300))
    }

    func testGuestsListsEveryPageAndFiltersByState() async throws {
        for i in 1...5 { _ = try await client.invite(request: request("g\(i)@fabrikam.com")) }
        _ = try await emu.redeem(emailOrId: "g1@fabrikam.com")
        let all = try await client.guests(state: nil)
        XCTAssertEqual(all.count, 5)
        let accepted = try await client.guests(state: .accepted)
        XCTAssertEqual(accepted.map(\.email), ["g1@fabrikam.com"])
        let pending = try await client.guests(state: .pendingAcceptance)
        XCTAssertEqual(pending.count, 4)
        let pager = try client.guestPages(state: nil, pageSize: 2)
        var pages = 0
        var seen: [String] = []
        while let page = try await pager.nextPage() {
            pages += 1
            seen += page.compactMap(\.email)
        }
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen.sorted(), (1...5).map { "g\($0)@fabrikam.com" })
        XCTAssertEqual(pager.total(), 5)
    }

    func testResetRedemptionKeepsTheUserAndIssuesANewLink() async throws {
        let first = try await client.invite(request: request("alex@fabrikam.com"))
        _ = try await emu.redeem(emailOrId: "alex@fabrikam.com")
        let reset = try await client.resetRedemption(user: "alex@fabrikam.com", request: request("alex@litware.com"))
        XCTAssertEqual(reset.invitedUser?.id, first.invitedUser?.id)
        XCTAssertEqual(reset.resetRedemption, true)
        XCTAssertNotEqual(reset.inviteRedeemUrl, first.inviteRedeemUrl)
        let status = try await client.status(user: try XCTUnwrap(first.invitedUser?.id))
        XCTAssertEqual(status.state, .pendingAcceptance)
    }

    final class Progress: BulkProgress, @unchecked Sendable {
        private let lock = NSLock()
        private(set) var results: [BulkResult] = []
        private(set) var threads: Set<String> = []
        func onResult(result: BulkResult, summary: BulkSummary) throws {
            lock.lock(); defer { lock.unlock() }
            results.append(result)
            threads.insert(nativeThreadName())
        }
    }

    func testBulkInviteReportsEveryRowAndReturnsTheCounts() async throws {
        _ = try await client.invite(request: request("already@fabrikam.com"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("entra-invite-bulk-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let input = dir.appendingPathComponent("guests.csv")
        try """
        email,redirectUrl,displayName
        one@fabrikam.com,https://myapps.microsoft.com/,One
        two@fabrikam.com,https://myapps.microsoft.com/,Two
        already@fabrikam.com,https://myapps.microsoft.com/,Again
        not-an-address,https://myapps.microsoft.com/,Bad

        """.write(to: input, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results.csv").path
        let progress = Progress()
        let summary = try await client.bulkInvite(
            inputPath: input.path, options: BulkOptions(concurrency: 4, results: results, settleTimeout: settle), progress: progress)
        XCTAssertEqual(summary, BulkSummary(invited: 2, existing: 1, failed: 0, invalid: 1, valid: 0, resumed: 0,
                                            inputChanged: false, added: 0, fixed: 0, removed: 0))
        XCTAssertEqual(progress.results.count, 4)
        XCTAssertEqual(progress.results.first { $0.email == "not-an-address" }?.outcome, .invalid)
        XCTAssertNotNil(progress.results.first { $0.email == "one@fabrikam.com" }?.redeemUrl)
        // The callback is called from the runtime's own threads.
        XCTAssertEqual(progress.threads, ["entra-invite-rt"])
        // A second run with the same results file redoes nothing: the settled rows are resumed, the
        // invalid one is reported again (nothing about an invalid row is resumed).
        let again = try await client.bulkInvite(inputPath: input.path, options: BulkOptions(results: results, settleTimeout: settle), progress: nil)
        XCTAssertEqual(again.resumed, 3)
        XCTAssertEqual(again.invalid, 1)
        XCTAssertEqual(again.invited, 0)
        let created = try await counter("invitationsCreated")
        XCTAssertEqual(created, 3)
    }

    final class Provider: TokenProvider, @unchecked Sendable {
        let emu: TestEmulator
        private let lock = NSLock()
        private var count = 0
        var calls: Int { lock.withLock { count } }
        init(emu: TestEmulator) { self.emu = emu }
        func token() async throws -> ProvidedToken {
            lock.withLock { count += 1 }
            let answer = try await emu.control(method: "POST", path: "tokens", body: "{}")
            let token = at(json(answer), "access_token") as? String ?? ""
            return ProvidedToken(token: Secret(value: token), expiresOn: Date().addingTimeInterval(3600))
        }
    }

    func testATokenProviderSuppliesTheTokens() async throws {
        let provider = Provider(emu: emu)
        let delegated = try Client(config: ClientOptions(tokenProvider: provider, graphUrl: emu.url()))
        let before = try await delegated.lookup(email: "ana@fabrikam.com")
        XCTAssertFalse(before.exists)
        _ = try await delegated.invite(request: request("ana@fabrikam.com"))
        let after = try await delegated.lookup(email: "ana@fabrikam.com")
        XCTAssertTrue(after.exists, "not found")
        XCTAssertEqual(provider.calls, 1, "the token is cached until shortly before it expires")
    }

    final class FailingProvider: TokenProvider {
        func token() async throws -> ProvidedToken {
            throw EntraInviteError.Auth(details: ErrorDetails(kind: .auth, message: "user session expired"))
        }
    }

    func testAFailingTokenProviderFailsTheCall() async throws {
        let delegated = try Client(config: ClientOptions(tokenProvider: FailingProvider(), graphUrl: emu.url()))
        let e = await expectError { try await delegated.lookup(email: "ana@fabrikam.com") }
        XCTAssertEqual(e?.kind(), "Auth")
        XCTAssertTrue(e?.details().message.contains("tokenProvider") ?? false)
        XCTAssertTrue(e?.details().message.contains("user session expired") ?? false)
        let total = try await counter("totalRequests")
        XCTAssertEqual(total, 0)
    }

    func testAFixedAccessToken() async throws {
        let answer = try await emu.control(method: "POST", path: "tokens", body: "{}")
        let token = try XCTUnwrap(at(json(answer), "access_token") as? String)
        let fixed = try Client(config: ClientOptions(token: Secret(value: token), graphUrl: emu.url()))
        let found = try await fixed.lookup(email: "fixed@fabrikam.com")
        XCTAssertFalse(found.exists)
        XCTAssertEqual(fixed.tenant(), "")
    }

    func testHttpsWithTheEmulatorsOwnCertificate() async throws {
        let secure = try await startEmulator(https: true)
        let config = secure.clientConfig()
        XCTAssertTrue(config.graphUrl?.hasPrefix("https://") ?? false)
        XCTAssertNotNil(config.caCertPem)
        let c = try Client(config: config)
        let found = try await c.lookup(email: "tls@fabrikam.com")
        XCTAssertFalse(found.exists)
        XCTAssertTrue(c.graphUrl().hasPrefix("https://127.0.0.1:"))
        var untrusted = config
        untrusted.caCertPem = nil
        let e = await expectError { try await Client(config: untrusted).lookup(email: "tls@fabrikam.com") }
        XCTAssertEqual(e?.kind(), "Network")
        try await secure.stop()
    }

    func testFromEnvWithoutACredentialNamesWhatIsMissing() async throws {
        // The Swift root starts tests with an empty environment.
        let e = await expectError { try Client.fromEnv() }
        XCTAssertEqual(e?.kind(), "InvalidInput")
        XCTAssertEqual(e?.details().field, "credential")
    }

    func testAConfigurationMistakeIsInvalidInputBeforeAnyRequest() async throws {
        let e = await expectError {
            try Client(config: ClientOptions(tenant: "contoso.onmicrosoft.com", clientId: "x", clientSecret: Secret(value: "y"),
                                            graphUrl: "http://example.com"))
        }
        XCTAssertEqual(e?.kind(), "InvalidInput")
        XCTAssertEqual(e?.details().field, "graph_url")
        XCTAssertNil(e?.details().status)
    }
}
