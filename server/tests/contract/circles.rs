//! Contract tests of passion-match circles and tag pages: a circle forms at
//! three people open to a chat; hidden profiles never count or show;
//! department-only profiles count within their department only; joining
//! needs the passion, an open chat and a visible profile; nobody edits
//! another person's profile.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Target, Who, unique};
use crate::expect::{ensure, expect_eq};
use crate::passions::match_ids as ids;

tests![
    circle_forms_at_three_open_people_and_hidden_never_counts needs [Bob, Carol, Moderator, Admin],
    circle_join_leave_and_members_follow_profiles needs [Bob, Carol, Moderator, Admin],
    circle_department_profiles_count_within_their_department needs [Bob, Carol, Moderator, Admin],
    circle_nobody_edits_another_persons_profile needs [Bob, Carol, Moderator, Admin],
];

/// Replaces `who`'s profile with one passion.
async fn hold(t: &Target, who: Who, tag: &str, open: bool, visibility: &str) -> Result<(), String> {
    let body = json!({
        "passions": [{ "tag": tag, "level": "love" }],
        "why": format!("{tag} matters"),
        "open_to_chat": open,
        "visibility": visibility,
    });
    t.put(who, "/profiles/me", &body).await?.expect(200)?;
    Ok(())
}

/// The circle of `tag` as `who` sees it (Null when there is none).
async fn circle(t: &Target, who: Who, tag: &str) -> Result<Value, String> {
    let page = t
        .get(who, &format!("/circles?tag={tag}"))
        .await?
        .expect(200)?
        .body;
    let items = page["items"].as_array().cloned().unwrap_or_default();
    ensure(items.len() <= 1, "one circle per tag", &page)?;
    Ok(items.into_iter().next().unwrap_or(Value::Null))
}

/// `who` joins the circle of `tag`; the circle as answered (200).
async fn join(t: &Target, who: Who, tag: &str) -> Result<Value, String> {
    let path = format!("/circles/{tag}/membership");
    Ok(t.send(who, Method::PUT, &path, None, &[])
        .await?
        .expect(200)?
        .body)
}

