//! What Graph accepts: property existence and literal types (ODataLib binding, `BadRequest` /
//! "does not exist"), per-property operator support (`Request_UnsupportedQuery`), which clauses
//! need an advanced query, and the OR-clause count.
//!
//! A clause needs an advanced query when (research §2.1, S13/S14): it uses `ne`, `not(…)`,
//! `endsWith`, `eq null`/`ne null` where the property allows it only so, `coll/$count`, or a
//! property/operator the table in [`super::properties`] marks advanced (e.g. every clause on
//! `externalUserStateChangeDateTime`, `mobilePhone`, `officeLocation`, `preferredLanguage`).

use super::ast::{CmpOp, Expr, Func, LambdaKind, Literal, Operand, Path, Root, Segment};
use super::error::ODataError;
use super::properties::{canonical_identity_property, rule_for, Kind, Mode, Rule};

/// The first error Graph would report for `expr`, binding errors before support errors.
pub(crate) fn check(expr: &Expr) -> Result<(), ODataError> {
    let mut scope = Vec::new();
    bind(expr, &mut scope)?;
    let mut acc = Support::default();
    support(expr, &mut acc);
    match acc.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// True if any clause (even one `check` would reject) needs `ConsistencyLevel: eventual` +
/// `$count=true`.
pub(crate) fn requires_advanced(expr: &Expr) -> bool {
    let mut acc = Support::default();
    support(expr, &mut acc);
    acc.advanced
}

/// The largest number of child clauses joined by `or` in one OR expression. Nested ORs
/// (`(a or b) or c`) count as one expression of 3; ORs separated by `and`/`not`/a lambda count
/// separately. 0 when there is no `or`. `in (…)` lists are not counted.
pub(crate) fn or_clause_count(expr: &Expr) -> usize {
    fn flat(e: &Expr) -> usize {
        match e {
            Expr::Or(items) => items.iter().map(flat).sum(),
            _ => 1,
        }
    }
    fn walk(e: &Expr, in_or: bool, best: &mut usize) {
        match e {
            Expr::Or(items) => {
                if !in_or {
                    *best = (*best).max(flat(e));
                }
                for i in items {
                    walk(i, true, best);
                }
            }
            Expr::And(items) => {
                for i in items {
                    walk(i, false, best);
                }
            }
            Expr::Not(inner) => walk(inner, false, best),
            Expr::Lambda { body, .. } => walk(body, false, best),
            Expr::Compare { .. } | Expr::In { .. } | Expr::Call { .. } => {}
        }
    }
    let mut best = 0;
    walk(expr, false, &mut best);
    best
}

// ---------------------------------------------------------------------------------------------
// Binding: unknown properties and literal types.

/// The static type of an operand, where it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    String,
    Bool,
    DateTime,
    Int,
    Identity,
    Collection(Kind),
}

impl Ty {
    fn edm(self) -> &'static str {
        match self {
            Ty::String => "Edm.String",
            Ty::Bool => "Edm.Boolean",
            Ty::DateTime => "Edm.DateTimeOffset",
            Ty::Int => "Edm.Int32",
            Ty::Identity => "microsoft.graph.objectIdentity",
            Ty::Collection(k) => k.edm_type(),
        }
    }

    fn accepts(self, lit: &Literal) -> bool {
        match (self, lit) {
            (_, Literal::Null) => true,
            (Ty::String, Literal::String(_)) => true,
            (Ty::Bool, Literal::Bool(_)) => true,
            (Ty::DateTime, Literal::DateTime(_)) => true,
            (Ty::Int, Literal::Number(_)) => true,
            // Structured and collection operands are rejected by the support pass instead.
            (Ty::Identity | Ty::Collection(_), _) => true,
            _ => false,
        }
    }
}

/// Lambda variables in scope: name and the collection kind they range over.
type Scope<'a> = Vec<(&'a str, Kind)>;

