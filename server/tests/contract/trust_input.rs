//! Contract tests of issue 10 ("Trust"), input side: text that looks like
//! something else is refused field by field on every kind of write, the
//! names a token brings are cleaned, bearer tokens are capped and refused
//! with plain words, and intro limits hold when intros are deleted.
//!
//! Tests named `many_` need more people than an external backend has tokens
//! for: they sign their own tokens and are skipped on `external`.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Target, Who, unique};
use crate::expect::{ensure, expect_eq};

tests![
    hostile_text_is_refused_field_by_field_on_questions_and_answers,
    hostile_text_is_refused_field_by_field_on_profiles_stories_and_reflections,
    admin_hostile_tags_goals_and_prompt_sets_are_refused needs [Admin],
    body_text_keeps_newlines_and_tabs,
    a_hidden_character_makes_no_second_tag,
    oversized_and_malformed_tokens_get_a_plain_401,
    many_names_from_tokens_lose_control_and_bidi_characters caps [Mint],
    many_deleting_an_intro_does_not_allow_a_second_hi caps [Mint],
    many_a_dismissed_intro_still_blocks_a_second_hi caps [Mint],
    many_deleted_intros_count_towards_the_daily_limit caps [Mint],
];

/// Right-to-left override: makes `txt.exe` read as `exe.txt`.
const RLO: &str = "\u{202E}";
/// A Cyrillic capital Es, which looks like a Latin `C`.
const CYRILLIC_C: &str = "\u{0421}";

