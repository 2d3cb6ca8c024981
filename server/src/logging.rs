//! The server's log: text or JSON lines, with sqlx's per-request
//! "slow acquire" warnings summed up into one line per interval (issue 10
//! item 15: under load they came 3,888 times in 15 s and buried the rest).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Where sqlx reports a connection that took long to acquire.
const ACQUIRE_TARGET: &str = "sqlx::pool::acquire";

/// Slow connection acquires since the last summary.
#[derive(Debug, Default)]
pub struct SlowAcquires {
    count: AtomicU64,
    /// The longest wait, in microseconds.
    longest_us: AtomicU64,
}

impl SlowAcquires {
    /// Takes the count and the longest wait since the last call.
    pub fn take(&self) -> (u64, Duration) {
        let n = self.count.swap(0, Ordering::Relaxed);
        let us = self.longest_us.swap(0, Ordering::Relaxed);
        (n, Duration::from_micros(us))
    }

    /// Logs one summary line when there was any slow acquire.
    pub fn report(&self, every: Duration) {
        let (n, longest) = self.take();
        if n > 0 {
            tracing::warn!(
                slow_acquires = n,
                longest_ms = longest.as_millis() as u64,
                interval_s = every.as_secs(),
                "requests waited for a database connection: the pool is saturated"
            );
        }
    }
}

/// A layer that counts sqlx's slow-acquire events into [`SlowAcquires`].
pub struct CountSlowAcquires(pub Arc<SlowAcquires>);

impl<S: Subscriber> Layer<S> for CountSlowAcquires {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        struct Waited(f64);
        impl Visit for Waited {
            fn record_f64(&mut self, field: &Field, value: f64) {
                if field.name() == "aquired_after_secs" || field.name() == "acquired_after_secs" {
                    self.0 = value;
                }
            }
            fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
        }
        let mut waited = Waited(0.0);
        event.record(&mut waited);
        self.0.count.fetch_add(1, Ordering::Relaxed);
        let us = (waited.0.max(0.0) * 1e6) as u64;
        self.0.longest_us.fetch_max(us, Ordering::Relaxed);
    }
}

/// Sets up the global log (`RUST_LOG` or `default_filter`) and returns the
/// slow-acquire counter, to be reported with [`SlowAcquires::report`].
pub fn init(json: bool, default_filter: &str) -> Arc<SlowAcquires> {
    let slow = Arc::new(SlowAcquires::default());
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // The plain log never shows the per-acquire lines; the counter gets them.
    let filter = filter.add_directive(
        format!("{ACQUIRE_TARGET}=off")
            .parse()
            .expect("a valid directive"),
    );
    let count = CountSlowAcquires(slow.clone())
        .with_filter(Targets::new().with_target(ACQUIRE_TARGET, Level::WARN));
    let registry = tracing_subscriber::registry().with(count);
    if json {
        registry
            .with(tracing_subscriber::fmt::layer().json().with_filter(filter))
            .init();
    } else {
        registry
            .with(tracing_subscriber::fmt::layer().with_filter(filter))
            .init();
    }
    slow
}

#[cfg(test)]
mod tests {
    use super::*;

    // Regression (issue 10 item 15): every slow acquire was its own warning.
    // The counter takes them in, and one summary reports how many and the
    // longest wait; other warnings and faster acquires are not counted.
    #[test]
    fn slow_acquires_are_counted_not_logged_one_by_one() {
        let slow = Arc::new(SlowAcquires::default());
        let subscriber = tracing_subscriber::registry().with(
            CountSlowAcquires(slow.clone())
                .with_filter(Targets::new().with_target(ACQUIRE_TARGET, Level::WARN)),
        );
        tracing::subscriber::with_default(subscriber, || {
            for secs in [0.6, 2.5, 0.9] {
                tracing::warn!(target: "sqlx::pool::acquire", aquired_after_secs = secs, "slow");
            }
            tracing::info!(target: "sqlx::pool::acquire", aquired_after_secs = 9.0, "acquired");
            tracing::warn!(target: "km_server::other", aquired_after_secs = 9.0, "unrelated");
        });
        let (n, longest) = slow.take();
        assert_eq!(n, 3, "three slow acquires");
        assert_eq!(longest, Duration::from_millis(2500));
        assert_eq!(slow.take(), (0, Duration::ZERO), "taken once");
    }
}
