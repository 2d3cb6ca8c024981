//! Contract tests of issue 10's privacy fixes: the reflection due list
//! cannot date a reflection (so it never tells who wrote an anonymous one),
//! an anonymous asker is named to nobody (moderators included) through
//! their question, their own answers, the change log or invitations, the
//! tag vocabulary lists only what its caller could see elsewhere, and a
//! moderator's or admin's first ever request may be a write.
//!
//! Each test works in a community of its own (`X-Km-Community`).

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Target, Who, call, community, get, ids, s, unique};
use crate::expect::{ensure, expect_eq};

tests![
    service_due_list_cannot_date_a_reflection needs [Bob, Carol, Service],
    mod_anonymous_askers_are_named_to_nobody_not_even_moderators needs [Bob, Moderator],
    dept_tag_vocabulary_lists_only_what_the_caller_may_see needs [Bob, Carol, Moderator],
    fresh_moderators_and_admins_may_write_first needs [Bob, Moderator, Admin] caps [Mint],
];

/// An RFC 3339 instant `delta_ms` away from the RFC 3339 instant `at`.
fn shifted(at: &str, delta_ms: i64) -> Result<String, String> {
    let t: jiff::Timestamp = at.parse().map_err(|e| format!("{at}: {e}"))?;
    jiff::Timestamp::from_millisecond(t.as_millisecond() + delta_ms)
        .map(|t| t.to_string())
        .map_err(|e| e.to_string())
}

async fn service_due_list_cannot_date_a_reflection(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 1): `GET /reflections/due?at=` took any
    // instant, so asking at an anonymous feed entry's `created_at - 1 ms`
    // and at its `created_at` showed exactly who wrote it (and dated anyone's
    // private reflections the same way).
    let c = community("privacy");
    let daily = json!({ "cadence": "daily", "time_zone": "UTC", "reminders": true });
    for who in [Who::Alice, Who::Bob, Who::Carol] {
        call(
            &t,
            who,
            Method::PUT,
            &c,
            "/reflections/settings",
            Some(&daily),
        )
        .await?
        .expect(200)?;
    }
    let alice = t.id_of(Who::Alice).await?;
    let carol = t.id_of(Who::Carol).await?;
    // Alice shares anonymously, Bob writes privately, Carol writes nothing.
    let mut written = Vec::new();
    for (who, vis) in [(Who::Alice, "anonymous"), (Who::Bob, "private")] {
        let r = json!({ "body": format!("Reflected as {vis}."), "visibility": vis, "tags": [] });
        let r = call(&t, who, Method::POST, &c, "/reflections", Some(&r))
            .await?
            .expect(201)?
            .body;
        written.push(s(&r["created_at"]));
    }
    let feed = get(&t, Who::Carol, &c, "/reflections/feed").await?;
    ensure(
        feed["items"].as_array().map(Vec::len) == Some(1) && !feed.to_string().contains(&alice),
        "one anonymous entry, without its author",
        &feed,
    )?;
    // Every instant around either reflection gets the same answer.
    let mut probes = vec![String::new()];
    for at in &written {
        for delta in [-3_600_000, -1, 0, 1] {
            probes.push(shifted(at, delta)?);
        }
    }
    let mut answers = Vec::new();
    for at in &probes {
        let path = format!(
            "/reflections/due?at={}",
            at.replace('+', "%2B").replace(':', "%3A")
        );
        let due = call(&t, Who::Service, Method::GET, &c, &path, None)
            .await?
            .expect(200)?
            .body;
        answers.push((at.clone(), ids(&due)));
    }
    let first = answers[0].1.clone();
    for (at, listed) in &answers {
        expect_eq(
            listed,
            &first,
            format!("the due list at {at:?} differs from now's: {listed:?} vs {first:?}"),
        )?;
    }
    ensure(
        first.contains(&carol),
        "Carol, who wrote nothing, is due",
        format!("{first:?}"),
    )?;
    // A later moment still works (the reminder job's send time).
    let tomorrow = shifted(&written[0], 2 * 86_400_000)?;
    let due = get(
        &t,
        Who::Service,
        &c,
        &format!("/reflections/due?at={tomorrow}"),
    )
    .await?;
    ensure(
        ids(&due).contains(&alice),
        "Alice is due again the day after tomorrow",
        &due,
    )?;
    Ok(())
}

