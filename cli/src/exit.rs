//! Exit codes: 0 ok, 2 bad input, 3 auth or permission, 4 not found, 5 throttled or service, 1 other.

use entra_invite::{Error, ErrorKind};

pub fn code_for(e: &Error) -> u8 {
    match e.kind() {
        ErrorKind::InvalidInput
        | ErrorKind::VerifiedDomain
        | ErrorKind::AlreadyExists
        | ErrorKind::BlockedByPolicy => 2,
        ErrorKind::Auth | ErrorKind::PermissionDenied => 3,
        ErrorKind::NotFound => 4,
        ErrorKind::Throttled | ErrorKind::Service | ErrorKind::Timeout => 5,
        ErrorKind::Network | ErrorKind::Protocol | ErrorKind::Internal => 1,
    }
}
