//! The lookup filter the client builds for any string must parse in the emulator's OData
//! parser and match exactly the user whose mail is that string: quoting can't be escaped.
#![no_main]

use entra_invite_emulator::odata::parse_filter;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(email) = std::str::from_utf8(data) else {
        return;
    };
    let filter = entra_invite::odata::lookup_filter(email);
    let f = match parse_filter(&filter) {
        Ok(f) => f,
        Err(e) => panic!("built filter does not parse: {filter:?}: {}", e.message),
    };
    let same = json!({"id": "1", "mail": email, "userPrincipalName": "x@contoso.onmicrosoft.com"});
    let other = json!({"id": "2", "mail": "someone.else@fabrikam.com", "userPrincipalName": "y@contoso.onmicrosoft.com"});
    assert!(
        f.matches(&same),
        "{filter:?} does not match its own address"
    );
    if !email.eq_ignore_ascii_case("someone.else@fabrikam.com")
        && !email.eq_ignore_ascii_case("y@contoso.onmicrosoft.com")
    {
        assert!(!f.matches(&other), "{filter:?} matches another user");
    }
});
