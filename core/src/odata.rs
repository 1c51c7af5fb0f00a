//! OData literals and URL encoding, done in this one place so no caller can get them wrong.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters is percent-encoded in a query value, so
/// `'`, `#`, `&`, `+` and spaces survive the trip.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path segment (user id or UPN): `#` must become `%23` (else it starts a fragment) and `'`
/// is encoded so OData key syntax cannot be injected; `@` stays as Graph's docs show it.
const PATH_SEGMENT: &AsciiSet = &QUERY_VALUE.remove(b'@');

/// An OData string literal: quoted, with single quotes doubled (`o'neil` -> `'o''neil'`).
pub fn string_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(crate) fn encode_query_value(v: &str) -> String {
    utf8_percent_encode(v, QUERY_VALUE).to_string()
}

pub(crate) fn encode_path_segment(v: &str) -> String {
    utf8_percent_encode(v, PATH_SEGMENT).to_string()
}

/// Builds `?$a=v&$b=w` with every value encoded.
pub(crate) fn query(params: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        out.push('=');
        out.push_str(&encode_query_value(v));
    }
    out
}

/// Graph's form of the documented "does this email exist" filter (research §2.2): every clause
/// is a default (non-advanced) query, so no `ConsistencyLevel` is needed.
pub fn lookup_filter(email: &str) -> String {
    let e = string_literal(email);
    let smtp = string_literal(&format!("SMTP:{email}"));
    format!(
        "userPrincipalName eq {e} or mail eq {e} or proxyAddresses/any(x:x eq {smtp}) or otherMails/any(x:x eq {e})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_and_encoded() {
        assert_eq!(string_literal("o'neil@x.com"), "'o''neil@x.com'");
        assert_eq!(string_literal("x' or '1' eq '1"), "'x'' or ''1'' eq ''1'");
        let q = query(&[("$filter", "mail eq 'a#b&c'")]);
        assert_eq!(q, "?$filter=mail%20eq%20%27a%23b%26c%27");
    }

    #[test]
    fn guest_upn_path() {
        assert_eq!(
            encode_path_segment("a_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
            "a_fabrikam.com%23EXT%23@contoso.onmicrosoft.com"
        );
    }
}
