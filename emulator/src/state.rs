//! The emulator's data: tenants with their domains, apps and users (users are kept as the
//! full Graph JSON object so `$select` is a projection), plus the outbox.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::counters::Counters;
use crate::defaults::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT, DEFAULT_TENANT_ID,
    DEFAULT_VERIFIED_DOMAIN, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET,
};
use crate::faults::{FaultState, Faults};
use crate::policy::InvitePolicy;
use crate::throttle::Throttler;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    pub id: String,
    pub is_verified: bool,
    #[serde(default)]
    pub is_initial: bool,
    #[serde(default)]
    pub is_default: bool,
}

/// Optional fields need no `#[serde(default)]`: serde reads an absent `Option` as `None`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Federated {
    pub subject: String,
    pub issuer: Option<String>,
    pub audience: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppReg {
    pub client_id: String,
    pub client_secret: Option<String>,
    pub certificate_pem: Option<String>,
    pub federated: Option<Federated>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default = "default_lifetime")]
    pub token_lifetime_secs: u64,
}

fn default_lifetime() -> u64 {
    3599
}

#[derive(Debug, Default)]
struct UserIndex {
    by_id: HashMap<String, usize>,
    by_upn: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
    /// SMTP proxy addresses (primary and secondary) → user.
    by_proxy: HashMap<String, usize>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    pub id: String,
    pub initial_domain: String,
    pub domains: Vec<Domain>,
    pub apps: Vec<AppReg>,
    pub users: Vec<Value>,
    /// user id → the only redeem ticket still valid for that user.
    #[serde(default)]
    pub tickets: HashMap<String, String>,
    /// The B2B allow-or-block list and cross-tenant-access blocks.
    #[serde(default)]
    pub policy: InvitePolicy,
    /// user id (lower case) → directory roles assigned to that user.
    #[serde(default)]
    pub directory_roles: HashMap<String, Vec<String>>,
    /// Other directory objects (groups, org contacts) seeded for their `proxyAddresses`.
    #[serde(default)]
    pub objects: Vec<Value>,
    #[serde(skip)]
    index: UserIndex,
    /// guest id → when an invitation created it (replication lag); not persisted.
    #[serde(skip)]
    pub created: HashMap<String, Instant>,
}

pub fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Every address an invitation matches a user by (`mail`, `otherMails`, UPN).
fn addresses(user: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for k in ["mail", "userPrincipalName"] {
        if let Some(s) = str_of(user, k) {
            out.push(s.to_ascii_lowercase());
        }
    }
    if let Some(list) = user.get("otherMails").and_then(Value::as_array) {
        out.extend(
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_ascii_lowercase),
        );
    }
    out
}

/// The SMTP addresses (primary `SMTP:` and secondary `smtp:`) among an object's proxyAddresses.
fn smtp_proxies(object: &Value) -> Vec<String> {
    let Some(list) = object.get("proxyAddresses").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(Value::as_str)
        .filter_map(|p| p.split_once(':'))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("smtp"))
        .map(|(_, addr)| addr.to_ascii_lowercase())
        .collect()
}

impl Tenant {
    pub fn new(id: String, initial_domain: String, verified: &[String]) -> Self {
        let mut domains = vec![Domain {
            id: initial_domain.clone(),
            is_verified: true,
            is_initial: true,
            is_default: verified.is_empty(),
        }];
        for (i, d) in verified.iter().enumerate() {
            domains.push(Domain {
                id: d.clone(),
                is_verified: true,
                is_initial: false,
                is_default: i == 0,
            });
        }
        Tenant {
            id,
            initial_domain,
            domains,
            apps: Vec::new(),
            users: Vec::new(),
            tickets: HashMap::new(),
            policy: InvitePolicy::default(),
            directory_roles: HashMap::new(),
            objects: Vec::new(),
            index: UserIndex::default(),
            created: HashMap::new(),
        }
    }

    /// Whether `name` designates this tenant (id, initial domain or any of its domains).
    pub fn answers_to(&self, name: &str) -> bool {
        self.id.eq_ignore_ascii_case(name)
            || self.initial_domain.eq_ignore_ascii_case(name)
            || self.domains.iter().any(|d| d.id.eq_ignore_ascii_case(name))
    }

    pub fn is_verified_domain(&self, domain: &str) -> bool {
        self.domains
            .iter()
            .any(|d| d.is_verified && d.id.eq_ignore_ascii_case(domain))
    }

    pub fn app(&self, client_id: &str) -> Option<&AppReg> {
        self.apps
            .iter()
            .find(|a| a.client_id.eq_ignore_ascii_case(client_id))
    }

    pub fn reindex(&mut self) {
        let mut index = UserIndex::default();
        for (i, u) in self.users.iter().enumerate() {
            Self::index_one(&mut index, i, u);
        }
        self.index = index;
    }

