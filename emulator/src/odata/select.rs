//! `$select` for `/users`: a comma-separated list of declared property names.

use winnow::ascii::multispace0;
use winnow::combinator::{cut_err, eof, preceded, repeat};
use winnow::prelude::*;
use winnow::token::take_while;

use super::error::ODataError;
use super::properties::canonical_user_property;

/// Parses `$select` (already percent-decoded) into declared property names (Graph's camelCase
/// spelling, duplicates removed, request order kept). An empty or blank value gives an empty
/// list: the caller then uses [`super::DEFAULT_USER_PROPERTIES`].
///
/// Errors: an empty item (`id,,mail`, a trailing comma) → 400 `BadRequest` syntax error; a name
/// the emulator does not know → 400 `BadRequest` "Could not find a property named 'X' on type
/// 'microsoft.graph.user'." (ODataLib's text; the research has no capture of Graph's answer).
pub fn parse_select(input: &str) -> Result<Vec<String>, ODataError> {
    if input.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut rest = input;
    let items: Vec<&str> = (
        multispace0,
        (
            item,
            repeat(
                0..,
                preceded((multispace0, ',', multispace0), cut_err(item)),
            ),
        ),
        multispace0,
        eof,
    )
        .map(|(_, (first, more), _, _): (_, (&str, Vec<&str>), _, _)| {
            let mut all = Vec::with_capacity(more.len() + 1);
            all.push(first);
            all.extend(more);
            all
        })
        .parse_next(&mut rest)
        .map_err(|_: winnow::error::ErrMode<winnow::error::ContextError>| {
            ODataError::bad_request(format!(
                "Syntax error at position {} in '{}'.",
                super::error::char_pos(input, input.len().saturating_sub(rest.len())),
                input
            ))
        })?;
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for name in items {
        let canonical = canonical_user_property(name).ok_or_else(|| {
            ODataError::bad_request(format!(
                "Could not find a property named '{name}' on type 'microsoft.graph.user'."
            ))
        })?;
        if !out.iter().any(|p| p == canonical) {
            out.push(canonical.to_string());
        }
    }
    Ok(out)
}

/// One select item: anything up to a comma or whitespace (validated against the property list).
fn item<'i>(i: &mut &'i str) -> ModalResult<&'i str> {
    take_while(1.., |c: char| c != ',' && !c.is_whitespace()).parse_next(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::error::assert_bad_request;

    #[test]
    fn canonical_names_in_order_without_duplicates() {
        assert_eq!(
            parse_select("DisplayName,externaluserstate, id ,displayName").unwrap(),
            vec!["displayName", "externalUserState", "id"]
        );
        assert_eq!(
            parse_select("externalUserState,externalUserStateChangeDateTime").unwrap(),
            vec!["externalUserState", "externalUserStateChangeDateTime"]
        );
    }

    #[test]
    fn blank_means_default() {
        assert_eq!(parse_select("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_select("  ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn unknown_property() {
        assert_bad_request(
            parse_select("id,UserState"),
            "Could not find a property named 'UserState' on type 'microsoft.graph.user'.",
        );
        assert!(parse_select("*").is_err());
        assert!(parse_select("identities/issuer").is_err());
    }

    #[test]
    fn syntax_errors() {
        for bad in ["id,,mail", ",id", "id,", "id mail", "id,\u{0}"] {
            let e = parse_select(bad).unwrap_err();
            assert_eq!(e.code, "BadRequest", "{bad}");
        }
        assert_eq!(
            parse_select("id,,mail").unwrap_err().message,
            "Syntax error at position 3 in 'id,,mail'."
        );
    }

    #[test]
    fn every_known_property_selects() {
        for p in super::super::properties::USER_PROPERTIES {
            assert_eq!(parse_select(p).unwrap(), vec![p.to_string()]);
        }
    }
}