fn bind<'a>(expr: &'a Expr, scope: &mut Scope<'a>) -> Result<(), ODataError> {
    match expr {
        Expr::Or(items) | Expr::And(items) => items.iter().try_for_each(|e| bind(e, scope)),
        Expr::Not(inner) => bind(inner, scope),
        Expr::Compare { left, op, right } => {
            let lt = operand_type(left, scope)?;
            let rt = operand_type(right, scope)?;
            let mismatch = |a: &'static str, b: &'static str| {
                ODataError::bad_request(format!(
                    "Invalid filter clause: A binary operator with incompatible types was detected. \
                     Found operand types '{a}' and '{b}' for operator kind '{}'.",
                    op.kind_name()
                ))
            };
            match (left, lt, right, rt) {
                (_, Some(t), Operand::Literal(l), _) if !t.accepts(l) => {
                    Err(mismatch(t.edm(), l.edm_type()))
                }
                (Operand::Literal(l), _, _, Some(t)) if !t.accepts(l) => {
                    Err(mismatch(l.edm_type(), t.edm()))
                }
                _ => Ok(()),
            }
        }
        Expr::In { left, list } => {
            let lt = operand_type(left, scope)?;
            for item in list {
                if let (Some(t), Operand::Literal(l)) = (lt, item) {
                    if !t.accepts(l) {
                        return Err(ODataError::bad_request(format!(
                            "Invalid filter clause: The 'in' operator's list contains a '{}' value, \
                             but the left operand is of type '{}'.",
                            l.edm_type(),
                            t.edm()
                        )));
                    }
                }
            }
            Ok(())
        }
        Expr::Call { func, args } => {
            let mut ok = args.len() == 2;
            for a in args {
                let t = operand_type(a, scope)?;
                ok &= match (a, t) {
                    (_, Some(t)) => t == Ty::String,
                    (Operand::Literal(l), None) => matches!(l, Literal::String(_) | Literal::Null),
                    _ => true,
                };
            }
            if ok {
                Ok(())
            } else {
                let name = func.name();
                Err(ODataError::bad_request(format!(
                    "Invalid filter clause: No function signature for the function with name '{name}' \
                     matches the specified arguments. The function signatures considered are: \
                     {name}(Edm.String Nullable=true, Edm.String Nullable=true)."
                )))
            }
        }
        Expr::Lambda {
            collection,
            var,
            body,
            ..
        } => {
            let kind = match operand_path_type(collection, scope)? {
                Some(Ty::Collection(k)) => k,
                // A lambda over a non-collection: the support pass reports it.
                _ => Kind::StringCollection,
            };
            scope.push((var.as_str(), kind));
            let r = bind(body, scope);
            scope.pop();
            r
        }
    }
}

fn operand_type(op: &Operand, scope: &Scope) -> Result<Option<Ty>, ODataError> {
    match op {
        Operand::Literal(_) => Ok(None),
        Operand::Path(p) => operand_path_type(p, scope),
    }
}

/// Type of a path; `Err` for names the user type (or objectIdentity) does not declare.
fn operand_path_type(path: &Path, scope: &Scope) -> Result<Option<Ty>, ODataError> {
    let mut ty = match &path.root {
        Root::Property(name) => {
            let rule = rule_for(name).ok_or_else(|| ODataError::unknown_property(name))?;
            Some(kind_ty(rule.kind))
        }
        Root::Var(name) => match scope.iter().rev().find(|(v, _)| v == name) {
            Some((_, Kind::IdentityCollection)) => Some(Ty::Identity),
            Some(_) => Some(Ty::String),
            None => None,
        },
    };
    for seg in &path.segments {
        ty = match (ty, seg) {
            (Some(Ty::Identity), Segment::Property(name)) => {
                canonical_identity_property(name)
                    .ok_or_else(|| ODataError::unknown_property(name))?;
                Some(Ty::String)
            }
            (Some(Ty::Collection(_)), Segment::Count) => Some(Ty::Int),
            // Anything else is an unsupported clause, reported by the support pass.
            _ => None,
        };
    }
    Ok(ty)
}

fn kind_ty(kind: Kind) -> Ty {
    match kind {
        Kind::String => Ty::String,
        Kind::Bool => Ty::Bool,
        Kind::DateTime => Ty::DateTime,
        Kind::StringCollection | Kind::IdentityCollection => Ty::Collection(kind),
    }
}

// ---------------------------------------------------------------------------------------------
// Support: which clauses Graph accepts, and in which mode.

