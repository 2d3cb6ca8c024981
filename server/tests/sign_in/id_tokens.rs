//! ID tokens km-server must refuse, handed to it by the tests' own
//! provider ([`crate::rogue`]) at the end of a real code flow: each test
//! first signs in with a good token of the same provider, so the flaw is
//! the only difference. And the provider's key rotation: a new key is
//! fetched, a flood of unknown keys is not.

use std::time::Duration;

use crate::common::{browser, config, finish, sessions, sign_in, sqlite, start, to_callback};
use crate::rogue::{CLIENT_ID, CLIENT_SECRET, Flaw, Rogue};

async fn rogue_km(refetch: Duration) -> (Rogue, crate::common::Km) {
    let rogue = Rogue::start().await;
    let mut c = config(&rogue.issuer, CLIENT_ID, Some(CLIENT_SECRET));
    c.jwks_refetch_interval = refetch;
    let km = start(&sqlite(), c).await;
    (rogue, km)
}

/// Signs in once with a good token, then with `flaw`: refused with `code`,
/// no tokens posted, no session stored.
async fn refused(flaw: Flaw, code: &str) {
    let (rogue, km) = rogue_km(Duration::from_secs(60)).await;
    let good = sign_in(&km, "anyone").await;
    assert!(!good.access_token.is_empty());
    rogue.set(flaw);
    let b = browser();
    let callback = to_callback(&b, &km, "anyone").await;
    let page = finish(&b, &callback).await;
    assert_eq!(page.error(), Some(code), "{flaw:?}: {:?}", page.message);
    assert_eq!(page.status, 401, "{flaw:?}");
    assert!(page.message.get("access_token").is_none(), "{flaw:?}");
    assert!(page.message.get("refresh_token").is_none(), "{flaw:?}");
    assert_eq!(
        sessions(&km).await,
        1,
        "{flaw:?}: only the good sign-in has a session"
    );
}

#[tokio::test]
async fn an_id_token_from_another_issuer_is_refused() {
    refused(Flaw::Issuer, "id_token_issuer").await;
}

#[tokio::test]
async fn an_id_token_for_another_client_is_refused() {
    refused(Flaw::Audience, "id_token_audience").await;
}

#[tokio::test]
async fn an_id_token_with_two_audiences_and_no_azp_is_refused() {
    refused(Flaw::ExtraAudience, "id_token_azp").await;
}

#[tokio::test]
async fn an_id_token_of_another_sign_in_is_refused_by_its_nonce() {
    refused(Flaw::Nonce, "id_token_nonce").await;
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    refused(Flaw::Expired, "id_token_expired").await;
}

#[tokio::test]
async fn an_id_token_issued_in_the_future_is_refused() {
    refused(Flaw::IssuedInFuture, "id_token_not_yet_valid").await;
}

#[tokio::test]
async fn an_id_token_signed_by_an_unknown_key_is_refused() {
    refused(Flaw::UnknownKey, "id_token_unknown_key").await;
}

#[tokio::test]
async fn an_id_token_forged_under_a_published_key_id_is_refused() {
    refused(Flaw::ForgedSignature, "id_token_signature").await;
}

#[tokio::test]
async fn an_id_token_signed_with_the_client_secret_is_refused() {
    // HS256 with the client secret: anyone who knows the secret (every
    // km-server instance, the provider's admins) could mint people.
    refused(Flaw::Hs256, "id_token_algorithm").await;
}

#[tokio::test]
async fn an_unsigned_id_token_is_refused() {
    refused(Flaw::AlgNone, "id_token_malformed").await;
}

#[tokio::test]
async fn a_rotated_provider_key_is_fetched_and_used() {
    let (rogue, km) = rogue_km(Duration::ZERO).await;
    sign_in(&km, "anyone").await;
    assert_eq!(rogue.jwks_hits(), 1);
    rogue.rotate();
    // The new key's kid is unknown to km-server: it fetches the JWKS again.
    let tokens = sign_in(&km, "anyone").await;
    assert_eq!(rogue.jwks_hits(), 2);
    let (status, me) = crate::common::me(&km, &tokens.access_token).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["department"], "Audit");
}

#[tokio::test]
async fn unknown_key_ids_do_not_make_the_server_hammer_the_provider() {
    let (rogue, km) = rogue_km(Duration::from_secs(3600)).await;
    sign_in(&km, "anyone").await;
    assert_eq!(rogue.jwks_hits(), 1);
    rogue.set(Flaw::UnknownKey);
    for _ in 0..5 {
        let b = browser();
        let callback = to_callback(&b, &km, "anyone").await;
        assert_eq!(
            finish(&b, &callback).await.error(),
            Some("id_token_unknown_key")
        );
    }
    assert_eq!(rogue.jwks_hits(), 1, "refetches are rate limited");
}
