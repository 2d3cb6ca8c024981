//! Contract tests of the per-person write limits (issue 10 item 7): a
//! burst of writes of one kind gets a 429 problem with `Retry-After`,
//! per person and community; failed writes and idempotent replays do not
//! count, deletes do not refund; new tags are limited inside otherwise
//! allowed writes; servers over one database share the limits, and
//! simultaneous writes never get past them.
//!
//! Each test starts servers of its own with low limits over the target's
//! database (`Target::with_limits`), with people of its own, so the tests
//! are `limits_*`: in-process only.

use std::sync::Arc;

use km_protocol::problem::types;
use km_server::rate_limit::{Limit, RateLimits, WriteKind};
use reqwest::Method;
use serde_json::json;

use crate::client::{Res, Target, Who, call, unique};
use crate::expect::{ensure, expect_eq};

tests![
    limits_a_burst_of_questions_gets_429_with_retry_after caps [Limits],
    limits_failed_writes_and_replays_do_not_count caps [Limits],
    limits_taking_a_vote_back_refunds_nothing caps [Limits],
    limits_new_tags_are_limited_inside_allowed_writes caps [Limits],
    limits_servers_over_one_database_share_them caps [Limits],
    limits_simultaneous_writes_never_exceed_the_limit caps [Limits],
];

/// Only `kind` is limited, to `max` an hour.
fn only(kind: WriteKind, max: u32) -> RateLimits {
    RateLimits::off().with(
        kind,
        Some(Limit {
            max,
            window_secs: 3600,
        }),
    )
}

async fn ask(t: &Target, who: Who, c: &str, title: &str, tags: &[&str]) -> Result<Res, String> {
    let q = json!({ "title": title, "tags": tags });
    call(t, who, Method::POST, c, "/questions", Some(&q)).await
}

/// Checks a 429 problem: the rate-limited type, and `Retry-After` (seconds,
/// within the hour window) equal to the body's `retry_after`.
fn rate_limited(res: Res) -> Result<u64, String> {
    let header = res
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let body = res.problem(429)?;
    expect_eq(&body["type"], types::RATE_LIMITED, "problem type")?;
    let secs = header.ok_or("no Retry-After header in seconds")?;
    ensure(
        (1..=3600).contains(&secs),
        "Retry-After within the window (1..=3600)",
        secs,
    )?;
    expect_eq(
        &body["retry_after"].as_u64(),
        &Some(secs),
        format!("retry_after in the body is not the header's {secs}: {body}"),
    )?;
    Ok(secs)
}

async fn limits_a_burst_of_questions_gets_429_with_retry_after(
    t: Arc<Target>,
) -> Result<(), String> {
    // Regression (issue 10 item 7): 100 questions in a burst all passed;
    // there was no per-person limit on any write.
    let c = format!("limits-{}", unique());
    let lt = t
        .with_limits(only(WriteKind::Questions, 3), &unique())
        .await?;
    for i in 0..3 {
        ask(
            &lt,
            Who::Alice,
            &c,
            &format!("Burst question number {i}?"),
            &[],
        )
        .await?
        .expect(201)?;
    }
    for i in 3..6 {
        let res = ask(
            &lt,
            Who::Alice,
            &c,
            &format!("Burst question number {i}?"),
            &[],
        )
        .await?;
        rate_limited(res)?;
    }
    let mine = call(
        &lt,
        Who::Alice,
        Method::GET,
        &c,
        "/questions?filter=mine",
        None,
    )
    .await?
    .expect(200)?
    .body;
    expect_eq(
        &mine["items"].as_array().map(Vec::len),
        &Some(3),
        "refused questions were stored",
    )?;
    // Per person, per community and per kind.
    ask(&lt, Who::Bob, &c, "Bob has his own window?", &[])
        .await?
        .expect(201)?;
    ask(
        &lt,
        Who::Alice,
        &format!("{c}-b"),
        "Another community?",
        &[],
    )
    .await?
    .expect(201)?;
    let qid = mine["items"][0]["id"].as_str().unwrap_or_default();
    let a = json!({ "body": "Answers are another kind." });
    call(
        &lt,
        Who::Alice,
        Method::POST,
        &c,
        &format!("/questions/{qid}/answers"),
        Some(&a),
    )
    .await?
    .expect(201)?;
    Ok(())
}

async fn limits_failed_writes_and_replays_do_not_count(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 7): only writes that succeed count: a
    // refused write or an outbox retry (same Idempotency-Key) is not a new one.
    let c = format!("limits-{}", unique());
    let lt = t
        .with_limits(only(WriteKind::Questions, 2), &unique())
        .await?;
    for _ in 0..3 {
        ask(&lt, Who::Alice, &c, "short", &[]).await?.problem(422)?;
    }
    let q = json!({ "title": "Sent once, retried twice?" });
    let key = format!("limits-{}", unique());
    let headers = [("X-Km-Community", c.as_str()), ("Idempotency-Key", &key)];
    let first = lt
        .send(Who::Alice, Method::POST, "/questions", Some(&q), &headers)
        .await?
        .expect(201)?
        .body;
    let again = lt
        .send(Who::Alice, Method::POST, "/questions", Some(&q), &headers)
        .await?
        .expect(201)?;
    ensure(
        again.headers.contains_key("idempotent-replayed") && again.body["id"] == first["id"],
        format!("the retry to be a replay of {}", first["id"]),
        format!(
            "{} {:?}",
            again.body,
            again.headers.get("idempotent-replayed")
        ),
    )?;
    ask(&lt, Who::Alice, &c, "The second question?", &[])
        .await?
        .expect(201)?;
    rate_limited(ask(&lt, Who::Alice, &c, "The third question?", &[]).await?)?;
    // A full window still replays a write that went through.
    let late = lt
        .send(Who::Alice, Method::POST, "/questions", Some(&q), &headers)
        .await?
        .expect(201)?;
    expect_eq(
        &late.body["id"],
        &first["id"],
        "a late retry was not replayed",
    )?;
    Ok(())
}

