//! Sessions of sign-in, on SQLite and on PostgreSQL: refresh handles
//! rotate, a replayed one ends the session (its whole family), sign-out
//! ends it, made-up handles end nothing, and a session ends at its time.

use std::time::Duration;

use km_server::sign_in::SignInConfig;
use serde_json::Value;

use crate::common::{
    CLIENT_ID, CLIENT_SECRET, Km, config, databases, me, post_handle, real_issuer, sign_in, start,
};

/// One km-server per database, signing in with the real provider (none:
/// skipped).
async fn servers(tweak: fn(&mut SignInConfig)) -> Vec<Km> {
    let Some(issuer) = real_issuer() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for db in databases().await {
        let mut c = config(&issuer, CLIENT_ID, Some(CLIENT_SECRET));
        tweak(&mut c);
        out.push(start(&db, c).await);
    }
    out
}

async fn end_reason(km: &Km, refresh_token: &str) -> Option<String> {
    use sqlx::Row;
    let id = refresh_token.split('.').next().unwrap();
    sqlx::query(
        "SELECT s.end_reason FROM sign_in_sessions s \
         JOIN refresh_handles h ON h.session_id = s.id WHERE h.id = $1",
    )
    .bind(id)
    .fetch_one(km.store.pool())
    .await
    .unwrap()
    .try_get("end_reason")
    .unwrap()
}

fn detail(body: &Value) -> &str {
    body["detail"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn refreshing_rotates_the_handle_and_a_replayed_one_ends_the_session() {
    for km in servers(|_| {}).await {
        let first = sign_in(&km, "oidc-alice").await;
        let (status, body) = post_handle(&km, "refresh", &first.refresh_token).await;
        assert_eq!(status, 200, "{body}");
        let second: km_protocol::sign_in::SessionTokens = serde_json::from_value(body).unwrap();
        assert_ne!(second.refresh_token, first.refresh_token, "rotated");
        let (status, who) = me(&km, &second.access_token).await;
        assert_eq!((status, who["department"].as_str()), (200, Some("Sales")));
        // The first handle again: someone copied it. The session ends...
        let (status, body) = post_handle(&km, "refresh", &first.refresh_token).await;
        assert_eq!(status, 401, "{body}");
        assert!(detail(&body).contains("used before"), "{body}");
        // ...for the newer handle too.
        let (status, body) = post_handle(&km, "refresh", &second.refresh_token).await;
        assert_eq!(status, 401, "{body}");
        assert!(detail(&body).contains("used twice"), "{body}");
        assert_eq!(
            end_reason(&km, &first.refresh_token).await.as_deref(),
            Some("reuse")
        );
        // Another session of the same person is not touched.
        let other = sign_in(&km, "oidc-alice").await;
        assert_eq!(
            post_handle(&km, "refresh", &other.refresh_token).await.0,
            200
        );
    }
}

#[tokio::test]
async fn simultaneous_refreshes_with_one_handle_never_both_succeed() {
    for km in servers(|_| {}).await {
        let tokens = sign_in(&km, "oidc-bram").await;
        // Two tabs refreshing with the same handle at the same instant (or a
        // thief racing the owner): one may win, never both.
        let tries = (0..8).map(|_| {
            let (url, handle) = (
                format!("{}/api/v1/auth/refresh", km.base),
                tokens.refresh_token.clone(),
            );
            async move {
                let res = reqwest::Client::new()
                    .post(url)
                    .json(&serde_json::json!({ "refresh_token": handle }))
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.text().await.unwrap_or_default())
            }
        });
        let answers = join_all(tries).await;
        // Statuses only: the bodies hold tokens, which no log should.
        let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        let won = statuses.iter().filter(|s| **s == 200).count();
        assert!(won <= 1, "{won} refreshes succeeded: {statuses:?}");
        assert!(statuses.contains(&401), "{statuses:?}");
    }
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    for km in servers(|_| {}).await {
        let tokens = sign_in(&km, "oidc-alice").await;
        assert_eq!(
            post_handle(&km, "sign-out", &tokens.refresh_token).await.0,
            204
        );
        let (status, body) = post_handle(&km, "refresh", &tokens.refresh_token).await;
        assert_eq!(status, 401, "{body}");
        assert!(detail(&body).contains("signed out"), "{body}");
        assert_eq!(
            end_reason(&km, &tokens.refresh_token).await.as_deref(),
            Some("sign-out")
        );
        // Signing out twice, or with a handle nobody issued, is no error.
        assert_eq!(
            post_handle(&km, "sign-out", &tokens.refresh_token).await.0,
            204
        );
        assert_eq!(post_handle(&km, "sign-out", "nothing.here").await.0, 204);
    }
}

#[tokio::test]
async fn a_made_up_handle_is_refused_and_ends_nothing() {
    for km in servers(|_| {}).await {
        let tokens = sign_in(&km, "oidc-alice").await;
        let (id, secret) = tokens.refresh_token.split_once('.').unwrap();
        // The right id with another secret (of the same length and alphabet).
        let guessed = format!("{id}.{}", secret.chars().rev().collect::<String>());
        for handle in [guessed.as_str(), "x", &format!("{id}.")] {
            let (status, body) = post_handle(&km, "refresh", handle).await;
            assert_eq!(status, 401, "{handle}: {body}");
            assert_eq!(post_handle(&km, "sign-out", handle).await.0, 204);
        }
        assert_eq!(post_handle(&km, "refresh", "").await.0, 422);
        // The real handle still works: nothing above ended the session.
        assert_eq!(
            post_handle(&km, "refresh", &tokens.refresh_token).await.0,
            200
        );
    }
}

#[tokio::test]
async fn a_session_ends_at_its_time_and_no_token_outlives_it() {
    for km in servers(|c| c.session_ttl = Duration::from_secs(2)).await {
        let tokens = sign_in(&km, "oidc-alice").await;
        assert!(tokens.expires_in <= 2, "{}", tokens.expires_in);
        assert!(tokens.session_expires_in <= 2);
        // Waits for the session's time to pass: that is what is tested.
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let (status, body) = post_handle(&km, "refresh", &tokens.refresh_token).await;
        assert_eq!(status, 401, "{body}");
        assert!(detail(&body).contains("run its time"), "{body}");
    }
}

/// Runs the futures at once and waits for all (no futures crate here).
async fn join_all<F>(fs: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
