//! OData `$filter` / `$select` for the emulator's `GET /users` (research graph-api.md §2, §3.2).
//!
//! How the server uses it, in Graph's order of checks:
//! ```ignore
//! let filter = odata::parse_filter(&decoded)?;  // 400 BadRequest "Invalid filter clause: …"
//! filter.check_query(advanced)?;
//! // = filter.check()?                          400 Request_UnsupportedQuery / BadRequest
//! //   more than 15 child clauses under one OR  400 Request_UnsupportedQuery "Too many child
//! //                                            clauses specified in search filter …"
//! //   advanced-only clause, not `advanced`     400 Request_UnsupportedQuery "Unsupported Query."
//! // Advanced query = header `ConsistencyLevel: eventual` AND `$count=true` (§2.1, §3.2).
//! let hits = users.iter().filter(|u| filter.matches(u));
//! ```
//! `matches` evaluates whatever parsed; only `check` rejects what Graph rejects (for instance
//! the unescaped injection `mail eq 'x' or '1' eq '1'`), so always call `check` first.
//!
//! `$select`: [`parse_select`] returns declared names; an empty list (blank `$select=`) means
//! "no `$select`", i.e. [`DEFAULT_USER_PROPERTIES`]. Everything else (e.g. `externalUserState`,
//! `otherMails`, `identities`) is returned only when selected.
//!
//! Nothing here panics on any input: the grammar caps nesting depth, and evaluation only walks
//! the tree the parser built.

mod ast;
mod datetime;
mod error;
mod eval;
mod parse;
mod properties;
mod rules;
mod select;

pub use error::ODataError;
pub use properties::{DEFAULT_USER_PROPERTIES, USER_PROPERTIES};
pub use select::parse_select;

/// A parsed `$filter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    expr: ast::Expr,
}

/// Parses a `$filter` value that has already been percent-decoded. Only syntax is checked
/// here; call [`Filter::check`] for Graph's property/operator rules.
pub fn parse_filter(input: &str) -> Result<Filter, ODataError> {
    parse::parse_filter_expr(input).map(|expr| Filter { expr })
}

impl Filter {
    /// Whether `user` (a full Graph user JSON object) satisfies the filter. String comparisons
    /// are case-insensitive; property names match keys case-insensitively; absent = `null`.
    pub fn matches(&self, user: &serde_json::Value) -> bool {
        eval::matches(&self.expr, user)
    }

    /// Child clauses of the largest `or` expression: `a or b or c` → 3, nested ORs flattened
    /// (`(a or b) or c` → 3), ORs separated by `and`/`not`/a lambda counted separately (max
    /// taken); 0 when there is no `or`; `in (…)` values are not counted. Graph allows 15.
    pub fn or_clause_count(&self) -> usize {
        rules::or_clause_count(&self.expr)
    }

    /// True if any clause needs an advanced query (`ConsistencyLevel: eventual` + `$count=true`):
    /// `ne`, `not(…)`, `endsWith`, `eq null`/`ne null`, `coll/$count`, `any(x: endsWith(…))`,
    /// and every clause on `externalUserStateChangeDateTime`, `mobilePhone`, `officeLocation`,
    /// `preferredLanguage`. Without advanced mode the server answers 400
    /// `Request_UnsupportedQuery` "Unsupported Query." ([`ODataError::unsupported_query`]).
    /// Only meaningful once [`Filter::check`] has passed.
    pub fn requires_advanced(&self) -> bool {
        rules::requires_advanced(&self.expr)
    }

    /// Graph's property/operator support (§2.1). Errors, first one found:
    /// * unknown property → 400 `Request_UnsupportedQuery` "Property 'X' does not exist as a
    ///   declared property or extension property.";
    /// * literal of the wrong type / bad function arguments → 400 `BadRequest`
    ///   "Invalid filter clause: …" (ODataLib binding text);
    /// * unsupported operator, function, `eq null`, lambda shape → 400 `Request_UnsupportedQuery`
    ///   "Unsupported or invalid query filter clause specified for property 'X' of resource 'User'.";
    /// * a comparison with no property (`'1' eq '1'`) → "Unsupported Query.".
    pub fn check(&self) -> Result<(), ODataError> {
        rules::check(&self.expr)
    }

