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
    use crate::odata::parse::parse_filter_expr;

    fn m(filter: &str, user: &Value) -> bool {
        match parse_filter_expr(filter) {
            Ok(e) => matches(&e, user),
            Err(e) => panic!("{filter}: {e}"),
        }
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

    #[test]
    fn eq_is_case_insensitive_on_values_and_names() {
        let g = guest();
        assert!(m("mail eq 'O''NEIL@FABRIKAM.COM'", &g));
        assert!(m("MAIL eq 'o''neil@fabrikam.com'", &g));
        assert!(m("userType eq 'guest'", &g));
        assert!(!m("mail eq 'oneil@fabrikam.com'", &g));
        assert!(m("displayName eq 'ORLA O''NEIL'", &g));
    }

    #[test]
    fn ne_and_not() {
        let g = guest();
        assert!(m("userType ne 'Member'", &g));
        assert!(!m("userType ne 'GUEST'", &g));
        assert!(m("not(userType eq 'Member')", &g));
        assert!(!m("not(userType eq 'Guest')", &g));
        assert!(m("not(not(userType eq 'Guest'))", &g));
    }

    #[test]
    fn null_semantics() {
        let g = guest();
        assert!(m("jobTitle eq null", &g)); // explicit null
        assert!(m("surname eq null", &g)); // absent key
        assert!(!m("mail eq null", &g));
        assert!(m("mail ne null", &g));
        assert!(m("surname ne 'x'", &g));
        assert!(!m("startsWith(surname,'x')", &g));
        assert!(!m("surname ge 'a'", &g));
    }

    #[test]
    fn in_operator() {
        let g = guest();
        assert!(m("userType in ('Member', 'guest')", &g));
        assert!(!m("userType in ('Member')", &g));
        assert!(m("jobTitle in ('x', null)", &g));
    }

    #[test]
    fn starts_and_ends_with() {
        let g = guest();
        assert!(m("startsWith(mail,'O''Neil@')", &g));
        assert!(m("startswith(displayName,'orla')", &g));
        assert!(!m("startsWith(mail,'neil')", &g));
        assert!(m("endsWith(mail,'@FABRIKAM.com')", &g));
        assert!(!m("endswith(mail,'@contoso.com')", &g));
        assert!(m("startsWith(mail,'')", &g));
        assert!(m("contains(mail,'NEIL')", &g));
    }

    #[test]
    fn ordering() {
        let g = guest();
        assert!(m("mail ge 'o'", &g));
        assert!(m("mail le 'P'", &g));
        assert!(!m("mail gt 'p'", &g));
        assert!(m("createdDateTime ge 2024-01-01T00:00:00Z", &g));
        assert!(m("createdDateTime le 2024-05-01T14:00:00+02:00", &g));
        assert!(!m("createdDateTime lt 2024-05-01T14:00:00+02:00", &g));
        assert!(m("createdDateTime eq 2024-05-01T12:00:00.000Z", &g));
    }

    #[test]
    fn booleans_and_guids() {
        let g = guest();
        assert!(m("accountEnabled eq true", &g));
        assert!(!m("accountEnabled eq false", &g));
        assert!(m("accountEnabled ne false", &g));
        assert!(m("id eq 'CBB896F9-8306-49d0-b56b-b8e39cd28825'", &g));
        assert!(m("id eq cbb896f9-8306-49d0-b56b-b8e39cd28825", &g));
        assert!(!m("accountEnabled eq 'true'", &g));
    }

    #[test]
    fn lambdas_over_strings() {
        let g = guest();
        assert!(m("otherMails/any(x:x eq 'ORLA@example.org')", &g));
        assert!(!m("otherMails/any(x:x eq 'nobody@example.org')", &g));
        assert!(m(
            "proxyAddresses/any(x:x eq 'smtp:o''neil@fabrikam.com')",
            &g
        ));
        assert!(m("proxyAddresses/any(p:startsWith(p,'SMTP:o'))", &g));
        assert!(m("otherMails/any(x:endsWith(x,'.org'))", &g));
        assert!(m(
            "otherMails/any(x:x in ('a@b.c', 'orla@example.org'))",
            &g
        ));
        assert!(!m("businessPhones/any(x:x eq '1')", &g));
        assert!(!m("signInNames/any(x:x eq '1')", &g)); // missing collection
        assert!(m(
            "otherMails/all(x:endsWith(x,'.com') or endsWith(x,'.org'))",
            &g
        ));
        assert!(!m("otherMails/all(x:endsWith(x,'.com'))", &g));
    }

    #[test]
    fn identities_lambda() {
        let g = guest();
        assert!(m(
            "identities/any(c:c/issuerAssignedId eq 'o''neil_fabrikam.com#EXT#@contoso.onmicrosoft.com' and c/issuer eq 'contoso.onmicrosoft.com')",
            &g
        ));
        assert!(!m(
            "identities/any(c:c/issuerAssignedId eq 'o''neil_fabrikam.com#EXT#@contoso.onmicrosoft.com' and c/issuer eq 'ExternalAzureAD')",
            &g
        ));
        assert!(m("identities/any(c:c/ISSUER eq 'externalazuread')", &g));
    }

    #[test]
    fn count_segment() {
        let g = guest();
        assert!(m("businessPhones/$count eq 0", &g));
        assert!(m("otherMails/$count eq 2", &g));
        assert!(m("otherMails/$count ne 0", &g));
        assert!(m("signInNames/$count eq 0", &g));
    }

    #[test]
    fn and_or_precedence() {
        let g = guest();
        // true or (false and false) → true; (true or false) and false → false
        assert!(m("userType eq 'Guest' or mail eq 'x' and mail eq 'y'", &g));
        assert!(!m(
            "(userType eq 'Guest' or mail eq 'x') and mail eq 'y'",
            &g
        ));
        assert!(m("mail eq 'x' and mail eq 'y' or userType eq 'Guest'", &g));
    }

    #[test]
    fn literal_only_comparisons_evaluate_plainly() {
        let g = guest();
        assert!(m("'1' eq '1'", &g));
        assert!(!m("'1' eq '2'", &g));
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
