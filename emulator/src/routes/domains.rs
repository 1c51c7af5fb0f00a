//! `GET /domains`: the tenant's domains.

use axum::extract::{Request, State};
use axum::response::Response;
use http::StatusCode;
use serde_json::json;

use crate::graph_error::GraphError;
use crate::reply::{graph_json, respond};
use crate::request::{authorize, public_base, version};
use crate::state::AppState;
use crate::sync::lock;

pub async fn list(State(app): State<AppState>, req: Request) -> Response {
    respond(list_inner(&app, req))
}

fn list_inner(app: &AppState, req: Request) -> Result<Response, GraphError> {
    let (parts, _) = req.into_parts();
    // Any valid app token may read domains here: our default apps carry User.* roles only
    // and clients read domains to pre-check invitations.
    let claims = authorize(&parts)?;
    let data = lock(&app.data);
    let tenant = data.tenant_by_id(&claims.tid).ok_or_else(|| {
        GraphError::new(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure.",
        )
    })?;
    let value: Vec<_> = tenant
        .domains
        .iter()
        .map(|d| {
            json!({
                "authenticationType": "Managed",
                "availabilityStatus": null,
                "id": d.id,
                "isAdminManaged": true,
                "isDefault": d.is_default,
                "isInitial": d.is_initial,
                "isRoot": true,
                "isVerified": d.is_verified,
                "manufacturer": null,
                "model": null,
                "passwordNotificationWindowInDays": null,
                "passwordValidityPeriodInDays": null,
                "supportedServices": if d.is_initial { json!(["Email", "OfficeCommunicationsOnline"]) } else { json!(["Email"]) },
                "state": null,
            })
        })
        .collect();
    let body = json!({
        "@odata.context": format!("{}/{}/$metadata#domains", public_base(app, &parts), version(&parts)),
        "value": value,
    });
    Ok(graph_json(StatusCode::OK, &body))
}
