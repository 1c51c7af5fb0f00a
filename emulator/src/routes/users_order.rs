//! `$orderby` on `/users`: `displayName` and `userPrincipalName`, `asc` or `desc` (research
//! §2.1; with `$filter` only as an advanced query).

use std::cmp::Ordering;

use serde_json::Value;

use crate::graph_error::GraphError;

const SORTABLE: &[&str] = &["displayName", "userPrincipalName"];

/// One `$orderby` item: the property and whether it sorts descending.
pub type SortKey = (&'static str, bool);

/// Parses `displayName desc,userPrincipalName`. An unsortable property gets Graph's
/// `Request_UnsupportedQuery` "Unsupported sort property 'X' for 'User'."; anything that is
/// not `property [asc|desc]` a 400 `BadRequest` syntax error.
pub fn parse_orderby(raw: &str) -> Result<Vec<SortKey>, GraphError> {
    let syntax = || GraphError::bad_request(format!("Syntax error in $orderby: '{raw}'."));
    let mut keys = Vec::new();
    for item in raw.split(',') {
        let words: Vec<&str> = item.split_whitespace().collect();
        let (prop, desc) = match words.as_slice() {
            [p] => (*p, false),
            [p, d] if d.eq_ignore_ascii_case("asc") => (*p, false),
            [p, d] if d.eq_ignore_ascii_case("desc") => (*p, true),
            _ => return Err(syntax()),
        };
        let name = SORTABLE
            .iter()
            .find(|s| s.eq_ignore_ascii_case(prop))
            .ok_or_else(|| {
                GraphError::unsupported_query(format!(
                    "Unsupported sort property '{prop}' for 'User'."
                ))
            })?;
        keys.push((*name, desc));
    }
    Ok(keys)
}

fn key_of(user: &Value, prop: &str) -> Option<String> {
    user.get(prop)
        .and_then(Value::as_str)
        .map(str::to_lowercase)
}

/// Case-insensitive; a missing or null value sorts first ascending (OData: null is lowest).
pub fn compare(a: &Value, b: &Value, keys: &[SortKey]) -> Ordering {
    for (prop, desc) in keys {
        let o = key_of(a, prop).cmp(&key_of(b, prop));
        let o = if *desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parses_and_sorts() {
        let keys = parse_orderby("DisplayName desc, userPrincipalName").unwrap_or_default();
        assert_eq!(
            keys,
            vec![("displayName", true), ("userPrincipalName", false)]
        );
        let a = json!({"displayName": "alice", "userPrincipalName": "b"});
        let b = json!({"displayName": "Alice", "userPrincipalName": "a"});
        assert_eq!(compare(&a, &b, &keys), Ordering::Greater);
        assert_eq!(
            compare(&json!({}), &a, &[("displayName", false)]),
            Ordering::Less
        );
        assert!(parse_orderby("createdDateTime").is_err());
        assert!(parse_orderby("displayName up").is_err());
        assert!(parse_orderby("").is_err());
    }
}
