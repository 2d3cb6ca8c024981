//! Contract tests of ask-the-community: answers, edits, acceptance, votes,
//! follows and personal lists, ranked search and similar questions,
//! routing to colleagues (profile visibility) and invitations, moderation
//! and its change log, ETags for polling, and anonymity: an anonymous
//! asker never reaches another person through any endpoint.
//!
//! Each test works in a community of its own (`X-Km-Community`).

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Target, Who, call, community, get, ids, s, unique};
use crate::expect::{ensure, expect_eq, expect_ne};

tests![
    two_answers_edits_and_acceptance_belong_to_their_authors needs [Bob, Carol],
    two_votes_count_once_per_person_and_toggle needs [Bob],
    two_anonymous_askers_never_leak needs [Bob],
    search_ranks_title_matches_first_and_finds_similar_questions needs [Bob],
    two_follows_and_personal_lists needs [Bob],
    dept_routing_respects_profile_visibility_and_invites_reach_the_invitee needs [Bob, Carol, Moderator, Admin],
    roles_moderators_hide_close_and_retag_and_every_change_is_recorded needs [Bob, Carol, Moderator, Admin],
    markup_in_titles_bodies_and_tags_comes_back_as_plain_json_text needs [Bob],
    two_polling_gets_304_until_an_answer_arrives needs [Bob],
];

async fn ask(t: &Target, who: Who, c: &str, q: Value) -> Result<Value, String> {
    Ok(call(t, who, Method::POST, c, "/questions", Some(&q))
        .await?
        .expect(201)?
        .body)
}

async fn answer(t: &Target, who: Who, c: &str, qid: &str, body: &str) -> Result<Value, String> {
    let path = format!("/questions/{qid}/answers");
    Ok(call(
        t,
        who,
        Method::POST,
        c,
        &path,
        Some(&json!({ "body": body })),
    )
    .await?
    .expect(201)?
    .body)
}