    fn index_one(index: &mut UserIndex, i: usize, u: &Value) {
        if let Some(id) = str_of(u, "id") {
            index.by_id.insert(id.to_ascii_lowercase(), i);
        }
        if let Some(upn) = str_of(u, "userPrincipalName") {
            index.by_upn.insert(upn.to_ascii_lowercase(), i);
        }
        for a in addresses(u) {
            index.by_email.entry(a).or_insert(i);
        }
        for a in smtp_proxies(u) {
            index.by_proxy.entry(a).or_insert(i);
        }
    }

    pub fn insert_user(&mut self, user: Value) -> usize {
        let i = self.users.len();
        Self::index_one(&mut self.index, i, &user);
        self.users.push(user);
        i
    }

    /// By object id or UPN, case-insensitively.
    pub fn find_user(&self, key: &str) -> Option<usize> {
        let k = key.to_ascii_lowercase();
        self.index
            .by_id
            .get(&k)
            .or_else(|| self.index.by_upn.get(&k))
            .copied()
    }

    /// By any address the directory matches an invitation against.
    pub fn find_by_email(&self, email: &str) -> Option<usize> {
        self.index
            .by_email
            .get(&email.to_ascii_lowercase())
            .copied()
    }

    /// The id of an object other than user `except` that holds `email` among its SMTP
    /// proxyAddresses (proxyAddresses are unique across users, groups and contacts).
    pub fn proxy_owner(&self, email: &str, except: Option<usize>) -> Option<String> {
        let e = email.to_ascii_lowercase();
        let id = |v: &Value| str_of(v, "id").unwrap_or("").to_string();
        if let Some(&i) = self.index.by_proxy.get(&e) {
            if Some(i) != except {
                return self.users.get(i).map(id);
            }
        }
        self.objects
            .iter()
            .find(|o| smtp_proxies(o).contains(&e))
            .map(id)
    }

    /// Directory roles assigned to the user with object id `id`.
    pub fn roles_of(&self, id: &str) -> &[String] {
        self.directory_roles
            .get(&id.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Data {
    pub tenants: Vec<Tenant>,
    #[serde(default)]
    pub outbox: Vec<Value>,
}

impl Data {
    pub fn defaults() -> Self {
        let mut t = Tenant::new(
            DEFAULT_TENANT_ID.to_string(),
            DEFAULT_TENANT.to_string(),
            &[DEFAULT_VERIFIED_DOMAIN.to_string()],
        );
        t.apps.push(AppReg {
            client_id: DEFAULT_CLIENT_ID.to_string(),
            client_secret: Some(DEFAULT_CLIENT_SECRET.to_string()),
            certificate_pem: None,
            federated: None,
            roles: vec![
                "User.Invite.All".into(),
                "User.Read.All".into(),
                "User.ReadWrite.All".into(),
            ],
            token_lifetime_secs: default_lifetime(),
        });
        t.apps.push(AppReg {
            client_id: READONLY_CLIENT_ID.to_string(),
            client_secret: Some(READONLY_CLIENT_SECRET.to_string()),
            certificate_pem: None,
            federated: None,
            roles: vec!["User.Read.All".into()],
            token_lifetime_secs: default_lifetime(),
        });
        Data {
            tenants: vec![t],
            outbox: Vec::new(),
        }
    }

    pub fn tenant_index(&self, name: Option<&str>) -> Option<usize> {
        let name = name.unwrap_or(DEFAULT_TENANT);
        self.tenants.iter().position(|t| t.answers_to(name))
    }

    pub fn tenant_by_id_mut(&mut self, id: &str) -> Option<&mut Tenant> {
        self.tenants
            .iter_mut()
            .find(|t| t.id.eq_ignore_ascii_case(id))
    }

    pub fn tenant_by_id(&self, id: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id.eq_ignore_ascii_case(id))
    }

    /// After loading from a file: rebuild the indexes that are not persisted.
    pub fn reindex(&mut self) {
        for t in &mut self.tenants {
            t.reindex();
        }
    }
}

/// Everything a request handler can reach.
pub struct Shared {
    pub data: Mutex<Data>,
    pub counters: Mutex<Counters>,
    pub faults: Mutex<FaultState>,
    pub throttler: Mutex<Throttler>,
    /// Faults and seed the emulator was started with; `reset` goes back to them.
    pub start_faults: Faults,
    pub seed: u64,
    pub https: bool,
    /// Set once the listener is bound.
    pub base_url: OnceLock<String>,
    /// The router itself, for `$batch` to dispatch its items; taken out at stop.
    pub router: Mutex<Option<axum::Router>>,
    /// Signs the emulator's own OIDC tokens (federated assertions).
    pub oidc_key: [u8; 32],
}

pub type AppState = Arc<Shared>;

impl Shared {
    pub fn base_url(&self) -> String {
        self.base_url.get().cloned().unwrap_or_default()
    }
}
