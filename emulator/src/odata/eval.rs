//! Evaluating a filter against one user's Graph JSON.
//!
//! Semantics (the emulator's choices where the research is silent, marked *inferred*):
//! * Property names match JSON keys case-insensitively (Graph is case-insensitive for names).
//! * String comparison is case-insensitive (full Unicode lower-casing) for `eq`, `ne`, `in`,
//!   `ge`/`le`, `startsWith`, `endsWith` — the brief's rule for the directory's string
//!   properties, applied to all of them (*inferred* for `id`, `givenName`, …).
//! * An absent key is `null`. `null eq null` is true; `null ne 'x'` is true (OData);
//!   ordering and functions involving `null` are false.
//! * DateTimeOffset literals compare with stored strings as instants.
//! * `coll/any(x: …)` is false on a missing/null collection; `coll/all(…)` is true on it;
//!   `coll/$count` of a missing/null collection is 0.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::ast::{CmpOp, Expr, Func, LambdaKind, Literal, Operand, Path, Root, Segment};
use super::datetime::parse_datetime;

/// Whether `user` (a Graph user object) satisfies `expr`. Non-objects match nothing.
pub(crate) fn matches(expr: &Expr, user: &Value) -> bool {
    match user.as_object() {
        Some(obj) => {
            let mut env = Env {
                user: obj,
                vars: Vec::new(),
            };
            eval(expr, &mut env)
        }
        None => false,
    }
}

struct Env<'a> {
    user: &'a Map<String, Value>,
    vars: Vec<(&'a str, &'a Value)>,
}

fn eval<'a>(expr: &'a Expr, env: &mut Env<'a>) -> bool {
    match expr {
        Expr::Or(items) => items.iter().any(|e| eval(e, env)),
        Expr::And(items) => items.iter().all(|e| eval(e, env)),
        Expr::Not(inner) => !eval(inner, env),
        Expr::Compare { left, op, right } => {
            let l = scalar(left, env);
            let r = scalar(right, env);
            compare(&l, *op, &r)
        }
        Expr::In { left, list } => {
            let l = scalar(left, env);
            list.iter().any(|item| equal(&l, &scalar(item, env)))
        }
        Expr::Call { func, args } => call(*func, args, env),
        Expr::Lambda {
            collection,
            kind,
            var,
            body,
        } => {
            let items = match resolve(collection, env) {
                Val::Json(Value::Array(items)) => items,
                Val::Json(Value::Null) | Val::Missing => {
                    return *kind == LambdaKind::All;
                }
                _ => return false,
            };
            let mut test = |item: &'a Value| {
                env.vars.push((var.as_str(), item));
                let r = eval(body, env);
                env.vars.pop();
                r
            };
            match kind {
                LambdaKind::Any => items.iter().any(&mut test),
                LambdaKind::All => items.iter().all(&mut test),
            }
        }
    }
}

/// What a path points at.
enum Val<'a> {
    Missing,
    Json(&'a Value),
    Count(usize),
}

fn resolve<'a>(path: &'a Path, env: &Env<'a>) -> Val<'a> {
    let mut cur = match &path.root {
        Root::Property(name) => get_ci(env.user, name).map_or(Val::Missing, Val::Json),
        Root::Var(name) => env
            .vars
            .iter()
            .rev()
            .find(|(v, _)| *v == name)
            .map_or(Val::Missing, |(_, value)| Val::Json(value)),
    };
    for seg in &path.segments {
        cur = match (cur, seg) {
            (Val::Json(Value::Object(obj)), Segment::Property(name)) => {
                get_ci(obj, name).map_or(Val::Missing, Val::Json)
            }
            (Val::Json(Value::Array(items)), Segment::Count) => Val::Count(items.len()),
            (Val::Json(Value::Null) | Val::Missing, Segment::Count) => Val::Count(0),
            _ => Val::Missing,
        };
    }
    cur
}

/// Case-insensitive key lookup (exact spelling first).
fn get_ci<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A comparable value.
enum Scalar<'a> {
    Null,
    Str(&'a str),
    Bool(bool),
    Num(f64),
    Date(i128),
    Other,
}

