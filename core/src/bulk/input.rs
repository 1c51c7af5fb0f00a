//! Reading the admin center's bulk-invite CSV (or a plain CSV with the same property names),
//! one record at a time, so memory stays flat whatever the file size.

use std::io::Read;

use crate::error::Error;
use crate::models::InvitationRequest;

/// The invitation fields a column can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Email,
    RedirectUrl,
    SendEmail,
    Message,
    Name,
}

/// A heading's property: the `[token]` of the admin center's headings (localized portals keep
/// it), else the heading itself as a plain property name.
fn field_of(heading: &str) -> Option<Field> {
    let h = heading.trim();
    let token = match (h.rfind('['), h.rfind(']')) {
        (Some(a), Some(b)) if a < b => &h[a + 1..b],
        _ => h,
    };
    match token.trim().to_ascii_lowercase().as_str() {
        "inviteeemail" | "inviteduseremailaddress" | "email" | "emailaddress" => Some(Field::Email),
        "inviteredirecturl" | "redirecturl" | "redirectionurl" => Some(Field::RedirectUrl),
        "sendemail" | "sendinvitationmessage" => Some(Field::SendEmail),
        "customizedmessagebody" | "message" => Some(Field::Message),
        "inviteename" | "inviteduserdisplayname" | "displayname" | "name" => Some(Field::Name),
        _ => None,
    }
}

/// One data row: where it is in the file, and what it asks for (or why it cannot).
#[derive(Debug, Clone)]
pub struct InputRow {
    /// The record's number in the file (1-based, counting the version and heading rows): the
    /// line number when no field spans lines, and stable across runs.
    pub row: u64,
    /// The email as written (for reporting even when invalid).
    pub email: String,
    pub request: Result<InvitationRequest, Error>,
}

pub(crate) struct InputReader<R: Read> {
    csv: csv::Reader<R>,
    columns: Vec<Option<Field>>,
    record: csv::StringRecord,
    /// Records read so far. (Not csv's line positions: they drift on CRLF files.)
    records: u64,
}

fn malformed(msg: impl Into<String>) -> Error {
    Error::invalid_input("csv", msg)
}

