//! Contract tests of the foundation endpoints: identity, problems, tags,
//! profiles, questions, prompts and reflections, goals and stories,
//! pagination, idempotency, community scoping.

use std::collections::HashSet;
use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Target, Who, unique};
use crate::expect::{ensure, expect_eq, expect_ne};

tests![
    me_needs_a_valid_token,
    writes_need_an_identity,
    malformed_and_mistyped_bodies_are_problems,
    question_validation_names_each_field,
    questions_round_trip_with_normalized_tags,
    two_anonymous_askers_never_leak needs [Bob],
    idempotent_retries_write_once,
    idempotency_key_reuse_with_another_body_is_refused,
    question_pages_walk_without_gaps_or_repeats needs [Bob],
    invalid_cursor_is_a_bad_request,
    unanswered_and_tag_filters,
    tag_autocomplete_folds_case_and_diacritics needs [Bob],
    admin_synonyms_map_aliases_and_others_may_not needs [Admin],
    profile_round_trip_and_validation,
    two_hidden_profiles_never_leak needs [Bob],
    dept_profiles_stay_in_the_department needs [Bob, Carol],
    prompts_today_in_two_languages,
    two_reflections_stay_private needs [Bob],
    goals_and_stories_are_pages,
    communities_are_separate,
    openapi_and_health_are_served,
];

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

async fn ask(
    t: &Target,
    who: Who,
    title: &str,
    tags: &[&str],
    anonymous: bool,
) -> Result<Value, String> {
    let body = json!({ "title": title, "body": "Details **here**.", "tags": tags, "anonymous": anonymous });
    Ok(t.post(who, "/questions", &body).await?.expect(201)?.body)
}

async fn me_needs_a_valid_token(t: Arc<Target>) -> Result<(), String> {
    let p = t.get(Who::Anonymous, "/me").await?.problem(401)?;
    ensure(
        str_of(&p, "type").ends_with("/unauthorized"),
        "type: str_of(&p, \"type\").ends_with(\"/unauthorized\")",
        &p,
    )?;
    let bad = t
        .send(
            Who::Anonymous,
            Method::GET,
            "/me",
            None,
            &[("authorization", "Bearer not.a.jwt")],
        )
        .await?;
    bad.problem(401)?;
    let me = t.get(Who::Alice, "/me").await?.expect(200)?.body;
    ensure(
        !str_of(&me, "id").is_empty() && !str_of(&me, "name").is_empty(),
        "/me: !str_of(&me, \"id\").is_empty() && !str_of(&me, \"name\").is_empty()",
        &me,
    )?;
    ensure(me["roles"].is_array(), "roles is a list", &me["roles"])
}

async fn writes_need_an_identity(t: Arc<Target>) -> Result<(), String> {
    let q = json!({ "title": "Who can approve travel costs abroad?" });
    t.post(Who::Anonymous, "/questions", &q)
        .await?
        .problem(401)?;
    t.post(Who::Anonymous, "/reflections", &json!({ "body": "x" }))
        .await?
        .problem(401)?;
    t.put(Who::Anonymous, "/profiles/me", &json!({ "passions": [] }))
        .await?
        .problem(401)?;
    t.get(Who::Anonymous, "/reflections/mine")
        .await?
        .problem(401)?;
    Ok(())
}

async fn malformed_and_mistyped_bodies_are_problems(t: Arc<Target>) -> Result<(), String> {
    let res = t
        .send(
            Who::Alice,
            Method::POST,
            "/questions",
            None,
            &[("content-type", "application/json")],
        )
        .await?;
    ensure(
        res.status.as_u16() == 400 || res.status.as_u16() == 422,
        "empty body: res.status.as_u16() == 400 || res.status.as_u16() == 422",
        res.status.as_u16(),
    )?;
    let p = t
        .post(
            Who::Alice,
            "/questions",
            &json!({ "title": 42, "tags": [] }),
        )
        .await?
        .problem(422)?;
    expect_eq(&p["errors"][0]["field"], "title", "field named")
}

