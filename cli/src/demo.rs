//! `entra-invite demo`: the whole job against an embedded emulator, nothing to configure.

use entra_invite::{Client, Error, InvitationRequest, Settings};
use entra_invite_emulator::{
    Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::json;

use crate::output;

fn step(title: &str) {
    println!("\n== {title}");
}

pub async fn run() -> Result<(), Error> {
    let emu = Emulator::start(Config::default())
        .await
        .map_err(|e| Error::invalid_input("emulator", format!("cannot start: {e}")))?;
    let base = emu.base_url().to_string();
    println!("Graph emulator listening on {base} (tenant {DEFAULT_TENANT})");
    let client = Settings {
        tenant: Some(DEFAULT_TENANT.into()),
        client_id: Some(DEFAULT_CLIENT_ID.into()),
        client_secret: Some(DEFAULT_CLIENT_SECRET.into()),
        graph_url: Some(base.clone()),
        ..Default::default()
    }
    .build()?;
    let result = walk(&client, &base).await;
    emu.stop().await;
    result
}

async fn walk(client: &Client, base: &str) -> Result<(), Error> {
    step("invite taylor@fabrikam.com with Graph's email and a custom message");
    let taylor = client
        .invite(
            &InvitationRequest::new("taylor@fabrikam.com", "https://myapps.microsoft.com/")
                .display_name("Taylor Kim")
                .send_message(true)
                .message("Hello Taylor, welcome to the Contoso partner portal!")
                .cc("lead@contoso.com"),
        )
        .await?;
    print!("{}", output::invitation_text(&taylor));

    step("invite sam@litware.com without email: share the redeem URL yourself");
    let sam = client
        .invite(
            &InvitationRequest::new("sam@litware.com", "https://myapps.microsoft.com/")
                .display_name("Sam Lee"),
        )
        .await?;
    print!("{}", output::invitation_text(&sam));

    step("inviting taylor again only if absent does nothing");
    let again = client
        .invite_if_absent(&InvitationRequest::new(
            "taylor@fabrikam.com",
            "https://myapps.microsoft.com/",
        ))
        .await?;
    println!(
        "{}",
        if matches!(again, entra_invite::InviteOutcome::Existing(_)) {
            "already in the tenant: not invited again"
        } else {
            "invited"
        }
    );

    step("taylor redeems the invitation (the emulator's control API plays the guest)");
    redeem(base, "taylor@fabrikam.com").await?;
    println!("redeemed");

    step("lookup taylor@fabrikam.com");
    print!(
        "{}",
        output::lookup_text(
            "taylor@fabrikam.com",
            &client.lookup("taylor@fabrikam.com").await?
        )
    );
    step("lookup nobody@northwind.com");
    print!(
        "{}",
        output::lookup_text(
            "nobody@northwind.com",
            &client.lookup("nobody@northwind.com").await?
        )
    );

    step("status taylor@fabrikam.com");
    print!(
        "{}",
        output::status_text(&client.status("taylor@fabrikam.com").await?)
    );
    step(&format!(
        "status {} (sam, by object id)",
        sam.invited_user_id().unwrap_or("-")
    ));
    print!(
        "{}",
        output::status_text(&client.status(sam.invited_user_id().unwrap_or("-")).await?)
    );

    step("guests");
    print!(
        "{}",
        output::guests_table(&client.guests(None).collect_all().await?)
    );
    step("guests --pending");
    print!(
        "{}",
        output::guests_table(
            &client
                .guests(Some(entra_invite::ExternalUserState::PendingAcceptance))
                .collect_all()
                .await?
        )
    );
    Ok(())
}

async fn redeem(base: &str, email: &str) -> Result<(), Error> {
    let r = reqwest::Client::new()
        .post(format!("{base}/_emulator/redeem"))
        .json(&json!({"email": email}))
        .send()
        .await
        .map_err(|e| Error::invalid_input("emulator", e.to_string()))?;
    if !r.status().is_success() {
        return Err(Error::invalid_input(
            "emulator",
            format!("redeem answered {}", r.status()),
        ));
    }
    Ok(())
}