/// Fails when `v` mentions the person `id` or `name` anywhere.
fn never_names(v: &Value, id: &str, name: &str, what: &str) -> Result<(), String> {
    let text = v.to_string();
    ensure(
        !text.contains(id) && !text.contains(name),
        format!("{what} not to name the anonymous asker"),
        &text,
    )
}

async fn mod_anonymous_askers_are_named_to_nobody_not_even_moderators(
    t: Arc<Target>,
) -> Result<(), String> {
    // Regression (issue 10 items 3 and 4): the change log showed moderators
    // who asked an anonymous question ("asked", "invited" and every other
    // entry of the asker), and an anonymous asker who answered their own
    // question was shown by name on that answer.
    let c = community("privacy");
    let me = get(&t, Who::Alice, &c, "/me").await?;
    let (alice, alice_name) = (s(&me["id"]), s(&me["name"]));
    let bob = t.id_of(Who::Bob).await?;
    let marker = unique();
    let tag = format!("Payroll{marker}");
    // Bob's profile is department-only first: inviting him from an
    // anonymous question would tell him the asker shares his department.
    let profile = |vis: &str| {
        json!({ "passions": [{ "tag": tag, "level": "teach" }], "why": "",
                "open_to_chat": true, "visibility": vis })
    };
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        "/profiles/me",
        Some(&profile("department")),
    )
    .await?
    .expect(200)?;
    let q = call(
        &t,
        Who::Alice,
        Method::POST,
        &c,
        "/questions",
        Some(
            &json!({ "title": format!("Who can explain the payroll export {marker}?"),
                      "tags": [tag], "anonymous": true }),
        ),
    )
    .await?
    .expect(201)?
    .body;
    let qid = s(&q["id"]);
    let people = format!("/questions/{qid}/people");
    let invites = format!("/questions/{qid}/invites");
    let sug = get(&t, Who::Alice, &c, &people).await?;
    ensure(
        !sug.to_string().contains(&bob),
        "no department-only profile for an anonymous question",
        &sug,
    )?;
    call(
        &t,
        Who::Alice,
        Method::POST,
        &c,
        &invites,
        Some(&json!({ "person_id": bob })),
    )
    .await?
    .problem(422)?;
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        "/profiles/me",
        Some(&profile("organization")),
    )
    .await?
    .expect(200)?;
    call(
        &t,
        Who::Alice,
        Method::POST,
        &c,
        &invites,
        Some(&json!({ "person_id": bob })),
    )
    .await?
    .expect(204)?;
    // Bob answers; the asker answers too, edits it, retags, edits the
    // question and accepts Bob's answer; Bob votes on the asker's answer.
    let answers = format!("/questions/{qid}/answers");
    let by_bob = call(
        &t,
        Who::Bob,
        Method::POST,
        &c,
        &answers,
        Some(&json!({ "body": "Use the March template." })),
    )
    .await?
    .expect(201)?
    .body;
    expect_eq(&by_bob["author"]["id"], &json!(bob), "")?;
    let own = call(
        &t,
        Who::Alice,
        Method::POST,
        &c,
        &answers,
        Some(&json!({ "body": "Found it myself: the export button is hidden." })),
    )
    .await?
    .expect(201)?
    .body;
    never_names(&own, &alice, &alice_name, "the asker's own new answer")?;
    ensure(
        own["anonymous"] == true && own["author"].is_null() && own["mine"] == true,
        "anonymous, and still mine to edit",
        &own,
    )?;
    let own_id = s(&own["id"]);
    let edited = call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/answers/{own_id}"),
        Some(&json!({ "body": "Found it: the export button is under More." })),
    )
    .await?
    .expect(200)?
    .body;
    never_names(&edited, &alice, &alice_name, "the answer edit's question")?;
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/questions/{qid}/tags"),
        Some(&json!({ "tags": [tag, "Exports"] })),
    )
    .await?
    .expect(200)?;
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/questions/{qid}"),
        Some(
            &json!({ "title": format!("Who can explain the payroll export file {marker}?"),
                      "tags": [tag], "anonymous": true }),
        ),
    )
    .await?
    .expect(200)?;
    let accepted = call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/questions/{qid}/accepted"),
        Some(&json!({ "answer_id": by_bob["id"] })),
    )
    .await?
    .expect(200)?
    .body;
    never_names(&accepted, &alice, &alice_name, "the accepted question")?;
    let vote = call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/answers/{own_id}/vote"),
        None,
    )
    .await?
    .expect(200)?
    .body;
    never_names(&vote, &alice, &alice_name, "a vote")?;
    // A moderator hides and shows the asker's answer.
    for hidden in [true, false] {
        let res = call(
            &t,
            Who::Moderator,
            Method::PUT,
            &c,
            &format!("/answers/{own_id}/hidden"),
            Some(&json!({ "hidden": hidden })),
        )
        .await?
        .expect(200)?
        .body;
        never_names(&res, &alice, &alice_name, "moderation's answer")?;
    }
    // Nobody reads the asker anywhere: not the question, its answers or
    // lists, not the invitee, not moderators (change log included), not
    // the asker's own view.
    let one = format!("/questions/{qid}");
    for who in [t.reader(), Who::Bob, Who::Moderator, Who::Alice] {
        let q = get(&t, who, &c, &one).await?;
        never_names(&q, &alice, &alice_name, &format!("the question to {who:?}"))?;
        let mine = q["answers"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["id"] == json!(own_id)))
            .cloned()
            .unwrap_or_default();
        ensure(
            mine["anonymous"] == true && mine["author"].is_null(),
            format!("the asker's answer to be anonymous to {who:?}"),
            &mine,
        )?;
        let theirs = q["answers"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["id"] == by_bob["id"]))
            .cloned()
            .unwrap_or_default();
        ensure(
            theirs["author"]["id"] == json!(bob) && theirs["anonymous"] != true,
            "Bob's answer is Bob's",
            &theirs,
        )?;
        let list = get(&t, who, &c, "/questions?sort=active").await?;
        never_names(&list, &alice, &alice_name, &format!("the list to {who:?}"))?;
    }
    let invited = get(&t, Who::Bob, &c, "/questions?filter=invited").await?;
    expect_eq(ids(&invited), [qid.clone()], "")?;
    never_names(&invited, &alice, &alice_name, "the invitee's list")?;
    let log = get(&t, Who::Moderator, &c, &format!("/questions/{qid}/changes")).await?;
    never_names(&log, &alice, &alice_name, "the change log")?;
    let entries = log.as_array().cloned().unwrap_or_default();
    let asker_actions: Vec<String> = entries
        .iter()
        .filter(|e| e["anonymous"] == true)
        .map(|e| s(&e["action"]))
        .collect();
    for action in [
        "asked",
        "invited",
        "answered",
        "answer_edited",
        "retagged",
        "edited",
        "accepted",
    ] {
        ensure(
            asker_actions.iter().any(|a| a == action),
            format!("{action} by the anonymous asker in the log"),
            &log,
        )?;
    }
    ensure(
        entries
            .iter()
            .filter(|e| e["anonymous"] == true)
            .all(|e| e["actor"].is_null()),
        "no actor on the asker's entries",
        &log,
    )?;
    ensure(
        entries
            .iter()
            .any(|e| e["action"] == "answered" && e["actor"]["id"] == json!(bob)),
        "others stay named",
        &log,
    )?;
    Ok(())
}

