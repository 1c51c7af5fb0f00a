//! The `$filter` syntax tree produced by [`crate::odata::parse`].

/// A boolean filter expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// `a or b or …` (flattened only within one unparenthesised chain).
    Or(Vec<Expr>),
    /// `a and b and …`.
    And(Vec<Expr>),
    /// `not(…)` / `not …`.
    Not(Box<Expr>),
    /// `left op right`.
    Compare {
        left: Operand,
        op: CmpOp,
        right: Operand,
    },
    /// `left in (v1, v2, …)`.
    In { left: Operand, list: Vec<Operand> },
    /// `startsWith(a, b)`, `endsWith(a, b)`, `contains(a, b)`.
    Call { func: Func, args: Vec<Operand> },
    /// `collection/any(var: body)` or `collection/all(var: body)`.
    Lambda {
        collection: Path,
        kind: LambdaKind,
        var: String,
        body: Box<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    /// ODataLib's name for the operator kind, used in type-mismatch messages.
    pub(crate) fn kind_name(self) -> &'static str {
        match self {
            CmpOp::Eq => "Equal",
            CmpOp::Ne => "NotEqual",
            CmpOp::Gt => "GreaterThan",
            CmpOp::Ge => "GreaterThanOrEqual",
            CmpOp::Lt => "LessThan",
            CmpOp::Le => "LessThanOrEqual",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    StartsWith,
    EndsWith,
    Contains,
}

impl Func {
    /// Lower-case OData name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Func::StartsWith => "startswith",
            Func::EndsWith => "endswith",
            Func::Contains => "contains",
        }
    }

    /// Case-insensitive lookup, as Graph accepts `startsWith` and `startswith`.
    pub(crate) fn from_name(name: &str) -> Option<Func> {
        [Func::StartsWith, Func::EndsWith, Func::Contains]
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LambdaKind {
    Any,
    All,
}

/// One side of a comparison or a function argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Literal(Literal),
    Path(Path),
}

/// A property path: `mail`, `otherMails/$count`, `c/issuer` (inside a lambda), `x`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    pub root: Root,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Root {
    /// A property of the user, spelled as the caller wrote it.
    Property(String),
    /// A lambda variable in scope.
    Var(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    Property(String),
    Count,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Null,
    Bool(bool),
    /// Unescaped text (`''` already turned into `'`).
    String(String),
    /// Integer or decimal number.
    Number(f64),
    /// Unquoted GUID, lower-cased.
    Guid(String),
    /// Unquoted DateTimeOffset, as nanoseconds since the Unix epoch.
    DateTime(i128),
}

impl Literal {
    /// The EDM type name ODataLib would report for this literal.
    pub(crate) fn edm_type(&self) -> &'static str {
        match self {
            Literal::Null => "null",
            Literal::Bool(_) => "Edm.Boolean",
            Literal::String(_) => "Edm.String",
            Literal::Number(n) if n.fract() == 0.0 && n.abs() <= i32::MAX as f64 => "Edm.Int32",
            Literal::Number(_) => "Edm.Double",
            Literal::Guid(_) => "Edm.Guid",
            Literal::DateTime(_) => "Edm.DateTimeOffset",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn func_names_are_case_insensitive() {
        assert_eq!(Func::from_name("startsWith"), Some(Func::StartsWith));
        assert_eq!(Func::from_name("STARTSWITH"), Some(Func::StartsWith));
        assert_eq!(Func::from_name("endswith"), Some(Func::EndsWith));
        assert_eq!(Func::from_name("substringof"), None);
    }

    #[test]
    fn edm_types() {
        assert_eq!(Literal::Number(0.0).edm_type(), "Edm.Int32");
        assert_eq!(Literal::Number(1.5).edm_type(), "Edm.Double");
        assert_eq!(Literal::Bool(true).edm_type(), "Edm.Boolean");
        assert_eq!(CmpOp::Ge.kind_name(), "GreaterThanOrEqual");
    }
}
