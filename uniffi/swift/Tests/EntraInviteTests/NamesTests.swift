import EntraInvite
import EntraInviteTesting
import Foundation
import XCTest

/// The public names of the generated types are the canonical ones of tests/api/names.json
/// (Graph's camelCase, which Swift keeps; enum cases in lowerCamelCase). Record fields are read
/// with `Mirror` from real instances, so a renamed or added field fails here.
final class NamesTests: EmulatorTestCase {
    static let names: [String: Any] = {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/api/names.json")
        return (try? Data(contentsOf: file)).flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any] ?? [:]
    }()

    func list(_ section: String) -> [String: Set<String>] {
        (Self.names[section] as? [String: [String]] ?? [:]).mapValues(Set.init)
    }

    func fields(_ value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    func lowerCamel(_ name: String) -> String {
        name.prefix(1).lowercased() + name.dropFirst()
    }

    func testEveryResultTypeHasExactlyTheCanonicalFields() async throws {
        var req = request("names@fabrikam.com")
        req.customizedMessageBody = "Hello"
        req.ccRecipients = [CcRecipient(address: "lead@contoso.com", name: "Lead")]
        let invitation = try await client.invite(request: req)
        let info = try XCTUnwrap(invitation.invitedUserMessageInfo)
        let lookup = try await client.lookup(email: "names@fabrikam.com")
        let outcome = try await client.inviteIfAbsent(request: request("names@fabrikam.com"))
        let status = try await client.status(user: "names@fabrikam.com")
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("names-\(UUID()).csv")
        try "email,redirectUrl\nrow@fabrikam.com,https://myapps.microsoft.com/\n".write(to: input, atomically: true, encoding: .utf8)
        let progress = ClientTests.Progress()
        let summary = try await client.bulkInvite(
            inputPath: input.path, options: BulkOptions(dryRun: true, settleTimeout: settle), progress: progress)
        let error = await expectError { try await self.client.status(user: "ghost@fabrikam.com") }
        let instances: [String: Any] = [
            "Invitation": invitation, "InvitedUser": try XCTUnwrap(invitation.invitedUser),
            "InvitedUserMessageInfo": info, "Recipient": try XCTUnwrap(info.ccRecipients.first),
            "EmailAddress": try XCTUnwrap(info.ccRecipients.first?.emailAddress),
            "User": try XCTUnwrap(lookup.user), "ObjectIdentity": ObjectIdentity(signInType: nil, issuer: nil, issuerAssignedId: nil),
            "Lookup": lookup, "InviteOutcome": outcome, "GuestStatus": status,
            "BulkResult": try XCTUnwrap(progress.results.first), "BulkSummary": summary,
            "ErrorDetails": try XCTUnwrap(error?.details()),
        ]
        let types = list("types")
        XCTAssertEqual(Set(types.keys), Set(instances.keys))
        for (name, want) in types {
            XCTAssertEqual(fields(try XCTUnwrap(instances[name])), want, name)
        }
    }

    func testTheInputsHaveExactlyTheCanonicalFields() {
        let inputs = list("inputs")
        XCTAssertEqual(fields(request("a@fabrikam.com")), inputs["InvitationRequest"])
        XCTAssertEqual(fields(BulkOptions(settleTimeout: settle)), inputs["BulkOptions"])
        // The client options are a struct here (secrets as `Secret` objects).
        XCTAssertEqual(fields(ClientOptions()), inputs["ClientOptions"])
    }

    func testTheEnumsHaveExactlyTheCanonicalCases() {
        let cases: [String: [Any]] = [
            "ErrorKind": ErrorKind.allCases, "ExternalUserState": ExternalUserState.allCases,
            "UserType": UserType.allCases, "BulkOutcome": BulkOutcome.allCases,
        ]
        let enums = list("enums")
        XCTAssertEqual(Set(enums.keys), Set(cases.keys))
        for (name, want) in enums {
            XCTAssertEqual(Set(cases[name, default: []].map { "\($0)" }), Set(want.map(lowerCamel)), name)
        }
    }

    /// Swift has no reflection of methods: each canonical name maps to a use of it, which must
    /// compile, and the names mapped must be exactly the file's.
    func testTheClientHasTheCanonicalMethodsPropertiesAndConstructors() {
        let uses: [String: (Client) -> Any] = [
            "invite": { $0.invite(request:) }, "inviteIfAbsent": { $0.inviteIfAbsent(request:) },
            "lookup": { $0.lookup(email:) }, "status": { $0.status(user:) }, "guests": { $0.guests(state:) },
            "resetRedemption": { $0.resetRedemption(user:request:) },
            "bulkInvite": { $0.bulkInvite(inputPath:options:progress:) },
            "tenant": { $0.tenant() }, "graphUrl": { $0.graphUrl() }, "fromEnv": { _ in Client.fromEnv },
        ]
        guard let client = Self.names["client"] as? [String: [String]] else { return XCTFail("no client in names.json") }
        XCTAssertEqual(Set(uses.keys), Set(client.values.joined()))
        for use in uses.values { _ = use(self.client) }
    }
}
