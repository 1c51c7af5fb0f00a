//! Input rules checked before anything is sent (Graph's own, research §1.2, plus sanity limits).

use crate::error::Error;

/// Longest address we accept (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;
pub(crate) const MAX_DISPLAY_NAME: usize = 256;
/// Graph documents no limit for `customizedMessageBody`; this one keeps mistakes (a whole file
/// pasted in) from going out, far above any real invitation text.
pub(crate) const MAX_MESSAGE: usize = 10_000;
const MAX_URL: usize = 2048;

/// Characters Graph forbids in `invitedUserEmailAddress` (research §1.2).
const FORBIDDEN: &[char] = &[
    '~', '!', '#', '$', '%', '^', '&', '*', '(', ')', '+', '=', '[', ']', '{', '}', '\\', '/', '|',
    ';', ':', '"', '<', '>', '?', ',',
];

/// Refuses the value of `field`, saying `why`.
fn refuse(field: &str, why: impl Into<String>) -> Result<(), Error> {
    Err(Error::invalid_input(field, why))
}

pub(crate) fn email(field: &str, raw: &str) -> Result<(), Error> {
    // CR/LF anywhere (even at the end) is refused, never trimmed away: it is how headers get injected.
    if raw.chars().any(|c| c.is_control()) {
        return refuse(field, "contains a line break or control character");
    }
    let v = raw.trim_matches(' ');
    if v.is_empty() {
        return refuse(field, "is required");
    }
    if v.len() > MAX_EMAIL {
        return refuse(
            field,
            format!("is {} characters long; the limit is {MAX_EMAIL}", v.len()),
        );
    }
    if let Some(c) = v.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return refuse(
            field,
            format!("contains a space or control character ({:?})", c),
        );
    }
    if let Some(c) = v.chars().find(|c| !c.is_ascii()) {
        return refuse(
            field,
            format!("contains the non-ASCII character '{c}' (look-alike letters are refused)"),
        );
    }
    if let Some(c) = v.chars().find(|c| FORBIDDEN.contains(c)) {
        return refuse(
            field,
            format!("contains '{c}', which Graph does not allow in an email address"),
        );
    }
    let mut parts = v.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return refuse(
            field,
            format!("'{v}' is not an email address (needs exactly one @)"),
        );
    };
    if local.is_empty() {
        return refuse(field, "has nothing before the @");
    }
    for edge in [local.chars().next(), local.chars().last()]
        .into_iter()
        .flatten()
    {
        if edge == '.' || edge == '-' {
            return refuse(
                field,
                format!("the user name may not start or end with '{edge}'"),
            );
        }
    }
    if local.contains("..") {
        return refuse(field, "the user name contains '..'");
    }
    domain_name(field, domain)
}

fn domain_name(field: &str, d: &str) -> Result<(), Error> {
    let labels: Vec<&str> = d.split('.').collect();
    if d.is_empty() || labels.len() < 2 {
        return refuse(field, format!("'{d}' is not a full domain name"));
    }
    for l in labels {
        let ok = !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !ok {
            return refuse(field, format!("'{d}' is not a valid domain name"));
        }
    }
    Ok(())
}

pub(crate) fn redirect_url(field: &str, v: &str) -> Result<(), Error> {
    if v.trim().is_empty() {
        return refuse(field, "is required");
    }
    if v.len() > MAX_URL {
        return refuse(field, format!("is longer than {MAX_URL} characters"));
    }
    if v.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return refuse(field, "contains whitespace or a control character");
    }
    let u = url::Url::parse(v)
        .map_err(|e| Error::invalid_input(field, format!("'{v}' is not an absolute URL ({e})")))?;
    if u.scheme() != "https" {
        return refuse(field, format!("must be an https URL, not {}", u.scheme()));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return refuse(field, "has no host");
    }
    Ok(())
}

pub(crate) fn single_line(field: &str, v: &str, max: usize) -> Result<(), Error> {
    if v.chars().any(|c| c.is_control()) {
        return refuse(field, "contains a line break or control character");
    }
    if v.chars().count() > max {
        return refuse(field, format!("is longer than {max} characters"));
    }
    Ok(())
}

pub(crate) fn message_body(field: &str, v: &str) -> Result<(), Error> {
    if v.trim().is_empty() {
        return refuse(field, "is empty; leave it out instead");
    }
    let n = v.chars().count();
    if n > MAX_MESSAGE {
        return refuse(
            field,
            format!("is {n} characters long; the limit is {MAX_MESSAGE}"),
        );
    }
    // Line breaks are fine in a message body; other control characters are not.
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return refuse(field, "contains a control character");
    }
    Ok(())
}

pub(crate) fn language(field: &str, v: &str) -> Result<(), Error> {
    let mut parts = v.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if first_ok && rest_ok {
        Ok(())
    } else {
        refuse(field, format!("'{v}' is not a language tag like en-US"))
    }
}

pub(crate) fn object_id(field: &str, v: &str) -> Result<(), Error> {
    uuid::Uuid::parse_str(v.trim())
        .map(|_| ())
        .map_err(|_| Error::invalid_input(field, format!("'{v}' is not an object id (a GUID)")))
}

/// An email or a user id, as `status` and `reset` accept.
pub(crate) fn is_object_id(v: &str) -> bool {
    uuid::Uuid::parse_str(v.trim()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "taylor@fabrikam.com",
            "o'neil@fabrikam.com",
            "_a_@x.io",
            "a.b-c@sub.example.org",
        ] {
            assert!(email("e", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "no-at",
            "a@b",
            "a b@c.com",
            "a@@c.com",
            ".a@c.com",
            "a-@c.com",
            "a#b@c.com",
            "a,b@c.com",
            "tаylor@fabrikam.com",
            "a@c.com\r\n",
            "a@-c.com",
        ] {
            let e = email("invitedUserEmailAddress", bad).unwrap_err();
            assert_eq!(e.field(), Some("invitedUserEmailAddress"), "{bad}");
        }
        assert!(email("e", &format!("{}@c.com", "a".repeat(300))).is_err());
    }

    #[test]
    fn urls() {
        assert!(redirect_url("u", "https://myapps.microsoft.com/").is_ok());
        for bad in [
            "",
            "http://x.com",
            "/relative",
            "myapps.microsoft.com",
            "https://x.com/\r\nX: y",
            "javascript:alert(1)",
        ] {
            assert!(redirect_url("u", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn languages() {
        assert!(language("l", "en-US").is_ok());
        assert!(language("l", "fr").is_ok());
        assert!(language("l", "english please").is_err());
    }
}