async fn question_validation_names_each_field(t: Arc<Target>) -> Result<(), String> {
    let p = t
        .post(
            Who::Alice,
            "/questions",
            &json!({ "title": "Help?", "urgency": "urgent",
              "tags": ["a", "b", "c", "d", "e", "f"] }),
        )
        .await?
        .problem(422)?;
    let fields: HashSet<&str> = p["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    for f in ["title", "tags", "need_by"] {
        ensure(
            fields.contains(f),
            format!("{f} among the reported fields"),
            &p,
        )?;
    }
    let e = &p["errors"][0];
    ensure(
        e["code"].is_string() && e["message"].is_string(),
        "error shape: e[\"code\"].is_string() && e[\"message\"].is_string()",
        e,
    )
}

async fn questions_round_trip_with_normalized_tags(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let title = format!("How do we archive closed tickets? {marker}");
    let messy = format!("  Ticket   Archive{marker} ");
    let same = format!("ticket archive{}", marker.to_uppercase());
    let q = ask(&t, Who::Alice, &title, &[&messy, &same], false).await?;
    let want = json!([format!("Ticket Archive{marker}")]);
    expect_eq(&q["tags"], &want, "tags cleaned and deduplicated")?;
    let id = str_of(&q, "id").to_owned();
    let got = t
        .get(t.reader(), &format!("/questions/{id}"))
        .await?
        .expect(200)?
        .body;
    expect_eq(str_of(&got, "title"), &title, "title round-trips")?;
    expect_eq(&got["answers"], &json!([]), "no answers yet")?;
    expect_eq(
        &str_of(&got["author"], "name"),
        &t.name_of(Who::Alice),
        "author shown",
    )?;
    ensure(
        str_of(&got, "created_at").contains('T'),
        "RFC 3339 time",
        str_of(&got, "created_at"),
    )?;
    t.get(t.reader(), "/questions/does-not-exist")
        .await?
        .problem(404)?;
    Ok(())
}

async fn two_anonymous_askers_never_leak(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let title = format!("Is it normal to feel lost in a new team? {marker}");
    let q = ask(&t, Who::Alice, &title, &["Onboarding"], true).await?;
    let alice = t.id_of(Who::Alice).await?;
    let id = str_of(&q, "id").to_owned();
    let q_id = q["id"].clone();
    for who in [Who::Bob, t.reader(), Who::Alice] {
        for path in [
            format!("/questions/{id}"),
            "/questions?limit=100".to_owned(),
            "/questions?sort=unanswered&limit=100".to_owned(),
            "/questions?tag=onboarding&limit=100".to_owned(),
        ] {
            let body = t.get(who, &path).await?.expect(200)?.body;
            // The question itself, or the list item that is this question.
            let items = body["items"]
                .as_array()
                .cloned()
                .unwrap_or_else(|| vec![body.clone()]);
            let found: Vec<String> = items
                .iter()
                .filter(|q| q["id"] == q_id)
                .map(Value::to_string)
                .collect();
            ensure(
                found.len() <= 1,
                "listed once: found.len() <= 1",
                found.len(),
            )?;
            for text in found {
                ensure(
                    !text.contains(&alice),
                    format!("{path} as {who:?} not to reveal the asker"),
                    &text,
                )?;
                ensure(
                    !text.contains(t.name_of(Who::Alice)),
                    format!("{path} as {who:?} not to name the asker"),
                    &text,
                )?;
            }
        }
    }
    let got = t
        .get(Who::Bob, &format!("/questions/{id}"))
        .await?
        .expect(200)?
        .body;
    ensure(
        got["anonymous"] == true && got["author"].is_null(),
        "anonymous: got[\"anonymous\"] == true && got[\"author\"].is_null()",
        &got,
    )
}

async fn idempotent_retries_write_once(t: Arc<Target>) -> Result<(), String> {
    let title = format!(
        "Where is the template for the quarterly report? {}",
        unique()
    );
    let key = format!("k-{}", unique());
    let body = json!({ "title": title, "tags": ["Reporting"] });
    let first = t
        .send(
            Who::Alice,
            Method::POST,
            "/questions",
            Some(&body),
            &[("idempotency-key", &key)],
        )
        .await?
        .expect(201)?;
    let again = t
        .send(
            Who::Alice,
            Method::POST,
            "/questions",
            Some(&body),
            &[("idempotency-key", &key)],
        )
        .await?
        .expect(201)?;
    expect_eq(
        &first.body["id"],
        &again.body["id"],
        "the retry returns the same question",
    )?;
    expect_eq(
        &again
            .headers
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        &Some("true"),
        "the retry is marked Idempotent-Replayed",
    )?;
    let list = t
        .get(Who::Alice, "/questions?limit=100")
        .await?
        .expect(200)?
        .body;
    let n = list["items"]
        .as_array()
        .map(|a| a.iter().filter(|q| q["title"] == json!(title)).count())
        .unwrap_or(0);
    expect_eq(&n, &1, format!("stored {n} times"))
}

