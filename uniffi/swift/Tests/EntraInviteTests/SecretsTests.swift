import EntraInvite
import EntraInviteTesting
import Foundation
import XCTest

/// The client secret, certificate password, federated token and access tokens never show in
/// `description`, `debugDescription`, `dump`, an error's text or any of its fields.
final class SecretsTests: EmulatorTestCase {
    // Distinctive values: a leak of any of them, even in part, is found by its marker.
    let clientSecret = "cs-SWsec7f3qZ9-do-not-print"
    let certPassword = "pw-SWsec4m8R2w-do-not-print"
    let fixedToken = "at-SWsec1x6P5v-do-not-print"
    let federatedToken = "fed-SWsec9c2L7n-do-not-print"
    let markers = ["SWsec7f3qZ9", "SWsec4m8R2w", "SWsec1x6P5v", "SWsec9c2L7n"]

    var dir: URL!

    override func setUp() async throws {
        try await super.setUp()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("entra-invite-secrets-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: dir)
        try await super.tearDown()
    }

    /// Every common way of printing a value: `print`/interpolation, `debugPrint`, `dump`.
    func printed(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    func assertNoSecret(_ texts: [String?], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for text in texts.compactMap({ $0 }) {
            for m in markers where text.contains(m) {
                XCTFail("\(what) shows a secret: \(text)", file: file, line: line)
            }
        }
    }

    /// The error's every printed form and every field.
    func assertNoSecret(_ e: EntraInviteError, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        // The details record prints every field it carries.
        assertNoSecret(printed(e) + [e.localizedDescription, e.kind()] + printed(e.details()),
                       what, file: file, line: line)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testASecretPrintsAsStars() {
        let secret = Secret(value: clientSecret)
        XCTAssertEqual(secret.description, "***")
        XCTAssertEqual(secret.debugDescription, "Secret(***)")
        assertNoSecret(printed(secret), "Secret")
        let provided = ProvidedToken(token: Secret(value: fixedToken), expiresOn: nil)
        assertNoSecret(printed(provided), "ProvidedToken")
        XCTAssertTrue(String(describing: provided).contains("***"), String(describing: provided))
    }

    func testConfigurationsAndClientsPrintNoSecret() throws {
        var withSecret = emu.clientConfig()
        withSecret.clientSecret = Secret(value: clientSecret)
        let withToken = ClientOptions(token: Secret(value: fixedToken), graphUrl: emu.url())
        let withFederated = ClientOptions(tenant: emu.tenant(), clientId: emu.clientId(),
                                         federatedTokenFile: try write("federated-token", federatedToken),
                                         graphUrl: emu.url())
        let withCertificate = ClientOptions(tenant: emu.tenant(), clientId: emu.clientId(),
                                           certificatePath: try write("not-a-certificate.p12", "not a certificate"),
                                           certificatePassword: Secret(value: certPassword), graphUrl: emu.url())
        XCTAssertTrue(String(describing: withSecret).contains("***"), String(describing: withSecret))
        for (what, config) in [("client secret", withSecret), ("fixed token", withToken),
                               ("federated token file", withFederated), ("certificate", withCertificate)] {
            assertNoSecret(printed(config), "ClientOptions with a \(what)")
        }
        for (what, config) in [("client secret", withSecret), ("fixed token", withToken),
                               ("federated token file", withFederated)] {
            assertNoSecret(printed(try Client(config: config)), "Client with a \(what)")
        }
    }

    func testTheErrorForAWrongClientSecretShowsNoSecret() async throws {
        var config = emu.clientConfig()
        config.clientSecret = Secret(value: clientSecret)
        let c = try Client(config: config)
        let e = await expectError { try await c.lookup(email: "taylor@fabrikam.com") }
        guard let e, case .Auth = e else { return XCTFail("\(String(describing: e))") }
        XCTAssertEqual(e.details().code, "invalid_client")
        assertNoSecret(e, "wrong client secret")
        if let again = await expectError({ try await c.invite(request: request("taylor@fabrikam.com")) }) {
            assertNoSecret(again, "wrong client secret (invite)")
        }
    }

    func testErrorsForARejectedTokenFederatedTokenOrCertificatePasswordShowNoSecret() async throws {
        let withToken = try Client(config: ClientOptions(token: Secret(value: fixedToken), graphUrl: emu.url()))
        let te = await expectError { try await withToken.lookup(email: "taylor@fabrikam.com") }
        XCTAssertEqual(te?.kind(), "Auth")
        if let te { assertNoSecret(te, "rejected access token") }

        let federated = ClientOptions(tenant: emu.tenant(), clientId: emu.clientId(),
                                     federatedTokenFile: try write("federated-token", federatedToken),
                                     graphUrl: emu.url())
        let fe = await expectError { try await Client(config: federated).lookup(email: "taylor@fabrikam.com") }
        if let fe { assertNoSecret(fe, "rejected federated token") }

        let certificate = ClientOptions(tenant: emu.tenant(), clientId: emu.clientId(),
                                       certificatePath: try write("not-a-certificate.p12", "not a certificate"),
                                       certificatePassword: Secret(value: certPassword), graphUrl: emu.url())
        let ce = await expectError { try Client(config: certificate) }
        XCTAssertEqual(ce?.kind(), "InvalidInput")
        if let ce { assertNoSecret(ce, "certificate with a password") }
    }
}
