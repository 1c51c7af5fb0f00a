//! The names and secrets every fresh emulator starts with. They sit apart from `lib.rs` so
//! that modules reading them import this leaf, not the crate root that declares them all.

/// Initial domain of the tenant every fresh emulator has.
pub const DEFAULT_TENANT: &str = "contoso.onmicrosoft.com";
/// Object id of the default tenant.
pub const DEFAULT_TENANT_ID: &str = "5b1fa6c9-1c6b-4c3b-9d4c-7f2a8d5e0c11";
/// Verified (custom) domain of the default tenant.
pub const DEFAULT_VERIFIED_DOMAIN: &str = "contoso.com";
/// Client id of the default app (User.Invite.All, User.Read.All, User.ReadWrite.All).
pub const DEFAULT_CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";
/// Client secret of the default app.
pub const DEFAULT_CLIENT_SECRET: &str = "emulator-secret-value";
/// Client id of the read-only app (User.Read.All only), for permission tests.
pub const READONLY_CLIENT_ID: &str = "66666666-7777-8888-9999-000000000000";
/// Client secret of the read-only app.
pub const READONLY_CLIENT_SECRET: &str = "emulator-readonly-secret";
