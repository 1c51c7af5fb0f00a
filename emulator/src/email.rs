//! The address rules Graph applies to invited and seeded users' email addresses.

const FORBIDDEN: &str = "~!#$%^&*()+=[]{}\\/|;:\"<>?,";

/// The documented email rules: no `~ ! # $ % ^ & * ( ) + = [ ] { } \ / | ; : " < > ? ,`
/// in the user name, `.`/`-` not first or last there, `_` anywhere; a dotted DNS domain.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return false;
    }
    if local
        .chars()
        .any(|c| FORBIDDEN.contains(c) || c.is_whitespace() || c.is_control())
    {
        return false;
    }
    if local.starts_with(['.', '-']) || local.ends_with(['.', '-']) || local.contains("..") {
        return false;
    }
    if domain.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    labels.iter().all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        for ok in ["a@b.com", "_a_@b.com", "a.b-c@fabrikam.co.uk", "x'y@b.com"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "a",
            "@b.com",
            "a@",
            "a@b",
            ".a@b.com",
            "a.@b.com",
            "-a@b.com",
            "a-@b.com",
            "a b@c.com",
            "a#b@c.com",
            "a,b@c.com",
            "a(b)@c.com",
            "a@b@c.com",
            "a@-b.com",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
