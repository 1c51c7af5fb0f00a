//! The `user` properties the emulator knows, their types, and which filter clauses Graph
//! supports on each, by default or only as an advanced query.
//!
//! Sources (see /work/shared/research/graph-api.md):
//! * §2.1 rows (S12 operator lists, S13 default/advanced marks) for the guest-relevant
//!   properties; §2.1 "Rules" (S14): `ne`/`not` need advanced queries, `in` works by default
//!   wherever `eq` does, `endsWith` only on `mail` and `userPrincipalName` and only advanced.
//! * Properties §2.1 does not list (`id`, `givenName`, `surname`, `jobTitle`, `businessPhones`,
//!   `mobilePhone`, `officeLocation`, `preferredLanguage`, and `mailNickname`, which the emulator
//!   stores on every user it creates) follow the S13 table itself
//!   (microsoft-graph-docs-contrib `includes/filter-directory-objects.md`), plus the S14 rules.
//! * `ge`/`le` default on `mail`, `userPrincipalName`, `displayName`, `otherMails`,
//!   `proxyAddresses`: S12 lists them as supported, S13 gives no advanced mark → default.

/// Graph's default `/users` property set (research §3.2, S16), in Graph's order.
pub const DEFAULT_USER_PROPERTIES: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "id",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
];

/// Every `user` property the emulator knows (for `$filter` and `$select`).
pub const USER_PROPERTIES: &[&str] = &[
    "id",
    "accountEnabled",
    "businessPhones",
    "createdDateTime",
    "creationType",
    "displayName",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "givenName",
    "identities",
    "jobTitle",
    "mail",
    "mailNickname",
    "mobilePhone",
    "officeLocation",
    "otherMails",
    "preferredLanguage",
    "proxyAddresses",
    "surname",
    "userPrincipalName",
    "userType",
];

/// Properties of `objectIdentity` (elements of `identities`), S15.
pub(crate) const IDENTITY_PROPERTIES: &[&str] = &["signInType", "issuer", "issuerAssignedId"];

/// Whether a clause runs as a default query or needs an advanced one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Mode {
    Default,
    Advanced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Bool,
    DateTime,
    /// Collection of strings (`otherMails`, `proxyAddresses`, `businessPhones`).
    StringCollection,
    /// Collection of `objectIdentity` (`identities`).
    IdentityCollection,
}

impl Kind {
    pub(crate) fn edm_type(self) -> &'static str {
        match self {
            Kind::String => "Edm.String",
            Kind::Bool => "Edm.Boolean",
            Kind::DateTime => "Edm.DateTimeOffset",
            Kind::StringCollection => "Collection(Edm.String)",
            Kind::IdentityCollection => "Collection(microsoft.graph.objectIdentity)",
        }
    }
}

/// Support for each clause shape; `None` = Graph rejects it. For collections, `eq`, `in`,
/// `ge_le`, `starts_with`, `ends_with` describe the body of `coll/any(x: …)`, and `count`
/// describes `coll/$count eq|ne N`. `not(…)` is always advanced (S14) and is not listed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub name: &'static str,
    pub kind: Kind,
    pub eq: Option<Mode>,
    pub ne: Option<Mode>,
    pub in_: Option<Mode>,
    pub ge_le: Option<Mode>,
    pub starts_with: Option<Mode>,
    pub ends_with: Option<Mode>,
    /// `eq null` / `ne null`.
    pub null: Option<Mode>,
    /// `coll/$count eq|ne N`.
    pub count: Option<Mode>,
}

const D: Option<Mode> = Some(Mode::Default);
const A: Option<Mode> = Some(Mode::Advanced);
const X: Option<Mode> = None;

const fn rule(name: &'static str, kind: Kind, ops: [Option<Mode>; 8]) -> Rule {
    let [eq, ne, in_, ge_le, starts_with, ends_with, null, count] = ops;
    Rule {
        name,
        kind,
        eq,
        ne,
        in_,
        ge_le,
        starts_with,
        ends_with,
        null,
        count,
    }
}

use Kind::{Bool, DateTime, IdentityCollection, StringCollection};