impl<R: Read> InputReader<R> {
    pub(crate) fn new(reader: R) -> Result<Self, Error> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut record = csv::StringRecord::new();
        // Skip the `version:v1.0` line of the admin center's template, then read the headings.
        let mut header = None;
        let mut records = 0;
        while csv
            .read_record(&mut record)
            .map_err(|e| malformed(format!("unreadable CSV: {e}")))?
        {
            records += 1;
            let first = record.get(0).unwrap_or("").trim();
            if record.iter().all(|f| f.trim().is_empty())
                || first.to_ascii_lowercase().starts_with("version:")
            {
                continue;
            }
            header = Some(record.clone());
            break;
        }
        let header = header.ok_or_else(|| malformed("the file has no heading row"))?;
        let columns: Vec<Option<Field>> = header.iter().map(field_of).collect();
        if !columns.contains(&Some(Field::Email)) {
            return Err(malformed(
                "no email column: expected a heading with [inviteeEmail] or invitedUserEmailAddress",
            ));
        }
        if !columns.contains(&Some(Field::RedirectUrl)) {
            return Err(malformed(
                "no redirect URL column: expected a heading with [inviteRedirectURL] or inviteRedirectUrl",
            ));
        }
        Ok(InputReader {
            csv,
            columns,
            record,
            records,
        })
    }

    /// The next data row, or `None` at the end. A row that cannot be parsed as CSV is an error
    /// for the whole file (the rest cannot be trusted either).
    pub(crate) fn next_row(&mut self) -> Result<Option<InputRow>, Error> {
        loop {
            let more = self
                .csv
                .read_record(&mut self.record)
                .map_err(|e| malformed(format!("unreadable CSV: {e}")))?;
            if !more {
                return Ok(None);
            }
            self.records += 1;
            let r = &self.record;
            if r.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            // The template's example row, if left in.
            if r.get(0)
                .unwrap_or("")
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("example:")
            {
                continue;
            }
            return Ok(Some(self.row_from_record(self.records)));
        }
    }

    fn row_from_record(&self, line: u64) -> InputRow {
        let mut req = InvitationRequest::default();
        let mut send: Option<String> = None;
        for (i, v) in self.record.iter().enumerate() {
            let v = v.trim();
            match self.columns.get(i).copied().flatten() {
                Some(Field::Email) => req.invited_user_email_address = v.to_string(),
                Some(Field::RedirectUrl) => req.invite_redirect_url = v.to_string(),
                Some(Field::SendEmail) => send = Some(v.to_string()),
                Some(Field::Message) if !v.is_empty() => {
                    req.customized_message_body = Some(v.to_string())
                }
                Some(Field::Name) if !v.is_empty() => {
                    req.invited_user_display_name = Some(v.to_string())
                }
                _ => {}
            }
        }
        let email = req.invited_user_email_address.clone();
        let send_ok = match send.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("") => Ok(true),
            Some("true" | "yes" | "1") => Ok(true),
            Some("false" | "no" | "0") => Ok(false),
            Some(other) => Err(Error::invalid_input(
                "sendEmail",
                format!("'{other}' is not true or false"),
            )),
        };
        let request = send_ok.and_then(|s| {
            req.send_invitation_message = s;
            req.validate().map(|_| req)
        });
        InputRow {
            row: line,
            email,
            request,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "\u{feff}version:v1.0\r\n\
Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody],Extra\r\n\
\"Example: Istokes@fabrikam.com\",https://myapplications.microsoft.com,TRUE,Welcome!,x\r\n\
taylor@fabrikam.com,https://myapps.microsoft.com/,TRUE,\"Hello, Taylor\nsee you\",ignored\r\n\
bad-address,https://myapps.microsoft.com/,FALSE,,\r\n\
sam@litware.com,https://myapps.microsoft.com/,maybe,,\r\n";

    fn all(text: &str) -> Vec<InputRow> {
        let mut r = InputReader::new(text.as_bytes()).unwrap();
        let mut v = vec![];
        while let Some(x) = r.next_row().unwrap() {
            v.push(x);
        }
        v
    }

    #[test]
    fn admin_center_template() {
        let rows = all(TEMPLATE);
        assert_eq!(rows.len(), 3);
        let t = rows[0].request.as_ref().unwrap();
        assert_eq!(t.invited_user_email_address, "taylor@fabrikam.com");
        assert!(t.send_invitation_message);
        assert_eq!(
            t.customized_message_body.as_deref(),
            Some("Hello, Taylor\nsee you")
        );
        assert_eq!(rows[0].row, 4, "version, heading and example rows count");
        assert_eq!(
            rows[1].request.as_ref().unwrap_err().field(),
            Some("invitedUserEmailAddress")
        );
        assert_eq!(
            rows[2].request.as_ref().unwrap_err().field(),
            Some("sendEmail")
        );
        assert_eq!(
            rows[2].row, 6,
            "records, not lines: the embedded newline does not count"
        );
    }

    #[test]
    fn localized_headings_and_plain_csv() {
        let es = "version:v1.0\nDirección de correo electrónico para invitar [inviteeEmail] Obligatorio,Dirección URL de redireccionamiento [inviteRedirectURL] Obligatorio\na@fabrikam.com,https://x.example.com/\n";
        assert_eq!(
            all(es)[0]
                .request
                .as_ref()
                .unwrap()
                .invited_user_email_address,
            "a@fabrikam.com"
        );
        let plain = "invitedUserEmailAddress,inviteRedirectUrl,invitedUserDisplayName\nb@fabrikam.com,https://x.example.com/,Bee\n";
        let r = all(plain);
        assert_eq!(
            r[0].request
                .as_ref()
                .unwrap()
                .invited_user_display_name
                .as_deref(),
            Some("Bee")
        );
    }

    #[test]
    fn missing_columns_and_garbage() {
        assert!(InputReader::new("name,other\nx,y\n".as_bytes()).is_err());
        assert!(InputReader::new("".as_bytes()).is_err());
        let e = InputReader::new("inviteeEmail\na@b.com\n".as_bytes())
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("csv"));
    }
}