async fn two_answers_edits_and_acceptance_belong_to_their_authors(
    t: Arc<Target>,
) -> Result<(), String> {
    let c = community("ask");
    let q = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Who knows how to renew the VPN certificate?", "tags": ["VPN"] }),
    )
    .await?;
    let qid = s(&q["id"]);
    ensure(
        q["viewer"]["mine"] == true && q["viewer"]["can_accept"] == true,
        "the asker's viewer flags mine and can_accept",
        &q["viewer"],
    )?;
    let first = answer(&t, Who::Bob, &c, &qid, "Ask the service desk.").await?;
    let second = answer(
        &t,
        Who::Carol,
        &c,
        &qid,
        "Run `vpn-renew` on **your** laptop.",
    )
    .await?;
    let (a1, a2) = (s(&first["id"]), s(&second["id"]));
    expect_eq(&first["mine"], true, "the answerer's own answer is mine")?;
    // Nobody edits or accepts for someone else.
    let edit = json!({ "body": "Changed by Alice" });
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/answers/{a1}"),
        Some(&edit),
    )
    .await?
    .problem(403)?;
    let retitle = json!({ "title": "Bob renames Alice's question", "body": "" });
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/questions/{qid}"),
        Some(&retitle),
    )
    .await?
    .problem(403)?;
    let accept = json!({ "answer_id": a2 });
    let path = format!("/questions/{qid}/accepted");
    call(&t, Who::Bob, Method::PUT, &c, &path, Some(&accept))
        .await?
        .problem(403)?;
    // Authors edit their own posts.
    let edited = call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/answers/{a1}"),
        Some(&json!({ "body": "Ask the service desk, ext. 4242." })),
    )
    .await?
    .expect(200)?
    .body;
    let mine = edited["answers"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == a1.as_str()))
        .cloned()
        .unwrap_or_default();
    ensure(
        mine["body"] == "Ask the service desk, ext. 4242." && mine["edited_at"].is_string(),
        "edited answer: mine[\"body\"] == \"Ask the service desk, ext. 4242.\" && mine[\"edited_at\"].is_string()",
        &mine,
    )?;
    let q2 = call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/questions/{qid}"),
        Some(
            &json!({ "title": "Who knows how to renew the VPN certificate today?",
                      "body": "It expires at noon.", "tags": ["VPN", "Security"],
                      "urgency": "urgent", "need_by": "2030-01-02" }),
        ),
    )
    .await?
    .expect(200)?
    .body;
    ensure(
        q2["tags"] == json!(["VPN", "Security"]) && q2["need_by"] == "2030-01-02",
        "edited question: q2[\"tags\"] == json!([\"VPN\", \"Security\"]) && q2[\"need_by\"] == \"2030-01-02\"",
        &q2,
    )?;
    // An answer of another question cannot be accepted here.
    let other = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Another question entirely" }),
    )
    .await?;
    let foreign = answer(&t, Who::Bob, &c, &s(&other["id"]), "Elsewhere").await?;
    let body = json!({ "answer_id": foreign["id"] });
    let p = call(&t, Who::Alice, Method::PUT, &c, &path, Some(&body))
        .await?
        .problem(422)?;
    expect_eq(&p["errors"][0]["field"], "answer_id", "")?;
    // The asker accepts: pinned first, solved in lists.
    let accepted = call(&t, Who::Alice, Method::PUT, &c, &path, Some(&accept))
        .await?
        .expect(200)?
        .body;
    ensure(
        accepted["answers"][0]["id"] == a2.as_str() && accepted["answers"][0]["accepted"] == true,
        "accepted first: accepted[\"answers\"][0][\"id\"] == a2.as_str() && accepted[\"answers\"][0][\"accepted\"] == true",
        &accepted,
    )?;
    let list = get(&t, Who::Bob, &c, "/questions").await?;
    let item = list["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == qid.as_str()))
        .cloned()
        .unwrap_or_default();
    ensure(
        item["solved"] == true && item["answer_count"] == 2,
        "item[\"solved\"] == true && item[\"answer_count\"] == 2",
        &item,
    )?;
    // Answers are idempotent with a key.
    let key = format!("answer-{}", unique());
    let apath = format!("/questions/{qid}/answers");
    for _ in 0..2 {
        t.send(
            Who::Bob,
            Method::POST,
            &apath,
            Some(&json!({ "body": "Said once" })),
            &[("X-Km-Community", &c), ("Idempotency-Key", &key)],
        )
        .await?
        .expect(201)?;
    }
    let q3 = get(&t, Who::Bob, &c, &format!("/questions/{qid}")).await?;
    expect_eq(&q3["answer_count"], 3, "one answer per key")?;
    // An empty answer is refused field by field; anonymous callers cannot answer.
    let p = call(
        &t,
        Who::Bob,
        Method::POST,
        &c,
        &apath,
        Some(&json!({ "body": " " })),
    )
    .await?
    .problem(422)?;
    expect_eq(&p["errors"][0]["field"], "body", "")?;
    call(
        &t,
        Who::Anonymous,
        Method::POST,
        &c,
        &apath,
        Some(&json!({ "body": "x" })),
    )
    .await?
    .problem(401)?;
    Ok(())
}

async fn two_votes_count_once_per_person_and_toggle(t: Arc<Target>) -> Result<(), String> {
    let c = community("ask");
    let q = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Which laptop bag survives the rain?" }),
    )
    .await?;
    let qid = s(&q["id"]);
    let vote = format!("/questions/{qid}/vote");
    for _ in 0..2 {
        let v = call(&t, Who::Bob, Method::PUT, &c, &vote, None)
            .await?
            .expect(200)?
            .body;
        expect_eq(&v, &json!({ "votes": 1, "my_vote": true }), "")?;
    }
    call(&t, Who::Alice, Method::PUT, &c, &vote, None)
        .await?
        .problem(403)?;
    let seen = get(&t, Who::Bob, &c, &format!("/questions/{qid}")).await?;
    ensure(
        seen["votes"] == 1 && seen["viewer"]["my_vote"] == true,
        "seen[\"votes\"] == 1 && seen[\"viewer\"][\"my_vote\"] == true",
        &seen,
    )?;
    let v = call(&t, Who::Bob, Method::DELETE, &c, &vote, None)
        .await?
        .expect(200)?
        .body;
    expect_eq(&v, &json!({ "votes": 0, "my_vote": false }), "")?;
    let a = answer(&t, Who::Bob, &c, &qid, "The yellow one.").await?;
    let avote = format!("/answers/{}/vote", s(&a["id"]));
    call(&t, Who::Bob, Method::PUT, &c, &avote, None)
        .await?
        .problem(403)?;
    let v = call(&t, Who::Alice, Method::PUT, &c, &avote, None)
        .await?
        .expect(200)?
        .body;
    expect_eq(&v["votes"], 1, "")?;
    let seen = get(&t, Who::Alice, &c, &format!("/questions/{qid}")).await?;
    expect_eq(&seen["answers"][0]["my_vote"], true, "")?;
    call(&t, Who::Bob, Method::PUT, &c, "/answers/nope/vote", None)
        .await?
        .problem(404)?;
    Ok(())
}

