import EntraInvite
import EntraInviteTesting
import Foundation
import XCTest

let redirect = "https://myapps.microsoft.com/"

/// Parses JSON text (objects, arrays, fragments); NSNull for null.
func json(_ text: String) -> Any {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? NSNull()
}

/// A path of object keys and array indices (`invitedUser.id`, `rows.0.outcome`) in a JSON value
/// (NSNull when absent).
func at(_ value: Any, _ path: String) -> Any {
    path.split(separator: ".").reduce(value) { cur, key in
        if let a = cur as? [Any], let i = Int(key) { return i >= 0 && i < a.count ? a[i] : NSNull() }
        return (cur as? [String: Any])?[String(key)] ?? NSNull()
    }
}

/// Names of the native threads of this process.
func nativeThreadNames() -> [String] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.compactMap { tid in
        (try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The native name of the calling thread.
func nativeThreadName() -> String {
    ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "")
        .trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Core's default settle timeout (uniffi records take no default for a Duration field).
let settle: TimeInterval = 30

/// An invitation of a guest to `email` with the default options.
func request(_ email: String) -> InvitationRequest {
    InvitationRequest(invitedUserEmailAddress: email, inviteRedirectUrl: redirect, invitedUserType: .guest)
}

/// Runs `body`, which must throw an `EntraInviteError`, and returns that error.
func expectError<T>(_ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> EntraInviteError? {
    do {
        let v = try await body()
        XCTFail("expected an error, got \(v)", file: file, line: line)
    } catch let e as EntraInviteError {
        return e
    } catch {
        XCTFail("expected an EntraInviteError, got \(error)", file: file, line: line)
    }
    return nil
}

/// A fresh emulator and a client of its default app for each test.
class EmulatorTestCase: XCTestCase {
    var emu: TestEmulator!
    var client: Client!

    override func setUp() async throws {
        emu = try await startEmulator(https: false)
        client = try Client(config: emu.clientConfig())
    }

    override func tearDown() async throws {
        try await emu?.stop()
        emu = nil
        client = nil
    }

    func counter(_ name: String) async throws -> Int {
        (at(json(try await emu.stats()), name) as? NSNumber)?.intValue ?? -1
    }
}