async fn limits_taking_a_vote_back_refunds_nothing(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 7): delete-and-retry must not get around a
    // limit: taking a vote back does not give the vote back.
    let c = format!("limits-{}", unique());
    let lt = t.with_limits(only(WriteKind::Votes, 2), &unique()).await?;
    let q = ask(&lt, Who::Bob, &c, "Vote on me, then take it back?", &[])
        .await?
        .expect(201)?
        .body;
    let vote = format!("/questions/{}/vote", q["id"].as_str().unwrap_or_default());
    for _ in 0..2 {
        call(&lt, Who::Alice, Method::PUT, &c, &vote, None)
            .await?
            .expect(200)?;
        call(&lt, Who::Alice, Method::DELETE, &c, &vote, None)
            .await?
            .expect(200)?;
    }
    rate_limited(call(&lt, Who::Alice, Method::PUT, &c, &vote, None).await?)?;
    Ok(())
}

async fn limits_new_tags_are_limited_inside_allowed_writes(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 7): 1,000 junk tags in 2 s all passed and
    // filled everyone's autocomplete; new tags now have a limit of their
    // own, even inside writes that are allowed.
    let c = format!("limits-{}", unique());
    let lt = t
        .with_limits(only(WriteKind::NewTags, 3), &unique())
        .await?;
    let u = unique();
    let tag = |i: u32| format!("junk{u} {i}");
    let (t1, t2, t3, t4, t5) = (tag(1), tag(2), tag(3), tag(4), tag(5));
    ask(&lt, Who::Alice, &c, "Two new tags at once?", &[&t1, &t2])
        .await?
        .expect(201)?;
    // Two more would make four: the whole question is refused...
    rate_limited(ask(&lt, Who::Alice, &c, "Two more new tags?", &[&t3, &t4]).await?)?;
    // ...and neither tag was kept: the third new tag is still allowed, the
    // fourth is not, and tags that exist cost nothing.
    ask(&lt, Who::Alice, &c, "Only one more new tag?", &[&t3, &t1])
        .await?
        .expect(201)?;
    rate_limited(ask(&lt, Who::Alice, &c, "And yet another one?", &[&t4]).await?)?;
    ask(
        &lt,
        Who::Alice,
        &c,
        "Existing tags are free?",
        &[&t1, &t2, &t3],
    )
    .await?
    .expect(201)?;
    // Bob has his own window.
    ask(&lt, Who::Bob, &c, "Bob adds a tag of his own?", &[&t5])
        .await?
        .expect(201)?;
    let tags = call(
        &lt,
        Who::Alice,
        Method::GET,
        &c,
        &format!("/tags?prefix=junk{u}&limit=50"),
        None,
    )
    .await?
    .expect(200)?
    .body;
    let mut labels: Vec<&str> = tags["items"]
        .as_array()
        .ok_or(format!("no tag list: {tags}"))?
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    labels.sort_unstable();
    expect_eq(&labels, &[t1.as_str(), &t2, &t3, &t5], "autocomplete has")?;
    Ok(())
}

async fn limits_servers_over_one_database_share_them(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 7): the limits hold across several servers
    // over one database (a burst spread over instances is still a burst).
    let c = format!("limits-{}", unique());
    let people = unique();
    let a = t
        .with_limits(only(WriteKind::Reflections, 2), &people)
        .await?;
    let b = t
        .with_limits(only(WriteKind::Reflections, 2), &people)
        .await?;
    let r = json!({ "body": "Today I learned to pace myself." });
    for server in [&a, &b] {
        call(
            server,
            Who::Alice,
            Method::POST,
            &c,
            "/reflections",
            Some(&r),
        )
        .await?
        .expect(201)?;
    }
    for server in [&a, &b] {
        rate_limited(
            call(
                server,
                Who::Alice,
                Method::POST,
                &c,
                "/reflections",
                Some(&r),
            )
            .await?,
        )?;
    }
    Ok(())
}

async fn limits_simultaneous_writes_never_exceed_the_limit(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 7): a burst sent all at once must not slip
    // through between one request's check and its write.
    let c = format!("limits-{}", unique());
    let lt = Arc::new(
        t.with_limits(only(WriteKind::Questions, 3), &unique())
            .await?,
    );
    let sends: Vec<_> = (0..12)
        .map(|i| {
            let (lt, c) = (lt.clone(), c.clone());
            tokio::spawn(async move {
                let title = format!("Simultaneous question {i}?");
                ask(&lt, Who::Alice, &c, &title, &[])
                    .await
                    .map(|r| r.status.as_u16())
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for s in sends {
        statuses.push(s.await.map_err(|e| e.to_string())??);
    }
    let created = statuses.iter().filter(|s| **s == 201).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    ensure(
        created == 3 && limited == 9,
        "statuses of 12 simultaneous questions at 3/h",
        format!("{statuses:?}"),
    )?;
    Ok(())
}