fn scalar<'a>(operand: &'a Operand, env: &Env<'a>) -> Scalar<'a> {
    match operand {
        Operand::Literal(lit) => match lit {
            Literal::Null => Scalar::Null,
            Literal::Bool(b) => Scalar::Bool(*b),
            Literal::String(s) | Literal::Guid(s) => Scalar::Str(s),
            Literal::Number(n) => Scalar::Num(*n),
            Literal::DateTime(t) => Scalar::Date(*t),
        },
        Operand::Path(path) => match resolve(path, env) {
            Val::Missing | Val::Json(Value::Null) => Scalar::Null,
            Val::Json(Value::String(s)) => Scalar::Str(s),
            Val::Json(Value::Bool(b)) => Scalar::Bool(*b),
            Val::Json(Value::Number(n)) => n.as_f64().map_or(Scalar::Other, Scalar::Num),
            Val::Json(_) => Scalar::Other,
            Val::Count(n) => Scalar::Num(n as f64),
        },
    }
}

fn compare(l: &Scalar, op: CmpOp, r: &Scalar) -> bool {
    match op {
        CmpOp::Eq => equal(l, r),
        CmpOp::Ne => !equal(l, r),
        CmpOp::Gt => order(l, r) == Some(Ordering::Greater),
        CmpOp::Ge => matches!(order(l, r), Some(Ordering::Greater | Ordering::Equal)),
        CmpOp::Lt => order(l, r) == Some(Ordering::Less),
        CmpOp::Le => matches!(order(l, r), Some(Ordering::Less | Ordering::Equal)),
    }
}

fn equal(l: &Scalar, r: &Scalar) -> bool {
    match (l, r) {
        (Scalar::Null, Scalar::Null) => true,
        (Scalar::Null, _) | (_, Scalar::Null) => false,
        _ => order(l, r) == Some(Ordering::Equal),
    }
}

fn order(l: &Scalar, r: &Scalar) -> Option<Ordering> {
    match (l, r) {
        (Scalar::Str(a), Scalar::Str(b)) => Some(fold(a).cmp(fold(b))),
        (Scalar::Bool(a), Scalar::Bool(b)) => Some(a.cmp(b)),
        (Scalar::Num(a), Scalar::Num(b)) => a.partial_cmp(b),
        (Scalar::Date(a), Scalar::Date(b)) => Some(a.cmp(b)),
        (Scalar::Date(a), Scalar::Str(s)) => parse_datetime(s).map(|b| a.cmp(&b)),
        (Scalar::Str(s), Scalar::Date(b)) => parse_datetime(s).map(|a| a.cmp(b)),
        _ => None,
    }
}

fn call<'a>(func: Func, args: &'a [Operand], env: &Env<'a>) -> bool {
    let [hay, needle] = args else {
        return false;
    };
    let (Scalar::Str(hay), Scalar::Str(needle)) = (scalar(hay, env), scalar(needle, env)) else {
        return false;
    };
    match func {
        Func::StartsWith => {
            let mut h = fold(hay);
            fold(needle).all(|c| h.next() == Some(c))
        }
        Func::EndsWith => lower(hay).ends_with(&lower(needle)),
        Func::Contains => lower(hay).contains(&lower(needle)),
    }
}

