//! Contract tests of reflection-prompt: rotation and skip, cadence
//! settings and time zones, prompt sets, sharing, the feed and reactions,
//! the journal (search, summary, export, delete all), the due list, and
//! privacy for every role.
//!
//! Each test works in a community of its own (`X-Km-Community`), so tests
//! that delete or count "all my reflections" do not disturb each other.

use std::collections::HashSet;
use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Target, Who, call, community, ids, unique};
use crate::expect::{ensure, expect_eq};

tests![
    prompts_rotate_without_repeats_and_skip,
    settings_round_trip_and_validate,
    admin_prompt_sets_and_prompts needs [Bob, Admin],
    journal_search_summary_export_and_delete_all needs [Bob],
    two_feed_reactions_toggle_and_count needs [Bob],
    roles_private_reflections_stay_private needs [Bob, Moderator, Admin],
    roles_due_list_is_for_admins_only needs [Bob, Moderator, Admin],
    service_token_reads_the_due_list needs [Carol, Service],
];

/// A request in community `c`.
async fn write(t: &Target, who: Who, c: &str, body: &str, vis: &str) -> Result<Value, String> {
    let r = json!({ "body": body, "visibility": vis, "tags": ["Reflectie test"], "energy": 3 });
    Ok(call(t, who, Method::POST, c, "/reflections", Some(&r))
        .await?
        .expect(201)?
        .body)
}

async fn prompts_rotate_without_repeats_and_skip(t: Arc<Target>) -> Result<(), String> {
    let c = community("refl");
    let path = "/prompts/today?lang=nl&tz=Europe/Amsterdam";
    let first = call(&t, Who::Alice, Method::GET, &c, path, None)
        .await?
        .expect(200)?
        .body;
    let again = call(&t, Who::Alice, Method::GET, &c, path, None)
        .await?
        .expect(200)?
        .body;
    expect_eq(
        &first["prompt"]["id"],
        &again["prompt"]["id"],
        "a reload keeps the prompt",
    )?;
    expect_eq(&first["time_zone"], "Europe/Amsterdam", "zone")?;
    expect_eq(&first["set"], "default", "the default set")?;
    // Skipping through the whole library never repeats until it is used up.
    let mut seen = HashSet::new();
    seen.insert(
        first["prompt"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    );
    let skip = "/prompts/today/skip?lang=en";
    for i in 1..60 {
        let p = call(&t, Who::Alice, Method::POST, &c, skip, None)
            .await?
            .expect(200)?
            .body;
        let id = p["prompt"]["id"].as_str().unwrap_or_default().to_owned();
        ensure(
            seen.insert(id.clone()),
            format!("no prompt repeated within {i} skips"),
            format!("{id} again"),
        )?;
    }
    ensure(seen.len() >= 60, "at least 60 prompts", seen.len())?;
    // The skipped-to prompt is now today's prompt.
    let last = call(&t, Who::Alice, Method::POST, &c, skip, None)
        .await?
        .expect(200)?
        .body;
    let now = call(&t, Who::Alice, Method::GET, &c, "/prompts/today", None)
        .await?
        .expect(200)?
        .body;
    expect_eq(
        &last["prompt"]["id"],
        &now["prompt"]["id"],
        "the skip sticks",
    )?;
    // Anonymous callers cannot skip; a bad zone or set is a 422 naming it.
    call(&t, Who::Anonymous, Method::POST, &c, skip, None)
        .await?
        .problem(401)?;
    let bad = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/prompts/today?tz=Mars/Base",
        None,
    )
    .await?;
    expect_eq(&bad.problem(422)?["errors"][0]["field"], "tz", "tz named")?;
    let bad = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/prompts/today?set=nope",
        None,
    )
    .await?;
    expect_eq(&bad.problem(422)?["errors"][0]["field"], "set", "set named")?;
    Ok(())
}