#[derive(Default)]
struct Support {
    advanced: bool,
    error: Option<ODataError>,
}

impl Support {
    /// Records one clause: `mode` is its support on `rule` (None = unsupported).
    fn clause(&mut self, rule: &Rule, mode: Option<Mode>) {
        match mode {
            Some(Mode::Advanced) => self.advanced = true,
            Some(Mode::Default) => {}
            None => self.fail(ODataError::unsupported_clause(rule.name)),
        }
    }

    fn fail(&mut self, e: ODataError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }
}

fn support(expr: &Expr, acc: &mut Support) {
    match expr {
        Expr::Or(items) | Expr::And(items) => items.iter().for_each(|e| support(e, acc)),
        Expr::Not(inner) => {
            acc.advanced = true;
            support(inner, acc);
        }
        Expr::Compare { left, op, right } => compare_clause(left, *op, right, acc),
        Expr::In { left, list } => match property_rule(left) {
            Some((rule, [])) if is_scalar(rule) => {
                acc.clause(rule, rule.in_);
                if list
                    .iter()
                    .any(|l| matches!(l, Operand::Literal(Literal::Null)))
                {
                    acc.clause(rule, rule.null);
                }
            }
            Some((rule, _)) => acc.clause(rule, None),
            None => acc.fail(ODataError::unsupported_query()),
        },
        Expr::Call { func, args } => match (property_rule_of(args.first()), args.get(1)) {
            (Some((rule, [])), Some(Operand::Literal(Literal::String(_))))
                if rule.kind == Kind::String && args.len() == 2 =>
            {
                acc.clause(rule, func_mode(rule, *func));
            }
            (Some((rule, _)), _) => acc.clause(rule, None),
            (None, _) => acc.fail(ODataError::unsupported_query()),
        },
        Expr::Lambda {
            collection,
            kind,
            var,
            body,
        } => lambda_clause(collection, *kind, var, body, acc),
    }
}

fn compare_clause(left: &Operand, op: CmpOp, right: &Operand, acc: &mut Support) {
    match (property_rule(left), right) {
        (Some((rule, [])), Operand::Literal(lit)) if is_scalar(rule) => {
            let mode = match (op, lit) {
                (CmpOp::Eq | CmpOp::Ne, Literal::Null) => rule.null,
                (_, Literal::Null) => None,
                (CmpOp::Eq, _) => rule.eq,
                (CmpOp::Ne, _) => rule.ne,
                (CmpOp::Ge | CmpOp::Le, _) => rule.ge_le,
                (CmpOp::Gt | CmpOp::Lt, _) => None,
            };
            // `ne` is advanced wherever it is supported (S14).
            let mode = if op == CmpOp::Ne {
                mode.map(|_| Mode::Advanced)
            } else {
                mode
            };
            acc.clause(rule, mode);
        }
        (Some((rule, [Segment::Count])), Operand::Literal(Literal::Number(n)))
            if !is_scalar(rule)
                && matches!(op, CmpOp::Eq | CmpOp::Ne)
                && *n >= 0.0
                && n.fract() == 0.0 =>
        {
            acc.clause(rule, rule.count);
        }
        (Some((rule, _)), _) => acc.clause(rule, None),
        (None, _) => match property_rule(right) {
            // `'x' eq mail`: Graph wants the property on the left.
            Some((rule, _)) => acc.clause(rule, None),
            None => acc.fail(ODataError::unsupported_query()),
        },
    }
}

fn lambda_clause(collection: &Path, kind: LambdaKind, var: &str, body: &Expr, acc: &mut Support) {
    let rule = match (&collection.root, collection.segments.as_slice()) {
        (Root::Property(name), []) => match rule_for(name) {
            Some(rule) => rule,
            None => return acc.fail(ODataError::unknown_property(name)),
        },
        (Root::Property(name), _) | (Root::Var(name), _) => {
            return match rule_for(name) {
                Some(rule) => acc.clause(rule, None),
                None => acc.fail(ODataError::unsupported_query()),
            };
        }
    };
    if kind != LambdaKind::Any {
        return acc.clause(rule, None);
    }
    match rule.kind {
        Kind::StringCollection => {
            let mode = string_lambda_mode(rule, var, body);
            acc.clause(rule, mode);
        }
        Kind::IdentityCollection => {
            let mode = identity_lambda_ok(var, body).then_some(rule.eq).flatten();
            acc.clause(rule, mode);
        }
        Kind::String | Kind::Bool | Kind::DateTime => acc.clause(rule, None),
    }
}