/// Case-folded characters (Unicode lower case).
fn fold(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

fn lower(s: &str) -> String {
    fold(s).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::odata::parse::parsed;

    fn m(filter: &str, user: &Value) -> bool {
        matches(&parsed(filter), user)
    }

    fn guest() -> Value {
        json!({
            "id": "cbb896f9-8306-49d0-b56b-b8e39cd28825",
            "displayName": "Orla O'Neil",
            "userPrincipalName": "o'neil_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            "mail": "o'neil@fabrikam.com",
            "otherMails": ["o'neil@fabrikam.com", "orla@example.org"],
            "proxyAddresses": ["SMTP:o'neil@fabrikam.com"],
            "userType": "Guest",
            "creationType": "Invitation",
            "externalUserState": "PendingAcceptance",
            "externalUserStateChangeDateTime": "2024-05-01T12:00:00Z",
            "createdDateTime": "2024-05-01T12:00:00Z",
            "accountEnabled": true,
            "businessPhones": [],
            "jobTitle": null,
            "identities": [
                {"signInType": "userPrincipalName", "issuer": "contoso.onmicrosoft.com",
                 "issuerAssignedId": "o'neil_fabrikam.com#EXT#@contoso.onmicrosoft.com"},
                {"signInType": "federated", "issuer": "ExternalAzureAD", "issuerAssignedId": null}
            ]
        })
    }

    /// Each filter against [`guest`], with the answer it must give.
    const GUEST_CASES: &[(&str, bool)] = &[
        // eq is case insensitive on values and names.
        ("mail eq 'O''NEIL@FABRIKAM.COM'", true),
        ("MAIL eq 'o''neil@fabrikam.com'", true),
        ("userType eq 'guest'", true),
        ("mail eq 'oneil@fabrikam.com'", false),
        ("displayName eq 'ORLA O''NEIL'", true),
        // ne and not.
        ("userType ne 'Member'", true),
        ("userType ne 'GUEST'", false),
        ("not(userType eq 'Member')", true),
        ("not(userType eq 'Guest')", false),
        ("not(not(userType eq 'Guest'))", true),
        // null semantics.
        ("jobTitle eq null", true), // explicit null
        ("surname eq null", true), // absent key
        ("mail eq null", false),
        ("mail ne null", true),
        ("surname ne 'x'", true),
        ("startsWith(surname,'x')", false),
        ("surname ge 'a'", false),
        // in operator.
        ("userType in ('Member', 'guest')", true),
        ("userType in ('Member')", false),
        ("jobTitle in ('x', null)", true),
        // starts and ends with.
        ("startsWith(mail,'O''Neil@')", true),
        ("startswith(displayName,'orla')", true),
        ("startsWith(mail,'neil')", false),
        ("endsWith(mail,'@FABRIKAM.com')", true),
        ("endswith(mail,'@contoso.com')", false),
        ("startsWith(mail,'')", true),
        ("contains(mail,'NEIL')", true),
        // ordering.
        ("mail ge 'o'", true),
        ("mail le 'P'", true),
        ("mail gt 'p'", false),
        ("createdDateTime ge 2024-01-01T00:00:00Z", true),
        ("createdDateTime le 2024-05-01T14:00:00+02:00", true),
        ("createdDateTime lt 2024-05-01T14:00:00+02:00", false),
        ("createdDateTime eq 2024-05-01T12:00:00.000Z", true),
        // booleans and guids.
        ("accountEnabled eq true", true),
        ("accountEnabled eq false", false),
        ("accountEnabled ne false", true),
        ("id eq 'CBB896F9-8306-49d0-b56b-b8e39cd28825'", true),
        ("id eq cbb896f9-8306-49d0-b56b-b8e39cd28825", true),
        ("accountEnabled eq 'true'", false),
        // lambdas over strings.
        ("otherMails/any(x:x eq 'ORLA@example.org')", true),
        ("otherMails/any(x:x eq 'nobody@example.org')", false),
        ("proxyAddresses/any(x:x eq 'smtp:o''neil@fabrikam.com')", true),
        ("proxyAddresses/any(p:startsWith(p,'SMTP:o'))", true),
        ("otherMails/any(x:endsWith(x,'.org'))", true),
        ("otherMails/any(x:x in ('a@b.c', 'orla@example.org'))", true),
        ("businessPhones/any(x:x eq '1')", false),
        ("signInNames/any(x:x eq '1')", false), // missing collection
        ("otherMails/all(x:endsWith(x,'.com') or endsWith(x,'.org'))", true),
        ("otherMails/all(x:endsWith(x,'.com'))", false),
        // identities lambda.
        ("identities/any(c:c/issuerAssignedId eq 'o''neil_fabrikam.com#EXT#@contoso.onmicrosoft.com' and c/issuer eq 'contoso.onmicrosoft.com')", true),
        ("identities/any(c:c/issuerAssignedId eq 'o''neil_fabrikam.com#EXT#@contoso.onmicrosoft.com' and c/issuer eq 'ExternalAzureAD')", false),
        ("identities/any(c:c/ISSUER eq 'externalazuread')", true),
        // count segment.
        ("businessPhones/$count eq 0", true),
        ("otherMails/$count eq 2", true),
        ("otherMails/$count ne 0", true),
        ("signInNames/$count eq 0", true),
        // and or precedence.
        // true or (false and false) → true; (true or false) and false → false
        ("userType eq 'Guest' or mail eq 'x' and mail eq 'y'", true),
        ("(userType eq 'Guest' or mail eq 'x') and mail eq 'y'", false),
        ("mail eq 'x' and mail eq 'y' or userType eq 'Guest'", true),
        // literal only comparisons evaluate plainly.
        ("'1' eq '1'", true),
        ("'1' eq '2'", false),
    ];

    #[test]
    fn filters_against_a_guest() {
        let g = guest();
        for &(filter, want) in GUEST_CASES {
            assert_eq!(m(filter, &g), want, "{filter}");
        }
    }

    #[test]
    fn non_objects_match_nothing() {
        assert!(!m("mail eq null", &json!(null)));
        assert!(!m("not(mail eq 'a')", &json!([1, 2])));
    }

    #[test]
    fn lambda_variable_shadowing_and_scope() {
        let u = json!({"otherMails": ["a"], "x": "outer"});
        assert!(m("otherMails/any(x:x eq 'a') and x eq 'outer'", &u));
    }
}
