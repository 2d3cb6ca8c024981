//! Reflections and their reactions: writing one, my own (paged, searched,
//! exported, deleted), the feed of shared ones, sharing, and reacting.
//!
//! Every read of reflection text filters on its author or on a shared
//! visibility; reactions leave here as counts and the reader's own.

use km_protocol::reflections::{
    NewReflection, Reaction, ReactionState, Reflection, ReflectionVisibility,
};
use km_protocol::{Me, Page, Validate};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::sql::{Sql, wire};
use crate::error::ApiError;
use crate::people;
use crate::store::{new_id, rfc3339};
use crate::tag_vocabulary::{labels_from_json, labels_json, like_escape, resolve, set_links};

/// The columns [`reflection`] reads (`reflections r JOIN people pe`).
const SELECT: &str = "SELECT r.id, r.prompt_id, r.body, r.energy, r.tags, r.visibility, \
     r.created_at, pe.id AS a_id, pe.name AS a_name, pe.department AS a_department \
     FROM reflections r JOIN people pe ON pe.id = r.author_id";

/// The visibilities of the feed (bound as the last two parameters of the
/// statements that say `visibility IN ($n, $n+1)`).
const SHARED: [ReflectionVisibility; 2] = [
    ReflectionVisibility::Shared,
    ReflectionVisibility::Anonymous,
];

/// The feed's condition, written out: the partial index
/// `reflections_shared_newest` (migration 0012) serves only statements that
/// say exactly this, so the feed reads its page in index order instead of
/// sorting every shared reflection (142 to ... requests/s at 5,000 shared
/// reflections). A test checks it names [`SHARED`].
const FEED: &str = "r.visibility IN ('shared', 'anonymous')";

/// A reflection row as seen by someone: the author is left out of
/// anonymous shares unless `mine` (the author reading their own).
fn reflection(r: &AnyRow, mine: bool) -> Result<Reflection, sqlx::Error> {
    let visibility: ReflectionVisibility = wire(r, "visibility")?;
    Ok(Reflection {
        id: r.try_get("id")?,
        prompt_id: r.try_get("prompt_id")?,
        body: r.try_get("body")?,
        energy: r.try_get("energy")?,
        tags: labels_from_json(&r.try_get::<String, _>("tags")?),
        visibility,
        author: if mine || visibility != ReflectionVisibility::Anonymous {
            Some(people::summary(r, "a_")?)
        } else {
            None
        },
        created_at: rfc3339(r.try_get("created_at")?),
        reactions: Default::default(),
        my_reactions: Vec::new(),
    })
}

/// Stores a reflection by `me` (used by the API and the demo seed).
pub async fn create(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    r: &NewReflection,
    now: i64,
) -> Result<String, ApiError> {
    r.validate().map_err(ApiError::Validation)?;
    if let Some(pid) = &r.prompt_id
        && !crate::db::prompts::prompt_exists(conn, community, pid).await?
    {
        return Err(ApiError::field(
            "prompt_id",
            km_protocol::validate::codes::INVALID_FORMAT,
            "unknown prompt",
        ));
    }
    people::upsert(conn, me).await?;
    let tags = resolve(conn, community, &r.tags).await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO reflections (id, community, author_id, prompt_id, body, energy, tags, \
         visibility, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(community)
    .bind(&me.id)
    .bind(r.prompt_id.as_deref())
    .bind(r.body.trim_end())
    .bind(r.energy)
    .bind(labels_json(&tags))
    .bind(r.visibility.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let public = r.visibility != ReflectionVisibility::Private;
    set_links(conn, community, "reflection", &id, &tags, public).await?;
    Ok(id)
}

/// A reflection just written, as the API answers a write (an anonymous
/// share without its author).
pub async fn written(conn: &mut AnyConnection, id: &str) -> Result<Reflection, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    reflection(&row, false)
}

/// A page of `me`'s reflections newest first (before the cursor's
/// `(created_at, id)`), only those whose text or tags contain `words`
/// when not empty; with their reactions.
pub async fn mine(
    conn: &mut AnyConnection,
    community: &str,
    me: &str,
    words: &str,
    before: Option<(i64, String)>,
    limit: i64,
) -> Result<Page<Reflection>, sqlx::Error> {
    let mut q = Sql::new(SELECT);
    q.push(" WHERE r.community = ")
        .bind(community.to_owned())
        .push(" AND r.author_id = ")
        .bind(me.to_owned());
    if let Some((at, id)) = before {
        q.push(" AND (r.created_at < ")
            .bind(at)
            .push(" OR (r.created_at = ")
            .bind(at)
            .push(" AND r.id < ")
            .bind(id)
            .push("))");
    }
    if !words.is_empty() {
        let pattern = format!("%{}%", like_escape(&words.to_lowercase()));
        q.push(" AND (LOWER(r.body) LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(r.tags) LIKE ")
            .bind(pattern)
            .push(" ESCAPE '\\')");
    }
    q.push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ")
        .bind(limit + 1);
    let rows = q.fetch_all(conn).await?;
    // My own reflections show me as the author even when shared anonymously.
    let mut page = crate::db::page_of(&rows, limit, "created_at", "id", |r| reflection(r, true))?;
    attach_reactions(conn, &mut page.items, Some(me)).await?;
    Ok(page)
}

/// Everything `me` wrote in `community`, newest first, with reactions.
pub async fn all_mine(
    conn: &mut AnyConnection,
    community: &str,
    me: &str,
) -> Result<Vec<Reflection>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.community = $1 AND r.author_id = $2 \
         ORDER BY r.created_at DESC, r.id DESC"
    ))
    .bind(community)
    .bind(me)
    .fetch_all(&mut *conn)
    .await?;
    let mut items = rows
        .iter()
        .map(|r| reflection(r, true))
        .collect::<Result<Vec<_>, _>>()?;
    attach_reactions(conn, &mut items, Some(me)).await?;
    Ok(items)
}