/// The tags `who` reads (up to 100, optionally by prefix): label → count.
async fn vocabulary(
    t: &Target,
    who: Who,
    c: &str,
    prefix: &str,
) -> Result<Vec<(String, i64)>, String> {
    let page = get(t, who, c, &format!("/tags?limit=100&prefix={prefix}")).await?;
    Ok(page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| (s(&t["label"]), t["count"].as_i64().unwrap_or(-1)))
                .collect()
        })
        .unwrap_or_default())
}

async fn dept_tag_vocabulary_lists_only_what_the_caller_may_see(
    t: Arc<Target>,
) -> Result<(), String> {
    // Regression (issue 10 item 5): `GET /tags` listed (with count 0) labels
    // used only by private reflections, hidden profiles and unpublished
    // stories, and counted department-only passions for other departments.
    let c = community("privacy");
    let u = unique();
    let private = format!("Private{u} worry");
    let hidden = format!("Hidden{u} hobby");
    let draft = format!("Draft{u} project");
    let sales = format!("Sales{u} craft");
    let open = format!("Open{u} topic");
    // Alice (Sales) writes privately and submits a story for review; Carol
    // (HR) hides her profile; Bob (Sales) shows his to his department; a
    // question is public.
    let r = json!({ "body": "Only for me.", "visibility": "private", "tags": [private] });
    let reflection = call(&t, Who::Alice, Method::POST, &c, "/reflections", Some(&r))
        .await?
        .expect(201)?
        .body;
    let story = json!({
        "title": "Faster payroll exports", "situation": "Exports took a day.",
        "practice": "reused_article", "result": "Now they take an hour.",
        "metrics": [{ "label": "Export time", "unit": "h", "baseline": 8.0, "current": 1.0,
                      "higher_is_better": false, "baseline_date": "2026-01-01",
                      "current_date": "2026-06-30" }],
        "team": "Payroll", "tags": [draft], "contributors": [],
    });
    let story = call(&t, Who::Alice, Method::POST, &c, "/stories", Some(&story))
        .await?
        .expect(201)?
        .body;
    let profile = |tag: &str, vis: &str| {
        json!({ "passions": [{ "tag": tag, "level": "love" }], "why": "",
                "open_to_chat": true, "visibility": vis })
    };
    for (who, body) in [
        (Who::Carol, profile(&hidden, "hidden")),
        (Who::Bob, profile(&sales, "department")),
    ] {
        call(&t, who, Method::PUT, &c, "/profiles/me", Some(&body))
            .await?
            .expect(200)?;
    }
    let q = json!({ "title": format!("An open question about {open}"), "tags": [open] });
    call(&t, Who::Bob, Method::POST, &c, "/questions", Some(&q))
        .await?
        .expect(201)?;
    let prefixes = |label: &str| {
        let first = label.split_whitespace().next().unwrap_or_default();
        [
            first.to_lowercase(),
            label
                .split_whitespace()
                .last()
                .unwrap_or_default()
                .to_owned(),
        ]
    };
    for who in [t.reader(), Who::Alice, Who::Bob, Who::Carol] {
        let all = vocabulary(&t, who, &c, "").await?;
        for secret in [&private, &hidden, &draft] {
            ensure(
                all.iter().all(|(l, _)| l != secret),
                format!("{secret} not listed to {who:?}"),
                format!("{all:?}"),
            )?;
            // Autocomplete neither, by its first word or any word.
            for p in prefixes(secret) {
                let found = vocabulary(&t, who, &c, &p).await?;
                ensure(
                    found.iter().all(|(l, _)| l != secret),
                    format!("{secret} not to complete {p:?} for {who:?}"),
                    format!("{found:?}"),
                )?;
            }
        }
        let in_sales = matches!(who, Who::Alice | Who::Bob);
        let want_sales = in_sales.then_some(1);
        let got_sales = all.iter().find(|(l, _)| *l == sales).map(|(_, n)| *n);
        expect_eq(
            &got_sales,
            &want_sales,
            format!("{sales} for {who:?}: {got_sales:?}, want {want_sales:?} ({all:?})"),
        )?;
        ensure(
            all.iter().any(|(l, n)| *l == open && *n == 1),
            format!("{open} listed once to {who:?}"),
            format!("{all:?}"),
        )?;
        ensure(
            all.iter().all(|(_, n)| *n > 0),
            format!("nothing listed with no use {who:?} may see"),
            format!("{all:?}"),
        )?;
    }
    // Once shared and published, those labels are listed and counted.
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/reflections/{}/visibility", s(&reflection["id"])),
        Some(&json!({ "visibility": "anonymous" })),
    )
    .await?
    .expect(200)?;
    call(
        &t,
        Who::Moderator,
        Method::POST,
        &c,
        &format!("/stories/{}/publish", s(&story["id"])),
        Some(&json!({})),
    )
    .await?
    .expect(200)?;
    let all = vocabulary(&t, Who::Carol, &c, "").await?;
    for label in [&private, &draft] {
        ensure(
            all.iter().any(|(l, n)| l == label && *n == 1),
            format!("{label} listed now"),
            format!("{all:?}"),
        )?;
    }
    Ok(())
}

