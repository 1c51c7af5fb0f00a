//! `ODataError`: the status, Graph error code and message the server puts in a Graph error body.

use std::fmt;

/// An error in `$filter` / `$select`, ready to become a Graph error body
/// (`{"error":{"code":code,"message":message,"innerError":{…}}}`) with HTTP `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ODataError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for ODataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ODataError {}

impl ODataError {
    /// 400 `BadRequest` (query-syntax and type errors; Graph reports these with the generic code).
    pub fn bad_request(message: impl Into<String>) -> Self {
        ODataError {
            status: 400,
            code: "BadRequest",
            message: message.into(),
        }
    }

    /// 400 `Request_UnsupportedQuery` with a free message.
    pub fn unsupported(message: impl Into<String>) -> Self {
        ODataError {
            status: 400,
            code: "Request_UnsupportedQuery",
            message: message.into(),
        }
    }

    /// Graph's text for a property the `user` type does not have (research §2.2,
    /// microsoftgraph/entra-powershell#358). `name` is echoed as the caller spelled it.
    pub fn unknown_property(name: &str) -> Self {
        Self::unsupported(format!(
            "Property '{name}' does not exist as a declared property or extension property."
        ))
    }

    /// Graph's text for an operator/function a property does not support (research §2.2,
    /// MicrosoftDocs/azure-docs#38560). `name` is the property's declared (camelCase) name.
    pub fn unsupported_clause(name: &str) -> Self {
        Self::unsupported(format!(
            "Unsupported or invalid query filter clause specified for property '{name}' of resource 'User'."
        ))
    }

    /// `Request_UnsupportedQuery` "Unsupported Query." (research §3.2). This is the answer for an
    /// advanced-only filter sent without `ConsistencyLevel: eventual` + `$count=true`, and for
    /// clauses that compare no property at all (e.g. `'1' eq '1'`).
    pub fn unsupported_query() -> Self {
        Self::unsupported("Unsupported Query.")
    }

    /// `$filter` syntax error in ODataLib's words, wrapped as Graph does.
    pub(crate) fn filter_syntax(input: &str, byte_pos: usize) -> Self {
        Self::bad_request(format!(
            "Invalid filter clause: Syntax error at position {} in '{}'.",
            char_pos(input, byte_pos),
            input
        ))
    }

    /// `$filter` string literal that never closes.
    pub(crate) fn filter_unterminated(input: &str, byte_pos: usize) -> Self {
        Self::bad_request(format!(
            "Invalid filter clause: There is an unterminated string literal at position {} in '{}'.",
            char_pos(input, byte_pos),
            input
        ))
    }
}

/// Character (not byte) offset of `byte_pos` in `input`, as ODataLib reports positions.
pub(crate) fn char_pos(input: &str, byte_pos: usize) -> usize {
    input
        .char_indices()
        .take_while(|(i, _)| *i < byte_pos)
        .count()
}

/// Asserts a 400 `BadRequest` with exactly Graph's `message` (tests of the parsers).
#[cfg(test)]
pub(super) fn assert_bad_request<T: std::fmt::Debug>(r: Result<T, ODataError>, message: &str) {
    let e = r.unwrap_err();
    assert_eq!(
        (e.status, e.code, e.message.as_str()),
        (400, "BadRequest", message)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_graphs() {
        assert_eq!(
            ODataError::unknown_property("UserState").message,
            "Property 'UserState' does not exist as a declared property or extension property."
        );
        assert_eq!(
            ODataError::unsupported_clause("onPremisesSamAccountName").message,
            "Unsupported or invalid query filter clause specified for property 'onPremisesSamAccountName' of resource 'User'."
        );
        let e = ODataError::unsupported_query();
        assert_eq!((e.status, e.code), (400, "Request_UnsupportedQuery"));
        assert_eq!(
            ODataError::unsupported_query().message,
            "Unsupported Query."
        );
    }

    #[test]
    fn positions_count_chars() {
        assert_eq!(char_pos("héllo", 3), 2);
        assert_eq!(char_pos("abc", 99), 3);
        let e = ODataError::filter_syntax("a é", 4);
        assert_eq!(
            e.message,
            "Invalid filter clause: Syntax error at position 3 in 'a é'."
        );
        assert_eq!(e.code, "BadRequest");
    }
}