/// `x eq 'v'`, `x ge|le 'v'`, `x in ('a','b')`, `startsWith(x,'v')`, `endsWith(x,'v')`.
fn string_lambda_mode(rule: &Rule, var: &str, body: &Expr) -> Option<Mode> {
    let is_var = |o: &Operand| matches!(o, Operand::Path(Path { root: Root::Var(v), segments }) if v == var && segments.is_empty());
    let is_str = |o: &Operand| matches!(o, Operand::Literal(Literal::String(_)));
    match body {
        Expr::Compare { left, op, right } if is_var(left) && is_str(right) => match op {
            CmpOp::Eq => rule.eq,
            CmpOp::Ne => rule.ne,
            CmpOp::Ge | CmpOp::Le => rule.ge_le,
            CmpOp::Gt | CmpOp::Lt => None,
        },
        Expr::In { left, list } if is_var(left) && list.iter().all(is_str) => rule.in_,
        Expr::Call { func, args } => match args.as_slice() {
            [a, b] if is_var(a) && is_str(b) => func_mode(rule, *func),
            _ => None,
        },
        _ => None,
    }
}

/// `c/issuer eq 'v'`, optionally `and`-ed with `c/issuerAssignedId eq 'v'` / `c/signInType eq
/// 'v'`; `issuerAssignedId` needs `issuer` (S15: "you must supply both").
fn identity_lambda_ok(var: &str, body: &Expr) -> bool {
    let clauses: &[Expr] = match body {
        Expr::And(items) => items,
        single => std::slice::from_ref(single),
    };
    let mut has_issuer = false;
    let mut has_assigned_id = false;
    for clause in clauses {
        let Expr::Compare {
            left:
                Operand::Path(Path {
                    root: Root::Var(v),
                    segments,
                }),
            op: CmpOp::Eq,
            right: Operand::Literal(Literal::String(_)),
        } = clause
        else {
            return false;
        };
        let [Segment::Property(name)] = segments.as_slice() else {
            return false;
        };
        if v != var {
            return false;
        }
        match canonical_identity_property(name) {
            Some("issuer") => has_issuer = true,
            Some("issuerAssignedId") => has_assigned_id = true,
            Some(_) => {}
            None => return false,
        }
    }
    has_issuer || !has_assigned_id
}

fn func_mode(rule: &Rule, func: Func) -> Option<Mode> {
    match func {
        Func::StartsWith => rule.starts_with,
        Func::EndsWith => rule.ends_with,
        Func::Contains => None,
    }
}

fn is_scalar(rule: &Rule) -> bool {
    matches!(rule.kind, Kind::String | Kind::Bool | Kind::DateTime)
}

/// The rule of a user-property path operand, with its remaining segments.
fn property_rule(op: &Operand) -> Option<(&'static Rule, &[Segment])> {
    match op {
        Operand::Path(Path {
            root: Root::Property(name),
            segments,
        }) => rule_for(name).map(|r| (r, segments.as_slice())),
        _ => None,
    }
}

