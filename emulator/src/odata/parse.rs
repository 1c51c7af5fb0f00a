//! The `$filter` grammar (a subset of OData 4.01 ABNF), written with `winnow`.
//!
//! ```text
//! filter     = ws expr ws EOF
//! expr       = and_expr *( ws "or" ws and_expr )              ; `and` binds tighter than `or`
//! and_expr   = unary *( ws "and" ws unary )
//! unary      = "not" ws unary / primary                        ; `not(…)` and `not …`
//! primary    = "(" ws expr ws ")"
//!            / func ws "(" ws operand *( ws "," ws operand ) ws ")"   ; startsWith, endsWith, contains (any case)
//!            / path "/" ("any"/"all") ws "(" ws var ws ":" ws expr ws ")"
//!            / operand ws cmp ws operand                       ; cmp = eq ne gt ge lt le (lower case)
//!            / operand ws "in" ws "(" ws literal *( ws "," ws literal ) ws ")"
//! operand    = literal / path
//! path       = ident *( "/" ( "$count" / ident ) )             ; ident may be a lambda variable
//! literal    = string / "null" / "true" / "false" / datetimeoffset / guid / number
//! string     = "'" *( "''" / not-quote ) "'"
//! ```
//! Keywords must not run into an identifier (`andrew` is not `and` + `rew`); whitespace
//! between tokens is optional where a token boundary is otherwise clear (`mail eq'x'`).
//! Nesting (parentheses, `not`, lambdas) is capped at [`MAX_DEPTH`] so no input can overflow
//! the stack.

use std::cell::{Cell, RefCell};

use winnow::ascii::{multispace0, Caseless};
use winnow::combinator::{
    alt, cut_err, eof, not, opt, peek, preceded, repeat, separated, terminated,
};
use winnow::error::{ContextError, ErrMode};
use winnow::prelude::*;
use winnow::token::{one_of, take_while};

use super::ast::{CmpOp, Expr, Func, LambdaKind, Literal, Operand, Path, Root, Segment};
use super::datetime::datetime_offset;
use super::error::ODataError;

/// Deepest nesting of parentheses, `not` and lambdas accepted.
pub(crate) const MAX_DEPTH: usize = 32;

type PResult<T> = ModalResult<T>;

/// Errors that get their own message instead of "Syntax error at position N".
#[derive(Debug, Clone)]
enum Special {
    Unterminated(usize),
    UnknownFunction(String),
    TooDeep,
}

/// Parser state shared by the recursive functions.
struct State {
    input_len: usize,
    depth: Cell<usize>,
    scope: RefCell<Vec<String>>,
    special: RefCell<Option<Special>>,
}

impl State {
    fn offset(&self, rest: &str) -> usize {
        self.input_len.saturating_sub(rest.len())
    }

    /// Records a special error (first one wins) and returns a non-backtracking error.
    fn fail<T>(&self, s: Special) -> PResult<T> {
        let mut slot = self.special.borrow_mut();
        if slot.is_none() {
            *slot = Some(s);
        }
        Err(ErrMode::Cut(ContextError::new()))
    }

    fn in_scope(&self, name: &str) -> bool {
        self.scope.borrow().iter().any(|v| v == name)
    }
}

/// Parses a whole `$filter` value (already percent-decoded).
pub(crate) fn parse_filter_expr(input: &str) -> Result<Expr, ODataError> {
    let st = State {
        input_len: input.len(),
        depth: Cell::new(0),
        scope: RefCell::new(Vec::new()),
        special: RefCell::new(None),
    };
    let mut rest = input;
    let result = (multispace0, |i: &mut &str| expr(i, &st), multispace0, eof)
        .map(|(_, e, _, _)| e)
        .parse_next(&mut rest);
    match result {
        Ok(e) => Ok(e),
        Err(_) => Err(match st.special.take() {
            Some(Special::Unterminated(pos)) => ODataError::filter_unterminated(input, pos),
            Some(Special::UnknownFunction(name)) => ODataError::bad_request(format!(
                "Invalid filter clause: An unknown function with name '{name}' was found. \
                 This may also be a function import or a key lookup on a navigation property, which is not allowed."
            )),
            Some(Special::TooDeep) => ODataError::bad_request(
                "Invalid filter clause: The filter expression is nested too deeply.",
            ),
            None => ODataError::filter_syntax(input, st.offset(rest)),
        }),
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn ws<'i>(i: &mut &'i str) -> PResult<&'i str> {
    multispace0.parse_next(i)
}

