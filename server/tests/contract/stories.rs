//! Contract tests of the story-board endpoints: goals (admins), submit
//! (validated, idempotent), who sees a submitted story, moderation
//! (publish, feature), the author's edit, applause, filters and sorts,
//! impact and the CSV export.
//!
//! Prefixes (see `Target::skips`): `admin_` needs an admin token, `mod_` a
//! moderator's and a second person's, `two_` a second person's. Every test
//! works in a team of its own (`Team <marker>`), so it also passes on a
//! backend that holds other stories.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Target, Who, unique};
use crate::expect::{ensure, expect_eq};

tests![
    story_validation_names_each_field,
    mod_submitted_stories_are_seen_by_author_and_moderators_only needs [Bob, Moderator],
    mod_only_moderators_feature_and_featured_comes_first needs [Bob, Moderator],
    two_authors_edit_only_their_own_story needs [Bob, Admin],
    two_applause_is_one_per_person_and_toggles needs [Bob, Admin],
    mod_filters_sorts_and_pages needs [Bob, Moderator],
    admin_goals_are_kept_by_admins_only needs [Moderator, Admin],
    admin_impact_keeps_units_apart_per_goal needs [Admin],
    admin_csv_export_lists_published_metrics needs [Admin],
];

fn metric(label: &str, unit: &str, baseline: f64, current: f64, higher: bool) -> Value {
    json!({ "label": label, "unit": unit, "baseline": baseline, "current": current,
            "higher_is_better": higher, "baseline_date": "2026-01-01", "current_date": "2026-06-30" })
}

fn story(title: &str, team: &str, metrics: Vec<Value>) -> Value {
    json!({
        "title": title,
        "situation": "Tickets about VPN resets took half a day.",
        "practice": "reused_article",
        "result": "The article is linked from the portal; resets now take minutes.",
        "metrics": metrics,
        "team": team,
        "tags": ["VPN"],
        "contributors": ["Mia Visser"],
        "quote": "I got my afternoon back.",
        "evidence_url": "https://intranet.example/dash/vpn",
    })
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_owned()
}

async fn submit(t: &Target, who: Who, body: &Value) -> Result<Value, String> {
    Ok(t.post(who, "/stories", body).await?.expect(201)?.body)
}

async fn publish(t: &Target, who: Who, id: &str) -> Result<Value, String> {
    Ok(t.post(who, &format!("/stories/{id}/publish"), &json!({}))
        .await?
        .expect(200)?
        .body)
}

