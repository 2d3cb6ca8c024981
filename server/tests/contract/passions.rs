//! Contract tests of passion-match: ranked matches (IDF, complementarity,
//! privacy), intros (once, receiver answers, contact after accepting), and
//! deleting a profile.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Target, Who, unique};
use crate::expect::{ensure, expect_eq, expect_ne};

tests![
    matches_rank_rare_and_complementary_passions_first needs [Bob, Carol, Admin],
    dept_matches_respect_visibility needs [Bob, Carol],
    two_intros_once_receiver_answers_contact_after_accepting needs [Bob, Carol],
    two_hidden_people_cannot_be_greeted_or_matched needs [Bob],
    two_deleting_my_profile_removes_it_and_my_intros needs [Bob, Carol],
    two_a_profile_change_shows_in_the_next_match needs [Bob],
];

async fn profile(
    t: &Target,
    who: Who,
    passions: &[(&str, &str)],
    visibility: &str,
) -> Result<(), String> {
    let passions: Vec<Value> = passions
        .iter()
        .map(|(tag, level)| json!({ "tag": tag, "level": level }))
        .collect();
    let body =
        json!({ "passions": passions, "why": "", "open_to_chat": true, "visibility": visibility });
    t.put(who, "/profiles/me", &body).await?.expect(200)?;
    Ok(())
}

/// The person ids of a page of matches, profiles or members, in order.
pub(crate) fn match_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["person"]["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn matches_rank_rare_and_complementary_passions_first(t: Arc<Target>) -> Result<(), String> {
    let m = unique();
    let common = format!("Common{m}");
    let rare = format!("Rare{m}");
    let k8s = format!("K8s{m}");
    // Alice loves the common and the rare tag and wants to learn k8s.
    profile(
        &t,
        Who::Alice,
        &[(&common, "love"), (&rare, "love"), (&k8s, "learn")],
        "organization",
    )
    .await?;
    // Bob shares only the common tag; Carol shares the rare one; the admin
    // shares the common one and can teach k8s.
    profile(&t, Who::Bob, &[(&common, "love")], "organization").await?;
    profile(
        &t,
        Who::Carol,
        &[(&rare, "curious"), (&common, "love")],
        "organization",
    )
    .await?;
    profile(
        &t,
        Who::Admin,
        &[(&common, "love"), (&k8s, "teach")],
        "organization",
    )
    .await?;
    let page = t
        .get(Who::Alice, "/matches?limit=10")
        .await?
        .expect(200)?
        .body;
    let ids = match_ids(&page);
    let carol = t.id_of(Who::Carol).await?;
    let admin = t.id_of(Who::Admin).await?;
    let bob = t.id_of(Who::Bob).await?;
    let pos = |id: &str| ids.iter().position(|x| x == id);
    ensure(
        pos(&carol).is_some() && pos(&admin).is_some() && pos(&bob).is_some(),
        "all three match",
        format!("{ids:?}"),
    )?;
    ensure(
        pos(&bob) > pos(&carol) && pos(&bob) > pos(&admin),
        "bob (one common tag) ranks last",
        format!("{ids:?}"),
    )?;
    let items = page["items"].as_array().cloned().unwrap_or_default();
    let admin_match = items
        .iter()
        .find(|x| x["person"]["id"] == json!(admin))
        .cloned()
        .unwrap_or_default();
    expect_eq(
        &admin_match["complementary"][0]["direction"],
        "they_teach",
        "complement",
    )?;
    ensure(
        admin_match["parts"]["complement"].as_f64().unwrap_or(0.0) > 0.0,
        "complement part: admin_match[\"parts\"][\"complement\"].as_f64().unwrap_or(0.0) > 0.0",
        &admin_match["parts"]["complement"],
    )?;
    let carol_match = items
        .iter()
        .find(|x| x["person"]["id"] == json!(carol))
        .cloned()
        .unwrap_or_default();
    expect_eq(
        &carol_match["shared"][0]["tag"],
        &json!(rare),
        "rarest shared passion first",
    )?;
    let score = carol_match["score"].as_f64().unwrap_or(0.0);
    let parts = &carol_match["parts"];
    let sum = parts["overlap"].as_f64().unwrap_or(0.0)
        + parts["complement"].as_f64().unwrap_or(0.0)
        - parts["connected_penalty"].as_f64().unwrap_or(0.0);
    ensure(
        (score - sum).abs() < 1e-9,
        "the parts add up to the score",
        score - sum,
    )?;
    // Filter by one passion; page through one at a time.
    let only = t
        .get(Who::Alice, &format!("/matches?tag={k8s}"))
        .await?
        .expect(200)?
        .body;
    expect_eq(&match_ids(&only), &vec![admin.clone()], "filtered")?;
    let first = t
        .get(Who::Alice, "/matches?limit=1")
        .await?
        .expect(200)?
        .body;
    let cursor = first["next_cursor"]
        .as_str()
        .ok_or("a next page")?
        .to_owned();
    let second = t
        .get(Who::Alice, &format!("/matches?limit=1&cursor={cursor}"))
        .await?
        .expect(200)?
        .body;
    expect_ne(&match_ids(&first), &match_ids(&second), "pages differ")?;
    t.get(Who::Anonymous, "/matches").await?.problem(401)?;
    Ok(())
}

