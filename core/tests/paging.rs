//! Paging through guests: every page, headers re-sent, nextLink only on the Graph origin.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use entra_invite::{Credential, ErrorKind, ExternalUserState};
use futures_util::StreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use common::Env;

#[tokio::test]
async fn pages_through_250_guests() {
    let env = Env::start().await;
    for i in 0..250 {
        let state = if i % 5 == 0 {
            "Accepted"
        } else {
            "PendingAcceptance"
        };
        env.add_user(json!({"mail": format!("g{i:03}@fabrikam.com"), "userType": "Guest", "creationType": "Invitation", "externalUserState": state})).await;
    }
    let client = env.client();
    let mut pages = client.guests(None).page_size(100).unwrap();
    let mut sizes = vec![];
    let mut n = 0;
    while let Some(p) = pages.next_page().await.unwrap() {
        sizes.push(p.len());
        n += p.len();
    }
    assert_eq!(n, 250);
    assert_eq!(sizes, vec![100, 100, 50]);
    assert_eq!(pages.total(), Some(250));
    let accepted: Vec<_> = client
        .guests(Some(ExternalUserState::Accepted))
        .page_size(7)
        .unwrap()
        .into_stream()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(accepted.len(), 50);
    assert!(accepted
        .iter()
        .all(|g| g.as_ref().unwrap().state == Some(ExternalUserState::Accepted)));
    assert!(client.guests(None).page_size(1000).is_err());
    env.emu.stop().await;
}

/// A fake Graph whose every page points its nextLink at another origin.
async fn serve_foreign_next_link(other_port: u16) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let mut buf = vec![0u8; 8192];
            let _ = s.read(&mut buf).await;
            let body = json!({"value": [{"id": "1", "mail": "a@fabrikam.com", "userType": "Guest"}],
                              "@odata.nextLink": format!("http://127.0.0.1:{other_port}/v1.0/users?$skiptoken=abc")})
            .to_string();
            let resp = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            let _ = s.write_all(resp.as_bytes()).await;
        }
    });
    port
}

#[tokio::test]
async fn next_link_to_another_origin_is_refused_and_gets_no_token() {
    let other = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_port = other.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    tokio::spawn(async move {
        while let Ok((_s, _)) = other.accept().await {
            h.fetch_add(1, Ordering::SeqCst);
        }
    });
    let graph_port = serve_foreign_next_link(other_port).await;
    let client = entra_invite::Client::builder()
        .credential(Credential::access_token("token-that-must-stay-home"))
        .graph_url(format!("http://127.0.0.1:{graph_port}"))
        .build()
        .unwrap();
    let mut pages = client.guests(None);
    assert_eq!(pages.next_page().await.unwrap().unwrap().len(), 1);
    let e = pages.next_page().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a request went to the foreign origin"
    );
}