async fn settings_round_trip_and_validate(t: Arc<Target>) -> Result<(), String> {
    let c = community("refl");
    let s = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/reflections/settings",
        None,
    )
    .await?
    .expect(200)?
    .body;
    ensure(
        s["cadence"] == "weekly" && s["reminders"] == true,
        "defaults: s[\"cadence\"] == \"weekly\" && s[\"reminders\"] == true",
        &s,
    )?;
    let want =
        json!({ "cadence": "weekday", "weekday": 5, "time_zone": "+05:30", "reminders": false });
    let put = call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        "/reflections/settings",
        Some(&want),
    )
    .await?
    .expect(200)?
    .body;
    expect_eq(&put, &want, "stored")?;
    let today = call(&t, Who::Alice, Method::GET, &c, "/prompts/today", None)
        .await?
        .expect(200)?
        .body;
    ensure(
        today["cadence"] == "weekday" && today["weekday"] == 5,
        "today[\"cadence\"] == \"weekday\" && today[\"weekday\"] == 5",
        &today,
    )?;
    ensure(
        today["period"].as_str().is_some_and(|p| p.len() == 10),
        "a weekday period is its start date",
        today["period"].as_str(),
    )?;
    let missing = json!({ "cadence": "weekday", "time_zone": "UTC" });
    let e = call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        "/reflections/settings",
        Some(&missing),
    )
    .await?;
    expect_eq(
        &e.problem(422)?["errors"][0]["field"],
        "weekday",
        "weekday required",
    )?;
    let zone = json!({ "cadence": "daily", "time_zone": "Nowhere/Land" });
    let e = call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        "/reflections/settings",
        Some(&zone),
    )
    .await?;
    expect_eq(
        &e.problem(422)?["errors"][0]["field"],
        "time_zone",
        "zone named",
    )?;
    call(
        &t,
        Who::Anonymous,
        Method::GET,
        &c,
        "/reflections/settings",
        None,
    )
    .await?
    .problem(401)?;
    Ok(())
}

async fn admin_prompt_sets_and_prompts(t: Arc<Target>) -> Result<(), String> {
    let c = community("refl");
    let set = json!({ "id": "onboarding", "name": "Onboarding" });
    call(&t, Who::Alice, Method::POST, &c, "/prompt-sets", Some(&set))
        .await?
        .problem(403)?;
    call(&t, Who::Admin, Method::POST, &c, "/prompt-sets", Some(&set))
        .await?
        .expect(201)?;
    call(&t, Who::Admin, Method::POST, &c, "/prompt-sets", Some(&set))
        .await?
        .problem(422)?;
    // An empty set cannot give a prompt yet.
    let e = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/prompts/today?set=onboarding",
        None,
    )
    .await?;
    e.problem(422)?;
    let p = json!({ "stage": "seek", "activity": "conversation",
                    "en": "Who did you meet in your first week?", "nl": "Wie heb je in je eerste week ontmoet?" });
    call(
        &t,
        Who::Bob,
        Method::POST,
        &c,
        "/prompt-sets/onboarding/prompts",
        Some(&p),
    )
    .await?
    .problem(403)?;
    let made = call(
        &t,
        Who::Admin,
        Method::POST,
        &c,
        "/prompt-sets/onboarding/prompts",
        Some(&p),
    )
    .await?
    .expect(201)?
    .body;
    call(
        &t,
        Who::Admin,
        Method::POST,
        &c,
        "/prompt-sets/nope/prompts",
        Some(&p),
    )
    .await?
    .problem(404)?;
    let today = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/prompts/today?set=onboarding&lang=nl",
        None,
    )
    .await?
    .expect(200)?
    .body;
    expect_eq(&today["prompt"]["id"], &made["id"], "the set's only prompt")?;
    expect_eq(
        &today["prompt"]["text"],
        "Wie heb je in je eerste week ontmoet?",
        "in Dutch",
    )?;
    // A reflection may answer it; the sets list counts it.
    let r = json!({ "body": "Met Bob.", "prompt_id": made["id"] });
    call(&t, Who::Alice, Method::POST, &c, "/reflections", Some(&r))
        .await?
        .expect(201)?;
    let sets = call(&t, Who::Alice, Method::GET, &c, "/prompt-sets", None)
        .await?
        .expect(200)?
        .body;
    ensure(
        sets[0]["id"] == "default" && sets[0]["prompt_count"].as_i64() >= Some(60),
        "sets[0][\"id\"] == \"default\" && sets[0][\"prompt_count\"].as_i64() >= Some(60)",
        &sets,
    )?;
    ensure(
        sets[1]["id"] == "onboarding" && sets[1]["prompt_count"] == 1,
        "sets[1][\"id\"] == \"onboarding\" && sets[1][\"prompt_count\"] == 1",
        &sets,
    )?;
    let listed = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/prompt-sets/default/prompts?lang=nl",
        None,
    )
    .await?
    .expect(200)?
    .body;
    ensure(
        listed.as_array().map(Vec::len) >= Some(60),
        "the library: listed.as_array().map(Vec::len) >= Some(60)",
        listed.as_array().map(Vec::len),
    )?;
    Ok(())
}

