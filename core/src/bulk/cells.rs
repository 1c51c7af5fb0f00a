//! What goes into a results cell: never a spreadsheet formula, never a whole pasted file.

/// The longest user text copied into a cell; longer text is summarised (an email address is at
/// most 254 characters, so a valid one is never cut).
const MAX_CELL: usize = 320;

/// OWASP's CSV-injection advice: a cell that starts with one of these is run as a formula by
/// spreadsheets, so it is written with a leading `'` (which they show as text).
fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Text that came from the user (an address, a message quoting the input) as written:
/// bounded, one line, and inert in a spreadsheet.
pub(crate) fn user_cell(text: &str) -> String {
    cell(&bounded(text))
}

/// A cell as written: one line, and inert in a spreadsheet. (Graph's values, such as redeem
/// URLs, are never cut.)
pub(crate) fn cell(text: &str) -> String {
    // One line per row: a message never carries a line break into the results file.
    let one_line = text.replace(['\r', '\n'], " ");
    if one_line.starts_with(is_trigger) || one_line.starts_with('\'') {
        format!("'{one_line}")
    } else {
        one_line
    }
}

/// The text a cell held before [`cell`] protected it.
pub(crate) fn uncell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(is_trigger) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

/// User text kept to [`MAX_CELL`] characters: longer text is cut and says how long it was.
pub(crate) fn bounded(text: &str) -> String {
    let n = text.chars().count();
    if n <= MAX_CELL {
        return text.to_string();
    }
    let head: String = text.chars().take(64).collect();
    format!("{head}… ({n} characters)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_inert_and_read_back() {
        for t in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "'quoted",
        ] {
            let c = cell(t);
            assert!(c.starts_with('\''), "{c}");
            assert_eq!(uncell(&c), t.replace('\r', " "));
        }
        assert_eq!(cell("taylor@fabrikam.com"), "taylor@fabrikam.com");
        assert_eq!(uncell("o'neil@fabrikam.com"), "o'neil@fabrikam.com");
    }

    #[test]
    fn long_text_is_summarised() {
        let big = "x".repeat(10 * 1024 * 1024);
        let c = user_cell(&big);
        assert!(c.len() < 200, "{}", c.len());
        assert!(c.ends_with("(10485760 characters)"));
        assert_eq!(cell("a\r\nb"), "a  b");
        let url = format!(
            "https://login.microsoftonline.com/redeem?rd={}",
            "x".repeat(600)
        );
        assert_eq!(cell(&url), url, "Graph's values are kept whole");
    }
}