async fn two_anonymous_askers_never_leak(t: Arc<Target>) -> Result<(), String> {
    let c = community("ask");
    let alice = t.id_of(Who::Alice).await?;
    let alice_name = s(&t.get(Who::Alice, "/me").await?.expect(200)?.body["name"]);
    let q = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Confidential payroll mistake, what now?", "body": "Payroll details",
                "tags": ["Payroll"], "anonymous": true, "urgency": "urgent",
                "need_by": "2030-05-01" }),
    )
    .await?;
    let qid = s(&q["id"]);
    ensure(
        q["author"].is_null() && q["viewer"]["mine"] == true,
        "q[\"author\"].is_null() && q[\"viewer\"][\"mine\"] == true",
        &q,
    )?;
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/questions/{qid}/follow"),
        None,
    )
    .await?
    .expect(200)?;
    let paths = [
        format!("/questions/{qid}"),
        "/questions".to_owned(),
        "/questions?sort=unanswered".to_owned(),
        "/questions?sort=urgent".to_owned(),
        "/questions?sort=active".to_owned(),
        "/questions?tag=payroll".to_owned(),
        "/questions?q=payroll".to_owned(),
        "/questions/similar?title=payroll%20mistake".to_owned(),
        "/questions?filter=following".to_owned(),
    ];
    for who in [Who::Bob, t.reader()] {
        for p in &paths {
            if who != Who::Bob && p.contains("filter=") {
                continue;
            }
            let body = get(&t, who, &c, p).await?;
            let text = body.to_string();
            ensure(
                text.contains(&qid),
                format!("{p} to list question {qid}"),
                &text,
            )?;
            ensure(
                !text.contains(&alice) && !text.contains(&alice_name),
                format!("{who:?} not to see the anonymous asker in {p}"),
                &text,
            )?;
            ensure(
                !text.contains("\"mine\":true"),
                format!("{p} without \"mine\":true"),
                &text,
            )?;
        }
    }
    // Answers, votes and the answer's author do not name the asker either.
    answer(&t, Who::Bob, &c, &qid, "Talk to HR.").await?;
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/questions/{qid}/vote"),
        None,
    )
    .await?
    .expect(200)?;
    let seen = get(&t, Who::Bob, &c, &format!("/questions/{qid}"))
        .await?
        .to_string();
    ensure(
        !seen.contains(&alice) && !seen.contains(&alice_name),
        "no trace of the anonymous asker",
        &seen,
    )?;
    // "My questions" is the asker's alone.
    let mine = get(&t, Who::Alice, &c, "/questions?filter=mine").await?;
    expect_eq(ids(&mine), [qid.clone()], "")?;
    let bobs = get(&t, Who::Bob, &c, "/questions?filter=mine").await?;
    ensure(ids(&bobs).is_empty(), "ids(&bobs).is_empty()", &bobs)?;
    call(
        &t,
        Who::Anonymous,
        Method::GET,
        &c,
        "/questions?filter=mine",
        None,
    )
    .await?
    .problem(401)?;
    Ok(())
}