/// The (field, code) pairs of a 422 problem, in order.
async fn refused(res: crate::client::Res) -> Result<Vec<(String, String)>, String> {
    let p = res.problem(422)?;
    Ok(p["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

/// Fails unless `got` holds exactly `want` (field, code) pairs.
fn fields_are(got: &[(String, String)], want: &[(&str, &str)], what: &str) -> Result<(), String> {
    let got_ref: Vec<(&str, &str)> = got.iter().map(|(f, c)| (f.as_str(), c.as_str())).collect();
    expect_eq(
        &got_ref,
        want,
        format!("{what}: expected {want:?}, got {got_ref:?}"),
    )
}

async fn hostile_text_is_refused_field_by_field_on_questions_and_answers(
    t: Arc<Target>,
) -> Result<(), String> {
    // Regression (issue 10 item 8): titles, tags and bodies accepted NUL,
    // ESC, bidi overrides and invisible-only tags, and a Cyrillic letter made
    // a second tag that looked like an existing one.
    let m = unique();
    let q = json!({
        "title": format!("How do I open invoice{RLO}fdp.exe {m}?"),
        "body": "Ring the bell\u{7}\u{1b}[2J",
        "tags": [format!("Invoices{m}"), "\u{200D}", format!("{CYRILLIC_C}afe{m}"), "Null\u{0}"],
    });
    let got = refused(t.post(Who::Alice, "/questions", &q).await?).await?;
    fields_are(
        &got,
        &[
            ("title", "invalid_characters"),
            ("body", "invalid_characters"),
            ("tags[1]", "invalid_characters"),
            ("tags[2]", "mixed_script"),
            ("tags[3]", "invalid_characters"),
        ],
        "hostile question",
    )?;
    // The same question, cleaned, goes in: only the bad characters were wrong.
    let clean = json!({
        "title": format!("How do I open invoice pdf files {m}?"),
        "body": "Ring the bell",
        "tags": [format!("Invoices{m}"), format!("Cafe{m}")],
    });
    let created = t
        .post(Who::Alice, "/questions", &clean)
        .await?
        .expect(201)?
        .body;
    let qid = created["id"].as_str().unwrap_or_default().to_owned();
    let got = refused(
        t.post(
            Who::Alice,
            &format!("/questions/{qid}/answers"),
            &json!({ "body": format!("See the {RLO}attached") }),
        )
        .await?,
    )
    .await?;
    fields_are(&got, &[("body", "invalid_characters")], "hostile answer")?;
    // Editing cannot sneak them in either.
    let mut edit = clean.clone();
    edit["title"] = json!(format!("How do I open invoice pdf files {m}?\u{2066}"));
    let got = refused(
        t.send(
            Who::Alice,
            Method::PUT,
            &format!("/questions/{qid}"),
            Some(&edit),
            &[],
        )
        .await?,
    )
    .await?;
    fields_are(&got, &[("title", "invalid_characters")], "hostile edit")
}

async fn hostile_text_is_refused_field_by_field_on_profiles_stories_and_reflections(
    t: Arc<Target>,
) -> Result<(), String> {
    // Regression (issue 10 item 8): passions, stories and reflections took
    // control and bidi characters and invisible tags like every other write.
    let m = unique();
    let profile = json!({
        "passions": [
            { "tag": format!("Sailing{m}"), "level": "love" },
            { "tag": "\u{200B}\u{FEFF}", "level": "love" },
            { "tag": format!("K{}bernetes{m}", "\u{0443}"), "level": "teach" },
        ],
        "why": format!("I like {RLO}boats"),
        "open_to_chat": true,
        "visibility": "organization",
    });
    let got = refused(t.put(Who::Alice, "/profiles/me", &profile).await?).await?;
    fields_are(
        &got,
        &[
            ("passions[1]", "invalid_characters"),
            ("passions[2]", "mixed_script"),
            ("why", "invalid_characters"),
        ],
        "hostile profile",
    )?;
    let story = json!({
        "title": format!("Faster\u{0} resets {m}"),
        "situation": "Tickets took half a day.",
        "practice": "reused_article",
        "result": "Minutes\u{1b}[1m now.",
        "metrics": [{ "label": "Time\u{2067}", "unit": "h", "baseline": 4.0, "current": 1.0,
                      "higher_is_better": false }],
        "team": "Service\u{7f}desk",
        "tags": [format!("VPN{m}"), "\u{2060}"],
        "contributors": ["Mia Visser", format!("Eve{RLO}")],
        "quote": "I got my\nafternoon\tback.",
    });
    let got = refused(t.post(Who::Alice, "/stories", &story).await?).await?;
    fields_are(
        &got,
        &[
            ("title", "invalid_characters"),
            ("result", "invalid_characters"),
            ("team", "invalid_characters"),
            ("tags[1]", "invalid_characters"),
            ("contributors[1]", "invalid_characters"),
            ("metrics[0].label", "invalid_characters"),
        ],
        "hostile story",
    )?;
    let reflection = json!({
        "body": format!("Learned a lot{RLO} today"),
        "tags": [format!("{CYRILLIC_C}oaching{m}")],
    });
    let got = refused(t.post(Who::Alice, "/reflections", &reflection).await?).await?;
    fields_are(
        &got,
        &[("body", "invalid_characters"), ("tags[0]", "mixed_script")],
        "hostile reflection",
    )?;
    let got = refused(
        t.post(
            Who::Alice,
            "/intros",
            &json!({ "to": "someone", "message": format!("hi{RLO}") }),
        )
        .await?,
    )
    .await?;
    fields_are(&got, &[("message", "invalid_characters")], "hostile intro")
}

async fn admin_hostile_tags_goals_and_prompt_sets_are_refused(
    t: Arc<Target>,
) -> Result<(), String> {
    // Regression (issue 10 item 8): admin vocabularies took look-alike and
    // control characters too.
    let m = unique();
    let got = refused(
        t.put(
            Who::Admin,
            "/tags/synonyms",
            &json!({ "alias": format!("k8s{m}\u{0}"), "tag": format!("Kub{}rnetes{m}", "\u{0435}") }),
        )
        .await?,
    )
    .await?;
    fields_are(
        &got,
        &[("alias", "invalid_characters"), ("tag", "mixed_script")],
        "hostile synonym",
    )?;
    let got = refused(
        t.post(
            Who::Admin,
            "/goals",
            &json!({ "name": format!("Faster onboarding{RLO} {m}") }),
        )
        .await?,
    )
    .await?;
    fields_are(&got, &[("name", "invalid_characters")], "hostile goal")?;
    let got = refused(
        t.post(
            Who::Admin,
            "/prompt-sets",
            &json!({ "id": format!("s{m}"), "name": "\u{3164}" }),
        )
        .await?,
    )
    .await?;
    fields_are(
        &got,
        &[("name", "invalid_characters")],
        "invisible set name",
    )
}

async fn body_text_keeps_newlines_and_tabs(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 8), the other side: the new rule must not
    // refuse ordinary text: markdown with newlines and tabs, accents, other
    // scripts, emoji with joiners, a right-to-left name with its mark.
    let m = unique();
    let body = "First line\n\n- a point\n\tindented code\r\nשלום\u{200F} and 👩\u{200D}💻";
    let q = json!({
        "title": format!("Café culture in 日本 offices {m}?"),
        "body": body,
        // A Cyrillic tag is fine on its own (the run id `m` is Latin hex).
        "tags": [format!("Café{m}"), "Кофе"],
    });
    let created = t
        .post(Who::Alice, "/questions", &q)
        .await?
        .expect(201)?
        .body;
    expect_eq(
        &created["body"],
        &json!(body),
        "the body is kept as written",
    )
}

async fn a_hidden_character_makes_no_second_tag(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 8): a zero-width character inside a tag
    // label made a second tag that looked exactly like an existing one.
    let m = unique();
    let first = json!({
        "title": format!("Which Rust crates do we use {m}?"),
        "tags": [format!("Rust{m}")],
    });
    t.post(Who::Alice, "/questions", &first)
        .await?
        .expect(201)?;
    let second = json!({
        "title": format!("Which Rust editions do we use {m}?"),
        "tags": [format!("Ru\u{200B}st{m}")],
    });
    let created = t
        .post(Who::Alice, "/questions", &second)
        .await?
        .expect(201)?
        .body;
    expect_eq(
        &created["tags"],
        &json!([format!("Rust{m}")]),
        "the hidden space folds into the existing tag",
    )?;
    let tags = t
        .get(Who::Alice, &format!("/tags?prefix=rust{m}"))
        .await?
        .expect(200)?
        .body;
    expect_eq(&tags["items"].as_array().map(Vec::len), &Some(1), "one tag")
}

async fn oversized_and_malformed_tokens_get_a_plain_401(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 2): tokens of any size were parsed, and a
    // refused token's detail carried the JWT library's error text.
    let big = format!("eyJhbGciOiJIUzI1NiJ9.{}.sig", "A".repeat(9 * 1024));
    let res = t.send_token(&big, Method::GET, "/me", None).await?;
    res.problem(401)?;
    if t.name == "external" {
        // Other backends word their refusals as they like.
        return Ok(());
    }
    let res = t.send_token(&big, Method::GET, "/me", None).await?;
    let p = res.problem(401)?;
    expect_eq(
        &p["detail"],
        "the bearer token is too large",
        "size refusal",
    )?;
    for token in ["not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.e30."] {
        let p = t
            .send_token(token, Method::GET, "/me", None)
            .await?
            .problem(401)?;
        expect_eq(
            &p["detail"],
            "the bearer token is not a well-formed JWT",
            format!("{token}: {p}"),
        )?;
    }
    Ok(())
}