async fn journal_search_summary_export_and_delete_all(t: Arc<Target>) -> Result<(), String> {
    let c = community("refl");
    write(
        &t,
        Who::Alice,
        &c,
        "Pairing on the **billing** bug taught me a lot.",
        "private",
    )
    .await?;
    write(&t, Who::Alice, &c, "Koffie met het magazijnteam.", "shared").await?;
    write(&t, Who::Bob, &c, "Bob's billing thoughts.", "shared").await?;
    let found = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/reflections/mine?q=BILLING",
        None,
    )
    .await?
    .expect(200)?
    .body;
    expect_eq(
        &ids(&found).len(),
        &1,
        "search finds only my billing reflection",
    )?;
    let none = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/reflections/mine?q=50%25_",
        None,
    )
    .await?
    .expect(200)?
    .body;
    ensure(ids(&none).is_empty(), "wildcards are literal", ids(&none))?;
    let s = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/reflections/mine/summary?tz=UTC",
        None,
    )
    .await?
    .expect(200)?
    .body;
    ensure(
        s["total"] == 2 && s["done"] == true,
        "summary: s[\"total\"] == 2 && s[\"done\"] == true",
        &s,
    )?;
    ensure(
        s["periods"][0]["count"] == 2 && s["periods"][0]["period"] == s["current_period"],
        "s[\"periods\"][0][\"count\"] == 2 && s[\"periods\"][0][\"period\"] == s[\"current_period\"]",
        &s,
    )?;
    let json_export = call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        "/reflections/mine/export?format=json",
        None,
    )
    .await?
    .expect(200)?;
    expect_eq(
        &json_export.body["reflections"].as_array().map(Vec::len),
        &Some(2),
        "two in the JSON export",
    )?;
    expect_eq(
        &json_export.body["person"]["name"],
        t.name_of(Who::Alice),
        "whose export",
    )?;
    let md = t
        .send(
            Who::Alice,
            Method::GET,
            "/reflections/mine/export?format=markdown&lang=nl",
            None,
            &[("X-Km-Community", &c)],
        )
        .await?
        .expect(200)?;
    let ct = md
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    ensure(
        ct.starts_with("text/markdown"),
        "content type: ct.starts_with(\"text/markdown\")",
        ct,
    )?;
    // Delete all: mine are gone, Bob's stays, the feed no longer has mine.
    call(
        &t,
        Who::Anonymous,
        Method::DELETE,
        &c,
        "/reflections/mine",
        None,
    )
    .await?
    .problem(401)?;
    let d = call(
        &t,
        Who::Alice,
        Method::DELETE,
        &c,
        "/reflections/mine",
        None,
    )
    .await?
    .expect(200)?
    .body;
    expect_eq(&d["deleted"], 2, "")?;
    let mine = call(&t, Who::Alice, Method::GET, &c, "/reflections/mine", None)
        .await?
        .expect(200)?
        .body;
    ensure(
        ids(&mine).is_empty(),
        "nothing left: ids(&mine).is_empty()",
        ids(&mine),
    )?;
    let feed = call(&t, Who::Bob, Method::GET, &c, "/reflections/feed", None)
        .await?
        .expect(200)?
        .body;
    ensure(
        ids(&feed).len() == 1 && feed["items"][0]["body"] == "Bob's billing thoughts.",
        "ids(&feed).len() == 1 && feed[\"items\"][0][\"body\"] == \"Bob's billing thoughts.\"",
        &feed,
    )?;
    Ok(())
}