async fn fresh_moderators_and_admins_may_write_first(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 10): a moderator's or admin's first write
    // could be a 500 (`FOREIGN KEY constraint failed`): accepting an answer
    // recorded a change by a person the server had no row for.
    let c = community("privacy");
    let u = unique();
    let ask = |title: String| json!({ "title": title, "tags": ["Onboarding"] });
    let mut questions = Vec::new();
    let mut answers = Vec::new();
    for i in 0..5 {
        let q = call(
            &t,
            Who::Alice,
            Method::POST,
            &c,
            "/questions",
            Some(&ask(format!("How do new hires get a laptop? {u} {i}"))),
        )
        .await?
        .expect(201)?
        .body;
        let qid = s(&q["id"]);
        let a = call(
            &t,
            Who::Bob,
            Method::POST,
            &c,
            &format!("/questions/{qid}/answers"),
            Some(&json!({ "body": "Ask IT on day one." })),
        )
        .await?
        .expect(201)?
        .body;
        questions.push(qid);
        answers.push(s(&a["id"]));
    }
    let story = json!({
        "title": "A laptop on day one", "situation": "New hires waited a week.",
        "practice": "reused_article", "result": "They get it on day one.",
        "metrics": [{ "label": "Wait", "unit": "d", "baseline": 5.0, "current": 0.0,
                      "higher_is_better": false, "baseline_date": "2026-01-01",
                      "current_date": "2026-06-30" }],
        "team": "IT", "tags": ["Onboarding"], "contributors": [],
    });
    let mut stories = Vec::new();
    for _ in 0..2 {
        let s_ = call(&t, Who::Alice, Method::POST, &c, "/stories", Some(&story))
            .await?
            .expect(201)?
            .body;
        stories.push(s(&s_["id"]));
    }
    call(
        &t,
        Who::Moderator,
        Method::POST,
        &c,
        &format!("/stories/{}/publish", stories[1]),
        Some(&json!({})),
    )
    .await?
    .expect(200)?;
    let mut goals = Vec::new();
    for i in 0..2 {
        let g = call(
            &t,
            Who::Admin,
            Method::POST,
            &c,
            "/goals",
            Some(&json!({ "name": format!("Goal {u} {i}") })),
        )
        .await?
        .expect(201)?
        .body;
        goals.push(s(&g["id"]));
    }
    let set = format!("set-{u}");
    call(
        &t,
        Who::Admin,
        Method::POST,
        &c,
        "/prompt-sets",
        Some(&json!({ "id": set, "name": "Onboarding" })),
    )
    .await?
    .expect(201)?;
    // Each write is the very first request of a person the server never saw.
    let (m, a) = (&["km:moderator"][..], &["km:admin"][..]);
    let writes: Vec<(&[&str], Method, String, Value)> = vec![
        (
            m,
            Method::PUT,
            format!("/questions/{}/accepted", questions[0]),
            json!({ "answer_id": answers[0] }),
        ),
        (
            a,
            Method::PUT,
            format!("/questions/{}/accepted", questions[1]),
            json!({ "answer_id": answers[1] }),
        ),
        (
            m,
            Method::PUT,
            format!("/questions/{}/hidden", questions[2]),
            json!({ "hidden": true }),
        ),
        (
            m,
            Method::PUT,
            format!("/answers/{}/hidden", answers[3]),
            json!({ "hidden": true }),
        ),
        (
            m,
            Method::PUT,
            format!("/questions/{}/duplicate", questions[4]),
            json!({ "original_id": questions[3] }),
        ),
        (
            m,
            Method::PUT,
            format!("/questions/{}/tags", questions[3]),
            json!({ "tags": ["Onboarding", "Laptops"] }),
        ),
        (
            m,
            Method::POST,
            format!("/stories/{}/publish", stories[0]),
            json!({}),
        ),
        (
            m,
            Method::PUT,
            format!("/stories/{}/featured", stories[1]),
            json!({ "featured": true }),
        ),
        (
            a,
            Method::PUT,
            "/tags/synonyms".to_owned(),
            json!({ "alias": format!("newbies{u}"), "tag": "Onboarding" }),
        ),
        (
            a,
            Method::POST,
            "/goals".to_owned(),
            json!({ "name": format!("Goal {u} new") }),
        ),
        (
            a,
            Method::PUT,
            format!("/goals/{}", goals[0]),
            json!({ "name": format!("Goal {u} renamed") }),
        ),
        (a, Method::DELETE, format!("/goals/{}", goals[1]), json!({})),
        (
            a,
            Method::POST,
            "/prompt-sets".to_owned(),
            json!({ "id": format!("set2-{u}"), "name": "Second" }),
        ),
        (
            a,
            Method::POST,
            format!("/prompt-sets/{set}/prompts"),
            json!({ "stage": "seek", "activity": "experience",
                    "en": "What did you learn today?", "nl": "Wat leerde je vandaag?" }),
        ),
    ];
    for (roles, method, path, body) in writes {
        let token = t
            .fresh_token("Fresh Person", roles)
            .ok_or("no fresh tokens on this target")?;
        let auth = format!("Bearer {token}");
        let body = (method != Method::DELETE).then_some(&body);
        let res = t
            .send(
                Who::Anonymous,
                method.clone(),
                &path,
                body,
                &[("X-Km-Community", &c), ("Authorization", &auth)],
            )
            .await?;
        ensure(
            res.status.is_success(),
            format!("{method} {path} as a new {roles:?} to succeed"),
            format!("{} {}", res.status, res.body),
        )?;
    }
    // The acceptance took, and its log names the new moderator.
    let q = get(&t, Who::Alice, &c, &format!("/questions/{}", questions[0])).await?;
    expect_eq(&q["solved"], true, "accepted")?;
    let log = get(
        &t,
        Who::Moderator,
        &c,
        &format!("/questions/{}/changes", questions[0]),
    )
    .await?;
    ensure(
        log.as_array().is_some_and(|l| {
            l.iter()
                .any(|e| e["action"] == "accepted" && e["actor"]["name"] == "Fresh Person")
        }),
        "log.as_array().is_some_and(|l| { l.iter() .any(|e| e[\"action\"] == \"accepted\" && e[\"actor\"][\"name\"] == \"Fresh Person\") })",
        &log,
    )?;
    Ok(())
}