    /// Everything the server checks before running a filter, in Graph's order:
    /// [`Filter::check`], at most 15 clauses under one `or`, and advanced-only clauses only
    /// when `advanced` (`ConsistencyLevel: eventual` + `$count=true`).
    pub fn check_query(&self, advanced: bool) -> Result<(), ODataError> {
        self.check()?;
        let n = self.or_clause_count();
        if n > 15 {
            return Err(ODataError::unsupported(format!(
                "Too many child clauses specified in search filter expression containing 'OR' operators: {n}. Max allowed: 15."
            )));
        }
        if self.requires_advanced() && !advanced {
            return Err(ODataError::unsupported_query());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    /// The email the lookup tests use, and the exact filter entra-invite sends for it (§2.2).
    const LOOKUP: &str = "userPrincipalName eq 'o''neil@fabrikam.com' or mail eq 'o''neil@fabrikam.com' or proxyAddresses/any(x:x eq 'SMTP:o''neil@fabrikam.com') or otherMails/any(x:x eq 'o''neil@fabrikam.com')";

    fn f(s: &str) -> Filter {
        Filter {
            expr: parse::parsed(s),
        }
    }

    /// A pending guest as the emulator materialises one (§1.4, §2.1, §2.2 observed JSON).
    /// Only the set properties are written: `matches` reads an absent one as null.
    fn guest(email: &str) -> Value {
        let (alias, domain) = email.split_once('@').unwrap_or((email, ""));
        let upn = format!("{alias}_{domain}#EXT#@contoso.onmicrosoft.com");
        json!({
            "id": "cbb896f9-8306-49d0-b56b-b8e39cd28825",
            "businessPhones": [],
            "mail": email,
            "userPrincipalName": upn,
            "accountEnabled": true,
            "createdDateTime": "2024-05-01T12:00:00Z",
            "creationType": "Invitation",
            "externalUserState": "PendingAcceptance",
            "externalUserStateChangeDateTime": "2024-05-01T12:00:00Z",
            "identities": [{"signInType": "userPrincipalName", "issuer": "contoso.onmicrosoft.com", "issuerAssignedId": upn}],
            "otherMails": [email],
            "proxyAddresses": [format!("SMTP:{email}")],
            "userType": "Guest"
        })
    }

    fn member(upn: &str, mail: &str) -> Value {
        json!({
            "id": "00000000-0000-0000-0000-000000000001",
            "displayName": "Member",
            "userPrincipalName": upn,
            "mail": mail,
            "otherMails": [],
            "proxyAddresses": [format!("SMTP:{mail}")],
            "userType": "Member",
            "creationType": null,
            "externalUserState": null,
            "accountEnabled": true
        })
    }

    #[test]
    fn lookup_filter_matches_the_guest_and_is_a_default_query() {
        let filter = f(LOOKUP);
        assert_eq!(filter.check(), Ok(()));
        assert!(!filter.requires_advanced());
        assert_eq!(filter.or_clause_count(), 4);
        assert_eq!(filter.check_query(false), Ok(()));
        assert!(filter.matches(&guest("o'neil@fabrikam.com")));
        assert!(filter.matches(&guest("O'Neil@Fabrikam.com")));
        assert!(!filter.matches(&guest("oneil@fabrikam.com")));
        assert!(!filter.matches(&guest("o'neil@fabrikam.co")));
        assert!(!filter.matches(&member("admin@contoso.com", "admin@contoso.com")));
    }

    #[test]
    fn lookup_filter_matches_each_clause_alone() {
        let e = "o'neil@fabrikam.com";
        let filter = f(LOOKUP);
        assert!(filter.matches(&member(e, "x@contoso.com"))); // userPrincipalName
        assert!(filter.matches(&json!({ "mail": e }))); // mail
        assert!(filter.matches(&json!({ "proxyAddresses": [format!("smtp:{e}")] }))); // proxyAddresses
        assert!(filter.matches(&json!({ "otherMails": ["a@b.c", e] }))); // otherMails
        assert!(!filter.matches(&json!({ "proxyAddresses": [e] }))); // no SMTP: prefix
        assert!(!filter.matches(&json!({})));
    }

    #[test]
    fn injection_string_is_a_literal() {
        // The SDK escapes the hostile input `x' or '1' eq '1` by doubling quotes.
        let filter = f("mail eq 'x'' or ''1'' eq ''1'");
        assert_eq!(filter.check(), Ok(()));
        assert_eq!(filter.or_clause_count(), 0);
        let users = [
            guest("o'neil@fabrikam.com"),
            member("a@contoso.com", "a@contoso.com"),
            json!({}),
        ];
        assert!(users.iter().all(|u| !filter.matches(u)));
        assert!(filter.matches(&json!({ "mail": "x' or '1' eq '1" })));

        // Unescaped it parses as an extra clause, which Graph refuses.
        let raw = f("mail eq 'x' or '1' eq '1'");
        assert_eq!(raw.check(), Err(ODataError::unsupported_query()));
        // And half-escaped input is a syntax error, not a match-all.
        assert!(parse_filter("mail eq 'x' or '1' eq '1").is_err());
    }

    #[test]
    fn or_limit() {
        let fifteen = vec!["mail eq 'a'"; 15].join(" or ");
        assert_eq!(f(&fifteen).check_query(false), Ok(()));
        let eighteen = vec!["mail eq 'a'"; 18].join(" or ");
        let err = f(&eighteen).check_query(true).unwrap_err();
        assert_eq!(err.code, "Request_UnsupportedQuery");
        assert_eq!(
            err.message,
            "Too many child clauses specified in search filter expression containing 'OR' operators: 18. Max allowed: 15."
        );
    }

    #[test]
    fn advanced_gate() {
        let filter = f("endsWith(mail,'@fabrikam.com')");
        assert_eq!(
            filter.check_query(false),
            Err(ODataError::unsupported_query())
        );
        assert_eq!(filter.check_query(true), Ok(()));
        assert!(filter.matches(&guest("o'neil@fabrikam.com")));
        let filter = f("externalUserState eq 'PendingAcceptance'");
        assert_eq!(filter.check_query(false), Ok(()));
        assert!(filter.matches(&guest("a@b.c")));
        assert!(!filter.matches(&member("a@contoso.com", "a@contoso.com")));
    }

    #[test]
    fn check_errors_come_before_the_or_limit() {
        let mut clauses = vec!["mail eq 'a'"; 20];
        clauses.push("externalUserState eq null");
        let err = f(&clauses.join(" or ")).check_query(true).unwrap_err();
        assert_eq!(err, ODataError::unsupported_clause("externalUserState"));
    }

    /// The parser's depth cap must leave headroom on small thread stacks, for parsing and
    /// evaluating both (tokio workers use 2 MiB;
    /// measured need at the cap in a debug build: between 256 and 512 KiB).
    #[test]
    fn max_depth_fits_a_small_stack() {
        let run = || {
            let parens = format!(
                "{}mail eq 'a'{}",
                "(".repeat(parse::MAX_DEPTH + 5),
                ")".repeat(parse::MAX_DEPTH + 5)
            );
            let nots = format!("{}mail eq 'a'", "not(".repeat(parse::MAX_DEPTH / 2 - 1))
                + &")".repeat(parse::MAX_DEPTH / 2 - 1);
            let lambdas = format!(
                "{}x eq 'a'{}",
                "otherMails/any(x:".repeat(parse::MAX_DEPTH / 2 - 1),
                ")".repeat(parse::MAX_DEPTH / 2 - 1)
            );
            let deep_ok = parse_filter(&nots).is_ok() && parse_filter(&lambdas).is_ok();
            let too_deep = parse_filter(&parens).is_err();
            let user = serde_json::json!({"mail": "a"});
            let odd_nots = (parse::MAX_DEPTH / 2 - 1) % 2 == 1;
            let evaluated = parse_filter(&nots).map(|f| f.matches(&user)).ok();
            deep_ok && too_deep && evaluated == Some(!odd_nots)
        };
        let handle = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(run);
        let ok = handle.map(|h| h.join().unwrap_or(false)).unwrap_or(false);
        assert!(ok);
    }

    /// Deterministic pseudo-random garbage (no `rand` dependency).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() as usize) % items.len()]
        }
    }

