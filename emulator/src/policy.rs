//! A tenant's invitation policy: the B2B collaboration allow list *or* block list of invitee
//! domains (Entra keeps one or the other) and cross-tenant-access blocks (research
//! graph-api.md §1.8, §4.2). Both are checked when an invitation is created.

use serde::{Deserialize, Serialize};

use crate::graph_error::GraphError;

/// §4.2 ("tenant-type block"). The text Graph sends for an allow/block-list refusal was not
/// captured; this is the documented directory refusal for an invitee that may not be invited.
pub const LIST_REFUSAL: &str = "This user can't be invited to this directory. Please try a different email address for the user or create a user account for them in your Azure AD directory.";
/// §1.8, blocked by the inviting organization's own cross-tenant access settings.
pub const CROSS_TENANT_ORGANIZATION: &str = "This invitation is blocked by cross-tenant access settings in your organization. Your administrator must configure cross-tenant access settings to allow this invitation.";
/// §1.8, blocked by the settings of both organizations.
pub const CROSS_TENANT_BOTH: &str = "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user's organization must configure cross-tenant access settings to allow the invitation.";
/// §1.8, the invited user's tenant disabled the cross-cloud B2B application.
pub const CROSS_CLOUD_WORKER: &str = "This action can't be completed because the Microsoft B2B Cross Cloud Worker application has been disabled in the invited user's tenant. Ask the invited user's admin to re-enable it, then try again.";

/// Whose cross-tenant access settings block the invitation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BlockedBy {
    #[default]
    Organization,
    Both,
    CrossCloudWorker,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrossTenantBlock {
    pub domain: String,
    #[serde(default)]
    pub by: BlockedBy,
}

fn default_status() -> u16 {
    400
}

fn default_code() -> String {
    "BadRequest".to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvitePolicy {
    /// Only these invitee domains may be invited (`*.example.com` also matches subdomains).
    #[serde(default)]
    pub allowed_domains: Option<Vec<String>>,
    /// These invitee domains may not be invited.
    #[serde(default)]
    pub blocked_domains: Option<Vec<String>>,
    #[serde(default)]
    pub cross_tenant_blocked: Vec<CrossTenantBlock>,
    /// The real status and code of these refusals were not captured (research §1.6/§4.2 give
    /// only the texts); 400 `BadRequest`, as for the verified-domain refusal, unless set.
    #[serde(default = "default_status")]
    pub error_status: u16,
    #[serde(default = "default_code")]
    pub error_code: String,
}

impl Default for InvitePolicy {
    fn default() -> Self {
        InvitePolicy {
            allowed_domains: None,
            blocked_domains: None,
            cross_tenant_blocked: Vec::new(),
            error_status: default_status(),
            error_code: default_code(),
        }
    }
}

/// `pattern` is a domain, or `*.domain` for the domain's subdomains; case-insensitive.
fn domain_matches(pattern: &str, domain: &str) -> bool {
    let p = pattern.trim().to_ascii_lowercase();
    let d = domain.to_ascii_lowercase();
    match p.strip_prefix("*.") {
        Some(parent) => d.ends_with(&format!(".{parent}")),
        None => p == d,
    }
}

impl InvitePolicy {
    /// Why a policy cannot be stored, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.allowed_domains.is_some() && self.blocked_domains.is_some() {
            return Err(
                "A tenant has either an allow list or a block list of domains, not both."
                    .to_string(),
            );
        }
        let lists = [&self.allowed_domains, &self.blocked_domains];
        let blank_list = lists
            .into_iter()
            .flatten()
            .flatten()
            .any(|d| d.trim().is_empty());
        let blank_block = self
            .cross_tenant_blocked
            .iter()
            .any(|b| b.domain.trim().is_empty());
        if blank_list || blank_block {
            return Err("Domains must not be empty.".to_string());
        }
        if !(400..=599).contains(&self.error_status) {
            return Err("'errorStatus' must be an HTTP error status (400-599).".to_string());
        }
        if self.error_code.trim().is_empty() {
            return Err("'errorCode' must not be empty.".to_string());
        }
        Ok(())
    }

    /// The error an invitation to `domain` gets, if the policy refuses it.
    pub fn refusal(&self, domain: &str) -> Option<GraphError> {
        let listed = |list: &Option<Vec<String>>| {
            list.as_ref()
                .map(|l| l.iter().any(|p| domain_matches(p, domain)))
        };
        let list_refuses = listed(&self.allowed_domains) == Some(false)
            || listed(&self.blocked_domains) == Some(true);
        let message = if list_refuses {
            LIST_REFUSAL
        } else {
            match self
                .cross_tenant_blocked
                .iter()
                .find(|b| domain_matches(&b.domain, domain))?
                .by
            {
                BlockedBy::Organization => CROSS_TENANT_ORGANIZATION,
                BlockedBy::Both => CROSS_TENANT_BOTH,
                BlockedBy::CrossCloudWorker => CROSS_CLOUD_WORKER,
            }
        };
        Some(GraphError::new(
            self.error_status,
            &self.error_code,
            message,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_block_list_and_wildcards() {
        let allow = InvitePolicy {
            allowed_domains: Some(vec!["fabrikam.com".into(), "*.partners.example".into()]),
            ..InvitePolicy::default()
        };
        assert!(allow.refusal("Fabrikam.com").is_none());
        assert!(allow.refusal("eu.partners.example").is_none());
        assert!(allow.refusal("partners.example").is_some());
        assert!(allow.refusal("gmail.com").is_some());
        let block = InvitePolicy {
            blocked_domains: Some(vec!["gmail.com".into()]),
            cross_tenant_blocked: vec![CrossTenantBlock {
                domain: "tailspin.com".into(),
                by: BlockedBy::Both,
            }],
            ..InvitePolicy::default()
        };
        let e = block.refusal("GMAIL.com").map(|e| e.message);
        assert_eq!(e.as_deref(), Some(LIST_REFUSAL));
        let e = block.refusal("tailspin.com").map(|e| e.message);
        assert_eq!(e.as_deref(), Some(CROSS_TENANT_BOTH));
        assert!(block.refusal("fabrikam.com").is_none());
        assert!(InvitePolicy::default().refusal("gmail.com").is_none());
    }

    #[test]
    fn one_list_only() {
        let both = InvitePolicy {
            allowed_domains: Some(vec![]),
            blocked_domains: Some(vec![]),
            ..InvitePolicy::default()
        };
        assert!(both.validate().is_err());
        assert!(InvitePolicy::default().validate().is_ok());
    }
}
