//! Load benchmark: the main read endpoints beside `GET /api/v1/me`, in one
//! run, on a data set of realistic size (issue 11 item 5).
//!
//! `cargo xtask bench-reads` (or `cargo bench -p km-server --bench reads`):
//! an in-process km-server (its own runtime, as in its own process) on a
//! fresh SQLite file, or on `KM_BENCH_DATABASE_URL` (PostgreSQL), filled
//! through the real HTTP API with `KM_BENCH_QUESTIONS` questions (default
//! 20,000), a tenth as many stories, half as many profiles, a quarter as
//! many shared reflections and three answers on every tenth question. Then
//! 64 connections (`KM_BENCH_CONNECTIONS`), each as its own person, read
//! one endpoint at a time for `KM_BENCH_SECS` seconds (default 5). Prints
//! req/s, p50 and p99 per endpoint and each rate as a share of `/me`'s
//! (`KM_BENCH_ONLY=text`: only `/me` and the endpoints naming `text`). It
//! measures; it asserts nothing.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::percentile;
use serde_json::{Value, json};

const LEVELS: [&str; 4] = ["love", "teach", "learn", "curious"];
const PRACTICES: [&str; 3] = ["reused_article", "community_answer", "mentoring"];

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn token(sub: &str, roles: &[&str]) -> String {
    let department = ["Sales", "Research", "Finance", "Support"][sub.len() % 4];
    common::token(sub, department, roles)
}

/// A vocabulary of 400 tags, as a large intranet has.
fn tag(i: usize) -> String {
    const WORDS: [&str; 20] = [
        "rust",
        "sales",
        "kubernetes",
        "pricing",
        "onboarding",
        "security",
        "excel",
        "design",
        "python",
        "tax",
        "hiring",
        "sql",
        "coaching",
        "audit",
        "cloud",
        "legal",
        "writing",
        "billing",
        "search",
        "data",
    ];
    format!("{}-{}", WORDS[i % 20], (i / 20) % 20)
}

/// Runs `n` writes, `concurrency` at a time; returns each write's JSON
/// answer (or panics with the first failure, which would spoil the data).
async fn fill<F>(
    http: &reqwest::Client,
    n: usize,
    concurrency: usize,
    what: &str,
    req: F,
) -> Vec<Value>
where
    F: Fn(&reqwest::Client, usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let req = Arc::new(req);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (http, next, req) = (http.clone(), next.clone(), req.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let res = req(&http, i).send().await.expect("request");
                let status = res.status();
                let body: Value = res.json().await.unwrap_or(Value::Null);
                assert!(status.is_success(), "write {i} failed: {status} {body}");
                out.push((i, body));
            }
            out
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    all.sort_by_key(|(i, _)| *i);
    eprintln!("  {n} {what} in {:.1} s", started.elapsed().as_secs_f64());
    all.into_iter().map(|(_, v)| v).collect()
}

struct Load {
    requests: u64,
    failed: u64,
    secs: f64,
    p50: Duration,
    p99: Duration,
}

async fn load(
    http: &reqwest::Client,
    paths: Arc<Vec<String>>,
    tokens: &[String],
    connections: usize,
    secs: u64,
) -> Load {
    let stop = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (http, stop, failed, paths) =
            (http.clone(), stop.clone(), failed.clone(), paths.clone());
        let t = tokens[c % tokens.len()].clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = c;
            while !stop.load(Ordering::Relaxed) {
                i = i.wrapping_mul(31).wrapping_add(7);
                let url = &paths[i % paths.len()];
                let t0 = Instant::now();
                let ok = match http.get(url).bearer_auth(&t).send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if ok {
                    lat.push(t0.elapsed());
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
            lat
        }));
    }
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap_or_default());
    }
    let secs = started.elapsed().as_secs_f64();
    lat.sort();
    Load {
        requests: lat.len() as u64,
        failed: failed.load(Ordering::Relaxed),
        secs,
        p50: percentile(&lat, 0.5),
        p99: percentile(&lat, 0.99),
    }
}