fn ident<'i>(i: &mut &'i str) -> PResult<&'i str> {
    (one_of(is_ident_start), take_while(0.., is_ident_char))
        .take()
        .parse_next(i)
}

/// A case-sensitive keyword that is not the start of a longer identifier.
fn keyword<'i>(kw: &'static str) -> impl Parser<&'i str, &'i str, ErrMode<ContextError>> {
    terminated(kw, not(one_of(is_ident_char)))
}

/// Runs `f` one nesting level deeper, failing cleanly past [`MAX_DEPTH`].
fn nested<T>(i: &mut &str, st: &State, f: impl FnOnce(&mut &str) -> PResult<T>) -> PResult<T> {
    let depth = st.depth.get();
    if depth >= MAX_DEPTH {
        return st.fail(Special::TooDeep);
    }
    st.depth.set(depth + 1);
    let r = f(i);
    st.depth.set(depth);
    r
}

fn expr(i: &mut &str, st: &State) -> PResult<Expr> {
    nested(i, st, |i| or_expr(i, st))
}

fn or_expr(i: &mut &str, st: &State) -> PResult<Expr> {
    chain(i, st, "or", and_expr, Expr::Or)
}

fn and_expr(i: &mut &str, st: &State) -> PResult<Expr> {
    chain(i, st, "and", unary, Expr::And)
}

/// `operand (kw operand)*`, joined with `make`: one shape for `or` over `and` over `unary`.
fn chain(
    i: &mut &str,
    st: &State,
    kw: &'static str,
    operand: fn(&mut &str, &State) -> PResult<Expr>,
    make: fn(Vec<Expr>) -> Expr,
) -> PResult<Expr> {
    let first = operand(i, st)?;
    let rest: Vec<Expr> = repeat(
        0..,
        preceded(
            (ws, keyword(kw), ws),
            cut_err(|i: &mut &str| operand(i, st)),
        ),
    )
    .parse_next(i)?;
    Ok(join(first, rest, make))
}

fn join(first: Expr, rest: Vec<Expr>, make: fn(Vec<Expr>) -> Expr) -> Expr {
    if rest.is_empty() {
        first
    } else {
        let mut all = Vec::with_capacity(rest.len() + 1);
        all.push(first);
        all.extend(rest);
        make(all)
    }
}

fn unary(i: &mut &str, st: &State) -> PResult<Expr> {
    if opt(keyword("not")).parse_next(i)?.is_some() {
        ws.parse_next(i)?;
        let inner = nested(i, st, |i| {
            cut_err(|i: &mut &str| unary(i, st)).parse_next(i)
        })?;
        return Ok(Expr::Not(Box::new(inner)));
    }
    primary(i, st)
}

fn primary(i: &mut &str, st: &State) -> PResult<Expr> {
    if opt('(').parse_next(i)?.is_some() {
        ws.parse_next(i)?;
        let e = cut_err(|i: &mut &str| expr(i, st)).parse_next(i)?;
        ws.parse_next(i)?;
        cut_err(')').parse_next(i)?;
        return Ok(e);
    }
    if let Some(name) = opt(peek(terminated(ident, (ws, '(')))).parse_next(i)? {
        return call(i, st, name);
    }
    let left = match operand(i, st)? {
        Term::Lambda(e) => return Ok(e),
        Term::Operand(o) => o,
    };
    ws.parse_next(i)?;
    let op = cut_err(alt((
        keyword("eq").value(Some(CmpOp::Eq)),
        keyword("ne").value(Some(CmpOp::Ne)),
        keyword("gt").value(Some(CmpOp::Gt)),
        keyword("ge").value(Some(CmpOp::Ge)),
        keyword("lt").value(Some(CmpOp::Lt)),
        keyword("le").value(Some(CmpOp::Le)),
        keyword("in").value(None),
    )))
    .parse_next(i)?;
    ws.parse_next(i)?;
    match op {
        Some(op) => {
            let right = cut_err(|i: &mut &str| plain_operand(i, st)).parse_next(i)?;
            Ok(Expr::Compare { left, op, right })
        }
        None => {
            cut_err('(').parse_next(i)?;
            ws.parse_next(i)?;
            let list: Vec<Operand> = cut_err(separated(
                1..,
                (|i: &mut &str| literal(i, st)).map(Operand::Literal),
                (ws, ',', ws),
            ))
            .parse_next(i)?;
            ws.parse_next(i)?;
            cut_err(')').parse_next(i)?;
            Ok(Expr::In { left, list })
        }
    }
}

