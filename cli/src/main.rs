//! `entra-invite`: the command-line face of the library.

mod args;
mod bulk;
mod demo;
mod exit;
mod output;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use entra_invite::{Client, Error, ExternalUserState, InvitationRequest, Settings, UserType};

use args::{Cli, Command, Connection};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Emulator(args) = &cli.command {
        // The emulator logs its requests at info level, as graph-emulator does.
        init_logging(cli.verbose.max(1));
        return entra_invite::block_on(entra_invite_emulator::cli::serve(args.clone()));
    }
    init_logging(cli.verbose);
    let json = cli.json;
    match entra_invite::block_on(run(cli)) {
        Ok((text, code)) => {
            print!("{text}");
            ExitCode::from(code)
        }
        Err(e) => {
            if json {
                println!("{}", output::error_json(&e));
            } else {
                eprintln!("{}", output::error_text(&e));
            }
            ExitCode::from(exit::code_for(&e))
        }
    }
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "entra_invite=debug,info",
        _ => "entra_invite=trace,debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ENTRA_INVITE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn client(c: &Connection) -> Result<Client, Error> {
    if !c.timeout.is_finite() || c.timeout <= 0.0 {
        return Err(Error::invalid_input(
            "--timeout",
            "must be a positive number of seconds",
        ));
    }
    Settings {
        tenant: c.tenant.clone(),
        client_id: c.client_id.clone(),
        client_secret: c.client_secret.clone(),
        certificate_path: c.certificate.clone(),
        certificate_password: c.certificate_password.clone(),
        federated_token_file: c.federated_token_file.clone(),
        token: c.token.clone(),
        cloud: Some(c.cloud.clone()),
        graph_url: c.graph_url.clone(),
        authority_url: c.authority_url.clone(),
        ca_cert: c.ca_cert.clone(),
        timeout: Some(Duration::from_secs_f64(c.timeout)),
        ..Default::default()
    }
    .build()
}

fn render(json: bool, value: serde_json::Value, text: String) -> String {
    if json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        )
    } else {
        text
    }
}

async fn run(cli: Cli) -> Result<(String, u8), Error> {
    let json = cli.json;
    if let Command::Bulk {
        input,
        results,
        concurrency,
        dry_run,
        no_skip_existing,
        quiet,
        wait,
        settle_timeout,
    } = cli.command
    {
        if !(0.0..=86_400.0).contains(&settle_timeout) {
            return Err(Error::invalid_input(
                "--settle-timeout",
                "must be a number of seconds from 0 to 86400",
            ));
        }
        let a = bulk::Args {
            input,
            results,
            concurrency,
            dry_run,
            skip_existing: !no_skip_existing,
            quiet,
            json,
            wait,
            settle_timeout: Duration::from_secs_f64(settle_timeout),
        };
        let c = if dry_run {
            client(&cli.conn).or_else(|_| offline_client())?
        } else {
            client(&cli.conn)?
        };
        let (text, s) = bulk::run(c, a).await?;
        // Rows that failed can be retried by re-running; invalid ones need fixing.
        let code = if s.failed > 0 {
            5
        } else if s.invalid > 0 {
            2
        } else {
            0
        };
        return Ok((text, code));
    }
    run_one(cli).await.map(|t| (t, 0))
}

/// A dry run sends nothing, so it needs no credentials.
fn offline_client() -> Result<Client, Error> {
    Settings {
        token: Some("dry-run".into()),
        ..Default::default()
    }
    .build()
}

async fn run_one(cli: Cli) -> Result<String, Error> {
    let json = cli.json;
    match cli.command {
        Command::Bulk { .. } | Command::Emulator(_) => {
            Err(Error::invalid_input("command", "handled separately"))
        }
        Command::Demo => demo::run(json).await,
        Command::Invite {
            email,
            redirect,
            name,
            message,
            cc,
            language,
            member,
            no_email,
            if_absent,
        } => {
            let mut req = InvitationRequest::new(email, redirect).send_message(!no_email);
            req.invited_user_display_name = name;
            req.customized_message_body = message;
            req.message_language = language;
            req.cc_recipients = cc.into_iter().map(Into::into).collect();
            if member {
                req = req.user_type(UserType::Member);
            }
            let c = client(&cli.conn)?;
            if if_absent {
                let o = c.invite_if_absent(&req).await?;
                let text = match (&o.invitation, &o.user) {
                    (Some(i), _) => output::invitation_text(i),
                    (None, u) => {
                        let u = u.clone().unwrap_or_default();
                        let u = &u;
                        format!(
                            "already in the tenant, not invited\n{}",
                            output::user_text(u)
                        )
                    }
                };
                Ok(render(json, output::outcome_json(&o), text))
            } else {
                let inv = c.invite(&req).await?;
                Ok(render(
                    json,
                    output::invitation_json(&inv),
                    output::invitation_text(&inv),
                ))
            }
        }
        Command::Lookup { email } => {
            let l = client(&cli.conn)?.lookup(&email).await?;
            Ok(render(
                json,
                output::lookup_json(&l),
                output::lookup_text(&email, &l),
            ))
        }
        Command::Status { user } => {
            let s = client(&cli.conn)?.status(&user).await?;
            Ok(render(
                json,
                output::status_json(&s),
                output::status_text(&s),
            ))
        }
        Command::Guests { pending, accepted } => {
            let state = match (pending, accepted) {
                (true, _) => Some(ExternalUserState::PendingAcceptance),
                (_, true) => Some(ExternalUserState::Accepted),
                _ => None,
            };
            let all = client(&cli.conn)?.guests(state).collect_all().await?;
            let v = serde_json::Value::Array(all.iter().map(output::status_json).collect());
            Ok(render(json, v, output::guests_table(&all)))
        }
        Command::Reset {
            user,
            email,
            redirect,
            no_email,
        } => {
            let req = InvitationRequest::new(email, redirect).send_message(!no_email);
            let inv = client(&cli.conn)?.reset_redemption(&user, &req).await?;
            Ok(render(
                json,
                output::invitation_json(&inv),
                output::invitation_text(&inv),
            ))
        }
    }
}
