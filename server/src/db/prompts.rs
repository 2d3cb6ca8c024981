//! Prompt sets and their prompts (the built-in library is `default`, which
//! an admin may extend), and the per-person draws of the prompt rotation.

use km_protocol::reflections::{DEFAULT_PROMPT_SET, NewPrompt, PromptSet};
use sqlx::{AnyConnection, Row};

use crate::db::sql::wire;
use crate::prompts::{LIBRARY, SetPrompt};

/// Whether `community` has the added set `id` (not `default`).
async fn set_exists(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT id FROM prompt_sets WHERE community = $1 AND id = $2")
            .bind(community)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}

/// Whether prompts can be added to `set`: `default` or an added set.
pub async fn set_known(
    conn: &mut AnyConnection,
    community: &str,
    set: &str,
) -> Result<bool, sqlx::Error> {
    Ok(set == DEFAULT_PROMPT_SET || set_exists(conn, community, set).await?)
}

/// The prompts of `set` (the built-in library first for `default`), or
/// None when the set does not exist.
pub async fn load_set(
    conn: &mut AnyConnection,
    community: &str,
    set: &str,
) -> Result<Option<Vec<SetPrompt>>, sqlx::Error> {
    let mut out: Vec<SetPrompt> = Vec::new();
    if set == DEFAULT_PROMPT_SET {
        out.extend(LIBRARY.iter().map(SetPrompt::from));
    } else if !set_exists(conn, community, set).await? {
        return Ok(None);
    }
    let rows = sqlx::query(
        "SELECT id, stage, activity, text_en, text_nl FROM custom_prompts \
         WHERE community = $1 AND set_id = $2 ORDER BY created_at, id",
    )
    .bind(community)
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        out.push(SetPrompt {
            id: r.try_get("id")?,
            stage: wire(&r, "stage")?,
            activity: wire(&r, "activity")?,
            en: r.try_get("text_en")?,
            nl: r.try_get("text_nl")?,
        });
    }
    Ok(Some(out))
}

/// Whether `id` is a prompt of the library or of any set of `community`.
pub async fn prompt_exists(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    if crate::prompts::by_id(id).is_some() {
        return Ok(true);
    }
    let row = sqlx::query("SELECT id FROM custom_prompts WHERE community = $1 AND id = $2")
        .bind(community)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// The built-in set (with the prompts added to it) and the added sets,
/// with their sizes.
pub async fn sets(
    conn: &mut AnyConnection,
    community: &str,
) -> Result<Vec<PromptSet>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.id, s.name, (SELECT COUNT(*) FROM custom_prompts c \
           WHERE c.community = s.community AND c.set_id = s.id) AS n \
         FROM prompt_sets s WHERE s.community = $1 ORDER BY s.created_at, s.id",
    )
    .bind(community)
    .fetch_all(&mut *conn)
    .await?;
    let extra: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM custom_prompts WHERE community = $1 AND set_id = $2",
    )
    .bind(community)
    .bind(DEFAULT_PROMPT_SET)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    let mut out = vec![PromptSet {
        id: DEFAULT_PROMPT_SET.to_owned(),
        name: "Seek, sense, share".to_owned(),
        prompt_count: LIBRARY.len() as i64 + extra,
    }];
    for r in rows {
        out.push(PromptSet {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            prompt_count: r.try_get("n")?,
        });
    }
    Ok(out)
}

/// Adds the set `id`; false when `community` has it already.
pub async fn create_set(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    name: &str,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO prompt_sets (community, id, name, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (community, id) DO NOTHING",
    )
    .bind(community)
    .bind(id)
    .bind(name)
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds prompt `id` (texts trimmed) to `set`.
pub async fn add_prompt(
    conn: &mut AnyConnection,
    community: &str,
    set: &str,
    id: &str,
    p: &NewPrompt,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO custom_prompts (id, community, set_id, stage, activity, text_en, text_nl, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(community)
    .bind(set)
    .bind(p.stage.as_str())
    .bind(p.activity.as_str())
    .bind(p.en.trim())
    .bind(p.nl.trim())
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A prompt drawn for a person in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    /// The prompt.
    pub prompt_id: String,
    /// The period's name.
    pub period: String,
    /// When (epoch ms).
    pub drawn_at: i64,
}

/// The draws of `person` in `set` since their round began, latest first.
pub async fn draws(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    set: &str,
) -> Result<Vec<Draw>, sqlx::Error> {
    sqlx::query(
        "SELECT prompt_id, period, drawn_at FROM prompt_draws \
         WHERE community = $1 AND person_id = $2 AND set_id = $3 ORDER BY drawn_at DESC",
    )
    .bind(community)
    .bind(person)
    .bind(set)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Draw {
            prompt_id: r.try_get("prompt_id")?,
            period: r.try_get("period")?,
            drawn_at: r.try_get("drawn_at")?,
        })
    })
    .collect()
}

/// Records a draw of `person` in `set`, first forgetting the round's
/// draws when `new_round`.
pub async fn record_draw(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    set: &str,
    draw: &Draw,
    new_round: bool,
) -> Result<(), sqlx::Error> {
    if new_round {
        sqlx::query(
            "DELETE FROM prompt_draws WHERE community = $1 AND person_id = $2 AND set_id = $3",
        )
        .bind(community)
        .bind(person)
        .bind(set)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO prompt_draws (community, person_id, set_id, prompt_id, period, drawn_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community, person_id, set_id, prompt_id) \
         DO UPDATE SET period = excluded.period, drawn_at = excluded.drawn_at",
    )
    .bind(community)
    .bind(person)
    .bind(set)
    .bind(&draw.prompt_id)
    .bind(&draw.period)
    .bind(draw.drawn_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