/// `name(arg, …)` where `name` is a known function.
fn call(i: &mut &str, st: &State, name: &str) -> PResult<Expr> {
    let Some(func) = Func::from_name(name) else {
        return st.fail(Special::UnknownFunction(name.to_string()));
    };
    (ident, ws, '(', ws).parse_next(i)?;
    let args: Vec<Operand> = cut_err(separated(
        1..,
        |i: &mut &str| plain_operand(i, st),
        (ws, ',', ws),
    ))
    .parse_next(i)?;
    ws.parse_next(i)?;
    cut_err(')').parse_next(i)?;
    Ok(Expr::Call { func, args })
}

/// An operand, or a path that ended in a lambda (a boolean expression of its own).
enum Term {
    Operand(Operand),
    Lambda(Expr),
}

fn operand(i: &mut &str, st: &State) -> PResult<Term> {
    if let Some(lit) = opt(|i: &mut &str| literal(i, st)).parse_next(i)? {
        return Ok(Term::Operand(Operand::Literal(lit)));
    }
    path(i, st)
}

/// An operand where a lambda is not allowed (right-hand side, function argument).
fn plain_operand(i: &mut &str, st: &State) -> PResult<Operand> {
    match operand(i, st)? {
        Term::Operand(o) => Ok(o),
        Term::Lambda(_) => Err(ErrMode::Cut(ContextError::new())),
    }
}

fn path(i: &mut &str, st: &State) -> PResult<Term> {
    let first = ident(i)?;
    let root = if st.in_scope(first) {
        Root::Var(first.to_string())
    } else {
        Root::Property(first.to_string())
    };
    let mut segments = Vec::new();
    while opt('/').parse_next(i)?.is_some() {
        if opt(keyword("$count")).parse_next(i)?.is_some() {
            segments.push(Segment::Count);
            continue;
        }
        let lambda_kind = opt(terminated(
            alt((
                Caseless("any").value(LambdaKind::Any),
                Caseless("all").value(LambdaKind::All),
            )),
            peek((ws, '(')),
        ))
        .parse_next(i)?;
        if let Some(kind) = lambda_kind {
            let collection = Path { root, segments };
            return nested(i, st, |i| lambda(i, st, collection, kind)).map(Term::Lambda);
        }
        let seg = cut_err(ident).parse_next(i)?;
        segments.push(Segment::Property(seg.to_string()));
    }
    Ok(Term::Operand(Operand::Path(Path { root, segments })))
}

/// `(var: body)` after `collection/any`.
fn lambda(i: &mut &str, st: &State, collection: Path, kind: LambdaKind) -> PResult<Expr> {
    (ws, '(', ws).parse_next(i)?;
    let var = cut_err(ident).parse_next(i)?.to_string();
    cut_err((ws, ':', ws)).parse_next(i)?;
    st.scope.borrow_mut().push(var.clone());
    let body = cut_err(|i: &mut &str| or_expr(i, st)).parse_next(i);
    st.scope.borrow_mut().pop();
    let body = body?;
    ws.parse_next(i)?;
    cut_err(')').parse_next(i)?;
    Ok(Expr::Lambda {
        collection,
        kind,
        var,
        body: Box::new(body),
    })
}