async fn two_feed_reactions_toggle_and_count(t: Arc<Target>) -> Result<(), String> {
    let c = community("refl");
    let named = write(&t, Who::Alice, &c, "Named share.", "shared").await?;
    let private = write(&t, Who::Alice, &c, "Private.", "private").await?;
    let id = named["id"].as_str().unwrap_or_default();
    let path = format!("/reflections/{id}/reactions/me_too");
    let on = call(&t, Who::Bob, Method::PUT, &c, &path, None)
        .await?
        .expect(200)?
        .body;
    ensure(
        on["reactions"]["me_too"] == 1 && on["my_reactions"] == json!(["me_too"]),
        "on[\"reactions\"][\"me_too\"] == 1 && on[\"my_reactions\"] == json!([\"me_too\"])",
        &on,
    )?;
    // One each per person: again is no change.
    let again = call(&t, Who::Bob, Method::PUT, &c, &path, None)
        .await?
        .expect(200)?
        .body;
    expect_eq(&again["reactions"]["me_too"], 1, "one per person")?;
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/reflections/{id}/reactions/insightful"),
        None,
    )
    .await?
    .expect(200)?;
    let feed = call(&t, Who::Bob, Method::GET, &c, "/reflections/feed", None)
        .await?
        .expect(200)?
        .body;
    let item = &feed["items"][0];
    expect_eq(
        &item["reactions"],
        &json!({"insightful": 1, "thanks": 0, "me_too": 1}),
        "",
    )?;
    expect_eq(&item["my_reactions"], &json!(["me_too"]), "Bob's own")?;
    expect_eq(
        &item["author"]["name"],
        t.name_of(Who::Alice),
        "a named share names the author",
    )?;
    let off = call(&t, Who::Bob, Method::DELETE, &c, &path, None)
        .await?
        .expect(200)?
        .body;
    ensure(
        off["reactions"]["me_too"] == 0 && off["my_reactions"] == json!([]),
        "off[\"reactions\"][\"me_too\"] == 0 && off[\"my_reactions\"] == json!([])",
        &off,
    )?;
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/reflections/{id}/reactions/like"),
        None,
    )
    .await?
    .problem(404)?;
    let pid = private["id"].as_str().unwrap_or_default();
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/reflections/{pid}/reactions/thanks"),
        None,
    )
    .await?
    .problem(404)?;
    Ok(())
}