async fn dept_matches_respect_visibility(t: Arc<Target>) -> Result<(), String> {
    let m = unique();
    let tag = format!("Chess{m}");
    profile(&t, Who::Alice, &[(&tag, "love")], "department").await?;
    profile(&t, Who::Bob, &[(&tag, "love")], "organization").await?;
    profile(&t, Who::Carol, &[(&tag, "love")], "organization").await?;
    let alice = t.id_of(Who::Alice).await?;
    let for_bob = match_ids(
        &t.get(Who::Bob, &format!("/matches?tag={tag}"))
            .await?
            .expect(200)?
            .body,
    );
    let for_carol = match_ids(
        &t.get(Who::Carol, &format!("/matches?tag={tag}"))
            .await?
            .expect(200)?
            .body,
    );
    ensure(
        for_bob.contains(&alice),
        "same department sees the department profile",
        &for_bob,
    )?;
    ensure(
        !for_carol.contains(&alice),
        "another department does not",
        &for_carol,
    )
}

async fn two_intros_once_receiver_answers_contact_after_accepting(
    t: Arc<Target>,
) -> Result<(), String> {
    let m = unique();
    let tag = format!("Climbing{m}");
    profile(&t, Who::Alice, &[(&tag, "love")], "organization").await?;
    profile(&t, Who::Bob, &[(&tag, "love")], "organization").await?;
    let alice = t.id_of(Who::Alice).await?;
    // Start clean: earlier tests may have left an intro between them.
    for who in [Who::Alice, Who::Bob] {
        for b in ["incoming", "outgoing"] {
            let page = t
                .get(who, &format!("/intros?box={b}&limit=100"))
                .await?
                .expect(200)?
                .body;
            for i in page["items"].as_array().cloned().unwrap_or_default() {
                let id = i["id"].as_str().unwrap_or_default();
                t.send(who, Method::DELETE, &format!("/intros/{id}"), None, &[])
                    .await?
                    .expect(204)?;
            }
        }
    }
    let sent = t
        .post(
            Who::Bob,
            "/intros",
            &json!({ "to": alice, "message": "Coffee and climbing?" }),
        )
        .await?
        .expect(201)?
        .body;
    ensure(
        sent["status"] == "pending" && sent["contact"].is_null(),
        "pending, no contact",
        &sent,
    )?;
    t.post(Who::Bob, "/intros", &json!({ "to": alice }))
        .await?
        .problem(409)?;
    let id = sent["id"].as_str().unwrap_or_default().to_owned();
    let incoming = t.get(Who::Alice, "/intros").await?.expect(200)?.body;
    expect_eq(&incoming["items"][0]["id"], &json!(id), "alice sees it")?;
    ensure(
        incoming["items"][0]["contact"].is_null(),
        "no contact before accepting",
        &incoming["items"][0]["contact"],
    )?;
    t.post(Who::Bob, &format!("/intros/{id}/accept"), &json!({}))
        .await?
        .problem(403)?;
    t.post(Who::Carol, &format!("/intros/{id}/accept"), &json!({}))
        .await?
        .problem(404)?;
    let accepted = t
        .post(Who::Alice, &format!("/intros/{id}/accept"), &json!({}))
        .await?
        .expect(200)?
        .body;
    expect_eq(&accepted["status"], "accepted", "accepted")?;
    ensure(
        accepted["contact"]
            .as_str()
            .is_some_and(|c| c.contains('@')),
        "alice sees bob's contact",
        &accepted,
    )?;
    let outgoing = t
        .get(Who::Bob, "/intros?box=outgoing")
        .await?
        .expect(200)?
        .body;
    let mine = &outgoing["items"][0];
    ensure(
        mine["contact"].as_str().is_some_and(|c| c.contains('@')),
        "bob sees alice's contact",
        mine,
    )?;
    // Connected people move down but stay.
    let page = t
        .get(Who::Bob, &format!("/matches?tag={tag}"))
        .await?
        .expect(200)?
        .body;
    let alice_match = page["items"].as_array().and_then(|a| {
        a.iter()
            .find(|x| x["person"]["id"] == json!(alice))
            .cloned()
    });
    ensure(
        alice_match.as_ref().is_some_and(|x| x["connected"] == true),
        "connected flag: alice_match.as_ref().is_some_and(|x| x[\"connected\"] == true)",
        &alice_match,
    )
}

