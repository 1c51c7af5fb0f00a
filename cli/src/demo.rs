//! `entra-invite demo`: the whole job against an embedded emulator, nothing to configure.

use entra_invite::{Client, Error, Invitation, InvitationRequest, Settings};
use entra_invite_emulator::{
    Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::{json, Value};

use crate::output;

/// Shows each step as it happens (text), or collects them into one JSON document (`--json`).
struct Show {
    json: bool,
    steps: Vec<Value>,
}

impl Show {
    fn step(&mut self, title: &str, value: Value, text: String) {
        if self.json {
            self.steps.push(json!({"step": title, "result": value}));
        } else {
            println!("\n== {title}");
            print!("{text}");
        }
    }
}

pub async fn run(json_out: bool) -> Result<String, Error> {
    let emu = Emulator::start(Config::default())
        .await
        .map_err(|e| Error::invalid_input("emulator", format!("cannot start: {e}")))?;
    let base = emu.base_url().to_string();
    if !json_out {
        println!("Graph emulator listening on {base} (tenant {DEFAULT_TENANT})");
    }
    let client = Settings {
        tenant: Some(DEFAULT_TENANT.into()),
        client_id: Some(DEFAULT_CLIENT_ID.into()),
        client_secret: Some(DEFAULT_CLIENT_SECRET.into()),
        graph_url: Some(base.clone()),
        ..Default::default()
    }
    .build()?;
    let mut show = Show {
        json: json_out,
        steps: Vec::new(),
    };
    let result = walk(&client, &base, &mut show).await;
    emu.stop().await;
    result?;
    Ok(if json_out {
        format!(
            "{}\n",
            serde_json::to_string_pretty(
                &json!({"emulator": base, "tenant": DEFAULT_TENANT, "steps": show.steps})
            )
            .unwrap_or_default()
        )
    } else {
        String::new()
    })
}

async fn walk(client: &Client, base: &str, show: &mut Show) -> Result<(), Error> {
    invite_step(
        client,
        show,
        "invite taylor@fabrikam.com with Graph's email and a custom message",
        InvitationRequest::new("taylor@fabrikam.com", "https://myapps.microsoft.com/")
            .display_name("Taylor Kim")
            .send_message(true)
            .message("Hello Taylor, welcome to the Contoso partner portal!")
            .cc("lead@contoso.com"),
    )
    .await?;
    let sam = invite_step(
        client,
        show,
        "invite sam@litware.com without email: share the redeem URL yourself",
        InvitationRequest::new("sam@litware.com", "https://myapps.microsoft.com/")
            .display_name("Sam Lee"),
    )
    .await?;

    let again = client
        .invite_if_absent(&InvitationRequest::new(
            "taylor@fabrikam.com",
            "https://myapps.microsoft.com/",
        ))
        .await?;
    let text = if !again.invited {
        "already in the tenant: not invited again\n"
    } else {
        "invited\n"
    };
    show.step(
        "inviting taylor again only if absent does nothing",
        output::outcome_json(&again),
        text.to_string(),
    );

    redeem(base, "taylor@fabrikam.com").await?;
    show.step(
        "taylor redeems the invitation (the emulator's control API plays the guest)",
        json!({"redeemed": "taylor@fabrikam.com"}),
        "redeemed\n".to_string(),
    );

    for email in ["taylor@fabrikam.com", "nobody@northwind.com"] {
        let l = client.lookup(email).await?;
        show.step(
            &format!("lookup {email}"),
            output::lookup_json(&l),
            output::lookup_text(email, &l),
        );
    }

    let s = client.status("taylor@fabrikam.com").await?;
    show.step(
        "status taylor@fabrikam.com",
        output::status_json(&s),
        output::status_text(&s),
    );
    let sam_id = sam.invited_user_id().unwrap_or("-");
    let s = client.status(sam_id).await?;
    show.step(
        &format!("status {sam_id} (sam, by object id)"),
        output::status_json(&s),
        output::status_text(&s),
    );

    for (title, state) in [
        ("guests", None),
        (
            "guests --pending",
            Some(entra_invite::ExternalUserState::PendingAcceptance),
        ),
    ] {
        let all = client.guests(state).collect_all().await?;
        show.step(
            title,
            Value::Array(all.iter().map(output::status_json).collect()),
            output::guests_table(&all),
        );
    }
    Ok(())
}

/// Sends `req` and shows the invitation under `title`.
async fn invite_step(
    client: &Client,
    show: &mut Show,
    title: &str,
    req: InvitationRequest,
) -> Result<Invitation, Error> {
    let inv = client.invite(&req).await?;
    show.step(
        title,
        output::invitation_json(&inv),
        output::invitation_text(&inv),
    );
    Ok(inv)
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
