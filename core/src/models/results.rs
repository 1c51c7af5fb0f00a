//! What `lookup` and `invite_if_absent` answer.

use super::{Invitation, User};

/// Whether an email address already has a user in the tenant.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    NotFound,
    Existing(Box<User>),
    /// The address belongs to one of the tenant's verified domains: Graph refuses to invite it.
    VerifiedDomain(String),
}

impl Lookup {
    pub fn exists(&self) -> bool {
        matches!(self, Lookup::Existing(_))
    }
    pub fn user(&self) -> Option<&User> {
        match self {
            Lookup::Existing(u) => Some(u),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum InviteOutcome {
    Invited(Box<Invitation>),
    Existing(Box<User>),
}