/// When `me` wrote each of their reflections in `community`, newest first.
pub async fn my_times(
    conn: &mut AnyConnection,
    community: &str,
    me: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query(
        "SELECT created_at FROM reflections WHERE community = $1 AND author_id = $2 \
         ORDER BY created_at DESC",
    )
    .bind(community)
    .bind(me)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get("created_at"))
    .collect()
}

/// Whether `person` wrote a reflection in `[start_ms, end_ms)`.
pub async fn reflected_between(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    start_ms: i64,
    end_ms: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM reflections WHERE community = $1 AND author_id = $2 \
         AND created_at >= $3 AND created_at < $4",
    )
    .bind(community)
    .bind(person)
    .bind(start_ms)
    .bind(end_ms)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

/// Deletes all of `me`'s reflections in `community` with their tag uses
/// and reactions; how many reflections there were.
pub async fn delete_all_mine(
    conn: &mut AnyConnection,
    community: &str,
    me: &str,
) -> Result<u64, sqlx::Error> {
    let mine = "SELECT id FROM reflections WHERE community = $1 AND author_id = $2";
    sqlx::query(&format!(
        "DELETE FROM reflection_reactions WHERE reflection_id IN ({mine})"
    ))
    .bind(community)
    .bind(me)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "DELETE FROM tag_links WHERE community = $1 AND kind = 'reflection' AND ref_id IN ({mine})"
    ))
    .bind(community)
    .bind(me)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM reflections WHERE community = $1 AND author_id = $2")
        .bind(community)
        .bind(me)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// One of `me`'s reflections, as its author sees it (None: not mine).
pub async fn one_of_mine(
    conn: &mut AnyConnection,
    community: &str,
    me: &str,
    id: &str,
) -> Result<Option<Reflection>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE r.id = $1 AND r.community = $2 AND r.author_id = $3"
    ))
    .bind(id)
    .bind(community)
    .bind(me)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| reflection(&r, true)).transpose()
}

/// Sets the visibility of `me`'s reflection `id` (its tags public when
/// shared; its reactions gone when private); false when it is not theirs.
pub async fn set_visibility(
    conn: &mut AnyConnection,
    community: &str,
    me: &str,
    id: &str,
    visibility: ReflectionVisibility,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE reflections SET visibility = $1, updated_at = $2 \
         WHERE id = $3 AND community = $4 AND author_id = $5",
    )
    .bind(visibility.as_str())
    .bind(now)
    .bind(id)
    .bind(community)
    .bind(me)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let private = visibility == ReflectionVisibility::Private;
    sqlx::query(
        "UPDATE tag_links SET public = $1 WHERE community = $2 AND kind = 'reflection' AND ref_id = $3",
    )
    .bind(i64::from(!private))
    .bind(community)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if private {
        // Reactions belong to a share; a private reflection has none.
        sqlx::query("DELETE FROM reflection_reactions WHERE reflection_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// A page of the feed: shared reflections newest first (before the
/// cursor's `(created_at, id)`), anonymous ones without their author, with
/// reactions and `reader`'s own.
pub async fn feed(
    conn: &mut AnyConnection,
    community: &str,
    reader: Option<&str>,
    before: Option<(i64, String)>,
    limit: i64,
) -> Result<Page<Reflection>, sqlx::Error> {
    let (at, id) = before.unwrap_or((i64::MAX, String::new()));
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.community = $1 AND {FEED} \
           AND (r.created_at < $2 OR (r.created_at = $2 AND r.id < $3)) \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $4"
    ))
    .bind(community)
    .bind(at)
    .bind(&id)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    let mut page = crate::db::page_of(&rows, limit, "created_at", "id", |r| reflection(r, false))?;
    attach_reactions(conn, &mut page.items, reader).await?;
    Ok(page)
}

