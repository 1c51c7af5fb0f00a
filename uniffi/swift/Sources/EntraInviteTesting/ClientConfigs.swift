// Test support beside the generated EntraInviteTesting.swift (uniffi/run-tests.sh copies that in).
// The testing library (libentra_invite_ffi_testing, its own copy of the core: accepted for test
// support) does not know the production types, so the client configuration for the emulator is
// built here from its fields.
import EntraInvite

extension TestEmulator {
    /// A client configuration for the emulator's default app: its tenant, client id and secret,
    /// `graphUrl` pointing at the emulator, and (when started with https) its certificate trusted.
    public func clientConfig() -> ClientOptions {
        ClientOptions(
            tenant: tenant(),
            clientId: clientId(),
            clientSecret: Secret(value: clientSecret()),
            graphUrl: url(),
            caCertPem: caCertPem()
        )
    }
}