/// A person of this test's own making with a visible profile; their token.
async fn person(t: &Target, sub: &str, tag: &str) -> Result<String, String> {
    let token = t.mint(sub, &format!("Person {sub}"), "Sales")?;
    let body = json!({
        "passions": [{ "tag": tag, "level": "love" }],
        "why": "",
        "open_to_chat": true,
        "visibility": "organization",
    });
    t.send_token(&token, Method::PUT, "/profiles/me", Some(&body))
        .await?
        .expect(200)?;
    Ok(token)
}

async fn hi(t: &Target, token: &str, to: &str) -> Result<crate::client::Res, String> {
    t.send_token(token, Method::POST, "/intros", Some(&json!({ "to": to })))
        .await
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_owned()
}

async fn many_names_from_tokens_lose_control_and_bidi_characters(
    t: Arc<Target>,
) -> Result<(), String> {
    // Regression (issue 10 item 8): the `name` and `department` claims
    // reached /me and every list with control and bidi characters.
    let sub = format!("t-eve-{}", unique());
    let token = t.mint(
        &sub,
        "Eve\u{202E}nimdA\u{0}\u{1b}[2J",
        "\u{2066}Sales\u{2069}",
    )?;
    let me = t
        .send_token(&token, Method::GET, "/me", None)
        .await?
        .expect(200)?
        .body;
    ensure(
        me["name"] == "EvenimdA[2J" && me["department"] == "Sales",
        "cleaned name and department",
        &me,
    )
}

