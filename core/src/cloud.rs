//! National clouds: each pairs an authority host with a Graph host; tokens don't cross clouds.

use std::str::FromStr;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cloud {
    #[default]
    Global,
    /// US Government L4 (GCC High).
    UsGovL4,
    /// US Government L5 (DoD).
    UsGovL5,
    /// Microsoft Azure operated by 21Vianet.
    China,
}

impl Cloud {
    pub fn authority_host(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGovL4 | Cloud::UsGovL5 => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    pub fn graph_host(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5 => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The client-credentials scope: one resource's `.default`.
    pub fn scope(self) -> String {
        format!("{}/.default", self.graph_host())
    }
}

impl FromStr for Cloud {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "global" | "public" | "azurepubliccloud" => Ok(Cloud::Global),
            "usgovl4" | "usgov" | "gcchigh" => Ok(Cloud::UsGovL4),
            "usgovl5" | "dod" => Ok(Cloud::UsGovL5),
            "china" | "azurechinacloud" => Ok(Cloud::China),
            _ => Err(Error::invalid_input(
                "cloud",
                format!("unknown cloud '{s}' (expected global, usgovl4, usgovl5 or china)"),
            )),
        }
    }
}