async fn idempotency_key_reuse_with_another_body_is_refused(t: Arc<Target>) -> Result<(), String> {
    let key = format!("k-{}", unique());
    let a = json!({ "body": "First thought" });
    let b = json!({ "body": "A different thought" });
    t.send(
        Who::Alice,
        Method::POST,
        "/reflections",
        Some(&a),
        &[("idempotency-key", &key)],
    )
    .await?
    .expect(201)?;
    let res = t
        .send(
            Who::Alice,
            Method::POST,
            "/reflections",
            Some(&b),
            &[("idempotency-key", &key)],
        )
        .await?;
    ensure(
        matches!(res.status.as_u16(), 409 | 422),
        "reused key: matches!(res.status.as_u16(), 409 | 422)",
        format!("{} {}", res.status, res.body),
    )
}

async fn question_pages_walk_without_gaps_or_repeats(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    for i in 0..7 {
        ask(
            &t,
            Who::Bob,
            &format!("Paging question number {i} {marker}"),
            &[&format!("paging {marker}")],
            false,
        )
        .await?;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let mut path = format!("/questions?limit=3&tag=paging%20{marker}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = t.get(t.reader(), &path).await?.expect(200)?.body;
        for q in page["items"].as_array().cloned().unwrap_or_default() {
            seen.push(str_of(&q, "title").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let distinct: HashSet<_> = seen.iter().collect();
    ensure(
        seen.len() == 7 && distinct.len() == 7,
        "walked: seen.len() == 7 && distinct.len() == 7",
        format!("{seen:?}"),
    )?;
    ensure(
        seen[0].contains("number 6"),
        "newest first: seen[0].contains(\"number 6\")",
        format!("{seen:?}"),
    )
}

async fn invalid_cursor_is_a_bad_request(t: Arc<Target>) -> Result<(), String> {
    t.get(t.reader(), "/questions?cursor=%%%")
        .await?
        .problem(400)?;
    t.get(t.reader(), "/stories?cursor=bm9wZQ")
        .await?
        .problem(400)?;
    Ok(())
}

async fn unanswered_and_tag_filters(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let q = ask(
        &t,
        Who::Alice,
        &format!("Which VPN profile works in Brazil? {marker}"),
        &[&format!("Travel {marker}")],
        false,
    )
    .await?;
    let page = t
        .get(
            t.reader(),
            &format!("/questions?sort=unanswered&tag=travel%20{marker}"),
        )
        .await?
        .expect(200)?
        .body;
    expect_eq(&page["items"][0]["id"], &q["id"], "unanswered by tag")?;
    ensure(
        page["items"][0]["answer_count"] == 0 && page["items"][0]["solved"] == false,
        "no answers and not solved",
        &page["items"][0],
    )?;
    let none = t
        .get(t.reader(), &format!("/questions?tag=nothing%20{marker}"))
        .await?
        .expect(200)?
        .body;
    ensure(
        none["items"] == json!([]) && none["next_cursor"].is_null(),
        "empty page: none[\"items\"] == json!([]) && none[\"next_cursor\"].is_null()",
        &none,
    )
}

async fn tag_autocomplete_folds_case_and_diacritics(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let label = format!("Café Zeta{marker}");
    ask(
        &t,
        Who::Alice,
        &format!("Best coffee corner for a chat? {marker}"),
        &[&label],
        false,
    )
    .await?;
    ask(
        &t,
        Who::Bob,
        &format!("Coffee machine broken again? {marker}"),
        &[&format!("cafe zeta{marker}")],
        false,
    )
    .await?;
    let page = t
        .get(t.reader(), &format!("/tags?prefix=CAFE%20ZETA{marker}"))
        .await?
        .expect(200)?
        .body;
    let items = page["items"].as_array().cloned().unwrap_or_default();
    expect_eq(&items.len(), &1, "one tag for both spellings")?;
    expect_eq(
        &items[0]["label"],
        &json!(label),
        "the first display form is kept",
    )?;
    expect_eq(&items[0]["count"], 2, "used twice")?;
    // Word prefixes match too.
    let by_word = t
        .get(t.reader(), &format!("/tags?prefix=zeta{marker}"))
        .await?
        .expect(200)?
        .body;
    expect_eq(
        &by_word["items"].as_array().map(Vec::len),
        &Some(1),
        "word prefix",
    )
}

async fn admin_synonyms_map_aliases_and_others_may_not(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let tag = format!("Kubernetes{marker}");
    let alias = format!("k8s{marker}");
    let req = json!({ "alias": alias, "tag": tag });
    t.put(Who::Alice, "/tags/synonyms", &req)
        .await?
        .problem(403)?;
    let res = t
        .put(Who::Admin, "/tags/synonyms", &req)
        .await?
        .expect(200)?
        .body;
    expect_eq(&res["label"], &json!(tag), "synonym target")?;
    let q = ask(
        &t,
        Who::Alice,
        &format!("How do we restart a pod safely? {marker}"),
        &[&alias.to_uppercase()],
        false,
    )
    .await?;
    expect_eq(&q["tags"], &json!([tag]), "alias resolved")?;
    let found = t
        .get(t.reader(), &format!("/questions?tag={alias}"))
        .await?
        .expect(200)?
        .body;
    expect_eq(
        &found["items"][0]["id"],
        &q["id"],
        "filtering by the alias finds it",
    )
}

async fn profile_round_trip_and_validation(t: Arc<Target>) -> Result<(), String> {
    let long = "x".repeat(161);
    let p = t
        .put(
            Who::Alice,
            "/profiles/me",
            &json!({ "passions": [], "why": long }),
        )
        .await?
        .problem(422)?;
    expect_eq(&p["errors"][0]["field"], "why", "why too long")?;
    let body = json!({
        "passions": [
            { "tag": "Service design", "level": "love" },
            { "tag": "Kubernetes", "level": "learn" },
            { "tag": "service DESIGN", "level": "teach" }
        ],
        "why": "Good services start with listening.",
        "open_to_chat": true,
        "visibility": "organization"
    });
    let saved = t
        .put(Who::Alice, "/profiles/me", &body)
        .await?
        .expect(200)?
        .body;
    let passions = saved["passions"].as_array().cloned().unwrap_or_default();
    expect_eq(&passions.len(), &2, "duplicates folded")?;
    ensure(
        passions[0]["level"] == "love" && passions[1]["level"] == "learn",
        "levels love, learn kept",
        &saved["passions"],
    )?;
    let got = t.get(Who::Alice, "/profiles/me").await?.expect(200)?.body;
    ensure(
        got["passions"] == saved["passions"] && got["open_to_chat"] == true,
        format!("GET to return what PUT saved ({saved})"),
        &got,
    )?;
    t.get(Who::Anonymous, "/profiles/me").await?.problem(401)?;
    Ok(())
}

async fn listed_ids(t: &Target, who: Who, path: &str) -> Result<Vec<String>, String> {
    let page = t.get(who, path).await?.expect(200)?.body;
    Ok(page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["person"]["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

async fn two_hidden_profiles_never_leak(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let tag = format!("Origami{marker}");
    let bob = t.id_of(Who::Bob).await?;
    let hidden = json!({ "passions": [{ "tag": tag, "level": "love" }], "visibility": "hidden" });
    t.put(Who::Bob, "/profiles/me", &hidden)
        .await?
        .expect(200)?;
    for who in [Who::Alice, t.reader()] {
        let ids = listed_ids(&t, who, &format!("/profiles?tag={tag}")).await?;
        ensure(
            !ids.contains(&bob),
            "hidden profile listed for",
            format!("{who:?}"),
        )?;
        let ids = listed_ids(&t, who, "/profiles?limit=100").await?;
        ensure(
            !ids.contains(&bob),
            "hidden profile in the full list for",
            format!("{who:?}"),
        )?;
    }
    let tags = t
        .get(Who::Alice, &format!("/tags?prefix={tag}"))
        .await?
        .expect(200)?
        .body;
    let count = tags["items"][0]["count"].as_i64().unwrap_or(0);
    expect_eq(&count, &0, "a hidden profile is counted")?;
    // The owner still sees it, and nobody can write it for them.
    let own = t.get(Who::Bob, "/profiles/me").await?.expect(200)?.body;
    ensure(
        own["visibility"] == "hidden" && own["passions"][0]["tag"] == json!(tag),
        format!("the owner to see the hidden profile with {tag}"),
        &own,
    )?;
    let shown =
        json!({ "passions": [{ "tag": tag, "level": "teach" }], "visibility": "organization" });
    t.put(Who::Bob, "/profiles/me", &shown).await?.expect(200)?;
    let ids = listed_ids(&t, Who::Alice, &format!("/profiles?tag={tag}")).await?;
    expect_eq(&ids, &vec![bob], "visible again")
}

async fn dept_profiles_stay_in_the_department(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let tag = format!("Negotiation{marker}");
    let alice = t.id_of(Who::Alice).await?;
    let body =
        json!({ "passions": [{ "tag": tag, "level": "teach" }], "visibility": "department" });
    t.put(Who::Alice, "/profiles/me", &body)
        .await?
        .expect(200)?;
    let path = format!("/profiles?tag={tag}");
    expect_eq(
        &listed_ids(&t, Who::Bob, &path).await?,
        &vec![alice.clone()],
        "same department sees it",
    )?;
    ensure(
        listed_ids(&t, Who::Carol, &path).await?.is_empty(),
        "another department does not",
        &listed_ids(&t, Who::Carol, &path).await?,
    )?;
    ensure(
        listed_ids(&t, t.reader(), &path).await?.is_empty(),
        "anonymous does not",
        &listed_ids(&t, t.reader(), &path).await?,
    )?;
    ensure(
        listed_ids(&t, Who::Alice, &path).await?.is_empty(),
        "I am not my own colleague",
        &listed_ids(&t, Who::Alice, &path).await?,
    )
}

async fn prompts_today_in_two_languages(t: Arc<Target>) -> Result<(), String> {
    let en = t
        .get(Who::Alice, "/prompts/today?lang=en")
        .await?
        .expect(200)?
        .body;
    let nl = t
        .get(Who::Alice, "/prompts/today?lang=nl")
        .await?
        .expect(200)?
        .body;
    expect_eq(
        &en["prompt"]["id"],
        &nl["prompt"]["id"],
        "one prompt per period",
    )?;
    expect_ne(
        &en["prompt"]["text"],
        &nl["prompt"]["text"],
        "translated text",
    )?;
    ensure(
        str_of(&en, "period").contains("-W"),
        "weekly period: str_of(&en, \"period\").contains(\"-W\")",
        &en,
    )?;
    let daily = t
        .get(Who::Alice, "/prompts/today?cadence=daily")
        .await?
        .expect(200)?
        .body;
    expect_eq(&str_of(&daily, "period").len(), &10, "daily period")?;
    let pid = en["prompt"]["id"].clone();
    t.post(
        Who::Alice,
        "/reflections",
        &json!({ "prompt_id": pid, "body": "I learned to ask earlier." }),
    )
    .await?
    .expect(201)?;
    let after = t
        .get(Who::Alice, "/prompts/today?lang=en")
        .await?
        .expect(200)?
        .body;
    expect_eq(&after["done"], true, "done after reflecting")?;
    let p = t
        .post(
            Who::Alice,
            "/reflections",
            &json!({ "body": "", "energy": 9 }),
        )
        .await?
        .problem(422)?;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    ensure(
        fields.contains(&"body") && fields.contains(&"energy"),
        "fields: fields.contains(&\"body\") && fields.contains(&\"energy\")",
        &p,
    )
}

async fn two_reflections_stay_private(t: Arc<Target>) -> Result<(), String> {
    let secret = format!("My private doubt {}", unique());
    let r = t
        .post(
            Who::Alice,
            "/reflections",
            &json!({ "body": secret, "energy": 3, "tags": ["Growth"] }),
        )
        .await?
        .expect(201)?
        .body;
    expect_eq(&r["visibility"], "private", "private by default")?;
    let mine = t
        .get(Who::Alice, "/reflections/mine?limit=100")
        .await?
        .expect(200)?
        .body;
    ensure(
        mine.to_string().contains(&secret),
        "the author reads it",
        mine.to_string(),
    )?;
    let bobs = t
        .get(Who::Bob, "/reflections/mine?limit=100")
        .await?
        .expect(200)?
        .body;
    ensure(
        !bobs.to_string().contains(&secret),
        "another person does not",
        bobs.to_string(),
    )?;
    Ok(())
}

async fn goals_and_stories_are_pages(t: Arc<Target>) -> Result<(), String> {
    let goals = t.get(t.reader(), "/goals").await?.expect(200)?.body;
    ensure(
        goals["items"].is_array(),
        "goals: goals[\"items\"].is_array()",
        &goals,
    )?;
    let stories = t
        .get(t.reader(), "/stories?limit=2")
        .await?
        .expect(200)?
        .body;
    ensure(
        stories["items"].is_array(),
        "stories: stories[\"items\"].is_array()",
        &stories,
    )?;
    for s in stories["items"].as_array().cloned().unwrap_or_default() {
        expect_eq(&s["status"], "published", "only published stories")?;
        ensure(
            s["metrics"].as_array().is_some_and(|m| !m.is_empty()),
            "with metrics: s[\"metrics\"].as_array().is_some_and(|m| !m.is_empty())",
            s["metrics"].as_array(),
        )?;
    }
    Ok(())
}

async fn communities_are_separate(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let title = format!("Only for the finance community? {marker}");
    let body = json!({ "title": title });
    t.send(
        Who::Alice,
        Method::POST,
        "/questions",
        Some(&body),
        &[("x-km-community", "finance")],
    )
    .await?
    .expect(201)?;
    let default = t
        .get(t.reader(), "/questions?limit=100")
        .await?
        .expect(200)?
        .body;
    ensure(
        !default.to_string().contains(&marker),
        "not in the default community",
        default.to_string(),
    )?;
    let finance = t
        .send(
            t.reader(),
            Method::GET,
            "/questions",
            None,
            &[("x-km-community", "finance")],
        )
        .await?
        .expect(200)?
        .body;
    ensure(
        finance.to_string().contains(&marker),
        "in its own community",
        finance.to_string(),
    )?;
    t.send(
        t.reader(),
        Method::GET,
        "/questions",
        None,
        &[("x-km-community", "Bad Name!")],
    )
    .await?
    .problem(400)?;
    Ok(())
}

async fn openapi_and_health_are_served(t: Arc<Target>) -> Result<(), String> {
    let doc = t
        .get(Who::Anonymous, &format!("{}/api/openapi.json", t.origin()))
        .await?
        .expect(200)?
        .body;
    ensure(
        str_of(&doc, "openapi").starts_with("3.1"),
        "OpenAPI 3.1: str_of(&doc, \"openapi\").starts_with(\"3.1\")",
        str_of(&doc, "openapi"),
    )?;
    ensure(
        doc["paths"]["/api/v1/questions"].is_object(),
        "documents /questions: doc[\"paths\"][\"/api/v1/questions\"].is_object()",
        &doc["paths"]["/api/v1/questions"],
    )?;
    if t.name != "external" {
        // CORS: the allow-listed origin gets a preflight answer, others do not.
        let pre = |origin: &'static str| {
            let t = t.clone();
            async move {
                t.send(
                    Who::Anonymous,
                    Method::OPTIONS,
                    "/questions",
                    None,
                    &[
                        ("origin", origin),
                        ("access-control-request-method", "POST"),
                        (
                            "access-control-request-headers",
                            "authorization,content-type,idempotency-key",
                        ),
                    ],
                )
                .await
            }
        };
        let ok = pre("https://intranet.example.com").await?;
        expect_eq(
            &ok.headers
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            &Some("https://intranet.example.com"),
            "allow-listed origin",
        )?;
        let no = pre("https://evil.example").await?;
        ensure(
            no.headers.get("access-control-allow-origin").is_none(),
            "other origins get no CORS",
            no.headers
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
        )?;
        // The body limit answers with a problem.
        let big = json!({ "title": "Large body test question", "body": "x".repeat(70 * 1024) });
        t.post(Who::Alice, "/questions", &big).await?.problem(413)?;
        let h = t
            .get(Who::Anonymous, &format!("{}/healthz", t.origin()))
            .await?;
        expect_eq(&h.status.as_u16(), &200, "healthz")?;
    }
    Ok(())
}