async fn many_deleting_an_intro_does_not_allow_a_second_hi(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 6): deleting an intro and saying hi again
    // got round "one intro per colleague" (five times in a row, if wanted).
    let m = unique();
    let tag = format!("Rowing{m}");
    let sender = person(&t, &format!("t-s-{m}"), &tag).await?;
    let receiver_id = format!("t-r-{m}");
    let receiver = person(&t, &receiver_id, &tag).await?;
    let sent = hi(&t, &sender, &receiver_id).await?.expect(201)?.body;
    t.send_token(
        &sender,
        Method::DELETE,
        &format!("/intros/{}", id(&sent)),
        None,
    )
    .await?
    .expect(204)?;
    let outgoing = t
        .send_token(&sender, Method::GET, "/intros?box=outgoing", None)
        .await?
        .expect(200)?
        .body;
    expect_eq(
        &outgoing["items"],
        &json!([]),
        "a deleted intro is not listed",
    )?;
    let incoming = t
        .send_token(&receiver, Method::GET, "/intros", None)
        .await?
        .expect(200)?
        .body;
    expect_eq(&incoming["items"], &json!([]), "nor for the receiver")?;
    hi(&t, &sender, &receiver_id).await?.problem(409)?;
    // The receiver deleting it does not reopen it either.
    let other_id = format!("t-o-{m}");
    let other = person(&t, &other_id, &tag).await?;
    let sent = hi(&t, &other, &receiver_id).await?.expect(201)?.body;
    t.send_token(
        &receiver,
        Method::DELETE,
        &format!("/intros/{}", id(&sent)),
        None,
    )
    .await?
    .expect(204)?;
    hi(&t, &other, &receiver_id).await?.problem(409)?;
    // Nor does deleting one's profile.
    t.send_token(&other, Method::DELETE, "/profiles/me", None)
        .await?
        .expect(204)?;
    person(&t, &other_id, &tag).await?;
    hi(&t, &other, &receiver_id).await?.problem(409)?;
    Ok(())
}

async fn many_a_dismissed_intro_still_blocks_a_second_hi(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 6): a dismissed intro must keep blocking a
    // second hi, also once the receiver deleted it.
    let m = unique();
    let tag = format!("Chess{m}");
    let sender = person(&t, &format!("t-s-{m}"), &tag).await?;
    let receiver_id = format!("t-r-{m}");
    let receiver = person(&t, &receiver_id, &tag).await?;
    let sent = hi(&t, &sender, &receiver_id).await?.expect(201)?.body;
    let dismissed = t
        .send_token(
            &receiver,
            Method::POST,
            &format!("/intros/{}/dismiss", id(&sent)),
            Some(&json!({})),
        )
        .await?
        .expect(200)?
        .body;
    expect_eq(&dismissed["status"], "dismissed", "dismissed")?;
    hi(&t, &sender, &receiver_id).await?.problem(409)?;
    t.send_token(
        &receiver,
        Method::DELETE,
        &format!("/intros/{}", id(&sent)),
        None,
    )
    .await?
    .expect(204)?;
    hi(&t, &sender, &receiver_id).await?.problem(409)?;
    // A deleted intro cannot be answered any more.
    t.send_token(
        &receiver,
        Method::POST,
        &format!("/intros/{}/accept", id(&sent)),
        Some(&json!({})),
    )
    .await?
    .problem(404)?;
    Ok(())
}

async fn many_deleted_intros_count_towards_the_daily_limit(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 6): deleting the day's intros let one say
    // hi to ten more colleagues the same day.
    let m = unique();
    let tag = format!("Knitting{m}");
    let sender = person(&t, &format!("t-s-{m}"), &tag).await?;
    let limit = km_protocol::matches::INTROS_PER_DAY;
    for i in 0..limit {
        let to = format!("t-r{i}-{m}");
        person(&t, &to, &tag).await?;
        let sent = hi(&t, &sender, &to).await?.expect(201)?.body;
        t.send_token(
            &sender,
            Method::DELETE,
            &format!("/intros/{}", id(&sent)),
            None,
        )
        .await?
        .expect(204)?;
    }
    let to = format!("t-r{limit}-{m}");
    person(&t, &to, &tag).await?;
    let res = hi(&t, &sender, &to).await?;
    expect_eq(
        &res.status.as_u16(),
        &429,
        format!(
            "the {}th hi of the day, after deleting the others: {} {}",
            limit + 1,
            res.status,
            res.body
        ),
    )
}