async fn search_ranks_title_matches_first_and_finds_similar_questions(
    t: Arc<Target>,
) -> Result<(), String> {
    let c = community("ask");
    let body_hit = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Cluster upgrade planning for next week",
                "body": "We run kubernetes 1.29 on three nodes." }),
    )
    .await?;
    let title_hit = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Kubernetes upgrade from 1.29 to 1.30", "body": "Any pitfalls?" }),
    )
    .await?;
    let tag_hit = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Which dashboards do you use for nodes?", "tags": ["Kubernetes"] }),
    )
    .await?;
    let unrelated = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Best lunch spot near the office?" }),
    )
    .await?;
    let found = get(&t, Who::Bob, &c, "/questions?q=kubernetes").await?;
    expect_eq(
        ids(&found),
        &[s(&title_hit["id"]), s(&tag_hit["id"]), s(&body_hit["id"])],
        "title, then tag, then body",
    )?;
    // Every word must match in the search box; case and punctuation do not matter.
    let both = get(&t, Who::Bob, &c, "/questions?q=KUBERNETES%20upgrade!").await?;
    expect_eq(ids(&both), &[s(&title_hit["id"]), s(&body_hit["id"])], "")?;
    let page = get(&t, Who::Bob, &c, "/questions?q=kubernetes&limit=2").await?;
    ensure(
        ids(&page).len() == 2 && page["next_cursor"].is_string(),
        "ids(&page).len() == 2 && page[\"next_cursor\"].is_string()",
        &page,
    )?;
    let rest = get(
        &t,
        Who::Bob,
        &c,
        &format!(
            "/questions?q=kubernetes&limit=2&cursor={}",
            s(&page["next_cursor"])
        ),
    )
    .await?;
    expect_eq(ids(&rest), &[s(&body_hit["id"])], "second page")?;
    // Operators of the query languages are plain words here.
    let odd = get(
        &t,
        Who::Bob,
        &c,
        "/questions?q=%22lunch%22%20OR%20*%20%26%20!",
    )
    .await?;
    ensure(ids(&odd).is_empty(), "lunch AND or", &odd)?;
    // Similar questions while typing: any word, the last one a prefix.
    let similar = get(
        &t,
        Who::Bob,
        &c,
        "/questions/similar?title=How%20do%20we%20upgrade%20kuber",
    )
    .await?;
    let sim = ids(&similar);
    ensure(
        sim.first() == Some(&s(&title_hit["id"])) && !sim.contains(&s(&unrelated["id"])),
        "similar: sim.first() == Some(&s(&title_hit[\"id\"])) && !sim.contains(&s(&unrelated[\"id\"]))",
        &similar,
    )?;
    let none = get(&t, Who::Bob, &c, "/questions/similar?title=how%20do%20I").await?;
    expect_eq(&none, &json!([]), "stopwords only")?;
    Ok(())
}

async fn two_follows_and_personal_lists(t: Arc<Target>) -> Result<(), String> {
    let c = community("ask");
    let q = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Where do we keep the brand templates?" }),
    )
    .await?;
    let qid = s(&q["id"]);
    expect_eq(&q["viewer"]["following"], true, "the asker follows")?;
    let follow = format!("/questions/{qid}/follow");
    let f = call(&t, Who::Bob, Method::PUT, &c, &follow, None)
        .await?
        .expect(200)?
        .body;
    expect_eq(&f["viewer"]["following"], true, "")?;
    let list = get(&t, Who::Bob, &c, "/questions?filter=following").await?;
    expect_eq(ids(&list), [qid.clone()], "")?;
    call(&t, Who::Bob, Method::DELETE, &c, &follow, None)
        .await?
        .expect(200)?;
    let list = get(&t, Who::Bob, &c, "/questions?filter=following").await?;
    ensure(ids(&list).is_empty(), "ids(&list).is_empty()", &list)?;
    // Answering follows.
    answer(&t, Who::Bob, &c, &qid, "In the shared drive.").await?;
    let list = get(&t, Who::Bob, &c, "/questions?filter=following").await?;
    expect_eq(ids(&list), [qid.clone()], "")?;
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        "/questions/missing/follow",
        None,
    )
    .await?
    .problem(404)?;
    Ok(())
}

async fn profile(
    t: &Target,
    who: Who,
    c: &str,
    tags: &[(&str, &str)],
    vis: &str,
) -> Result<(), String> {
    let passions: Vec<Value> = tags
        .iter()
        .map(|(tag, level)| json!({ "tag": tag, "level": level }))
        .collect();
    let body = json!({ "passions": passions, "why": "", "open_to_chat": true, "visibility": vis });
    call(t, who, Method::PUT, c, "/profiles/me", Some(&body))
        .await?
        .expect(200)?;
    Ok(())
}

