import EntraInvite
import EntraInviteTesting
import Foundation
import XCTest

/// Each error kind is a case of `EntraInviteError`, with Graph's details as fields.
final class ErrorsTests: EmulatorTestCase {
    func testInvalidInputNamesTheFieldAndSendsNothing() async throws {
        let before = try await counter("totalRequests")
        let e = await expectError { try await client.invite(request: request("not-an-address")) }
        guard case let .InvalidInput(details)? = e else { return XCTFail("\(String(describing: e))") }
        XCTAssertEqual(details.field, "invitedUserEmailAddress")
        XCTAssertEqual(details.kind, .invalidInput)
        XCTAssertFalse(details.message.isEmpty)
        XCTAssertEqual(e?.details(), details)
        XCTAssertEqual(e?.kind(), "InvalidInput")
        let cc = await expectError {
            var r = request("a@fabrikam.com")
            r.ccRecipients = [CcRecipient(address: "b@fabrikam.com"), CcRecipient(address: "c@fabrikam.com")]
            return try await client.invite(request: r)
        }
        XCTAssertEqual(cc?.details().field, "ccRecipients")
        let url = await expectError {
            var r = request("a@fabrikam.com")
            r.inviteRedirectUrl = "http://myapps.microsoft.com/"
            return try await client.invite(request: r)
        }
        XCTAssertEqual(url?.details().field, "inviteRedirectUrl")
        let after = try await counter("totalRequests")
        XCTAssertEqual(before, after)
    }

    func testAuthCarriesTheTokenEndpointsCode() async throws {
        var config = emu.clientConfig()
        config.clientSecret = Secret(value: "not-the-secret")
        let wrong = try Client(config: config)
        let e = await expectError { try await wrong.lookup(email: "taylor@fabrikam.com") }
        guard case .Auth? = e else { return XCTFail("\(String(describing: e))") }
        XCTAssertEqual(e?.details().code, "invalid_client")
        XCTAssertEqual(e?.details().status, 401)
    }

    func testPermissionDeniedForAnAppThatMayNotInvite() async throws {
        var config = emu.clientConfig()
        config.clientId = emu.readonlyClientId()
        config.clientSecret = Secret(value: emu.readonlyClientSecret())
        let readonly = try Client(config: config)
        let e = await expectError { try await readonly.invite(request: request("taylor@fabrikam.com")) }
        guard case .PermissionDenied? = e else { return XCTFail("\(String(describing: e))") }
        XCTAssertEqual(e?.details().code, "Unauthorized")
        XCTAssertNotNil(e?.details().status)
        XCTAssertNotNil(e?.details().requestId)
        XCTAssertNotNil(e?.details().clientRequestId)
    }

    func testNotFoundByIdAndByEmail() async throws {
        let byId = await expectError { try await client.status(user: "0b6d4c1e-1d1e-4a4b-9c9c-000000000000") }
        guard case .NotFound? = byId else { return XCTFail("\(String(describing: byId))") }
        XCTAssertEqual(byId?.details().code, "Request_ResourceNotFound")
        XCTAssertEqual(byId?.details().status, 404)
        let byEmail = await expectError { try await client.status(user: "ghost@fabrikam.com") }
        XCTAssertEqual(byEmail?.kind(), "NotFound")
    }

    func testAlreadyExistsForAnInternalMembersAddress() async throws {
        _ = try await emu.addUser(userJson: #"{"displayName": "Morgan", "mail": "morgan@fabrikam.com", "userPrincipalName": "morgan@contoso.onmicrosoft.com", "userType": "Member"}"#)
        let e = await expectError { try await client.invite(request: request("morgan@fabrikam.com")) }
        guard case .AlreadyExists? = e else { return XCTFail("\(String(describing: e))") }
    }

    func testVerifiedDomainWhenInvitingTheTenantsOwnDomain() async throws {
        let e = await expectError { try await client.invite(request: request("newhire@contoso.com")) }
        guard case .VerifiedDomain? = e else { return XCTFail("\(String(describing: e))") }
    }

    func testThrottledWithGraphsCodeAndTheWait() async throws {
        try await emu.setFaults(faultsJson: #"{"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 429, "times": 5, "retryAfter": "1"}]}"#)
        var config = emu.clientConfig()
        config.maxRetries = 1
        let c = try Client(config: config)
        let e = await expectError { try await c.invite(request: request("taylor@fabrikam.com")) }
        guard case .Throttled? = e else { return XCTFail("\(String(describing: e))") }
        XCTAssertEqual(e?.details().code, "TooManyRequests")
        XCTAssertEqual(e?.details().status, 429)
        XCTAssertEqual(e?.details().retryAfter, 1)
    }

    func testServiceAfter5xxBeyondTheRetries() async throws {
        try await emu.setFaults(faultsJson: #"{"scripted": [{"method": "GET", "pathContains": "/users", "status": 503, "times": 10, "retryAfter": "0"}]}"#)
        var config = emu.clientConfig()
        config.maxRetries = 1
        let c = try Client(config: config)
        let e = await expectError { try await c.status(user: "0b6d4c1e-1d1e-4a4b-9c9c-000000000000") }
        guard case .Service? = e else { return XCTFail("\(String(describing: e))") }
        XCTAssertEqual(e?.details().status, 503)
    }

    func testNetworkWhenNothingListens() async throws {
        let c = try Client(config: ClientOptions(token: Secret(value: "t"), graphUrl: "http://127.0.0.1:9", maxRetries: 0))
        let e = await expectError { try await c.lookup(email: "a@fabrikam.com") }
        guard case .Network? = e else { return XCTFail("\(String(describing: e))") }
    }

    func testMaybeAppliedAfterA500OnPostInvitationsNeverForInvalidInput() async throws {
        try await emu.setFaults(faultsJson: #"{"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 500}]}"#)
        let e = await expectError { try await client.invite(request: request("maybe@fabrikam.com")) }
        guard case let .Service(details)? = e else { return XCTFail("\(String(describing: e))") }
        XCTAssertEqual(details.status, 500)
        XCTAssertTrue(details.maybeApplied, "a 500 to POST /invitations may have created it")
        XCTAssertEqual(e?.details().maybeApplied, true)
        let bad = await expectError { try await client.invite(request: request("not-an-address")) }
        guard case .InvalidInput? = bad else { return XCTFail("\(String(describing: bad))") }
        XCTAssertEqual(bad?.details().maybeApplied, false)
    }

    func testAPanicInsideTheLibraryIsAnInternalErrorAndTheLibraryKeepsWorking() async throws {
        // More panics than the runtime has worker threads: none of them may take a worker down.
        for _ in 0...ProcessInfo.processInfo.activeProcessorCount {
            let e = await expectError { try await debugForceInternalError() }
            guard case .Internal? = e else { return XCTFail("\(String(describing: e))") }
            XCTAssertEqual(e?.kind(), "Internal")
            XCTAssertFalse(e?.details().message.isEmpty ?? true)
            XCTAssertEqual(e?.details().maybeApplied, false)
        }
        // Same process, same runtime, same client: ordinary calls still work.
        let found = try await client.lookup(email: "after-panic@fabrikam.com")
        XCTAssertFalse(found.exists)
        let invitation = try await client.invite(request: request("after-panic@fabrikam.com"))
        XCTAssertEqual(invitation.status, "PendingAcceptance")
        let thread = try await runtimeThreadName()
        XCTAssertEqual(thread, "entra-invite-rt")
    }
}
