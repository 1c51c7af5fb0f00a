//! Graph's resources as they travel on the wire (camelCase), plus our request and result types.

mod invitation;
mod request;
mod results;
mod status;
mod user;

pub use invitation::{EmailAddress, Invitation, InvitedUser, InvitedUserMessageInfo, Recipient};
pub use request::{CcRecipient, InvitationRequest, UserType};
pub use results::{InviteOutcome, Lookup};
pub use status::{ExternalUserState, GuestStatus};
pub(crate) use user::USER_SELECT;
pub use user::{ObjectIdentity, User};