async fn dept_routing_respects_profile_visibility_and_invites_reach_the_invitee(
    t: Arc<Target>,
) -> Result<(), String> {
    let c = community("ask");
    let (bob, carol, moderator) = (
        t.id_of(Who::Bob).await?,
        t.id_of(Who::Carol).await?,
        t.id_of(Who::Moderator).await?,
    );
    // Bob (Sales) teaches, department only; Carol (HR) loves it, for all;
    // the moderator (Sales) teaches it but is hidden; the admin only
    // wants to learn it.
    profile(
        &t,
        Who::Bob,
        &c,
        &[("Excel", "teach"), ("Pivot tables", "teach")],
        "department",
    )
    .await?;
    profile(&t, Who::Carol, &c, &[("Excel", "love")], "organization").await?;
    profile(&t, Who::Moderator, &c, &[("Excel", "teach")], "hidden").await?;
    profile(&t, Who::Admin, &c, &[("Excel", "learn")], "organization").await?;
    let q = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Pivot table totals are wrong in Excel", "tags": ["excel", "Pivot Tables"] }),
    )
    .await?;
    let qid = s(&q["id"]);
    let people = format!("/questions/{qid}/people");
    let sug = get(&t, Who::Alice, &c, &people).await?;
    let who: Vec<String> = sug
        .as_array()
        .map(|a| a.iter().map(|p| s(&p["person"]["id"])).collect())
        .unwrap_or_default();
    expect_eq(
        &who,
        &[bob.clone(), carol.clone()],
        "Bob teaches two, Carol loves one",
    )?;
    ensure(
        sug[0]["teaches"] == json!(["Excel", "Pivot tables"])
            && sug[1]["loves"] == json!(["Excel"]),
        "sug[0][\"teaches\"] == json!([\"Excel\", \"Pivot tables\"]) && sug[1][\"loves\"] == json!([\"Excel\"])",
        &sug,
    )?;
    // Carol (HR) asks: Bob's department-only profile is not hers to see.
    let hr = ask(
        &t,
        Who::Carol,
        &c,
        json!({ "title": "Excel macro security warning", "tags": ["Excel"] }),
    )
    .await?;
    let hr_sug = get(
        &t,
        Who::Carol,
        &c,
        &format!("/questions/{}/people", s(&hr["id"])),
    )
    .await?;
    expect_eq(&hr_sug, &json!([]), "nobody Carol may see")?;
    // Only the asker routes.
    call(&t, Who::Bob, Method::GET, &c, &people, None)
        .await?
        .problem(403)?;
    let invites = format!("/questions/{qid}/invites");
    call(
        &t,
        Who::Bob,
        Method::POST,
        &c,
        &invites,
        Some(&json!({ "person_id": carol })),
    )
    .await?
    .problem(403)?;
    let p = call(
        &t,
        Who::Alice,
        Method::POST,
        &c,
        &invites,
        Some(&json!({ "person_id": moderator })),
    )
    .await?
    .problem(422)?;
    expect_eq(&p["errors"][0]["field"], "person_id", "hidden")?;
    call(
        &t,
        Who::Carol,
        Method::POST,
        &c,
        &format!("/questions/{}/invites", s(&hr["id"])),
        Some(&json!({ "person_id": bob })),
    )
    .await?
    .problem(422)?;
    for _ in 0..2 {
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
    }
    let invited = get(&t, Who::Bob, &c, "/questions?filter=invited").await?;
    expect_eq(ids(&invited), [qid.clone()], "")?;
    let seen = get(&t, Who::Bob, &c, &format!("/questions/{qid}")).await?;
    expect_eq(&seen["viewer"]["invited"], true, "")?;
    let carol_list = get(&t, Who::Carol, &c, "/questions?filter=invited").await?;
    ensure(
        ids(&carol_list).is_empty(),
        "ids(&carol_list).is_empty()",
        &carol_list,
    )?;
    let sug = get(&t, Who::Alice, &c, &people).await?;
    ensure(
        sug[0]["invited"] == true && sug[1]["invited"] == false,
        "sug[0][\"invited\"] == true && sug[1][\"invited\"] == false",
        &sug,
    )?;
    Ok(())
}