fn property_rule_of(op: Option<&Operand>) -> Option<(&'static Rule, &[Segment])> {
    op.and_then(property_rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::parse::parsed as e;

    fn ok_default(s: &str) {
        let x = e(s);
        assert_eq!(check(&x), Ok(()), "{s}");
        assert!(!requires_advanced(&x), "{s} should be a default query");
    }

    fn ok_advanced(s: &str) {
        let x = e(s);
        assert_eq!(check(&x), Ok(()), "{s}");
        assert!(requires_advanced(&x), "{s} should need an advanced query");
    }

    fn unsupported(s: &str, prop: &str) {
        assert_eq!(
            check(&e(s)),
            Err(ODataError::unsupported_clause(prop)),
            "{s}"
        );
    }

    #[test]
    fn default_clauses() {
        for s in [
            "externalUserState eq 'PendingAcceptance'",
            "externalUserState in ('PendingAcceptance', 'Accepted')",
            "userType eq 'Guest'",
            "userType in ('Guest')",
            "creationType eq 'Invitation'",
            "mail eq 'a@b.c'",
            "startsWith(mail,'a')",
            "startswith(userPrincipalName,'a')",
            "mail ge 'a' and mail le 'b'",
            "otherMails/any(x:x eq 'a@b.c')",
            "otherMails/any(x:startsWith(x,'a'))",
            "otherMails/any(x:x in ('a', 'b'))",
            "proxyAddresses/any(x:x eq 'SMTP:a@b.c')",
            "proxyAddresses/any(x:startswith(x,'smtp:'))",
            "identities/any(c:c/issuerAssignedId eq 'v' and c/issuer eq 'w')",
            "identities/any(c:c/issuer eq 'w')",
            "userPrincipalName eq 'a'",
            "displayName eq 'A' or startsWith(displayName,'B')",
            "accountEnabled eq true",
            "accountEnabled in (true, false)",
            "createdDateTime ge 2024-01-01T00:00:00Z",
            "createdDateTime eq 2024-01-01T00:00:00Z",
            "id eq '9071bfde-35e0-47d2-a582-d244ab1b4af6'",
            "id in ('a', 'b')",
            "givenName eq 'a' and surname eq 'b'",
            "mailNickname eq 'o''neil_fabrikam.com#EXT#'",
            "startsWith(mailNickname,'o')",
            "businessPhones/any(p:p eq '1')",
            "UserPrincipalName eq 'a'",
        ] {
            ok_default(s);
        }
    }

    #[test]
    fn advanced_clauses() {
        for s in [
            "mail ne 'a'",
            "userType ne 'Guest'",
            "not(userType eq 'Guest')",
            "not(otherMails/any(x:x eq 'a'))",
            "endsWith(mail,'@x.com')",
            "endswith(userPrincipalName,'#EXT#@contoso.onmicrosoft.com')",
            "mail eq null",
            "mail ne null",
            "userType eq null",
            "displayName eq null",
            "otherMails/$count eq 0",
            "otherMails/$count ne 0",
            "proxyAddresses/$count eq 0",
            "otherMails/any(x:endsWith(x,'.org'))",
            "externalUserStateChangeDateTime eq 2024-01-01T00:00:00Z",
            "externalUserStateChangeDateTime in (2024-01-01T00:00:00Z)",
            "mobilePhone eq '1'",
            "officeLocation eq 'x'",
            "preferredLanguage eq 'en-US'",
            "accountEnabled ne true",
            "createdDateTime ne 2024-01-01T00:00:00Z",
            "userType eq 'Guest' and mail ne 'a'",
            "userType in ('Guest', null)",
            "mailNickname ne 'a'",
        ] {
            ok_advanced(s);
        }
    }

    #[test]
    fn unsupported_clauses() {
        unsupported("externalUserState eq null", "externalUserState");
        unsupported("creationType eq null", "creationType");
        unsupported("userPrincipalName eq null", "userPrincipalName");
        unsupported("startsWith(externalUserState,'P')", "externalUserState");
        unsupported("endsWith(displayName,'x')", "displayName");
        unsupported("mail gt 'a'", "mail");
        unsupported("mail lt 'a'", "mail");
        unsupported("contains(mail,'a')", "mail");
        unsupported("mail ge null", "mail");
        unsupported("otherMails eq 'a'", "otherMails");
        unsupported("otherMails/any(x:x ne 'a')", "otherMails");
        unsupported("otherMails/all(x:x eq 'a')", "otherMails");
        unsupported("otherMails/any(x:x eq 'a' or x eq 'b')", "otherMails");
        unsupported("otherMails/any(x:x eq null)", "otherMails");
        unsupported("otherMails/$count eq 1.5", "otherMails");
        unsupported("otherMails/$count ge 1", "otherMails");
        unsupported("proxyAddresses/any(x:x in ('a'))", "proxyAddresses");
        unsupported("identities/any(c:startsWith(c/issuer,'a'))", "identities");
        unsupported("identities/any(c:c/issuerAssignedId eq 'v')", "identities");
        unsupported(
            "identities/any(c:c/issuer eq 'v' or c/issuer eq 'w')",
            "identities",
        );
        unsupported("identities/any(c:c eq 'v')", "identities");
        unsupported("mail/any(x:x eq 'a')", "mail");
        unsupported("mail/$count eq 0", "mail");
        unsupported("'a' eq mail", "mail");
        unsupported("mail eq displayName", "mail");
        unsupported("accountEnabled ge true", "accountEnabled");
        unsupported("businessPhones/any(p:startsWith(p,'1'))", "businessPhones");
        unsupported(
            "userType eq 'Guest' and creationType eq null",
            "creationType",
        );
        unsupported("not(externalUserState eq null)", "externalUserState");
    }

    #[test]
    fn unknown_properties() {
        for (s, name) in [
            ("UserState eq 'PendingAcceptance'", "UserState"),
            ("signInNames/any(x:x eq 'a')", "signInNames"),
            ("startsWith(foo,'a')", "foo"),
            ("mail eq 'a' or bar in ('b')", "bar"),
            ("identities/any(c:c/signInName eq 'a')", "signInName"),
            ("otherMails/any(x:y eq 'a')", "y"),
            (
                "onPremisesSamAccountName eq 'a'",
                "onPremisesSamAccountName",
            ),
        ] {
            assert_eq!(check(&e(s)), Err(ODataError::unknown_property(name)), "{s}");
        }
    }

    #[test]
    fn unknown_property_wins_over_unsupported_clause() {
        assert_eq!(
            check(&e("externalUserState eq null or nope eq 'a'")),
            Err(ODataError::unknown_property("nope"))
        );
    }

    #[test]
    fn literal_only_comparisons_are_unsupported_queries() {
        assert_eq!(
            check(&e("'1' eq '1'")),
            Err(ODataError::unsupported_query())
        );
        assert_eq!(
            check(&e("mail eq 'x' or '1' eq '1'")),
            Err(ODataError::unsupported_query())
        );
        assert_eq!(
            check(&e("startsWith('ab','a')")),
            Err(ODataError::unsupported_query())
        );
    }

    #[test]
    fn type_mismatches_are_bad_requests() {
        let err = check(&e("accountEnabled eq 'true'")).unwrap_err();
        assert_eq!((err.status, err.code), (400, "BadRequest"));
        assert_eq!(
            err.message,
            "Invalid filter clause: A binary operator with incompatible types was detected. \
             Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'."
        );
        for s in [
            "mail eq 1",
            "mail eq true",
            "createdDateTime ge '2024-01-01'",
            "userType in ('Guest', 1)",
            "startsWith(mail, 1)",
            "startsWith(accountEnabled,'t')",
            "startsWith(mail)",
            "startsWith(mail,'a','b')",
            "id eq 9071bfde-35e0-47d2-a582-d244ab1b4af6",
            "otherMails/any(x:x eq 1)",
            "otherMails/$count eq 'a'",
        ] {
            let err = check(&e(s)).unwrap_err();
            assert_eq!(err.code, "BadRequest", "{s}: {err}");
        }
    }

    #[test]
    fn or_counts() {
        assert_eq!(or_clause_count(&e("mail eq 'a'")), 0);
        assert_eq!(or_clause_count(&e("mail eq 'a' or mail eq 'b'")), 2);
        assert_eq!(
            or_clause_count(&e(
                "(mail eq 'a' or mail eq 'b') or (mail eq 'c' or mail eq 'd')"
            )),
            4
        );
        assert_eq!(
            or_clause_count(&e(
                "(mail eq 'a' or mail eq 'b') and (mail eq 'c' or mail eq 'd' or mail eq 'e')"
            )),
            3
        );
        assert_eq!(
            or_clause_count(&e(
                "mail eq 'a' or mail eq 'b' and (mail eq 'c' or mail eq 'd')"
            )),
            2
        );
        let sixteen = vec!["mail eq 'a'"; 16].join(" or ");
        assert_eq!(or_clause_count(&e(&sixteen)), 16);
        assert_eq!(or_clause_count(&e("userType in ('a','b','c')")), 0);
    }
}