fn main() {
    let questions = env_num("KM_BENCH_QUESTIONS", 20_000);
    let stories = questions / 10;
    let profiles = questions / 2;
    let reflections = questions / 4;
    let connections = env_num("KM_BENCH_CONNECTIONS", 64);
    let secs = env_num("KM_BENCH_SECS", 5) as u64;

    let dir = std::env::temp_dir().join(format!("km-bench-reads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = std::env::var("KM_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let (server_rt, origin) = common::serve(&url);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .build()
            .expect("client");
        let api = format!("{origin}/api/v1");
        eprintln!("filling {backend} through the API:");
        // People: every profile its own person; the first `connections` of
        // them read in the load phase.
        let people: Arc<Vec<String>> =
            Arc::new((0..profiles.max(connections)).map(|i| token(&format!("p{i}"), &[])).collect());
        let (p, a) = (people.clone(), api.clone());
        fill(&http, profiles, 16, "profiles", move |h, i| {
            let passions: Vec<Value> = (0..3 + i % 3)
                .map(|k| {
                    json!({
                        "tag": tag(i * 7 + k * 13),
                        "level": LEVELS[(i + k) % 4],
                    })
                })
                .collect();
            h.put(format!("{a}/profiles/me")).bearer_auth(&p[i]).json(&json!({
                "passions": passions,
                "why": "I like to help and to learn from colleagues.",
                "open_to_chat": i % 2 == 0,
            }))
        })
        .await;
        let (p, a) = (people.clone(), api.clone());
        let asked = fill(&http, questions, 16, "questions", move |h, i| {
            let tags: Vec<String> = (0..1 + i % 3).map(|k| tag(i + k * 101)).collect();
            h.post(format!("{a}/questions")).bearer_auth(&p[i % p.len()]).json(&json!({
                "title": format!("How do we handle case {i} of {}?", tags[0]),
                "body": "We tried the usual approach and it did not work. Who has done this before and what did you learn?",
                "tags": tags,
            }))
        })
        .await;
        let ids: Vec<String> = asked
            .iter()
            .filter_map(|q| q["id"].as_str().map(str::to_owned))
            .collect();
        let answered: Arc<Vec<String>> = Arc::new(ids.iter().step_by(10).cloned().collect());
        let (p, a, q) = (people.clone(), api.clone(), answered.clone());
        fill(&http, answered.len() * 3, 16, "answers", move |h, i| {
            h.post(format!("{a}/questions/{}/answers", q[i / 3]))
                .bearer_auth(&p[(i * 17 + 1) % p.len()])
                .json(&json!({ "body": "We did this last year: start small, measure, and write it down." }))
        })
        .await;
        let (p, a) = (people.clone(), api.clone());
        let submitted = fill(&http, stories, 16, "stories", move |h, i| {
            h.post(format!("{a}/stories")).bearer_auth(&p[i % p.len()]).json(&json!({
                "title": format!("Story {i}: reuse cut the lead time"),
                "situation": "Every team wrote its own checklist for the same job.",
                "practice": PRACTICES[i % 3],
                "result": "One shared checklist, kept by the community.",
                "metrics": [{ "label": "Lead time", "unit": "days", "baseline": 10.0,
                              "current": 6.0 + (i % 4) as f64, "higher_is_better": false }],
                "tags": [tag(i)],
            }))
        })
        .await;
        let story_ids: Arc<Vec<String>> = Arc::new(
            submitted
                .iter()
                .filter_map(|s| s["id"].as_str().map(str::to_owned))
                .collect(),
        );
        let moderator = token("moderator", &["km:moderator"]);
        let (s, a) = (story_ids.clone(), api.clone());
        fill(&http, story_ids.len(), 16, "publications", move |h, i| {
            h.post(format!("{a}/stories/{}/publish", s[i])).bearer_auth(&moderator)
        })
        .await;
        let (p, a) = (people.clone(), api.clone());
        fill(&http, reflections, 16, "shared reflections", move |h, i| {
            h.post(format!("{a}/reflections")).bearer_auth(&p[i % p.len()]).json(&json!({
                "body": "Sought: two answers on pricing. Sensed: we ask the same thing every quarter. Shared: a short note.",
                "tags": [tag(i)],
                "visibility": "shared",
            }))
        })
        .await;

        let readers: Vec<String> = people[..connections.min(people.len())].to_vec();
        let one = |p: &str| Arc::new(vec![format!("{api}{p}")]);
        let details: Arc<Vec<String>> = Arc::new(
            ids.iter()
                .step_by((ids.len() / 500).max(1))
                .map(|id| format!("{api}/questions/{id}"))
                .collect(),
        );
        let endpoints: Vec<(&str, Arc<Vec<String>>)> = vec![
            ("GET /me", one("/me")),
            ("GET /questions?limit=20", one("/questions?limit=20")),
            ("GET /questions/{id}", details),
            ("GET /stories?limit=20", one("/stories?limit=20")),
            ("GET /reflections/feed?limit=20", one("/reflections/feed?limit=20")),
            ("GET /matches", one("/matches")),
            ("GET /tags?limit=20", one("/tags?limit=20")),
        ];
        println!(
            "km-server reads, {backend}: {questions} questions, {stories} stories, {profiles} profiles, \
             {reflections} reflections; {connections} connections, {secs} s each"
        );
        println!(
            "{:<32} {:>10} {:>9} {:>9} {:>8} {:>7}",
            "endpoint", "req/s", "p50 ms", "p99 ms", "of /me", "failed"
        );
        let mut me_rate = None;
        // `KM_BENCH_ONLY=questions` runs `/me` and the endpoints whose name
        // contains that text (for a profiler).
        let only = std::env::var("KM_BENCH_ONLY").unwrap_or_default();
        for (name, paths) in endpoints {
            if !(name == "GET /me" || name.contains(only.as_str())) {
                continue;
            }
            // A short warm-up so every endpoint starts with warm caches.
            let _ = load(&http, paths.clone(), &readers, connections, 1).await;
            let r = load(&http, paths, &readers, connections, secs).await;
            let rate = r.requests as f64 / r.secs;
            let me = *me_rate.get_or_insert(rate);
            println!(
                "{:<32} {:>10.0} {:>9.1} {:>9.1} {:>7.0}% {:>7}",
                name,
                rate,
                r.p50.as_secs_f64() * 1e3,
                r.p99.as_secs_f64() * 1e3,
                100.0 * rate / me,
                r.failed
            );
        }
    });
    drop(server_rt);
    let _ = std::fs::remove_dir_all(&dir);
}