async fn roles_moderators_hide_close_and_retag_and_every_change_is_recorded(
    t: Arc<Target>,
) -> Result<(), String> {
    let c = community("ask");
    let original = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "How do I book a meeting room?" }),
    )
    .await?;
    let dup = ask(
        &t,
        Who::Bob,
        &c,
        json!({ "title": "Booking meeting rooms, how?", "tags": ["Rooms"], "anonymous": true }),
    )
    .await?;
    let (oid, did) = (s(&original["id"]), s(&dup["id"]));
    let a = answer(&t, Who::Carol, &c, &oid, "Spam spam spam").await?;
    let aid = s(&a["id"]);
    // Not moderators: 403.
    let hide = json!({ "hidden": true });
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/questions/{oid}/hidden"),
        Some(&hide),
    )
    .await?
    .problem(403)?;
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/answers/{aid}/hidden"),
        Some(&hide),
    )
    .await?
    .problem(403)?;
    let close = json!({ "original_id": oid });
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/questions/{did}/duplicate"),
        Some(&close),
    )
    .await?
    .problem(403)?;
    call(
        &t,
        Who::Alice,
        Method::PUT,
        &c,
        &format!("/questions/{did}/tags"),
        Some(&json!({ "tags": ["Facilities"] })),
    )
    .await?
    .problem(403)?;
    call(
        &t,
        Who::Bob,
        Method::GET,
        &c,
        &format!("/questions/{did}/changes"),
        None,
    )
    .await?
    .problem(403)?;
    // A moderator hides the answer: gone for everyone, count follows.
    let q = call(
        &t,
        Who::Moderator,
        Method::PUT,
        &c,
        &format!("/answers/{aid}/hidden"),
        Some(&hide),
    )
    .await?
    .expect(200)?
    .body;
    ensure(
        q["answers"] == json!([]) && q["answer_count"] == 0,
        "q[\"answers\"] == json!([]) && q[\"answer_count\"] == 0",
        &q,
    )?;
    // Closes the duplicate (linking the original): no new answers there.
    let closed = call(
        &t,
        Who::Moderator,
        Method::PUT,
        &c,
        &format!("/questions/{did}/duplicate"),
        Some(&close),
    )
    .await?
    .expect(200)?
    .body;
    expect_eq(&closed["duplicate_of"], oid.as_str(), "")?;
    call(
        &t,
        Who::Alice,
        Method::POST,
        &c,
        &format!("/questions/{did}/answers"),
        Some(&json!({ "body": "late" })),
    )
    .await?
    .problem(409)?;
    let self_dup = json!({ "original_id": did });
    call(
        &t,
        Who::Moderator,
        Method::PUT,
        &c,
        &format!("/questions/{did}/duplicate"),
        Some(&self_dup),
    )
    .await?
    .problem(422)?;
    // Retags; the asker may retag too.
    let r = call(
        &t,
        Who::Moderator,
        Method::PUT,
        &c,
        &format!("/questions/{did}/tags"),
        Some(&json!({ "tags": ["Facilities", "rooms"] })),
    )
    .await?
    .expect(200)?
    .body;
    expect_eq(&r["tags"], &json!(["Facilities", "Rooms"]), "")?;
    call(
        &t,
        Who::Bob,
        Method::PUT,
        &c,
        &format!("/questions/{did}/tags"),
        Some(&json!({ "tags": ["Facilities"] })),
    )
    .await?
    .expect(200)?;
    // Hides the question: 404 and out of lists for others, visible to moderators.
    call(
        &t,
        Who::Moderator,
        Method::PUT,
        &c,
        &format!("/questions/{oid}/hidden"),
        Some(&hide),
    )
    .await?
    .expect(200)?;
    call(
        &t,
        Who::Alice,
        Method::GET,
        &c,
        &format!("/questions/{oid}"),
        None,
    )
    .await?
    .problem(404)?;
    let list = get(&t, Who::Alice, &c, "/questions").await?;
    expect_eq(ids(&list), [did.clone()], "")?;
    let seen = get(&t, Who::Moderator, &c, &format!("/questions/{oid}")).await?;
    expect_eq(&seen["hidden"], true, "moderator sees it hidden")?;
    call(
        &t,
        Who::Moderator,
        Method::PUT,
        &c,
        &format!("/questions/{oid}/hidden"),
        Some(&json!({ "hidden": false })),
    )
    .await?
    .expect(200)?;
    let shown = get(&t, Who::Alice, &c, &format!("/questions/{oid}")).await?;
    expect_eq(&shown["hidden"], false, "shown again")?;
    // Who did what, and when; the anonymous asker (Bob) unnamed, to
    // moderators too.
    let mod_id = t.id_of(Who::Moderator).await?;
    let bob = t.id_of(Who::Bob).await?;
    let changes = get(&t, Who::Moderator, &c, &format!("/questions/{did}/changes")).await?;
    ensure(
        !changes.to_string().contains(&bob),
        "!changes.to_string().contains(&bob)",
        &changes,
    )?;
    let log: Vec<(String, String)> = changes
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    let who = if x["anonymous"] == true && x["actor"].is_null() {
                        "the anonymous asker".to_owned()
                    } else {
                        s(&x["actor"]["id"])
                    };
                    (s(&x["action"]), who)
                })
                .collect()
        })
        .unwrap_or_default();
    let asker = "the anonymous asker".to_owned();
    let want = [
        ("asked", &asker),
        ("duplicate", &mod_id),
        ("retagged", &mod_id),
        ("retagged", &asker),
    ];
    ensure(
        log.len() == want.len()
            && log
                .iter()
                .zip(want)
                .all(|((a, w), (ea, ew))| a == ea && w == ew),
        "log.len() == want.len() && log .iter() .zip(want) .all(|((a, w), (ea, ew))| a == ea && w == ew)",
        &changes,
    )?;
    ensure(
        changes[0]["at"].is_string(),
        "when: changes[0][\"at\"].is_string()",
        &changes[0]["at"],
    )?;
    let olog = get(&t, Who::Moderator, &c, &format!("/questions/{oid}/changes")).await?;
    let actions: Vec<String> = olog
        .as_array()
        .map(|a| a.iter().map(|x| s(&x["action"])).collect())
        .unwrap_or_default();
    expect_eq(
        &actions,
        &["asked", "answered", "answer_hidden", "hidden", "shown"],
        "",
    )
}