async fn ids(t: &Target, who: Who, path: &str) -> Result<Vec<String>, String> {
    let page = t.get(who, path).await?.expect(200)?.body;
    Ok(page["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(id_of)
        .collect())
}

async fn story_validation_names_each_field(t: Arc<Target>) -> Result<(), String> {
    let team = format!("Team {}", unique());
    let ok = story(
        "Faster VPN resets",
        &team,
        vec![metric("Reset time", "h", 4.0, 1.5, false)],
    );
    t.post(Who::Anonymous, "/stories", &ok)
        .await?
        .problem(401)?;
    let mut bad = ok.clone();
    bad["metrics"] = json!([]);
    bad["evidence_url"] = json!("javascript:alert(1)");
    let p = t.post(Who::Alice, "/stories", &bad).await?.problem(422)?;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    ensure(
        fields.contains(&"metrics") && fields.contains(&"evidence_url"),
        "fields: fields.contains(&\"metrics\") && fields.contains(&\"evidence_url\")",
        format!("{fields:?}"),
    )?;
    let mut order = ok.clone();
    order["metrics"][0]["current_date"] = json!("2025-01-01");
    order["metrics"][0]["unit"] = json!("");
    let p = t.post(Who::Alice, "/stories", &order).await?.problem(422)?;
    let codes: Vec<(String, String)> = p["errors"]
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
        .collect();
    ensure(
        codes.contains(&("metrics[0].unit".into(), "required".into()))
            && codes.contains(&("metrics[0].current_date".into(), "date_order".into())),
        "errors: codes.contains(&(\"metrics[0].unit\".into(), \"required\".into())) && codes.contains(&(\"metrics[0].current_date\".into(), \"date_order\".into()))",
        format!("{codes:?}"),
    )?;
    let mut goal = ok.clone();
    goal["goal_id"] = json!(format!("no-such-goal-{}", unique()));
    t.post(Who::Alice, "/stories", &goal).await?.problem(422)?;
    let mut typed = ok.clone();
    typed["metrics"][0]["baseline"] = json!("four");
    let p = t.post(Who::Alice, "/stories", &typed).await?.problem(422)?;
    expect_eq(&p["errors"][0]["field"], "metrics[0].baseline", "typed")
}

async fn mod_submitted_stories_are_seen_by_author_and_moderators_only(
    t: Arc<Target>,
) -> Result<(), String> {
    let team = format!("Team {}", unique());
    let body = story(
        "Onboarding buddy guide",
        &team,
        vec![metric("Days to first ticket", "days", 20.0, 8.0, false)],
    );
    let key = format!("story-{}", unique());
    let headers = [("Idempotency-Key", key.as_str())];
    let post = || t.send(Who::Alice, Method::POST, "/stories", Some(&body), &headers);
    let first = post().await?.expect(201)?;
    let again = post().await?.expect(201)?;
    let s = first.body;
    let id = id_of(&s);
    expect_eq(
        &id_of(&again.body),
        &id,
        "a retry with the same key submits once",
    )?;
    ensure(
        again.headers.get("idempotent-replayed").is_some(),
        "the retry is marked as replayed",
        again
            .headers
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
    )?;
    expect_eq(&s["status"], "submitted", "status")?;
    ensure(
        s["contributors"][0] == "Mia Visser"
            && s["quote"] == "I got my afternoon back."
            && s["evidence_url"] == "https://intranet.example/dash/vpn"
            && s["featured"] == false
            && s["applause"] == 0,
        "story: s[\"contributors\"][0] == \"Mia Visser\" && s[\"quote\"] == \"I got my afternoon back.\" && s[\"evidence_url\"] == \"https://intranet.example/dash/vpn\" && s[\"featured\"] == false && s[\"applause\"] == 0",
        &s,
    )?;
    let path = format!("/stories/{id}");
    t.get(t.reader(), &path).await?.problem(404)?;
    t.get(Who::Bob, &path).await?.problem(404)?;
    t.get(Who::Alice, &path).await?.expect(200)?;
    t.get(Who::Moderator, &path).await?.expect(200)?;
    let board = format!("/stories?team={}", urlencode(&team));
    ensure(
        ids(&t, Who::Alice, &board).await?.is_empty(),
        "not on the board yet",
        ids(&t, Who::Alice, &board).await?,
    )?;
    let queue = format!("{board}&status=submitted");
    expect_eq(
        ids(&t, Who::Alice, &queue).await?,
        [id.clone()],
        "the author sees it waiting",
    )?;
    ensure(
        ids(&t, Who::Bob, &queue).await?.is_empty(),
        "others do not",
        ids(&t, Who::Bob, &queue).await?,
    )?;
    expect_eq(
        ids(&t, Who::Moderator, &queue).await?,
        [id.clone()],
        "moderators do",
    )?;
    t.get(Who::Anonymous, &queue).await?.problem(401)?;
    // Only moderators publish; to Bob the story does not exist.
    t.post(Who::Alice, &format!("{path}/publish"), &json!({}))
        .await?
        .problem(403)?;
    t.post(Who::Bob, &format!("{path}/publish"), &json!({}))
        .await?
        .problem(404)?;
    let p = publish(&t, Who::Moderator, &id).await?;
    ensure(
        p["status"] == "published" && p["published_at"].is_string(),
        "published: p[\"status\"] == \"published\" && p[\"published_at\"].is_string()",
        &p,
    )?;
    t.get(t.reader(), &path).await?.expect(200)?;
    expect_eq(&ids(&t, Who::Bob, &board).await?, &[id], "on the board")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn mod_only_moderators_feature_and_featured_comes_first(
    t: Arc<Target>,
) -> Result<(), String> {
    let team = format!("Team {}", unique());
    let m = || {
        vec![metric(
            "Repeat incidents",
            "incidents/month",
            12.0,
            5.0,
            false,
        )]
    };
    let older = id_of(&submit(&t, Who::Alice, &story("Older story", &team, m())).await?);
    let newer = id_of(&submit(&t, Who::Bob, &story("Newer story", &team, m())).await?);
    publish(&t, Who::Moderator, &older).await?;
    publish(&t, Who::Moderator, &newer).await?;
    let board = format!("/stories?team={}", urlencode(&team));
    expect_eq(
        ids(&t, Who::Alice, &board).await?,
        &[newer.clone(), older.clone()],
        "newest first",
    )?;
    let path = format!("/stories/{older}/featured");
    t.put(Who::Alice, &path, &json!({ "featured": true }))
        .await?
        .problem(403)?;
    let f = t
        .put(Who::Moderator, &path, &json!({ "featured": true }))
        .await?
        .expect(200)?
        .body;
    expect_eq(&f["featured"], true, "featured")?;
    expect_eq(
        ids(&t, Who::Alice, &board).await?,
        &[older.clone(), newer.clone()],
        "featured first",
    )?;
    let sorted = format!("{board}&sort=most_applauded");
    expect_eq(
        &ids(&t, Who::Alice, &sorted).await?[0],
        &older,
        "featured first in every sort",
    )?;
    t.put(Who::Moderator, &path, &json!({ "featured": false }))
        .await?
        .expect(200)?;
    expect_eq(
        ids(&t, Who::Alice, &board).await?,
        &[newer, older],
        "unpinned",
    )
}

async fn two_authors_edit_only_their_own_story(t: Arc<Target>) -> Result<(), String> {
    let team = format!("Team {}", unique());
    let s = submit(
        &t,
        Who::Alice,
        &story(
            "Knowledge base for returns",
            &team,
            vec![metric("Handling time", "min", 12.0, 7.0, false)],
        ),
    )
    .await?;
    let id = id_of(&s);
    let path = format!("/stories/{id}");
    let mut edit = story(
        "Knowledge base for returns, six months on",
        &team,
        vec![metric("Handling time", "min", 12.0, 6.0, false)],
    );
    edit["contributors"] = json!(["Mia Visser", "Joost Bakker"]);
    t.put(Who::Bob, &path, &edit).await?.problem(404)?;
    let e = t.put(Who::Alice, &path, &edit).await?.expect(200)?.body;
    ensure(
        e["title"] == "Knowledge base for returns, six months on"
            && e["metrics"][0]["current"] == 6.0
            && e["contributors"][1] == "Joost Bakker",
        "edited: e[\"title\"] == \"Knowledge base for returns, six months on\" && e[\"metrics\"][0][\"current\"] == 6.0 && e[\"contributors\"][1] == \"Joost Bakker\"",
        &e,
    )?;
    let mut invalid = edit.clone();
    invalid["title"] = json!("");
    t.put(Who::Alice, &path, &invalid).await?.problem(422)?;
    // Once published, Bob can see it but still not edit it.
    if t.get(Who::Admin, &path)
        .await
        .is_ok_and(|r| r.status == 200)
    {
        publish(&t, Who::Admin, &id).await?;
        t.put(Who::Bob, &path, &edit).await?.problem(403)?;
        // The author's edit of a published story goes back to review.
        let back = t.put(Who::Alice, &path, &edit).await?.expect(200)?.body;
        expect_eq(&back["status"], "submitted", "after edit")?;
    }
    t.put(Who::Alice, "/stories/no-such-story", &edit)
        .await?
        .problem(404)?;
    Ok(())
}

async fn two_applause_is_one_per_person_and_toggles(t: Arc<Target>) -> Result<(), String> {
    let team = format!("Team {}", unique());
    let id = id_of(
        &submit(
            &t,
            Who::Alice,
            &story(
                "Mentoring circle for new analysts",
                &team,
                vec![metric("Satisfaction", "points", 7.1, 8.3, true)],
            ),
        )
        .await?,
    );
    let path = format!("/stories/{id}/applause");
    // Not published yet: Bob cannot see it, Alice cannot applaud it.
    t.put(Who::Bob, &path, &json!({})).await?.problem(404)?;
    t.put(Who::Alice, &path, &json!({})).await?.problem(409)?;
    if t.get(Who::Admin, "/me")
        .await
        .is_ok_and(|r| r.status == 200)
    {
        publish(&t, Who::Admin, &id).await?;
    } else {
        return Ok(());
    }
    t.put(Who::Anonymous, &path, &json!({}))
        .await?
        .problem(401)?;
    let a = t.put(Who::Bob, &path, &json!({})).await?.expect(200)?.body;
    expect_eq(
        &a,
        &json!({ "applause": 1, "applauded_by_me": true }),
        "first",
    )?;
    let a = t.put(Who::Bob, &path, &json!({})).await?.expect(200)?.body;
    expect_eq(&a["applause"], 1, "twice is once")?;
    let a = t
        .put(Who::Alice, &path, &json!({}))
        .await?
        .expect(200)?
        .body;
    expect_eq(&a["applause"], 2, "two people")?;
    let seen = t
        .get(Who::Bob, &format!("/stories/{id}"))
        .await?
        .expect(200)?
        .body;
    ensure(
        seen["applauded_by_me"] == true && seen["applause"] == 2,
        "bob: seen[\"applauded_by_me\"] == true && seen[\"applause\"] == 2",
        &seen,
    )?;
    let seen = t
        .get(Who::Admin, &format!("/stories/{id}"))
        .await?
        .expect(200)?
        .body;
    expect_eq(&seen["applauded_by_me"], false, "someone else")?;
    let a = t.delete(Who::Bob, &path).await?.expect(200)?.body;
    expect_eq(
        &a,
        &json!({ "applause": 1, "applauded_by_me": false }),
        "withdrawn",
    )?;
    let a = t.delete(Who::Bob, &path).await?.expect(200)?.body;
    expect_eq(&a["applause"], 1, "withdrawing twice")
}

async fn mod_filters_sorts_and_pages(t: Arc<Target>) -> Result<(), String> {
    let marker = unique();
    let team = format!("Team {marker}");
    let tag = format!("lean-{marker}");
    let mut small = story(
        "Small win",
        &team,
        vec![metric("Wait", "min", 10.0, 9.0, false)],
    );
    small["tags"] = json!([tag.to_uppercase()]);
    let big = story(
        "Big win",
        &team,
        vec![metric("Wait", "min", 10.0, 2.0, false)],
    );
    let mid = story(
        "Middle win",
        &team,
        vec![metric("FCR", "%", 50.0, 70.0, true)],
    );
    let mut all = Vec::new();
    for (who, s) in [(Who::Alice, small), (Who::Bob, big), (Who::Alice, mid)] {
        let id = id_of(&submit(&t, who, &s).await?);
        publish(&t, Who::Moderator, &id).await?;
        all.push(id);
    }
    let (small, big, mid) = (all[0].clone(), all[1].clone(), all[2].clone());
    t.put(Who::Bob, &format!("/stories/{small}/applause"), &json!({}))
        .await?
        .expect(200)?;
    t.put(
        Who::Moderator,
        &format!("/stories/{small}/applause"),
        &json!({}),
    )
    .await?
    .expect(200)?;
    t.put(Who::Bob, &format!("/stories/{mid}/applause"), &json!({}))
        .await?
        .expect(200)?;
    let board = format!("/stories?team={}", urlencode(&team));
    expect_eq(
        ids(&t, Who::Alice, &board).await?,
        &[mid.clone(), big.clone(), small.clone()],
        "newest",
    )?;
    let s = format!("{board}&sort=most_applauded");
    expect_eq(
        ids(&t, Who::Alice, &s).await?,
        &[small.clone(), mid.clone(), big.clone()],
        "most applauded",
    )?;
    let s = format!("{board}&sort=largest_improvement");
    // 80% (big) > 40% (mid) > 10% (small).
    expect_eq(
        ids(&t, Who::Alice, &s).await?,
        &[big.clone(), mid.clone(), small.clone()],
        "largest improvement",
    )?;
    let by_tag = format!("{board}&tag={}", urlencode(&tag));
    expect_eq(
        ids(&t, Who::Alice, &by_tag).await?,
        [small.clone()],
        "tag filter, case folded",
    )?;
    let future = format!("{board}&from=2999-01-01");
    ensure(
        ids(&t, Who::Alice, &future).await?.is_empty(),
        "period filter: ids(&t, Who::Alice, &future).await?.is_empty()",
        ids(&t, Who::Alice, &future).await?,
    )?;
    let today = format!("{board}&from=2000-01-01&to=2999-12-31");
    expect_eq(
        &ids(&t, Who::Alice, &today).await?.len(),
        &3,
        "a period holding them",
    )?;
    let p = t
        .get(Who::Alice, &format!("{board}&from=yesterday"))
        .await?
        .problem(422)?;
    expect_eq(&p["errors"][0]["field"], "from", "bad date")?;
    t.get(Who::Alice, &format!("{board}&sort=loudest"))
        .await?
        .problem(400)?;
    for sort in ["newest", "most_applauded", "largest_improvement"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("{board}&sort={sort}&limit=1");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page = t.get(Who::Alice, &path).await?.expect(200)?.body;
            seen.extend(
                page["items"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(id_of),
            );
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
            ensure(seen.len() <= 3, "pages end: seen.len() <= 3", seen.len())?;
        }
        let mut sorted = seen.clone();
        sorted.sort();
        let mut want = all.clone();
        want.sort();
        expect_eq(
            &sorted,
            &want,
            format!("{sort}: pages walk without gaps or repeats: {seen:?}"),
        )?;
    }
    t.get(Who::Alice, &format!("{board}&cursor=garbage!"))
        .await?
        .problem(400)?;
    Ok(())
}

async fn admin_goals_are_kept_by_admins_only(t: Arc<Target>) -> Result<(), String> {
    let name = format!("Shorter waiting times {}", unique());
    t.post(Who::Alice, "/goals", &json!({ "name": name }))
        .await?
        .problem(403)?;
    if t.get(Who::Moderator, "/me")
        .await
        .is_ok_and(|r| r.status == 200)
    {
        t.post(Who::Moderator, "/goals", &json!({ "name": name }))
            .await?
            .problem(403)?;
    }
    t.post(Who::Admin, "/goals", &json!({ "name": " " }))
        .await?
        .problem(422)?;
    let g = t
        .post(Who::Admin, "/goals", &json!({ "name": name }))
        .await?
        .expect(201)?
        .body;
    let id = id_of(&g);
    let listed = t
        .get(t.reader(), "/goals?limit=100")
        .await?
        .expect(200)?
        .body;
    ensure(
        listed["items"].as_array().is_some_and(|l| {
            l.iter()
                .any(|x| x["id"] == id.as_str() && x["name"] == name.as_str())
        }),
        "listed: listed[\"items\"].as_array().is_some_and(|l| { l.iter() .any(|x| x[\"id\"] == id.as_str() && x[\"name\"] == name.as_str()) })",
        &listed,
    )?;
    let path = format!("/goals/{id}");
    t.put(Who::Alice, &path, &json!({ "name": "Mine now" }))
        .await?
        .problem(403)?;
    let renamed = format!("{name} (2027)");
    let r = t
        .put(Who::Admin, &path, &json!({ "name": renamed }))
        .await?
        .expect(200)?
        .body;
    expect_eq(&r["name"], renamed.as_str(), "renamed")?;
    t.put(Who::Admin, "/goals/no-such-goal", &json!({ "name": "x" }))
        .await?
        .problem(404)?;
    // A goal that a story serves cannot be deleted.
    let mut s = story(
        "Served the goal",
        &format!("Team {}", unique()),
        vec![metric("Wait", "min", 10.0, 5.0, false)],
    );
    s["goal_id"] = json!(id);
    let served = submit(&t, Who::Alice, &s).await?;
    expect_eq(&served["goal"]["name"], renamed.as_str(), "goal on story")?;
    t.delete(Who::Alice, &path).await?.problem(403)?;
    t.delete(Who::Admin, &path).await?.problem(409)?;
    let spare = id_of(
        &t.post(
            Who::Admin,
            "/goals",
            &json!({ "name": format!("Spare {}", unique()) }),
        )
        .await?
        .expect(201)?
        .body,
    );
    t.delete(Who::Admin, &format!("/goals/{spare}"))
        .await?
        .expect(204)?;
    t.delete(Who::Admin, &format!("/goals/{spare}"))
        .await?
        .problem(404)?;
    Ok(())
}

async fn admin_impact_keeps_units_apart_per_goal(t: Arc<Target>) -> Result<(), String> {
    let goal = id_of(
        &t.post(
            Who::Admin,
            "/goals",
            &json!({ "name": format!("Faster support {}", unique()) }),
        )
        .await?
        .expect(201)?
        .body,
    );
    let team = format!("Team {}", unique());
    let stories = [
        vec![
            metric("Time to resolve", "h", 4.0, 1.5, false),
            metric("FCR", "%", 52.0, 71.0, true),
        ],
        vec![metric("Time to resolve", "h", 10.0, 4.0, false)],
        vec![metric("Time to resolve", "h", 3.0, 2.0, false)],
    ];
    for (i, m) in stories.into_iter().enumerate() {
        let mut s = story(&format!("Support story {i}"), &team, m);
        s["goal_id"] = json!(goal);
        let id = id_of(&submit(&t, Who::Alice, &s).await?);
        publish(&t, Who::Admin, &id).await?;
    }
    // A submitted story does not count.
    let mut waiting = story(
        "Not yet",
        &team,
        vec![metric("Time to resolve", "h", 100.0, 1.0, false)],
    );
    waiting["goal_id"] = json!(goal);
    submit(&t, Who::Alice, &waiting).await?;
    let i = t
        .get(t.reader(), &format!("/stories/impact?goal={goal}"))
        .await?
        .expect(200)?
        .body;
    let g = &i["goals"][0];
    ensure(
        i["goals"].as_array().map(Vec::len) == Some(1) && g["goal"]["id"] == goal.as_str(),
        "goals: i[\"goals\"].as_array().map(Vec::len) == Some(1) && g[\"goal\"][\"id\"] == goal.as_str()",
        &i,
    )?;
    expect_eq(&g["stories"], 3, "stories")?;
    let units = g["units"].as_array().cloned().unwrap_or_default();
    expect_eq(&units.len(), &2, "hours and percent apart")?;
    let h = &units[0];
    ensure(
        h["unit"] == "h"
            && h["metrics"] == 3
            && h["total"] == 9.5
            && h["median"] == 2.5
            && h["median_pct"] == 60.0,
        "hours: h[\"unit\"] == \"h\" && h[\"metrics\"] == 3 && h[\"total\"] == 9.5 && h[\"median\"] == 2.5 && h[\"median_pct\"] == 60.0",
        h,
    )?;
    ensure(
        units[1]["unit"] == "%" && units[1]["total"] == 19.0,
        "percent: units[1][\"unit\"] == \"%\" && units[1][\"total\"] == 19.0",
        &units[1],
    )?;
    let per_story: Vec<f64> = i["stories"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s["improvement_pct"].as_f64())
        .collect();
    let want = [62.5, 60.0, 100.0 / 3.0];
    ensure(
        per_story.len() == 3
            && per_story
                .iter()
                .zip(want)
                .all(|(a, b)| (a - b).abs() < 1e-9),
        "per story, largest first",
        format!("{per_story:?}"),
    )?;
    let months = i["months"].as_array().cloned().unwrap_or_default();
    expect_eq(
        &months
            .iter()
            .map(|m| m["stories"].as_i64().unwrap_or(0))
            .sum::<i64>(),
        &3,
        "months",
    )?;
    t.get(t.reader(), "/stories/impact?to=soon")
        .await?
        .problem(422)?;
    Ok(())
}

async fn admin_csv_export_lists_published_metrics(t: Arc<Target>) -> Result<(), String> {
    let team = format!("Team {}", unique());
    let title = format!("Returns, \"faster\" {}", unique());
    let s = story(
        &title,
        &team,
        vec![
            metric("Handling time", "min", 12.0, 6.0, false),
            metric("NPS", "points", 20.0, 31.0, true),
        ],
    );
    let id = id_of(&submit(&t, Who::Alice, &s).await?);
    publish(&t, Who::Admin, &id).await?;
    let hidden = format!("Still waiting {}", unique());
    submit(
        &t,
        Who::Alice,
        &story(&hidden, &team, vec![metric("x", "min", 1.0, 2.0, false)]),
    )
    .await?;
    let res = t
        .get(
            t.reader(),
            &format!("/stories/export.csv?team={}", urlencode(&team)),
        )
        .await?
        .expect(200)?;
    let header = |name: &str| {
        res.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    ensure(
        header("content-type").starts_with("text/csv"),
        "type: header(\"content-type\").starts_with(\"text/csv\")",
        header("content-type"),
    )?;
    let cd = header("content-disposition");
    ensure(
        cd.starts_with("attachment") && cd.contains("filename=") && cd.contains(".csv"),
        "disposition: cd.starts_with(\"attachment\") && cd.contains(\"filename=\") && cd.contains(\".csv\")",
        &cd,
    )?;
    let lines: Vec<&str> = res.text.split("\r\n").filter(|l| !l.is_empty()).collect();
    ensure(
        lines[0].starts_with("story_id,title,goal"),
        "header: lines[0].starts_with(\"story_id,title,goal\")",
        lines[0],
    )?;
    expect_eq(
        &lines.len(),
        &3,
        "one row per metric of the published story",
    )?;
    let quoted = format!("\"{}\"", title.replace('"', "\"\""));
    ensure(
        lines[1].contains(&quoted),
        "quoted title: lines[1].contains(&quoted)",
        lines[1],
    )?;
    ensure(
        lines[1].contains(",12,6,false,") && lines[2].contains(",20,31,true,"),
        "numbers: lines[1].contains(\",12,6,false,\") && lines[2].contains(\",20,31,true,\")",
        format!("{lines:?}"),
    )?;
    ensure(
        !res.text.contains(&hidden),
        "submitted stories are not exported",
        &res.text,
    )
}
