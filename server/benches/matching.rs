//! passion-match at scale: 100,000 generated profiles (5-15 passions each
//! from 5,000 tags, Zipf-distributed) in a SQLite file; the latency of a
//! top-20 `GET /matches` and of a `PUT /profiles/me`, through the whole
//! router (JWT check, SQL, ranking, JSON) on one thread.
//!
//! Run: `cargo bench -p km-server --bench matching` (about a minute to
//! generate the data). It prints the time and memory the first query takes
//! to build the in-memory index, p50/p95/p99 over 1,000 queries, 300
//! updates and 300 queries each right after an update, then divan's table. Set `KM_BENCH_PROFILES` for another size.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, header};
use km_protocol::TokenClaims;
use km_server::auth::{Keys, Verifier};
use km_server::{AppOptions, AppState, Store, app};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tower::ServiceExt;

const TAGS: usize = 5_000;
const ZIPF_S: f64 = 1.07;
const SECRET: &[u8] = b"benchmark-secret-0123456789abcdef";
const LEVELS: [&str; 4] = ["love", "curious", "teach", "learn"];
const DEPARTMENTS: [&str; 12] = [
    "Sales",
    "HR",
    "Finance",
    "Legal",
    "IT",
    "Operations",
    "Marketing",
    "Product",
    "Engineering",
    "Customer Service",
    "Procurement",
    "Facilities",
];

struct Fixture {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
    tokens: Vec<String>,
    profiles: usize,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

fn zipf_cdf() -> Vec<f64> {
    let weights: Vec<f64> = (1..=TAGS).map(|r| 1.0 / (r as f64).powf(ZIPF_S)).collect();
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w / total;
            acc
        })
        .collect()
}

fn draw(cdf: &[f64], rng: &mut StdRng) -> usize {
    let x: f64 = rng.r#gen();
    cdf.partition_point(|c| *c < x).min(TAGS - 1)
}

fn passions(cdf: &[f64], rng: &mut StdRng) -> Vec<(usize, &'static str)> {
    let n = rng.gen_range(5..=15);
    let mut out: Vec<(usize, &'static str)> = Vec::with_capacity(n);
    while out.len() < n {
        let t = draw(cdf, rng);
        if !out.iter().any(|(x, _)| *x == t) {
            out.push((t, LEVELS[rng.gen_range(0..LEVELS.len())]));
        }
    }
    out
}

async fn insert_rows(store: &Store, table: &str, cols: &[&str], rows: Vec<Vec<String>>) {
    let per = 400 / cols.len();
    for chunk in rows.chunks(per) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut n = 1;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let ph: Vec<String> = (0..cols.len()).map(|j| format!("${}", n + j)).collect();
            n += cols.len();
            sql.push_str(&format!("({})", ph.join(", ")));
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = q.bind(v.clone());
            }
        }
        q.execute(store.pool()).await.expect("insert");
    }
}

async fn setup(profiles: usize) -> (axum::Router, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("km-bench-{}", std::process::id()));
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    let store = Store::connect(&url).await.expect("store");
    let mut rng = StdRng::seed_from_u64(42);
    let cdf = zipf_cdf();
    let started = Instant::now();
    // Text columns only, so one bind type serves every table (SQLite's
    // affinity stores the numbers as integers).
    let tags = (0..TAGS)
        .map(|t| {
            vec![
                "default".into(),
                format!("tag {t}"),
                format!("Tag {t}"),
                "0".into(),
            ]
        })
        .collect();
    insert_rows(
        &store,
        "tags",
        &["community", "key", "label", "created_at"],
        tags,
    )
    .await;
    let mut people = Vec::with_capacity(profiles);
    let mut profile_rows = Vec::with_capacity(profiles);
    let mut passion_rows = Vec::with_capacity(profiles * 10);
    for i in 0..profiles {
        let id = format!("p{i}");
        let dept = DEPARTMENTS[i % DEPARTMENTS.len()];
        people.push(vec![
            id.clone(),
            format!("Person {i}"),
            dept.into(),
            "".into(),
            "0".into(),
        ]);
        let vis = match rng.gen_range(0..100) {
            0..90 => "organization",
            90..95 => "department",
            _ => "hidden",
        };
        profile_rows.push(vec![
            "default".into(),
            id.clone(),
            String::new(),
            "1".into(),
            vis.into(),
            i.to_string(),
        ]);
        for (pos, (t, level)) in passions(&cdf, &mut rng).into_iter().enumerate() {
            passion_rows.push(vec![
                "default".into(),
                id.clone(),
                format!("tag {t}"),
                level.into(),
                pos.to_string(),
            ]);
        }
    }
    let n_passions = passion_rows.len();
    insert_rows(
        &store,
        "people",
        &["id", "name", "department", "roles", "updated_at"],
        people,
    )
    .await;
    insert_rows(
        &store,
        "profiles",
        &[
            "community",
            "person_id",
            "why",
            "open_to_chat",
            "visibility",
            "updated_at",
        ],
        profile_rows,
    )
    .await;
    insert_rows(
        &store,
        "passions",
        &["community", "person_id", "tag_key", "level", "position"],
        passion_rows,
    )
    .await;
    sqlx::query("ANALYZE")
        .execute(store.pool())
        .await
        .expect("analyze");
    eprintln!(
        "generated {profiles} profiles with {n_passions} passions over {TAGS} tags in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let verifier = Arc::new(Verifier::new(Keys::Shared(SECRET.to_vec()), None, None));
    let tokens = (0..1_000)
        .map(|_| {
            let i = rng.gen_range(0..profiles);
            verifier
                .sign(&TokenClaims {
                    sub: format!("p{i}"),
                    name: format!("Person {i}"),
                    email: None,
                    department: Some(DEPARTMENTS[i % DEPARTMENTS.len()].into()),
                    roles: vec![],
                    exp: 4_000_000_000,
                    iat: None,
                })
                .expect("token")
        })
        .collect();
    let state = AppState {
        store,
        verifier: Some(verifier),
        anonymous_reads: false,
        demo: false,
        service_token: None,
        rate_limits: std::sync::Arc::new(km_server::rate_limit::RateLimits::off()),
        sign_in: None,
    };
    let opts = AppOptions {
        max_body_bytes: 64 * 1024,
        ..AppOptions::default()
    };
    (app(state, &opts), tokens)
}

fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let profiles = std::env::var("KM_BENCH_PROFILES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100_000);
        let (router, tokens) = rt.block_on(setup(profiles));
        Fixture {
            rt,
            router,
            tokens,
            profiles,
        }
    })
}

fn match_query(f: &Fixture, i: usize) -> usize {
    let req = Request::get("/api/v1/matches?limit=20")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", f.tokens[i % f.tokens.len()]),
        )
        .body(Body::empty())
        .expect("request");
    let res =
        f.rt.block_on(f.router.clone().oneshot(req))
            .expect("response");
    assert!(res.status().is_success(), "{}", res.status());
    let body =
        f.rt.block_on(axum::body::to_bytes(res.into_body(), usize::MAX))
            .expect("body");
    body.len()
}

fn profile_update(f: &Fixture, i: usize, rng: &mut StdRng, cdf: &[f64]) {
    let passions: Vec<serde_json::Value> = passions(cdf, rng)
        .into_iter()
        .map(|(t, l)| serde_json::json!({ "tag": format!("Tag {t}"), "level": l }))
        .collect();
    let body = serde_json::json!({ "passions": passions, "visibility": "organization" });
    let req = Request::put("/api/v1/profiles/me")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", f.tokens[i % f.tokens.len()]),
        )
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let res =
        f.rt.block_on(f.router.clone().oneshot(req))
            .expect("response");
    assert!(res.status().is_success(), "{}", res.status());
}

fn percentiles(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let p = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name}: n={} p50={:.2} ms p95={:.2} ms p99={:.2} ms max={:.2} ms",
        ms.len(),
        p(0.50),
        p(0.95),
        p(0.99),
        p(1.0)
    );
}

/// `GET /matches?limit=20` for a random person.
#[divan::bench(sample_count = 200)]
fn top20_matches(bencher: divan::Bencher) {
    let f = fixture();
    let mut i = 0;
    bencher.bench_local(|| {
        i += 1;
        match_query(f, i)
    });
}

/// `PUT /profiles/me` with 5-15 passions for a random person.
#[divan::bench(sample_count = 100)]
fn profile_put(bencher: divan::Bencher) {
    let f = fixture();
    let cdf = zipf_cdf();
    let mut rng = StdRng::seed_from_u64(7);
    let mut i = 0;
    bencher.bench_local(|| {
        i += 1;
        profile_update(f, i, &mut rng, &cdf)
    });
}

/// The resident memory of this process in MB (Linux), to see what the
/// in-memory index takes.
fn resident_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let f = fixture();
    // The first query builds the server's in-memory index.
    let before = resident_mb();
    let t = Instant::now();
    match_query(f, 0);
    let built = t.elapsed().as_secs_f64();
    let after = resident_mb();
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "first query (builds the index): {built:.2} s; resident memory {b:.0} MB -> {a:.0} MB"
        );
    }
    let mut q = Vec::new();
    for i in 0..1_000 {
        let t = Instant::now();
        match_query(f, i);
        q.push(t.elapsed().as_secs_f64() * 1e3);
    }
    percentiles(&format!("top-20 matches over {} profiles", f.profiles), q);
    let cdf = zipf_cdf();
    let mut rng = StdRng::seed_from_u64(3);
    let mut u = Vec::new();
    for i in 0..300 {
        let t = Instant::now();
        profile_update(f, i, &mut rng, &cdf);
        u.push(t.elapsed().as_secs_f64() * 1e3);
    }
    percentiles("profile update", u);
    // Each query right after someone's profile changed: the index first
    // catches up with the change log.
    let mut c = Vec::new();
    for i in 0..300 {
        profile_update(f, i + 7, &mut rng, &cdf);
        let t = Instant::now();
        match_query(f, i);
        c.push(t.elapsed().as_secs_f64() * 1e3);
    }
    percentiles("top-20 matches right after a profile update", c);
    divan::main();
}
