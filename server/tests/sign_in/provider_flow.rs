//! The sign-in popup's flow against a real OpenID provider (npm's
//! oidc-provider, started by `cargo xtask test`): its login form posted as
//! a browser posts it, the tokens km-server hands the opener, and what an
//! attacker might try on the way (other origins, redirect parameters, a
//! changed state, a callback in another browser, a code without its PKCE
//! verifier).

use km_server::sign_in::SignInConfig;
use serde_json::{Value, json};

use crate::common::{
    CLIENT_ID, CLIENT_SECRET, Km, ORIGIN, PORTAL_SECRET, browser, config, finish, me, page,
    real_issuer, sessions, sign_in, sqlite, start, to_callback,
};

/// A km-server on SQLite signing in with the real provider, or None
/// (skipped) when there is none.
async fn km_with(tweak: impl FnOnce(&mut SignInConfig)) -> Option<Km> {
    let issuer = real_issuer()?;
    let mut c = config(&issuer, CLIENT_ID, Some(CLIENT_SECRET));
    tweak(&mut c);
    Some(start(&sqlite(), c).await)
}

fn query(url: &str) -> std::collections::HashMap<String, String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test]
async fn people_sign_in_through_the_providers_form_with_their_department_and_roles() {
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    for (login, name, department, roles) in [
        ("oidc-alice", "Alice Jansen", Some("Sales"), json!([])),
        (
            "oidc-mo",
            "Mo Moderator",
            Some("Support"),
            json!(["km:moderator"]),
        ),
        ("oidc-ada", "Ada Admin", Some("IT"), json!(["km:admin"])),
        ("oidc-guest", "Gus Guest", None, json!([])),
    ] {
        let tokens = sign_in(&km, login).await;
        assert_eq!(tokens.token_type, "Bearer");
        assert!(tokens.expires_in > 0 && tokens.expires_in <= 600);
        let (status, me) = me(&km, &tokens.access_token).await;
        assert_eq!(status, 200, "{login}: {me}");
        assert_eq!(me["id"], login);
        assert_eq!(me["name"], name);
        assert_eq!(me["department"].as_str(), department, "{login}");
        assert_eq!(me["roles"], roles, "{login}");
    }
    // Every endpoint takes the token as it takes a portal's: a write too.
    let tokens = sign_in(&km, "oidc-mo").await;
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/questions", km.base))
        .bearer_auth(&tokens.access_token)
        .json(&json!({"title": "Who signs us in with OpenID?", "tags": ["Identity"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let q: Value = res.json().await.unwrap();
    assert_eq!(q["author"]["department"], "Support", "{q}");
}

#[tokio::test]
async fn the_popup_hands_tokens_to_the_opener_origin_only_and_never_in_a_url() {
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    let b = browser();
    let callback = to_callback(&b, &km, "oidc-alice").await;
    // What travels in URLs is a one-time code, never a token.
    let q = query(&callback);
    assert!(
        q.contains_key("code") && q.contains_key("state"),
        "{callback}"
    );
    let page = finish(&b, &callback).await;
    let tokens = page.tokens();
    assert!(!callback.contains(&tokens.access_token));
    assert_eq!(
        page.origin,
        json!(ORIGIN),
        "posted to the opener's exact origin"
    );
    assert_eq!(page.message["type"], "km-sign-in");
    let h = |name: &str| {
        page.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(h("cache-control"), "no-store");
    assert_eq!(h("referrer-policy"), "no-referrer");
    let csp = h("content-security-policy");
    for part in [
        "default-src 'none'",
        "script-src 'sha256-",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(
        h("set-cookie").contains("Max-Age=0"),
        "the attempt's cookie goes"
    );
    // The same callback again: the attempt is over.
    let again = finish(&b, &callback).await;
    assert_eq!(again.error(), Some("no_sign_in_in_progress"));
}

#[tokio::test]
async fn pages_of_origins_not_on_the_list_get_no_sign_in() {
    // `*` in --allowed-origins lets any page call the API, but never
    // receive a person's tokens (with single sign-on, a page elsewhere
    // could otherwise open the popup and be handed them without a prompt).
    let Some(km) = km_with(|c| c.allowed_origins = vec![ORIGIN.into(), "*".into()]).await else {
        return;
    };
    let b = browser();
    for (origin, status, code) in [
        (Some("https://evil.test"), 403, "origin_not_allowed"),
        (
            Some("https://intranet.test.evil.test"),
            403,
            "origin_not_allowed",
        ),
        (Some("null"), 400, "no_origin"),
        (None, 400, "no_origin"),
    ] {
        let mut url = reqwest::Url::parse(&format!("{}/auth/sign-in", km.base)).unwrap();
        if let Some(o) = origin {
            url.query_pairs_mut().append_pair("origin", o);
        }
        let res = b.get(url).send().await.unwrap();
        assert!(res.headers().get("location").is_none(), "{origin:?}");
        assert!(res.headers().get("set-cookie").is_none(), "{origin:?}");
        let p = page(res).await;
        assert_eq!((p.status, p.error()), (status, Some(code)), "{origin:?}");
        assert_eq!(p.origin, Value::Null, "nothing is posted to {origin:?}");
    }
}

#[tokio::test]
async fn the_only_redirect_is_to_the_provider_with_the_configured_redirect_uri() {
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    let discovery: Value = reqwest::get(format!(
        "{}/.well-known/openid-configuration",
        real_issuer().unwrap()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let res = browser()
        .get(format!(
            "{}/auth/sign-in?origin={ORIGIN}&redirect_uri=https://evil.test/cb&return_to=https://evil.test",
            km.base
        ))
        .header("host", "evil.test")
        .header("x-forwarded-host", "evil.test")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let endpoint = discovery["authorization_endpoint"].as_str().unwrap();
    assert!(location.starts_with(&format!("{endpoint}?")), "{location}");
    let q = query(&location);
    assert_eq!(q["redirect_uri"], format!("{}/auth/callback", km.base));
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["code_challenge_method"], "S256");
    for k in ["state", "nonce", "code_challenge"] {
        assert!(q[k].len() >= 43, "{k} is long and random: {}", q[k]);
    }
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    for part in ["km_sign_in=", "HttpOnly", "SameSite=Lax", "Path=/auth/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert_eq!(res.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn a_changed_state_is_refused() {
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    let b = browser();
    let callback = to_callback(&b, &km, "oidc-alice").await;
    let mut url = reqwest::Url::parse(&callback).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" {
                format!("{v}x")
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    let p = finish(&b, url.as_str()).await;
    assert_eq!((p.status, p.error()), (400, Some("state_mismatch")));
    assert_eq!(p.origin, json!(ORIGIN), "the opener hears why");
    assert!(p.message.get("access_token").is_none());
    assert_eq!(sessions(&km).await, 0);
}

#[tokio::test]
async fn an_answer_naming_another_issuer_or_none_is_refused() {
    // RFC 9207: the provider names itself in its answer (oidc-provider
    // does), so a code that arrives with another issuer, or without one,
    // may be from another provider (a mix-up attack) and is not sent on.
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    for iss in [Some("https://evil.test"), None] {
        let b = browser();
        let callback = to_callback(&b, &km, "oidc-alice").await;
        assert!(query(&callback).contains_key("iss"), "{callback}");
        let mut url = reqwest::Url::parse(&callback).unwrap();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "iss")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
        if let Some(i) = iss {
            url.query_pairs_mut().append_pair("iss", i);
        }
        let p = finish(&b, url.as_str()).await;
        assert_eq!(
            (p.status, p.error()),
            (400, Some("issuer_mismatch")),
            "{iss:?}"
        );
    }
    assert_eq!(sessions(&km).await, 0);
}

#[tokio::test]
async fn a_callback_in_another_browser_has_no_verifier_and_is_refused() {
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    let b = browser();
    let callback = to_callback(&b, &km, "oidc-alice").await;
    // Someone who got hold of the URL, without the popup's cookie (the
    // state, nonce and PKCE verifier of the attempt).
    let p = finish(&browser(), &callback).await;
    assert_eq!((p.status, p.error()), (400, Some("no_sign_in_in_progress")));
    assert_eq!(p.origin, Value::Null);
    assert_eq!(sessions(&km).await, 0);
    // The refusal spent nothing: the popup itself still finishes.
    finish(&b, &callback).await.tokens();
}

#[tokio::test]
async fn a_code_is_useless_without_its_pkce_verifier() {
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    let issuer = real_issuer().unwrap();
    let discovery: Value = reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token_endpoint = discovery["token_endpoint"].as_str().unwrap().to_owned();
    // Whoever intercepts a code, even with the client's secret, cannot
    // redeem it without the verifier only the popup's cookie holds: the
    // authorization request carried its S256 challenge.
    for verifier in [
        None,
        Some("a-verifier-someone-made-up-0123456789abcdefghij"),
    ] {
        let callback = to_callback(&browser(), &km, "oidc-alice").await;
        let code = query(&callback)["code"].clone();
        let redirect_uri = format!("{}/auth/callback", km.base);
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
        ];
        form.extend(verifier.map(|v| ("code_verifier", v)));
        let res = reqwest::Client::new()
            .post(&token_endpoint)
            .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{verifier:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], "invalid_grant", "{verifier:?}: {body}");
    }
}

#[tokio::test]
async fn portal_tokens_keep_working_beside_sign_in_and_neither_key_forges_the_other() {
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    let portal = km_server::auth::Verifier::new(
        km_server::auth::Keys::Shared(PORTAL_SECRET.to_vec()),
        None,
        None,
    );
    let exp = jsonwebtoken::get_current_timestamp() + 600;
    let portal_token = portal
        .sign(&km_protocol::TokenClaims {
            sub: "portal-pia".into(),
            name: "Pia Portal".into(),
            email: None,
            department: Some("Finance".into()),
            roles: vec!["km:admin".into()],
            exp,
            iat: None,
        })
        .unwrap();
    let (status, body) = me(&km, &portal_token).await;
    assert_eq!((status, body["id"].as_str()), (200, Some("portal-pia")));
    let tokens = sign_in(&km, "oidc-alice").await;
    assert_eq!(me(&km, &tokens.access_token).await.0, 200);
    // The portal's key cannot make a token of the server's own sign-in...
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": "oidc-alice", "name": "Alice", "roles": ["km:admin"], "exp": exp,
                "iss": km.base, "aud": "km-api"}),
        &jsonwebtoken::EncodingKey::from_secret(PORTAL_SECRET),
    )
    .unwrap();
    assert_eq!(me(&km, &forged).await.0, 401);
    // ...and a sign-in token with its claims changed is refused.
    let mut parts: Vec<String> = tokens.access_token.split('.').map(str::to_owned).collect();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: Value = serde_json::from_slice(&b64.decode(&parts[1]).unwrap()).unwrap();
    claims["roles"] = json!(["km:admin"]);
    parts[1] = b64.encode(claims.to_string());
    assert_eq!(me(&km, &parts.join(".")).await.0, 401);
}

#[tokio::test]
async fn the_auth_endpoint_tells_widgets_how_to_sign_in() {
    let Some(km) = km_with(|_| {}).await else {
        return;
    };
    let info: Value = reqwest::get(format!("{}/api/v1/auth", km.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        info,
        json!({"oidc": true, "organization": "Northwind",
               "sign_in_url": format!("{}/auth/sign-in", km.base)})
    );
}

#[tokio::test]
async fn a_required_claim_keeps_other_accounts_out() {
    let Some(km) = km_with(|c| c.mapping.required = vec![("groups".into(), "staff".into())]).await
    else {
        return;
    };
    sign_in(&km, "oidc-alice").await;
    let b = browser();
    let callback = to_callback(&b, &km, "oidc-guest").await;
    let p = finish(&b, &callback).await;
    assert_eq!((p.status, p.error()), (403, Some("not_allowed")));
    assert_eq!(sessions(&km).await, 1);
}
