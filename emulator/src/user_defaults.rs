//! What every user object the emulator writes carries: all known properties (null or an
//! empty list when unset, as Graph returns them) and timestamps in Graph's format. Both the
//! invitation route and the control API create users, so this sits outside either.

use serde_json::{json, Value};

use crate::odata;

/// Gives a user object every known property (null when unset), as Graph has them all.
pub fn fill_missing(user: &mut Value) {
    if let Some(o) = user.as_object_mut() {
        for p in odata::USER_PROPERTIES {
            if !o.contains_key(*p) {
                let empty = matches!(
                    *p,
                    "businessPhones"
                        | "otherMails"
                        | "proxyAddresses"
                        | "identities"
                        | "imAddresses"
                );
                o.insert(
                    (*p).to_string(),
                    if empty { json!([]) } else { Value::Null },
                );
            }
        }
    }
}

/// Now, as Graph writes `createdDateTime` and the like (whole seconds, `Z`).
pub fn now_graph() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
