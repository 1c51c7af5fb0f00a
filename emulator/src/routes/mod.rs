//! The router: Graph under `/v1.0` and `/beta`, the token endpoint, the control API.
//!
//! Each route module answers its own paths and imports only helper modules (`request`,
//! `reply`, `control_args`, …), never another route; this one only wires them together.

mod batch;
mod control;
mod control_args;
mod control_policy;
mod domains;
mod invitations;
mod token;
mod users;
mod users_order;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;

use crate::graph_error::GraphError;
use crate::state::AppState;

pub fn router(app: AppState) -> Router {
    let graph = Router::new()
        .route(
            "/invitations",
            post(invitations::create).get(invitations::not_supported),
        )
        .route("/invitations/{*rest}", any(invitations::not_supported))
        .route("/users", get(users::list))
        .route("/users/$count", get(users::count))
        .route("/users/{id}", get(users::get_one))
        .route("/domains", get(domains::list))
        .route("/$batch", post(batch::run))
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(from_fn(crate::headers::mark_route))
        .fallback(segment_not_found);
    let control = control::router()
        .merge(control_policy::router())
        .route_layer(from_fn(crate::headers::mark_route));
    Router::new()
        .nest("/v1.0", graph.clone())
        .nest("/beta", graph)
        .nest("/_emulator", control)
        .route(
            "/{tenant}/oauth2/v2.0/token",
            post(token::token).route_layer(from_fn(crate::headers::mark_route)),
        )
        .fallback(invalid_version)
        .layer(from_fn_with_state(app.clone(), crate::fault_layer::apply))
        .layer(from_fn_with_state(app.clone(), crate::headers::outer))
        .with_state(app)
}

async fn method_not_allowed() -> Response {
    GraphError::new(
        405,
        "Request_BadRequest",
        "Specified HTTP method is not allowed for the request target.",
    )
    .into_response()
}

/// The first segment of a path: the resource in a nested router, else the version.
fn first_segment(uri: &http::Uri) -> &str {
    uri.path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("")
}

async fn segment_not_found(uri: http::Uri) -> Response {
    // Inside the nested router the version prefix is already stripped.
    let seg = first_segment(&uri);
    GraphError::bad_request(format!("Resource not found for the segment '{seg}'.")).into_response()
}

async fn invalid_version(uri: http::Uri) -> Response {
    let seg = first_segment(&uri);
    if seg == "_emulator" {
        return GraphError::new(404, "NotFound", "No such control API route.").into_response();
    }
    GraphError::bad_request(format!("Invalid version: {seg}")).into_response()
}
