//! DateTimeOffset (`2024-05-01T12:00:00Z`, `…T12:00:00.1234567+02:00`) as nanoseconds since
//! the Unix epoch: the unquoted filter literal and the strings stored in user JSON.

use winnow::combinator::{alt, opt, preceded};
use winnow::error::ContextError;
use winnow::prelude::*;
use winnow::token::{one_of, take_while};

const NANOS_PER_SEC: i128 = 1_000_000_000;

/// Parses a whole string as a DateTimeOffset.
pub(crate) fn parse_datetime(s: &str) -> Option<i128> {
    datetime_offset.parse(s).ok()
}

/// Grammar: `YYYY-MM-DD('T'|'t')hh:mm[:ss[.f{1,12}]]('Z'|'z'|(+|-)hh:mm)`, validated.
pub(crate) fn datetime_offset(i: &mut &str) -> ModalResult<i128> {
    let start = *i;
    let year = digits(4).parse_next(i)?;
    '-'.parse_next(i)?;
    let month = digits(2).parse_next(i)?;
    '-'.parse_next(i)?;
    let day = digits(2).parse_next(i)?;
    one_of(['T', 't']).parse_next(i)?;
    let hour = digits(2).parse_next(i)?;
    ':'.parse_next(i)?;
    let minute = digits(2).parse_next(i)?;
    let seconds = opt(preceded(
        ':',
        (
            digits(2),
            opt(preceded(
                '.',
                take_while(1..=12, |c: char| c.is_ascii_digit()),
            )),
        ),
    ))
    .parse_next(i)?;
    let offset_minutes: i64 = alt((
        one_of(['Z', 'z']).value(0i64),
        (one_of(['+', '-']), digits(2), ':', digits(2)).map(|(sign, h, _, m)| {
            let v = i64::from(h) * 60 + i64::from(m);
            if sign == '-' {
                -v
            } else {
                v
            }
        }),
    ))
    .parse_next(i)?;

    let (second, fraction) = match seconds {
        Some((s, f)) => (s, f.unwrap_or("")),
        None => (0, ""),
    };
    let valid = (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && hour < 24
        && minute < 60
        && second < 60
        && offset_minutes.abs() < 24 * 60;
    if !valid {
        *i = start;
        return Err(winnow::error::ErrMode::Backtrack(ContextError::new()));
    }
    let mut nanos: i128 = 0;
    for (n, c) in fraction.chars().enumerate() {
        if n >= 9 {
            break;
        }
        nanos = nanos * 10 + i128::from(c.to_digit(10).unwrap_or(0));
    }
    for _ in fraction.len().min(9)..9 {
        nanos *= 10;
    }
    let days = days_from_civil(i64::from(year), month, day);
    let secs = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)
        - offset_minutes * 60;
    Ok(i128::from(secs) * NANOS_PER_SEC + nanos)
}

/// Exactly `n` ASCII digits as a number.
fn digits<'i>(n: usize) -> impl Parser<&'i str, u32, ErrMode> {
    take_while(n, |c: char| c.is_ascii_digit()).map(|s: &str| {
        s.bytes()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b.wrapping_sub(b'0')))
    })
}

type ErrMode = winnow::error::ErrMode<ContextError>;

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_offsets() {
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_datetime("1970-01-01T00:00Z"), Some(0));
        assert_eq!(
            parse_datetime("1970-01-01T01:00:00+01:00"),
            parse_datetime("1970-01-01T00:00:00Z")
        );
        assert_eq!(
            parse_datetime("2024-02-29T23:59:59.5Z"),
            Some((1_709_251_199i128) * NANOS_PER_SEC + 500_000_000)
        );
        assert_eq!(
            parse_datetime("2024-05-01T12:00:00.1234567Z").map(|n| n % NANOS_PER_SEC),
            Some(123_456_700)
        );
    }

    #[test]
    fn rejects_invalid() {
        for s in [
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01",
            "",
            "2024-01-01T00:00:00Zjunk",
            "९९९९-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_datetime(s), None, "{s}");
        }
    }

    #[test]
    fn ordering_follows_time() {
        let a = parse_datetime("2024-01-01T00:00:00Z");
        let b = parse_datetime("2024-01-01T00:00:00.0000001Z");
        assert!(a < b);
    }
}