    #[test]
    fn garbage_never_panics() {
        let tokens = [
            "mail",
            "otherMails",
            "identities",
            "x",
            "c/issuer",
            "/",
            "$count",
            "any",
            "all",
            "(",
            ")",
            "(",
            ")",
            ":",
            ",",
            "'",
            "''",
            "'a'",
            "'o''neil'",
            " ",
            " ",
            " ",
            "eq",
            "ne",
            "ge",
            "gt",
            "in",
            "and",
            "or",
            "not",
            "null",
            "true",
            "false",
            "0",
            "-1.5e3",
            "1e999",
            "2024-01-01T00:00:00Z",
            "9071bfde-35e0-47d2-a582-d244ab1b4af6",
            "startsWith",
            "endswith",
            "contains",
            "é",
            "\u{0}",
            "%",
            "#",
            "\\",
            "\"",
            "\t",
            "💥",
            "x:",
            "/any(x:",
            "userType",
            "accountEnabled",
            "createdDateTime",
        ];
        let users = [
            guest("o'neil@fabrikam.com"),
            member("a@b.c", "a@b.c"),
            json!({}),
            json!(null),
            json!([1]),
        ];
        let mut rng = Lcg(0x5eed);
        let mut parsed = 0;
        for _ in 0..20_000 {
            let n = 1 + rng.next() % 24;
            let s: String = (0..n).map(|_| rng.pick(&tokens)).collect();
            if let Ok(filter) = parse_filter(&s) {
                parsed += 1;
                let _ = filter.check();
                let _ = filter.requires_advanced();
                let _ = filter.or_clause_count();
                for u in &users {
                    let _ = filter.matches(u);
                }
            }
            let _ = parse_select(&s);
        }
        assert!(parsed > 0, "the generator should hit some valid filters");
        // Raw bytes, including invalid-looking UTF-8 sequences turned into text.
        for _ in 0..5_000 {
            let n = rng.next() % 40;
            let bytes: Vec<u8> = (0..n).map(|_| (rng.next() % 256) as u8).collect();
            let s = String::from_utf8_lossy(&bytes);
            let _ = parse_filter(&s).map(|f| (f.check(), f.matches(&users[0])));
            let _ = parse_select(&s);
        }
    }
}