/// Whether `id` is a shared reflection of `community` (only those take
/// reactions).
pub async fn is_shared(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id FROM reflections WHERE id = $1 AND community = $2 AND visibility IN ($3, $4)",
    )
    .bind(id)
    .bind(community)
    .bind(SHARED[0].as_str())
    .bind(SHARED[1].as_str())
    .fetch_optional(&mut *conn)
    .await?
    .is_some())
}

/// Gives (`on`) or takes back `person`'s `reaction` to reflection `id`.
pub async fn set_reaction(
    conn: &mut AnyConnection,
    id: &str,
    person: &str,
    reaction: Reaction,
    on: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let q = if on {
        sqlx::query(
            "INSERT INTO reflection_reactions (reflection_id, person_id, reaction, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (reflection_id, person_id, reaction) DO NOTHING",
        )
        .bind(id)
        .bind(person)
        .bind(reaction.as_str())
        .bind(now)
    } else {
        sqlx::query(
            "DELETE FROM reflection_reactions \
             WHERE reflection_id = $1 AND person_id = $2 AND reaction = $3",
        )
        .bind(id)
        .bind(person)
        .bind(reaction.as_str())
    };
    q.execute(&mut *conn).await?;
    Ok(())
}

/// The reactions to reflection `id` and `reader`'s own.
pub async fn reactions(
    conn: &mut AnyConnection,
    id: &str,
    reader: &str,
) -> Result<ReactionState, sqlx::Error> {
    let mut states = reaction_states(conn, &[id], Some(reader)).await?;
    Ok(states.pop().map(|(_, s)| s).unwrap_or_default())
}

/// The reactions to each of `ids` that has any, and `reader`'s own (in
/// display order), in one statement.
async fn reaction_states(
    conn: &mut AnyConnection,
    ids: &[&str],
    reader: Option<&str>,
) -> Result<Vec<(String, ReactionState)>, sqlx::Error> {
    let mut out: Vec<(String, ReactionState)> = Vec::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut q = Sql::new(
        "SELECT reflection_id, reaction, COUNT(*) AS n, \
           SUM(CASE WHEN person_id = ",
    );
    q.bind(reader.unwrap_or("").to_owned())
        .push(
            " THEN 1 ELSE 0 END) AS mine \
             FROM reflection_reactions WHERE reflection_id IN (",
        )
        .bind_list(ids.iter().map(|id| (*id).to_owned()))
        .push(") GROUP BY reflection_id, reaction");
    for row in q.fetch_all(conn).await? {
        let rid: String = row.try_get("reflection_id")?;
        let reaction =
            Reaction::parse(&row.try_get::<String, _>("reaction")?).ok_or_else(|| {
                sqlx::Error::ColumnDecode {
                    index: "reaction".into(),
                    source: "not a reaction".into(),
                }
            })?;
        let n: i64 = row.try_get("n")?;
        let mine: i64 = row.try_get("mine")?;
        let at = match out.iter().position(|(id, _)| *id == rid) {
            Some(i) => i,
            None => {
                out.push((rid, ReactionState::default()));
                out.len() - 1
            }
        };
        let state = &mut out[at].1;
        *state.reactions.get_mut(reaction) = n;
        if mine > 0 {
            state.my_reactions.push(reaction);
        }
    }
    for (_, state) in &mut out {
        state
            .my_reactions
            .sort_by_key(|r| Reaction::ALL.iter().position(|x| x == r));
    }
    Ok(out)
}

/// Fills in `reactions` and `my_reactions` of `items`.
pub async fn attach_reactions(
    conn: &mut AnyConnection,
    items: &mut [Reflection],
    reader: Option<&str>,
) -> Result<(), sqlx::Error> {
    let ids: Vec<&str> = items.iter().map(|r| r.id.as_str()).collect();
    let states = reaction_states(conn, &ids, reader).await?;
    for (id, state) in states {
        if let Some(item) = items.iter_mut().find(|r| r.id == id) {
            item.reactions = state.reactions;
            item.my_reactions = state.my_reactions;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_condition_names_the_shared_visibilities() {
        let named: Vec<String> = SHARED.iter().map(|v| format!("'{}'", v.as_str())).collect();
        assert_eq!(FEED, format!("r.visibility IN ({})", named.join(", ")));
        for sql in [
            include_str!("../../migrations/sqlite/0012_read_paths.sql"),
            include_str!("../../migrations/postgres/0012_read_paths.sql"),
        ] {
            assert!(sql.contains(&format!("WHERE visibility IN ({})", named.join(", "))));
        }
    }
}