/// The rule table. Columns: eq, ne, in, ge/le, startsWith, endsWith, eq null, $count.
#[rustfmt::skip]
pub(crate) const RULES: &[Rule] = &[
    // §2.1: eq default, ne/not advanced, in default; eq null not supported.
    rule("externalUserState",               Kind::String,       [D, A, D, X, X, X, X, X]),
    // §2.1: eq, ne, not, in — absent from S13, so every clause is advanced (brief + S14).
    rule("externalUserStateChangeDateTime", DateTime,           [A, A, A, X, X, X, X, X]),
    // §2.1: eq default; eq null advanced.
    rule("userType",                        Kind::String,       [D, A, D, X, X, X, A, X]),
    // §2.1: eq default; null not supported.
    rule("creationType",                    Kind::String,       [D, A, D, X, X, X, X, X]),
    // §2.1: eq/startsWith default; endsWith and eq null advanced.
    rule("mail",                            Kind::String,       [D, A, D, D, D, A, A, X]),
    // §2.1: any(eq|startsWith|in|ge|le) default; endsWith advanced; $count advanced; no ne.
    rule("otherMails",                      StringCollection,   [D, X, D, D, D, A, X, A]),
    // §2.1: as otherMails but S12 lists no `in`.
    rule("proxyAddresses",                  StringCollection,   [D, X, X, D, D, A, X, A]),
    // §2.1: "eq with limitations" — any(c: c/issuer eq … [and c/issuerAssignedId eq …]).
    rule("identities",                      IdentityCollection, [D, X, X, X, X, X, X, X]),
    // §2.1: eq/startsWith default; endsWith advanced; eq null not supported.
    rule("userPrincipalName",               Kind::String,       [D, A, D, D, D, A, X, X]),
    // §2.1: eq … startsWith, eq null (advanced per brief/S13); endsWith only mail/UPN (S14).
    rule("displayName",                     Kind::String,       [D, A, D, D, D, X, A, X]),
    // §2.1: eq, ne, not, in.
    rule("accountEnabled",                  Bool,               [D, A, D, X, X, X, X, X]),
    // §2.1: eq/ge/le default, ne/not advanced; in default (S14 rule).
    rule("createdDateTime",                 DateTime,           [D, A, D, D, X, X, X, X]),
    // S13: eq default, ne/not advanced; in default (S14 rule).
    rule("id",                              Kind::String,       [D, A, D, X, X, X, X, X]),
    // S13: eq/ge/le/in/startsWith default; ne and null advanced.
    rule("givenName",                       Kind::String,       [D, A, D, D, D, X, A, X]),
    rule("surname",                         Kind::String,       [D, A, D, D, D, X, A, X]),
    // S13: eq/ge/le/in/startsWith default; ne and null advanced.
    rule("mailNickname",                    Kind::String,       [D, A, D, D, D, X, A, X]),
    // S13: as givenName but no startsWith mark.
    rule("jobTitle",                        Kind::String,       [D, A, D, D, X, X, A, X]),
    // S13: any(eq) default, not advanced.
    rule("businessPhones",                  StringCollection,   [D, X, X, X, X, X, X, X]),
    // S13: everything advanced.
    rule("mobilePhone",                     Kind::String,       [A, A, A, A, A, X, A, X]),
    rule("officeLocation",                  Kind::String,       [A, A, A, A, A, X, A, X]),
    rule("preferredLanguage",               Kind::String,       [A, A, A, A, A, X, A, X]),
];

/// Case-insensitive lookup of a `user` property's rule.
pub(crate) fn rule_for(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name.eq_ignore_ascii_case(name))
}

/// Declared spelling of a known `user` property (case-insensitive).
pub(crate) fn canonical_user_property(name: &str) -> Option<&'static str> {
    USER_PROPERTIES
        .iter()
        .copied()
        .find(|p| p.eq_ignore_ascii_case(name))
}

/// Declared spelling of an `objectIdentity` property (case-insensitive).
pub(crate) fn canonical_identity_property(name: &str) -> Option<&'static str> {
    IDENTITY_PROPERTIES
        .iter()
        .copied()
        .find(|p| p.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_property_has_exactly_one_rule() {
        for p in USER_PROPERTIES {
            assert_eq!(
                RULES.iter().filter(|r| r.name == *p).count(),
                1,
                "rule for {p}"
            );
        }
        assert_eq!(RULES.len(), USER_PROPERTIES.len());
    }

    #[test]
    fn defaults_are_known_properties() {
        assert_eq!(DEFAULT_USER_PROPERTIES.len(), 11);
        for p in DEFAULT_USER_PROPERTIES {
            assert!(USER_PROPERTIES.contains(p), "{p}");
        }
        for p in [
            "externalUserState",
            "otherMails",
            "proxyAddresses",
            "identities",
            "userType",
        ] {
            assert!(!DEFAULT_USER_PROPERTIES.contains(&p), "{p} is $select-only");
        }
    }

    #[test]
    fn lookup_is_case_insensitive() {
        assert_eq!(rule_for("MAIL").map(|r| r.name), Some("mail"));
        assert_eq!(
            canonical_user_property("userprincipalname"),
            Some("userPrincipalName")
        );
        assert_eq!(canonical_identity_property("ISSUER"), Some("issuer"));
        assert!(rule_for("UserState").is_none());
    }
}