async fn two_hidden_people_cannot_be_greeted_or_matched(t: Arc<Target>) -> Result<(), String> {
    let m = unique();
    let tag = format!("Fencing{m}");
    profile(&t, Who::Alice, &[(&tag, "love")], "hidden").await?;
    profile(&t, Who::Bob, &[(&tag, "love")], "organization").await?;
    let alice = t.id_of(Who::Alice).await?;
    let ids = match_ids(
        &t.get(Who::Bob, &format!("/matches?tag={tag}"))
            .await?
            .expect(200)?
            .body,
    );
    ensure(
        !ids.contains(&alice),
        "a hidden profile never matches",
        &ids,
    )?;
    let res = t.post(Who::Bob, "/intros", &json!({ "to": alice })).await?;
    expect_eq(&res.status.as_u16(), &404, "greeting a hidden person")?;
    // The hidden person sees nobody's counts inflated by themselves either.
    let tags = t
        .get(Who::Bob, &format!("/tags?prefix={tag}"))
        .await?
        .expect(200)?
        .body;
    expect_eq(&tags["items"][0]["count"], 1, "only bob counts")
}

async fn two_deleting_my_profile_removes_it_and_my_intros(t: Arc<Target>) -> Result<(), String> {
    let m = unique();
    let tag = format!("Sailing{m}");
    profile(&t, Who::Alice, &[(&tag, "love")], "organization").await?;
    profile(&t, Who::Carol, &[(&tag, "love")], "organization").await?;
    let carol = t.id_of(Who::Carol).await?;
    let sent = t
        .post(Who::Alice, "/intros", &json!({ "to": carol }))
        .await?;
    ensure(
        matches!(sent.status.as_u16(), 201 | 409),
        "intro: matches!(sent.status.as_u16(), 201 | 409)",
        sent.status.as_u16(),
    )?;
    t.send(Who::Carol, Method::DELETE, "/profiles/me", None, &[])
        .await?
        .expect(204)?;
    let ids = match_ids(
        &t.get(Who::Alice, &format!("/matches?tag={tag}"))
            .await?
            .expect(200)?
            .body,
    );
    ensure(
        !ids.contains(&carol),
        "deleted profile no longer matches",
        &ids,
    )?;
    let incoming = t.get(Who::Carol, "/intros").await?.expect(200)?.body;
    expect_eq(&incoming["items"], &json!([]), "intros deleted")?;
    let own = t.get(Who::Carol, "/profiles/me").await?.expect(200)?.body;
    expect_eq(&own["passions"], &json!([]), "an empty profile again")
}

/// The server answers matches from an index in memory: every profile change
/// must show in the very next match request.
async fn two_a_profile_change_shows_in_the_next_match(t: Arc<Target>) -> Result<(), String> {
    let m = unique();
    let (tag, other) = (format!("Bonsai{m}"), format!("Pottery{m}"));
    profile(&t, Who::Bob, &[(&tag, "love")], "organization").await?;
    let alice = t.id_of(Who::Alice).await?;
    let bobs = |t: Arc<Target>| async move {
        let body = t
            .get(Who::Bob, "/matches?limit=100")
            .await?
            .expect(200)?
            .body;
        Ok::<_, String>(match_ids(&body))
    };
    profile(&t, Who::Alice, &[(&tag, "love")], "organization").await?;
    ensure(
        bobs(t.clone()).await?.contains(&alice),
        "shared passion matches",
        &bobs(t.clone()).await?,
    )?;
    profile(&t, Who::Alice, &[(&other, "love")], "organization").await?;
    ensure(
        !bobs(t.clone()).await?.contains(&alice),
        "passion removed: !bobs(t.clone()).await?.contains(&alice)",
        &bobs(t.clone()).await?,
    )?;
    profile(&t, Who::Alice, &[(&tag, "teach")], "hidden").await?;
    ensure(
        !bobs(t.clone()).await?.contains(&alice),
        "hidden: !bobs(t.clone()).await?.contains(&alice)",
        &bobs(t.clone()).await?,
    )?;
    profile(&t, Who::Alice, &[(&tag, "teach")], "organization").await?;
    ensure(
        bobs(t.clone()).await?.contains(&alice),
        "visible again: bobs(t.clone()).await?.contains(&alice)",
        &bobs(t.clone()).await?,
    )
}