fn literal(i: &mut &str, st: &State) -> PResult<Literal> {
    alt((
        (|i: &mut &str| string_literal(i, st)).map(Literal::String),
        keyword("null").value(Literal::Null),
        keyword("true").value(Literal::Bool(true)),
        keyword("false").value(Literal::Bool(false)),
        terminated(datetime_offset, not(one_of(is_ident_char))).map(Literal::DateTime),
        guid.map(Literal::Guid),
        number.map(Literal::Number),
    ))
    .parse_next(i)
}

/// `'…'` with `''` standing for one quote.
fn string_literal(i: &mut &str, st: &State) -> PResult<String> {
    let start = st.offset(i);
    '\''.parse_next(i)?;
    let text: String = repeat(
        0..,
        alt((take_while(1.., |c: char| c != '\''), "''".value("'"))),
    )
    .fold(String::new, |mut acc, part: &str| {
        acc.push_str(part);
        acc
    })
    .parse_next(i)?;
    if opt('\'').parse_next(i)?.is_none() {
        return st.fail(Special::Unterminated(start));
    }
    Ok(text)
}

/// Unquoted GUID `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower-cased.
fn guid(i: &mut &str) -> PResult<String> {
    fn hex<'i>(n: usize) -> impl Parser<&'i str, &'i str, ErrMode<ContextError>> {
        take_while(n, |c: char| c.is_ascii_hexdigit())
    }
    terminated(
        (hex(8), '-', hex(4), '-', hex(4), '-', hex(4), '-', hex(12)).take(),
        not(one_of(|c: char| is_ident_char(c) || c == '-')),
    )
    .map(|s: &str| s.to_ascii_lowercase())
    .parse_next(i)
}

/// `-?digits(.digits)?([eE][+-]?digits)?`.
fn number(i: &mut &str) -> PResult<f64> {
    fn digits<'i>(i: &mut &'i str) -> PResult<&'i str> {
        take_while(1.., |c: char| c.is_ascii_digit()).parse_next(i)
    }
    terminated(
        (
            opt('-'),
            digits,
            opt(('.', digits)),
            opt((one_of(['e', 'E']), opt(one_of(['+', '-'])), digits)),
        )
            .take(),
        not(one_of(|c: char| is_ident_char(c) || c == '.')),
    )
    .verify_map(|s: &str| s.parse::<f64>().ok().filter(|n| n.is_finite()))
    .parse_next(i)
}

