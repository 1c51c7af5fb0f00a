import EntraInvite
import EntraInviteTesting
import Foundation
import XCTest

/// Where the work runs: the core's one runtime, whatever the calling task's executor.
final class RuntimeTests: XCTestCase {
    func test1LoadingTheLibraryStartsNoThread() throws {
        // Meaningful only before any other call: run-tests.sh runs this test in a process of its own.
        XCTAssertFalse(runtimeStarted(), "the runtime started before any call")
        XCTAssertFalse(nativeThreadNames().contains { $0.hasPrefix("entra-invite") }, "\(nativeThreadNames())")
    }

    func test2AsyncCallsRunOnEntraInviteRtThreads() async throws {
        let name = try await runtimeThreadName()
        XCTAssertEqual(name, "entra-invite-rt")
        XCTAssertTrue(runtimeStarted())
        let names = nativeThreadNames()
        XCTAssertTrue(names.contains("entra-invite-rt"), "\(names)")
        XCTAssertFalse(names.contains { $0.hasPrefix("async-compat") || $0.hasPrefix("tokio-runtime") }, "\(names)")
    }

    func test3TwoHundredConcurrentCallsShareTheOneRuntime() async throws {
        let emu = try await startEmulator(https: false)
        let client = try Client(config: emu.clientConfig())
        let invitation = try await client.invite(request: request("conc@fabrikam.com"))
        let id = try XCTUnwrap(invitation.invitedUser?.id)
        let before = (at(json(try await emu.stats()), "totalRequests") as? NSNumber)?.intValue ?? 0
        let workers = nativeThreadNames().filter { $0 == "entra-invite-rt" }.count
        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for i in 1...200 {
                group.addTask {
                    switch i % 3 {
                    case 0: return (i, try await client.status(user: id).rawState ?? "")
                    case 1:
                        return (i, try await client.lookup(email: "conc@fabrikam.com").user?.id ?? "")
                    default: return (i, try await runtimeThreadName())
                    }
                }
            }
            var all: [(Int, String)] = []
            for try await r in group { all.append(r) }
            return all
        }
        XCTAssertEqual(results.count, 200)
        for (i, v) in results {
            switch i % 3 {
            case 0: XCTAssertEqual(v, "PendingAcceptance")
            case 1: XCTAssertEqual(v, id)
            default: XCTAssertEqual(v, "entra-invite-rt")
            }
        }
        let after = (at(json(try await emu.stats()), "totalRequests") as? NSNumber)?.intValue ?? 0
        XCTAssertGreaterThanOrEqual(after - before, 133)
        XCTAssertLessThanOrEqual(nativeThreadNames().filter { $0 == "entra-invite-rt" }.count, workers)
        try await emu.stop()
    }
}
