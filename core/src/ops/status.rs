//! A guest's acceptance state, from the user's `externalUserState`.

use crate::client::{Client, Inner};
use crate::error::{Error, ErrorKind};
use crate::models::{GuestStatus, User, USER_SELECT};
use crate::odata;
use crate::runtime::spawn;
use crate::validate;

impl Client {
    /// Where a guest stands; `user` is an email address or an object id.
    pub async fn status(&self, user: &str) -> Result<GuestStatus, Error> {
        let user = user.trim().to_string();
        if !validate::is_object_id(&user) {
            validate::email("user", &user)?;
        }
        let inner = self.inner.clone();
        spawn(async move { inner.status(&user).await }).await
    }
}

impl Inner {
    pub(crate) async fn status(&self, user: &str) -> Result<GuestStatus, Error> {
        if validate::is_object_id(user) {
            let q = odata::query(&[("$select", USER_SELECT)]);
            let u: User = self
                .get(
                    &format!("users/{}{q}", odata::encode_path_segment(user)),
                    vec![],
                )
                .await?
                .json()?;
            return Ok(GuestStatus::from_user(u));
        }
        match self.lookup(user).await?.user {
            Some(u) => Ok(GuestStatus::from_user(u)),
            None => Err(Error::new(
                ErrorKind::NotFound,
                format!("no user with the address {user}"),
            )),
        }
    }
}