async fn roles_private_reflections_stay_private(t: Arc<Target>) -> Result<(), String> {
    let c = community("refl");
    let marker = format!("secret-{}", unique());
    let private = write(&t, Who::Alice, &c, &format!("Private {marker}"), "private").await?;
    let anon = write(
        &t,
        Who::Alice,
        &c,
        &format!("Anonymous {marker}"),
        "anonymous",
    )
    .await?;
    let pid = private["id"].as_str().unwrap_or_default().to_owned();
    let alice = t.id_of(Who::Alice).await?;
    ensure(
        anon.get("author").is_none(),
        "the write answer of an anonymous share has no author",
        anon.get("author"),
    )?;
    for who in [t.reader(), Who::Bob, Who::Moderator, Who::Admin] {
        let feed = call(
            &t,
            who,
            Method::GET,
            &c,
            "/reflections/feed?limit=100",
            None,
        )
        .await?
        .expect(200)?
        .body;
        let text = feed.to_string();
        ensure(
            !text.contains(&format!("Private {marker}")),
            format!("{who:?} not to see the private text in the feed"),
            &text,
        )?;
        ensure(
            text.contains(&format!("Anonymous {marker}")),
            format!("{who:?} to see the anonymous share"),
            &text,
        )?;
        ensure(
            !text.contains(&alice) && !text.contains(t.name_of(Who::Alice)),
            format!("{who:?} not to learn the anonymous author"),
            &text,
        )?;
        if who == t.reader() {
            continue;
        }
        for path in [
            "/reflections/mine?limit=100",
            "/reflections/mine/export?format=json",
            "/reflections/mine/summary",
            &format!("/reflections/mine?q={marker}"),
        ] {
            let r = call(&t, who, Method::GET, &c, path, None)
                .await?
                .expect(200)?
                .body;
            ensure(
                !r.to_string().contains(&marker),
                format!("{who:?} not to read Alice's reflections via {path}"),
                &r,
            )?;
        }
        // Nobody else can share, react to, or delete it.
        let patch = json!({ "visibility": "shared" });
        call(
            &t,
            who,
            Method::PUT,
            &c,
            &format!("/reflections/{pid}/visibility"),
            Some(&patch),
        )
        .await?
        .problem(404)?;
        call(
            &t,
            who,
            Method::PUT,
            &c,
            &format!("/reflections/{pid}/reactions/thanks"),
            None,
        )
        .await?
        .problem(404)?;
        call(&t, who, Method::DELETE, &c, "/reflections/mine", None)
            .await?
            .expect(200)?;
        // Reactions on the anonymous share say nothing about its author.
        let aid = anon["id"].as_str().unwrap_or_default();
        let r = call(
            &t,
            who,
            Method::PUT,
            &c,
            &format!("/reflections/{aid}/reactions/thanks"),
            None,
        )
        .await?
        .expect(200)?
        .body;
        ensure(
            !r.to_string().contains(&alice),
            "reactions reveal no author",
            r.to_string(),
        )?;
    }
    // Private tags do not count in the vocabulary; Alice still has both.
    let mine = call(&t, Who::Alice, Method::GET, &c, "/reflections/mine", None)
        .await?
        .expect(200)?
        .body;
    expect_eq(&ids(&mine).len(), &2, "nobody else's delete touched mine")?;
    expect_eq(
        &mine["items"][0]["author"]["id"],
        alice.as_str(),
        "I see myself on my anonymous share",
    )?;
    let reactions = &mine["items"][0]["reactions"]["thanks"];
    expect_eq(reactions, 3, "three people thanked the anonymous share")?;
    // Sharing it later makes it visible; the author alone can.
    let shared = call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/reflections/{pid}/visibility"),
        Some(&json!({ "visibility": "anonymous" })),
    )
    .await?
    .expect(200)?
    .body;
    expect_eq(&shared["visibility"], "anonymous", "shared")?;
    let feed = call(&t, Who::Bob, Method::GET, &c, "/reflections/feed", None)
        .await?
        .expect(200)?
        .body;
    ensure(
        feed.to_string().contains(&format!("Private {marker}")),
        "now in the feed",
        feed.to_string(),
    )?;
    ensure(
        !feed.to_string().contains(&alice),
        "still without the author",
        feed.to_string(),
    )?;
    Ok(())
}