/// Parses a filter a test knows to be valid: the tests of every later stage start from one.
#[cfg(test)]
pub(super) fn parsed(s: &str) -> Expr {
    match parse_filter_expr(s) {
        Ok(e) => e,
        Err(e) => panic!("{s:?} failed: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::parsed as p;
    use super::*;
    use crate::odata::error::assert_bad_request;

    fn prop(name: &str) -> Operand {
        Operand::Path(Path {
            root: Root::Property(name.into()),
            segments: vec![],
        })
    }

    fn var(name: &str) -> Operand {
        Operand::Path(Path {
            root: Root::Var(name.into()),
            segments: vec![],
        })
    }

    fn s(v: &str) -> Operand {
        Operand::Literal(Literal::String(v.into()))
    }

    fn cmp(l: Operand, op: CmpOp, r: Operand) -> Expr {
        Expr::Compare {
            left: l,
            op,
            right: r,
        }
    }

    #[test]
    fn comparison_operators() {
        for (text, op) in [
            ("eq", CmpOp::Eq),
            ("ne", CmpOp::Ne),
            ("gt", CmpOp::Gt),
            ("ge", CmpOp::Ge),
            ("lt", CmpOp::Lt),
            ("le", CmpOp::Le),
        ] {
            assert_eq!(
                p(&format!("mail {text} 'a'")),
                cmp(prop("mail"), op, s("a"))
            );
        }
    }

    #[test]
    fn parses_to_the_expected_tree() {
        let lit = Operand::Literal;
        let not_a = || Expr::Not(Box::new(cmp(prop("mail"), CmpOp::Eq, s("a"))));
        let cases = [
            // Quote doubling.
            (
                "mail eq 'o''neil'",
                cmp(prop("mail"), CmpOp::Eq, s("o'neil")),
            ),
            ("mail eq ''''", cmp(prop("mail"), CmpOp::Eq, s("'"))),
            ("mail eq ''", cmp(prop("mail"), CmpOp::Eq, s(""))),
            (
                "mail eq 'x'' or ''1'' eq ''1'",
                cmp(prop("mail"), CmpOp::Eq, s("x' or '1' eq '1")),
            ),
            // Literals.
            (
                "accountEnabled eq true",
                cmp(prop("accountEnabled"), CmpOp::Eq, lit(Literal::Bool(true))),
            ),
            (
                "mail eq null",
                cmp(prop("mail"), CmpOp::Eq, lit(Literal::Null)),
            ),
            (
                "id eq 9071BFDE-35e0-47d2-a582-d244ab1b4af6",
                cmp(
                    prop("id"),
                    CmpOp::Eq,
                    lit(Literal::Guid("9071bfde-35e0-47d2-a582-d244ab1b4af6".into())),
                ),
            ),
            (
                "x eq -1.5e2",
                cmp(prop("x"), CmpOp::Eq, lit(Literal::Number(-150.0))),
            ),
            // Bare words that merely start like a keyword are properties.
            ("nullable eq 'a'", cmp(prop("nullable"), CmpOp::Eq, s("a"))),
            // not, with or without parentheses.
            ("not(mail eq 'a')", not_a()),
            ("not (mail eq 'a')", not_a()),
            ("not mail eq 'a'", not_a()),
            (
                "userType in ('Guest', 'Member')",
                Expr::In {
                    left: prop("userType"),
                    list: vec![s("Guest"), s("Member")],
                },
            ),
            (
                "endsWith( mail , 'x.com' )",
                Expr::Call {
                    func: Func::EndsWith,
                    args: vec![prop("mail"), s("x.com")],
                },
            ),
            (
                "otherMails/any(x:x eq 'v')",
                Expr::Lambda {
                    collection: Path {
                        root: Root::Property("otherMails".into()),
                        segments: vec![],
                    },
                    kind: LambdaKind::Any,
                    var: "x".into(),
                    body: Box::new(cmp(var("x"), CmpOp::Eq, s("v"))),
                },
            ),
            (
                "otherMails/$count eq 0",
                cmp(
                    Operand::Path(Path {
                        root: Root::Property("otherMails".into()),
                        segments: vec![Segment::Count],
                    }),
                    CmpOp::Eq,
                    lit(Literal::Number(0.0)),
                ),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(p(input), want, "{input}");
        }
        assert!(matches!(
            p("createdDateTime ge 2024-01-01T00:00:00Z"),
            Expr::Compare {
                right: Operand::Literal(Literal::DateTime(_)),
                ..
            }
        ));
    }

    #[test]
    fn precedence_and_binds_tighter_than_or() {
        let e = p("a eq '1' or b eq '2' and c eq '3'");
        assert_eq!(
            e,
            Expr::Or(vec![
                cmp(prop("a"), CmpOp::Eq, s("1")),
                Expr::And(vec![
                    cmp(prop("b"), CmpOp::Eq, s("2")),
                    cmp(prop("c"), CmpOp::Eq, s("3")),
                ]),
            ])
        );
        let e = p("(a eq '1' or b eq '2') and c eq '3'");
        assert!(matches!(e, Expr::And(ref v) if matches!(v[0], Expr::Or(_))));
    }

    #[test]
    fn nested_not() {
        assert!(matches!(p("not(not(mail eq 'a'))"), Expr::Not(_)));
    }

    #[test]
    fn functions_any_case() {
        for f in ["startsWith", "startswith", "STARTSWITH"] {
            assert_eq!(
                p(&format!("{f}(mail,'a')")),
                Expr::Call {
                    func: Func::StartsWith,
                    args: vec![prop("mail"), s("a")]
                }
            );
        }
        let e = parse_filter_expr("substringof('a',mail)").unwrap_err();
        assert!(
            e.message
                .contains("unknown function with name 'substringof'"),
            "{e}"
        );
    }

    #[test]
    fn lambdas() {
        assert!(matches!(
            p("proxyAddresses/any(x:startsWith(x,'smtp:'))"),
            Expr::Lambda { ref body, .. } if matches!(**body, Expr::Call { .. })
        ));
        let e = p("identities/any(c:c/issuerAssignedId eq 'v' and c/issuer eq 'w')");
        let Expr::Lambda { body, .. } = e else {
            panic!()
        };
        let of_c = |property: &str| {
            Operand::Path(Path {
                root: Root::Var("c".into()),
                segments: vec![Segment::Property(property.into())],
            })
        };
        assert_eq!(
            *body,
            Expr::And(vec![
                cmp(of_c("issuerAssignedId"), CmpOp::Eq, s("v")),
                cmp(of_c("issuer"), CmpOp::Eq, s("w")),
            ])
        );
        // Outside the lambda, `x` is a property again.
        let e = p("otherMails/any(x:x eq 'v') or x eq 'w'");
        let Expr::Or(v) = e else { panic!() };
        assert_eq!(v[1], cmp(prop("x"), CmpOp::Eq, s("w")));
        assert!(matches!(
            p("otherMails/all(x: x eq 'v')"),
            Expr::Lambda {
                kind: LambdaKind::All,
                ..
            }
        ));
    }

    #[test]
    fn syntax_errors_have_graph_shape() {
        assert_bad_request(
            parse_filter_expr("mail eq"),
            "Invalid filter clause: Syntax error at position 7 in 'mail eq'.",
        );
        assert_bad_request(
            parse_filter_expr("mail eq 'abc"),
            "Invalid filter clause: There is an unterminated string literal at position 8 in 'mail eq 'abc'.",
        );
        assert_bad_request(
            parse_filter_expr("mail eq 'a' xyz"),
            "Invalid filter clause: Syntax error at position 12 in 'mail eq 'a' xyz'.",
        );
        for bad in [
            "",
            "   ",
            "mail",
            "eq 'a'",
            "mail eq 'a' or",
            "(mail eq 'a'",
            "mail eq 'a')",
            "mail eq 'a' and and mail eq 'b'",
            "mail == 'a'",
            "mail eq \"a\"",
            "mail eq 'a''",
            "maileq 'a'",
            "mail eq 1abc",
            "mail/ eq 'a'",
            "startsWith(mail 'a')",
            "mail eq otherMails/any(x:x eq 'a')",
            // Operators are lower case only.
            "mail EQ 'a'",
            "mail eq 'a' AND mail eq 'b'",
            "mail eq 'a' Or mail eq 'b'",
            "not",
            "not()",
            "userType in ()",
            "userType in ('a',)",
            "userType in 'a'",
            "otherMails/any()",
            "otherMails/any(x x eq 'v')",
        ] {
            let e = parse_filter_expr(bad).unwrap_err();
            assert_eq!(e.code, "BadRequest", "{bad}");
            assert!(
                e.message.starts_with("Invalid filter clause: "),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn whitespace_is_flexible() {
        for ok in [
            "  mail eq 'a'  ",
            "mail\teq\t'a'",
            "(mail eq 'a')or(mail eq 'b')",
            "mail eq'a'",
        ] {
            assert!(parse_filter_expr(ok).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn depth_is_capped() {
        let ok = format!(
            "{}mail eq 'a'{}",
            "(".repeat(MAX_DEPTH - 2),
            ")".repeat(MAX_DEPTH - 2)
        );
        assert!(parse_filter_expr(&ok).is_ok());
        for deep in [
            format!("{}mail eq 'a'{}", "(".repeat(100_000), ")".repeat(100_000)),
            format!("{}mail eq 'a'", "not ".repeat(100_000)),
            "(".repeat(1_000_000),
            format!(
                "{}x eq 'a'{}",
                "otherMails/any(x:".repeat(5_000),
                ")".repeat(5_000)
            ),
        ] {
            let e = parse_filter_expr(&deep).unwrap_err();
            assert_eq!(e.code, "BadRequest");
            assert!(
                e.message.contains("nested too deeply"),
                "{}",
                &e.message[..80]
            );
        }
    }

    #[test]
    fn long_flat_chains_are_fine() {
        let many = vec!["mail eq 'a'"; 20_000].join(" or ");
        let Expr::Or(v) = p(&many) else { panic!() };
        assert_eq!(v.len(), 20_000);
    }
}
