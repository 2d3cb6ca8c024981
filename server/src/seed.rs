//! Demo mode: the Northwind seed (`server/demo/seed.json`, compiled in) and
//! the demo's signing secret. The seed goes through the same functions as
//! the API, so it obeys the same validation; it runs once, into an empty
//! database, in one transaction.

use km_protocol::passions::ProfileUpdate;
use km_protocol::questions::NewQuestion;
use km_protocol::reflections::NewReflection;
use km_protocol::stories::{Goal, NewStory, StoryStatus};
use km_protocol::{DEFAULT_COMMUNITY, Me, Role, Validate};
use rand::RngCore;
use serde::Deserialize;

use crate::db::{people, profiles};
use crate::store::{Store, now_ms};

/// The demo data, compiled into the binary.
pub const SEED_JSON: &str = include_str!("../demo/seed.json");

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Seed {
    people: Vec<SeedPerson>,
    goals: Vec<Goal>,
    profiles: Vec<SeedProfile>,
    questions: Vec<SeedQuestion>,
    reflections: Vec<SeedReflection>,
    stories: Vec<SeedStory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedPerson {
    sub: String,
    name: String,
    email: Option<String>,
    department: Option<String>,
    roles: Vec<Role>,
    lang: String,
}

#[derive(Debug, Deserialize)]
struct SeedProfile {
    sub: String,
    #[serde(flatten)]
    update: ProfileUpdate,
}

#[derive(Debug, Deserialize)]
struct SeedQuestion {
    author: String,
    days_ago: i64,
    answers: Vec<SeedAnswer>,
    #[serde(flatten)]
    question: NewQuestion,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedAnswer {
    author: String,
    days_ago: i64,
    body: String,
    accepted: bool,
}

#[derive(Debug, Deserialize)]
struct SeedReflection {
    author: String,
    days_ago: i64,
    #[serde(flatten)]
    reflection: NewReflection,
}

#[derive(Debug, Deserialize)]
struct SeedStory {
    author: String,
    days_ago: i64,
    status: StoryStatus,
    #[serde(flatten)]
    story: NewStory,
}

/// The demo's HS256 secret: made once and kept in the database, so demo
/// tokens survive a restart.
pub async fn demo_secret(store: &Store) -> anyhow::Result<Vec<u8>> {
    let mut w = store.write().await?;
    let secret = people::demo_secret(&mut w.tx, || {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
    .await?;
    w.commit().await?;
    Ok(secret.into_bytes())
}

/// The day the seed's questions were written: their `days_ago` count from
/// it, and their need-by dates move with it.
const SEED_WRITTEN: time::Date = time::macros::date!(2026 - 11 - 26);

/// A need-by date of the seed, moved by as many days as `today` is after
/// the day the seed was written, so urgent questions stay urgent in a demo
/// started any day (not "needed by" a date long past). A date that does not
/// parse is kept.
fn shift_need_by(need_by: &str, today: time::Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(need_by, &format) {
        Ok(d) => (d + (today - SEED_WRITTEN))
            .format(&format)
            .unwrap_or_else(|_| need_by.to_owned()),
        Err(_) => need_by.to_owned(),
    }
}

/// Seeds the demo company unless people are there already.
pub async fn seed_if_empty(store: &Store) -> anyhow::Result<()> {
    if people::demo_count(store.pool()).await? > 0 {
        return Ok(());
    }
    let seed: Seed = serde_json::from_str(SEED_JSON)?;
    let now = now_ms();
    let at = |days_ago: i64, salt: usize| now - days_ago * DAY_MS - (salt as i64 % 600) * 60_000;
    let c = DEFAULT_COMMUNITY;
    let mut w = store.write().await?;
    let person = |sub: &str| -> anyhow::Result<Me> {
        let p = seed
            .people
            .iter()
            .find(|p| p.sub == sub)
            .ok_or_else(|| anyhow::anyhow!("seed: unknown person {sub}"))?;
        Ok(Me {
            id: p.sub.clone(),
            name: p.name.clone(),
            email: p.email.clone(),
            department: p.department.clone(),
            roles: p.roles.clone(),
        })
    };
    for (i, p) in seed.people.iter().enumerate() {
        people::upsert(&mut w.tx, &person(&p.sub)?).await?;
        people::set_demo_position(&mut w.tx, &p.sub, i as i64 + 1, &p.lang).await?;
    }
    for (i, g) in seed.goals.iter().enumerate() {
        crate::db::goals::upsert(&mut w.tx, c, g, i as i64, now).await?;
    }
    let fail = |what: &str, e: crate::error::ApiError| anyhow::anyhow!("seed {what}: {e:?}");
    for (i, p) in seed.profiles.iter().enumerate() {
        p.update
            .validate()
            .map_err(|e| fail(&p.sub, crate::error::ApiError::Validation(e)))?;
        profiles::save(
            &mut w.tx,
            c,
            &person(&p.sub)?,
            &p.update,
            at(i as i64 % 30, i),
        )
        .await
        .map_err(|e| fail(&p.sub, e))?;
    }
    let today = time::OffsetDateTime::from_unix_timestamp(now / 1000)?.date();
    for (i, q) in seed.questions.iter().enumerate() {
        let mut question = q.question.clone();
        question.need_by = question.need_by.map(|d| shift_need_by(&d, today));
        let id = crate::db::questions::create(
            &mut w.tx,
            c,
            &person(&q.author)?,
            &question,
            at(q.days_ago, i),
        )
        .await
        .map_err(|e| fail(&q.question.title, e))?;
        let mut answers: Vec<&SeedAnswer> = q.answers.iter().collect();
        answers.sort_by_key(|a| std::cmp::Reverse(a.days_ago));
        for (j, a) in answers.into_iter().enumerate() {
            // Answers come after their question, in order.
            let when = (at(a.days_ago, i) + (j as i64 + 1) * 3_600_000).min(now);
            crate::db::answers::create(
                &mut w.tx,
                &id,
                &person(&a.author)?,
                &a.body,
                a.accepted,
                when,
            )
            .await
            .map_err(|e| fail("answer", e))?;
        }
    }
    for (i, r) in seed.reflections.iter().enumerate() {
        crate::db::reflections::create(
            &mut w.tx,
            c,
            &person(&r.author)?,
            &r.reflection,
            at(r.days_ago, i),
        )
        .await
        .map_err(|e| fail("reflection", e))?;
    }
    for (i, s) in seed.stories.iter().enumerate() {
        crate::db::stories::create(
            &mut w.tx,
            c,
            &person(&s.author)?,
            &s.story,
            s.status,
            at(s.days_ago, i),
        )
        .await
        .map_err(|e| fail(&s.story.title, e))?;
    }
    w.commit().await?;
    tracing::info!(
        people = seed.people.len(),
        questions = seed.questions.len(),
        stories = seed.stories.len(),
        "seeded the demo company"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn need_by_dates_move_with_the_day_the_demo_starts() {
        use time::macros::date;
        assert_eq!(
            super::shift_need_by("2026-11-27", date!(2026 - 11 - 26)),
            "2026-11-27"
        );
        assert_eq!(
            super::shift_need_by("2026-11-27", date!(2027 - 03 - 01)),
            "2027-03-02"
        );
        assert_eq!(
            super::shift_need_by("not a date", date!(2027 - 03 - 01)),
            "not a date"
        );
    }

    use sqlx::Row;

    use super::*;

    #[tokio::test]
    async fn the_demo_seed_is_valid_and_loads_once() {
        let dir = std::env::temp_dir().join(format!("km-seed-{}", std::process::id()));
        let url = format!("sqlite://{}/seed.db?mode=rwc", dir.display());
        let store = Store::connect(&url).await.unwrap();
        seed_if_empty(&store).await.unwrap();
        seed_if_empty(&store).await.unwrap();
        let count = |sql: &'static str| {
            let store = store.clone();
            async move {
                sqlx::query(sql)
                    .fetch_one(store.pool())
                    .await
                    .unwrap()
                    .try_get::<i64, _>("n")
                    .unwrap()
            }
        };
        assert_eq!(count("SELECT COUNT(*) AS n FROM people").await, 40);
        assert!(count("SELECT COUNT(*) AS n FROM questions").await >= 20);
        assert!(count("SELECT COUNT(*) AS n FROM stories WHERE status = 'published'").await >= 6);
        assert!(count("SELECT COUNT(*) AS n FROM profiles").await >= 30);
        let secret = demo_secret(&store).await.unwrap();
        assert_eq!(
            secret,
            demo_secret(&store).await.unwrap(),
            "the demo secret is kept"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
