//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "entra-invite",
    version,
    about = "Invite external users into a Microsoft Entra tenant, look them up, and follow their acceptance"
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: Connection,
    /// Print machine-readable JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// Log what happens (repeat for more: -v debug, -vv trace). Secrets are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

/// Where and as whom to connect; each flag falls back to the azure-identity variable.
#[derive(Args, Debug, Clone)]
pub struct Connection {
    #[arg(long, env = "AZURE_TENANT_ID", global = true)]
    pub tenant: Option<String>,
    #[arg(long, env = "AZURE_CLIENT_ID", global = true)]
    pub client_id: Option<String>,
    #[arg(long, env = "AZURE_CLIENT_SECRET", global = true, hide_env_values = true)]
    pub client_secret: Option<String>,
    /// PEM (certificate + key) or PKCS#12 file.
    #[arg(long, env = "AZURE_CLIENT_CERTIFICATE_PATH", global = true)]
    pub certificate: Option<PathBuf>,
    #[arg(
        long,
        env = "AZURE_CLIENT_CERTIFICATE_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub certificate_password: Option<String>,
    #[arg(long, env = "AZURE_FEDERATED_TOKEN_FILE", global = true)]
    pub federated_token_file: Option<PathBuf>,
    /// An access token obtained elsewhere.
    #[arg(long, env = "ENTRA_INVITE_TOKEN", global = true, hide_env_values = true)]
    pub token: Option<String>,
    /// global, usgovl4, usgovl5 or china.
    #[arg(long, default_value = "global", global = true)]
    pub cloud: String,
    /// Graph base URL (the emulator's, for tests).
    #[arg(long, env = "ENTRA_INVITE_GRAPH_URL", global = true)]
    pub graph_url: Option<String>,
    #[arg(long, env = "AZURE_AUTHORITY_HOST", global = true)]
    pub authority_url: Option<String>,
    /// Extra CA certificate (PEM) to trust, e.g. the emulator's.
    #[arg(long, env = "ENTRA_INVITE_CA_CERT", global = true)]
    pub ca_cert: Option<PathBuf>,
    /// Seconds per request.
    #[arg(long, default_value_t = 30.0, global = true)]
    pub timeout: f64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Invite an external user.
    Invite {
        email: String,
        /// Where the guest lands after redeeming.
        #[arg(long)]
        redirect: String,
        #[arg(long)]
        name: Option<String>,
        /// Custom text in the invitation email.
        #[arg(long)]
        message: Option<String>,
        /// One more recipient of the invitation email (Graph honours one).
        #[arg(long)]
        cc: Vec<String>,
        /// Language of the invitation email (e.g. en-US).
        #[arg(long)]
        language: Option<String>,
        /// Invite as userType Member instead of Guest.
        #[arg(long)]
        member: bool,
        /// Send no email; share the redeem URL yourself.
        #[arg(long)]
        no_email: bool,
        /// Do nothing if the address already has a user in the tenant.
        #[arg(long)]
        if_absent: bool,
    },
    /// Is there a user behind this address?
    Lookup { email: String },
    /// Has the guest accepted? (email or object id)
    Status { user: String },
    /// List guests.
    Guests {
        #[arg(long, conflicts_with = "accepted")]
        pending: bool,
        #[arg(long)]
        accepted: bool,
    },
    /// Reset a guest's redemption, optionally to a new address.
    Reset {
        /// The guest: email or object id.
        user: String,
        /// The address to invite (the new one, or the same).
        #[arg(long)]
        email: String,
        #[arg(long)]
        redirect: String,
        #[arg(long)]
        no_email: bool,
    },
    /// Invite everyone in a CSV (the admin center's bulk-invite template or a plain CSV).
    Bulk {
        input: PathBuf,
        /// Results CSV, written as rows finish; re-running with the same file resumes (rows are
        /// matched by address). Never the input; an existing file must be one of our results.
        #[arg(long, required_unless_present = "dry_run")]
        results: Option<PathBuf>,
        /// If another run is using the results file, wait for it instead of refusing.
        #[arg(long)]
        wait: bool,
        /// Seconds to keep looking up a row whose answer was lost before sending it again
        /// (new guests can take a while to show in Graph's queries).
        #[arg(long, default_value_t = 30.0)]
        settle_timeout: f64,
        /// Most invitations in flight (the pace adapts below it).
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Read and validate only; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Invite without looking each address up first.
        #[arg(long)]
        no_skip_existing: bool,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Run the local Graph emulator (the same flags as graph-emulator).
    #[command(after_help = entra_invite_emulator::cli::defaults_help())]
    Emulator(entra_invite_emulator::cli::EmulatorArgs),
    /// Start an embedded emulator and walk through invite, redeem, lookup, status and guests.
    Demo,
}