async fn markup_in_titles_bodies_and_tags_comes_back_as_plain_json_text(
    t: Arc<Target>,
) -> Result<(), String> {
    let c = community("ask");
    let title = "<script>alert(1)</script><svg onload=alert(2)>";
    let body = "[x](javascript:alert(3)) <img src=x onerror=alert(4)> [y](data:text/html,<b>)";
    let q = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": title, "body": body, "tags": ["<b onmouseover=x>"] }),
    )
    .await?;
    let res = call(
        &t,
        Who::Bob,
        Method::GET,
        &c,
        &format!("/questions/{}", s(&q["id"])),
        None,
    )
    .await?
    .expect(200)?;
    let ct = res
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    ensure(
        ct.starts_with("application/json"),
        "content type: ct.starts_with(\"application/json\")",
        &ct,
    )?;
    // Stored and returned as the text that was typed: the widgets render it
    // as text (the markdown subset drops raw HTML and unsafe links).
    ensure(
        res.body["title"] == title
            && res.body["body"] == body
            && res.body["tags"] == json!(["<b onmouseover=x>"]),
        "res.body[\"title\"] == title && res.body[\"body\"] == body && res.body[\"tags\"] == json!([\"<b onmouseover=x>\"])",
        &res.body,
    )
}

async fn two_polling_gets_304_until_an_answer_arrives(t: Arc<Target>) -> Result<(), String> {
    let c = community("ask");
    let q = ask(
        &t,
        Who::Alice,
        &c,
        json!({ "title": "Is the canteen open on Friday?" }),
    )
    .await?;
    let path = format!("/questions/{}", s(&q["id"]));
    let first = call(&t, Who::Alice, Method::GET, &c, &path, None)
        .await?
        .expect(200)?;
    let etag = first
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    ensure(
        etag.starts_with('"'),
        "ETag: etag.starts_with('\"')",
        format!("{etag:?}"),
    )?;
    let cc = first
        .headers
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    ensure(
        cc.contains("private") && cc.contains("no-cache"),
        "Cache-Control private, no-cache",
        cc,
    )?;
    let again = t
        .send(
            Who::Alice,
            Method::GET,
            &path,
            None,
            &[("X-Km-Community", &c), ("If-None-Match", &etag)],
        )
        .await?;
    expect_eq(&again.status.as_u16(), &304, "unchanged")?;
    answer(&t, Who::Bob, &c, &s(&q["id"]), "Until two.").await?;
    let changed = t
        .send(
            Who::Alice,
            Method::GET,
            &path,
            None,
            &[("X-Km-Community", &c), ("If-None-Match", &etag)],
        )
        .await?
        .expect(200)?;
    expect_eq(&changed.body["answers"][0]["body"], "Until two.", "")?;
    // Another reader's copy differs (viewer fields): its own ETag.
    let bobs = call(&t, Who::Bob, Method::GET, &c, &path, None)
        .await?
        .expect(200)?;
    expect_ne(
        &bobs.headers.get("etag").and_then(|v| v.to_str().ok()),
        &changed.headers.get("etag").and_then(|v| v.to_str().ok()),
        "per-viewer ETags",
    )
}
