//! Redeem URLs and their tickets: an invitation hands one out, the control API's `redeem`
//! checks it. A newer invitation's ticket replaces the older one.

use base64::Engine;
use rand::RngCore;

/// Lower-case percent-encoding of everything but unreserved characters, as in Graph's
/// redeem URLs (`https%3a%2f%2finvitations.microsoft.com…`).
fn pct_lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

/// A fresh random ticket.
pub fn new_ticket() -> String {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    base64::engine::general_purpose::STANDARD.encode(raw)
}

/// `https://login.microsoftonline.com/redeem?rd=<encoded invitations.microsoft.com URL>`
/// with the ticket encoded twice inside, then the whole once more.
pub fn redeem_url(tenant_id: &str, invitation_id: &str, ticket: &str) -> String {
    let inner = format!(
        "https://invitations.microsoft.com/redeem/?tenant={tenant_id}&user={invitation_id}&ticket={}&ver=2.0",
        pct_lower(&pct_lower(ticket))
    );
    format!(
        "https://login.microsoftonline.com/redeem?rd={}",
        pct_lower(&inner)
    )
}

/// The ticket inside a redeem URL (undoing the three levels of encoding).
pub fn ticket_from_url(url: &str) -> Option<String> {
    let rd = url.split_once("rd=")?.1;
    let inner = percent_encoding::percent_decode_str(rd)
        .decode_utf8()
        .ok()?
        .into_owned();
    let t = inner.split_once("ticket=")?.1.split('&').next()?;
    let once = percent_encoding::percent_decode_str(t).decode_utf8().ok()?;
    let twice = percent_encoding::percent_decode_str(&once)
        .decode_utf8()
        .ok()?
        .into_owned();
    Some(twice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redeem_url_round_trips_ticket() {
        let url = redeem_url("t", "u", "ab/c+d=");
        assert!(url.starts_with("https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations.microsoft.com%2fredeem%2f%3ftenant%3dt%26user%3du%26ticket%3d"));
        assert!(url.contains("%25252f"));
        assert!(url.ends_with("%26ver%3d2.0"));
        assert_eq!(ticket_from_url(&url).as_deref(), Some("ab/c+d="));
    }
}