async fn roles_due_list_is_for_admins_only(t: Arc<Target>) -> Result<(), String> {
    let c = community("refl");
    // Alice reflects daily in Amsterdam, Bob weekly in New York; Alice wrote today.
    let daily = json!({ "cadence": "daily", "time_zone": "Europe/Amsterdam", "reminders": true });
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        "/reflections/settings",
        Some(&daily),
    )
    .await?
    .expect(200)?;
    let weekly = json!({ "cadence": "weekly", "time_zone": "America/New_York", "reminders": true });
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        "/reflections/settings",
        Some(&weekly),
    )
    .await?
    .expect(200)?;
    write(&t, Who::Alice, &c, "Anonymous but done.", "anonymous").await?;
    for who in [Who::Anonymous, Who::Alice, Who::Moderator] {
        let want = if who == Who::Anonymous { 401 } else { 403 };
        call(&t, who, Method::GET, &c, "/reflections/due", None)
            .await?
            .problem(want)?;
    }
    let due = call(&t, Who::Admin, Method::GET, &c, "/reflections/due", None)
        .await?
        .expect(200)?
        .body;
    let bob = t.id_of(Who::Bob).await?;
    let alice = t.id_of(Who::Alice).await?;
    let listed = ids(&due);
    expect_eq(&listed, &vec![bob.clone()], "only Bob is due")?;
    let item = &due["items"][0];
    ensure(
        item["time_zone"] == "America/New_York" && item["cadence"] == "weekly",
        "item[\"time_zone\"] == \"America/New_York\" && item[\"cadence\"] == \"weekly\"",
        item,
    )?;
    ensure(
        !due.to_string().contains("Anonymous but done"),
        "no reflection text",
        due.to_string(),
    )?;
    // A week later Alice is due again (her period moved on); Bob opts out.
    let later = (time_in_a_week()).to_string();
    let due = call(
        &t,
        Who::Admin,
        Method::GET,
        &c,
        &format!("/reflections/due?at={later}"),
        None,
    )
    .await?
    .expect(200)?
    .body;
    ensure(ids(&due).contains(&alice), "Alice due a week later", &due)?;
    let off = json!({ "cadence": "weekly", "time_zone": "America/New_York", "reminders": false });
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        "/reflections/settings",
        Some(&off),
    )
    .await?
    .expect(200)?;
    let due = call(&t, Who::Admin, Method::GET, &c, "/reflections/due", None)
        .await?
        .expect(200)?
        .body;
    ensure(
        !ids(&due).contains(&bob),
        "reminders off: !ids(&due).contains(&bob)",
        ids(&due),
    )?;
    call(
        &t,
        Who::Admin,
        Method::GET,
        &c,
        "/reflections/due?at=yesterday",
        None,
    )
    .await?
    .problem(422)?;
    Ok(())
}

fn time_in_a_week() -> String {
    let t = std::time::SystemTime::now() + std::time::Duration::from_secs(8 * 86_400);
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    // RFC 3339 without a date library: days since the epoch to a civil date.
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Howard Hinnant's days-to-civil.
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

async fn service_token_reads_the_due_list(t: Arc<Target>) -> Result<(), String> {
    let c = community("refl");
    let s = json!({ "cadence": "daily", "time_zone": "+09:00" });
    call(
        &t,
        Who::Carol,
        Method::PUT,
        &c,
        "/reflections/settings",
        Some(&s),
    )
    .await?
    .expect(200)?;
    let due = call(&t, Who::Service, Method::GET, &c, "/reflections/due", None)
        .await?
        .expect(200)?
        .body;
    let carol = t.id_of(Who::Carol).await?;
    expect_eq(&ids(&due), &vec![carol], "")?;
    ensure(
        due["items"][0]["email"].is_string(),
        "the portal gets the e-mail to remind",
        &due["items"][0]["email"],
    )?;
    let wrong = t
        .send(
            Who::Anonymous,
            Method::GET,
            "/reflections/due",
            None,
            &[
                ("X-Km-Community", &c),
                ("Authorization", "Bearer not-the-service-token"),
            ],
        )
        .await?;
    wrong.problem(401)?;
    Ok(())
}