/// `who` tries to join the circle of `tag` and is refused (422); the
/// fields the refusal names.
async fn refused_join(t: &Target, who: Who, tag: &str) -> Result<Vec<String>, String> {
    let path = format!("/circles/{tag}/membership");
    let problem = t
        .send(who, Method::PUT, &path, None, &[])
        .await?
        .problem(422)?;
    Ok(problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

async fn circle_forms_at_three_open_people_and_hidden_never_counts(
    t: Arc<Target>,
) -> Result<(), String> {
    let tag = format!("Origami{}", unique());
    hold(&t, Who::Alice, &tag, true, "organization").await?;
    hold(&t, Who::Bob, &tag, true, "organization").await?;
    ensure(
        circle(&t, Who::Alice, &tag).await?.is_null(),
        "two people are no circle",
        &circle(&t, Who::Alice, &tag).await?,
    )?;
    // Carol holds it but is not open to a chat; the admin is open but hidden.
    hold(&t, Who::Carol, &tag, false, "organization").await?;
    hold(&t, Who::Admin, &tag, true, "hidden").await?;
    ensure(
        circle(&t, Who::Alice, &tag).await?.is_null(),
        "closed chats and hidden profiles do not make a circle",
        &circle(&t, Who::Alice, &tag).await?,
    )?;
    ensure(
        circle(&t, Who::Admin, &tag).await?.is_null(),
        "a hidden person does not count themselves either",
        &circle(&t, Who::Admin, &tag).await?,
    )?;
    // The tag page ("people passionate about X") never shows the hidden one.
    let admin = t.id_of(Who::Admin).await?;
    let carol = t.id_of(Who::Carol).await?;
    let page = t
        .get(Who::Bob, &format!("/profiles?tag={tag}&limit=100"))
        .await?
        .expect(200)?
        .body;
    ensure(
        !ids(&page).contains(&admin) && ids(&page).contains(&carol),
        "tag page: !ids(&page).contains(&admin) && ids(&page).contains(&carol)",
        &page,
    )?;
    hold(&t, Who::Moderator, &tag, true, "organization").await?;
    let c = circle(&t, Who::Alice, &tag).await?;
    ensure(
        c["people"] == 3 && c["members"] == 0 && c["joined"] == false && c["can_join"] == true,
        "three open people make a circle",
        &c,
    )?;
    expect_eq(&c["tag"], &json!(tag), "labelled")?;
    // Still three for the hidden admin, who cannot join.
    let seen_by_admin = circle(&t, Who::Admin, &tag).await?;
    ensure(
        seen_by_admin["people"] == 3 && seen_by_admin["can_join"] == false,
        "hidden admin's view",
        &seen_by_admin,
    )?;
    let fields = refused_join(&t, Who::Admin, &tag).await?;
    expect_eq(&fields, &["visibility"], "hidden")?;
    let fields = refused_join(&t, Who::Carol, &tag).await?;
    expect_eq(&fields, &["open_to_chat"], "closed chat")?;
    // The circle list without a tag holds it too; anonymous callers get 401.
    let all = t
        .get(Who::Alice, "/circles?limit=100")
        .await?
        .expect(200)?
        .body;
    ensure(
        all["items"]
            .as_array()
            .is_some_and(|a| a.iter().any(|c| c["tag"] == json!(tag))),
        "listed among all circles",
        all["items"].as_array(),
    )?;
    t.get(Who::Anonymous, "/circles").await?.problem(401)?;
    Ok(())
}

async fn circle_join_leave_and_members_follow_profiles(t: Arc<Target>) -> Result<(), String> {
    let tag = format!("Birding{}", unique());
    let other = format!("Kayak{}", unique());
    for who in [Who::Alice, Who::Bob, Who::Moderator] {
        hold(&t, who, &tag, true, "organization").await?;
    }
    hold(&t, Who::Admin, &other, true, "organization").await?;
    let membership = format!("/circles/{tag}/membership");
    let members = format!("/circles/{tag}/members");
    let joined = join(&t, Who::Alice, &tag).await?;
    ensure(
        joined["joined"] == true && joined["members"] == 1,
        "joined: joined[\"joined\"] == true && joined[\"members\"] == 1",
        &joined,
    )?;
    let again = join(&t, Who::Alice, &tag).await?;
    expect_eq(&again["members"], 1, "joining twice is joining once")?;
    join(&t, Who::Bob, &tag).await?;
    // Without the passion one cannot join, but one sees the members.
    let fields = refused_join(&t, Who::Admin, &tag).await?;
    expect_eq(&fields, &["passions"], "no passion")?;
    let alice = t.id_of(Who::Alice).await?;
    let bob = t.id_of(Who::Bob).await?;
    let seen = t.get(Who::Admin, &members).await?.expect(200)?.body;
    expect_eq(
        ids(&seen),
        &[alice.clone(), bob.clone()],
        "first joined first",
    )?;
    ensure(
        seen["items"][0]["why"] == json!(format!("{tag} matters"))
            && seen["items"][0]["level"] == "love"
            && seen["items"][0]["person"]["email"].is_null(),
        "a member carries level and why, no contact",
        &seen,
    )?;
    // One page at a time.
    let first = t
        .get(Who::Admin, &format!("{members}?limit=1"))
        .await?
        .expect(200)?
        .body;
    let cursor = first["next_cursor"].as_str().ok_or("a next page")?;
    let second = t
        .get(Who::Admin, &format!("{members}?limit=1&cursor={cursor}"))
        .await?
        .expect(200)?
        .body;
    expect_eq(ids(&second), [bob.clone()], "page 2")?;
    // Bob hides his profile: the circle falls below three and is gone.
    hold(&t, Who::Bob, &tag, true, "hidden").await?;
    ensure(
        circle(&t, Who::Admin, &tag).await?.is_null(),
        "two visible people left",
        &circle(&t, Who::Admin, &tag).await?,
    )?;
    t.get(Who::Admin, &members).await?.problem(404)?;
    // A fourth person brings it back; Bob, still hidden, does not show.
    hold(&t, Who::Carol, &tag, true, "organization").await?;
    let seen = t.get(Who::Admin, &members).await?.expect(200)?.body;
    expect_eq(ids(&seen), [alice.clone()], "hidden Bob")?;
    // Visible again, he is a member again; then Alice leaves.
    hold(&t, Who::Bob, &tag, true, "organization").await?;
    t.send(Who::Alice, Method::DELETE, &membership, None, &[])
        .await?
        .expect(204)?;
    let seen = t.get(Who::Admin, &members).await?.expect(200)?.body;
    expect_eq(ids(&seen), [bob.clone()], "after leaving")?;
    let c = circle(&t, Who::Alice, &tag).await?;
    ensure(
        c["joined"] == false && c["members"] == 1,
        "alice left: c[\"joined\"] == false && c[\"members\"] == 1",
        &c,
    )?;
    // Deleting a profile deletes its memberships.
    t.send(Who::Bob, Method::DELETE, "/profiles/me", None, &[])
        .await?
        .expect(204)?;
    hold(&t, Who::Bob, &tag, true, "organization").await?;
    let seen = t.get(Who::Admin, &members).await?.expect(200)?.body;
    ensure(
        ids(&seen).is_empty(),
        "membership deleted: ids(&seen).is_empty()",
        &seen,
    )
}

async fn circle_department_profiles_count_within_their_department(
    t: Arc<Target>,
) -> Result<(), String> {
    let tag = format!("Pottery{}", unique());
    // Alice (Sales) shows her profile to Sales only.
    hold(&t, Who::Alice, &tag, true, "department").await?;
    hold(&t, Who::Bob, &tag, true, "organization").await?;
    hold(&t, Who::Moderator, &tag, true, "organization").await?;
    hold(&t, Who::Carol, &tag, false, "organization").await?;
    let in_sales = circle(&t, Who::Bob, &tag).await?;
    expect_eq(&in_sales["people"], 3, "Sales sees 3")?;
    ensure(
        circle(&t, Who::Carol, &tag).await?.is_null(),
        "HR sees only two open people: no circle",
        &circle(&t, Who::Carol, &tag).await?,
    )?;
    t.get(Who::Carol, &format!("/circles/{tag}/members"))
        .await?
        .problem(404)?;
    join(&t, Who::Alice, &tag).await?;
    let alice = t.id_of(Who::Alice).await?;
    let for_bob = t
        .get(Who::Bob, &format!("/circles/{tag}/members"))
        .await?
        .expect(200)?
        .body;
    expect_eq(ids(&for_bob), [alice.clone()], "")?;
    // Carol opens her chat: a circle for HR too (Bob, Mo, Carol), without Alice.
    hold(&t, Who::Carol, &tag, true, "organization").await?;
    let in_hr = circle(&t, Who::Carol, &tag).await?;
    ensure(
        in_hr["people"] == 3 && in_hr["members"] == 0,
        "HR: in_hr[\"people\"] == 3 && in_hr[\"members\"] == 0",
        &in_hr,
    )?;
    let for_carol = t
        .get(Who::Carol, &format!("/circles/{tag}/members"))
        .await?
        .expect(200)?
        .body;
    ensure(
        ids(&for_carol).is_empty(),
        "Alice stays in Sales",
        &for_carol,
    )?;
    let tag_page = t
        .get(Who::Carol, &format!("/profiles?tag={tag}&limit=100"))
        .await?
        .expect(200)?
        .body;
    ensure(
        !ids(&tag_page).contains(&alice),
        "tag page in HR",
        &tag_page,
    )?;
    let tag_page = t
        .get(Who::Bob, &format!("/profiles?tag={tag}&limit=100"))
        .await?
        .expect(200)?
        .body;
    ensure(
        ids(&tag_page).contains(&alice),
        "tag page in Sales",
        &tag_page,
    )
}

async fn circle_nobody_edits_another_persons_profile(t: Arc<Target>) -> Result<(), String> {
    let tag = format!("Quilting{}", unique());
    hold(&t, Who::Alice, &tag, true, "organization").await?;
    let alice = t.id_of(Who::Alice).await?;
    let body = json!({ "passions": [{ "tag": "Vandalism", "level": "love" }],
        "why": "", "open_to_chat": false, "visibility": "hidden" });
    for method in [Method::PUT, Method::DELETE] {
        let res = t
            .send(
                Who::Bob,
                method.clone(),
                &format!("/profiles/{alice}"),
                Some(&body),
                &[],
            )
            .await?;
        ensure(
            matches!(res.status.as_u16(), 404 | 405),
            format!("{method} on another's profile to answer 404 or 405"),
            res.status.as_u16(),
        )?;
    }
    // Bob's PUT of "his" profile only ever changes his own.
    t.put(Who::Bob, "/profiles/me", &body).await?.expect(200)?;
    let own = t.get(Who::Alice, "/profiles/me").await?.expect(200)?.body;
    ensure(
        own["passions"][0]["tag"] == json!(tag) && own["visibility"] == "organization",
        "alice's profile unchanged",
        &own,
    )
}
