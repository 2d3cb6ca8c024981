//! Load benchmark: SQLite write throughput while readers hammer the list
//! (issue 10 item 13: writes starved behind readers, 154 writes/s alone and
//! 7.3 with 64 readers, because a writer held the write lock while waiting
//! for a pooled connection).
//!
//! `cargo bench -p km-server --bench writes` (release) or, to compare with
//! the audit's debug-build figures, `cargo bench -p km-server --bench writes
//! --profile dev`. An in-process km-server on a fresh SQLite file, real HTTP
//! on loopback: 16 writers post questions as 16 people while 0, 8 and 64
//! readers list questions, each round for `KM_BENCH_SECS` seconds (default
//! 5). Prints writes/s, write latency p50/p99 and reads/s per round. It
//! measures; it asserts nothing. `KM_MAX_CONCURRENT_READS=0` turns the
//! server's read turns off, to compare.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::percentile;
use serde_json::json;

const WRITERS: usize = 16;

fn token(sub: &str) -> String {
    common::token(sub, "Sales", &[])
}

struct Round {
    readers: usize,
    writes: u64,
    failed_writes: u64,
    reads: u64,
    secs: f64,
    p50: Duration,
    p99: Duration,
}

async fn round(origin: &str, readers: usize, secs: u64, tokens: &[String]) -> Round {
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()
        .expect("client");
    let mut reader_tasks = Vec::new();
    for r in 0..readers {
        let (http, stop, reads, origin) =
            (http.clone(), stop.clone(), reads.clone(), origin.to_owned());
        let t = tokens[r % tokens.len()].clone();
        reader_tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let res = http
                    .get(format!("{origin}/api/v1/questions?limit=20"))
                    .bearer_auth(&t)
                    .send()
                    .await;
                if let Ok(res) = res
                    && res.status().is_success()
                    && res.bytes().await.is_ok()
                {
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let started = Instant::now();
    let mut writer_tasks = Vec::new();
    for (w, t) in tokens.iter().enumerate().take(WRITERS) {
        let (http, stop, failed, origin, t) = (
            http.clone(),
            stop.clone(),
            failed.clone(),
            origin.to_owned(),
            t.clone(),
        );
        writer_tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let body = json!({
                    "title": format!("Benchmark question {i} from writer {w}?"),
                    "body": "How do we measure this?",
                    "tags": ["bench"],
                });
                let t0 = Instant::now();
                let res = http
                    .post(format!("{origin}/api/v1/questions"))
                    .bearer_auth(&t)
                    .json(&body)
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().as_u16() == 201 => lat.push(t0.elapsed()),
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            lat
        }));
    }
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    let mut lat = Vec::new();
    for t in writer_tasks {
        lat.extend(t.await.unwrap_or_default());
    }
    let secs = started.elapsed().as_secs_f64();
    for t in reader_tasks {
        let _ = t.await;
    }
    lat.sort();
    Round {
        readers,
        writes: lat.len() as u64,
        failed_writes: failed.load(Ordering::Relaxed),
        reads: reads.load(Ordering::Relaxed),
        secs,
        p50: percentile(&lat, 0.5),
        p99: percentile(&lat, 0.99),
    }
}

fn main() {
    let secs: u64 = std::env::var("KM_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = std::env::temp_dir().join(format!("km-bench-writes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (server_rt, origin) =
        common::serve(&format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let tokens: Vec<String> = (0..WRITERS).map(|i| token(&format!("bench-{i}"))).collect();
        // A list worth reading: 300 questions before the first round.
        let _ = round(&origin, 0, 2, &tokens).await;
        println!(
            "SQLite writes under readers: {WRITERS} writers posting questions, {secs} s a round"
        );
        println!(
            "{:>8} {:>10} {:>10} {:>10} {:>10} {:>8}",
            "readers", "writes/s", "p50 ms", "p99 ms", "reads/s", "failed"
        );
        let mut alone = None;
        for readers in [0, 8, 64] {
            let r = round(&origin, readers, secs, &tokens).await;
            let rate = r.writes as f64 / r.secs;
            alone.get_or_insert(rate);
            println!(
                "{:>8} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>8}",
                r.readers,
                rate,
                r.p50.as_secs_f64() * 1e3,
                r.p99.as_secs_f64() * 1e3,
                r.reads as f64 / r.secs,
                r.failed_writes
            );
            if let Some(a) = alone
                && readers > 0
            {
                println!("{:>8} {:>9.0}% of the rate alone", "", 100.0 * rate / a);
            }
        }
    });
    drop(server_rt);
    let _ = std::fs::remove_dir_all(&dir);
}
