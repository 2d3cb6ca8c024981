//! passion-match circles (`circle_members`, counted over `passions` and
//! `profiles`): a passion held by at least [`CIRCLE_MIN_PEOPLE`] people
//! who are open to a chat, among the profiles the caller may see.

use std::collections::{HashMap, HashSet};

use km_protocol::circles::{CIRCLE_MIN_PEOPLE, Circle, CircleMember};
use km_protocol::passions::Visibility;
use km_protocol::validate::codes;
use km_protocol::{FieldError, Me, Page};
use sqlx::{AnyConnection, Row};

use super::sql::Sql;
use crate::tag_vocabulary::lookup_key;

const JOINS: &str = "JOIN profiles pr ON pr.community = pa.community AND pr.person_id = pa.person_id \
     JOIN people pe ON pe.id = pa.person_id";

/// Appends the condition on the profiles (`pr`, joined with `pe` people)
/// that count for `me`: open to a chat, not hidden, and the caller's own
/// or visible to the caller.
fn counted<'q>(q: &mut Sql<'q>, me: &'q Me) {
    q.push("pr.open_to_chat <> 0 AND pr.visibility <> 'hidden' AND (pr.person_id = ")
        .bind(&me.id)
        .push(" OR pr.visibility = 'organization' OR (pr.visibility = 'department' AND ")
        .bind(dept(me))
        .push(" <> '' AND pe.department = ")
        .bind(dept(me))
        .push("))");
}

fn dept(me: &Me) -> &str {
    me.department.as_deref().unwrap_or_default()
}

/// A circle before [`assemble`]: tag key, label, and how many counted
/// people hold it.
struct Count {
    tag_key: String,
    label: String,
    people: i64,
}

/// The circles the caller sees (or only the one of tag key `only`), most
/// people first.
async fn counts(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    only: Option<&str>,
) -> Result<Vec<Count>, sqlx::Error> {
    let mut q = Sql::new(format!(
        "SELECT pa.tag_key, t.label, COUNT(*) AS n FROM passions pa {JOINS} \
         JOIN tags t ON t.community = pa.community AND t.key = pa.tag_key \
         WHERE pa.community = "
    ));
    q.bind(community).push(" AND ");
    counted(&mut q, me);
    if let Some(key) = only.filter(|k| !k.is_empty()) {
        q.push(" AND pa.tag_key = ").bind(key);
    }
    q.push(" GROUP BY pa.tag_key, t.label HAVING COUNT(*) >= ")
        .bind(CIRCLE_MIN_PEOPLE)
        .push(" ORDER BY n DESC, pa.tag_key");
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok(Count {
                tag_key: r.try_get("tag_key")?,
                label: r.try_get("label")?,
                people: r.try_get("n")?,
            })
        })
        .collect()
}

/// What joining a circle depends on in the caller's profile.
#[derive(Debug, Default)]
struct Joining {
    open: bool,
    hidden: bool,
    /// The tag keys of the caller's passions.
    holds: HashSet<String>,
}

impl Joining {
    /// The caller's profile in one statement (all false without one).
    async fn of(conn: &mut AnyConnection, community: &str, me: &Me) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT pr.open_to_chat, pr.visibility, pa.tag_key FROM profiles pr \
             LEFT JOIN passions pa ON pa.community = pr.community AND pa.person_id = pr.person_id \
             WHERE pr.community = $1 AND pr.person_id = $2",
        )
        .bind(community)
        .bind(&me.id)
        .fetch_all(&mut *conn)
        .await?;
        let Some(first) = rows.first() else {
            return Ok(Joining::default());
        };
        Ok(Joining {
            open: first.try_get::<i64, _>("open_to_chat")? != 0,
            hidden: super::sql::wire::<Visibility>(first, "visibility")? == Visibility::Hidden,
            holds: rows
                .iter()
                .filter_map(|r| r.try_get::<Option<String>, _>("tag_key").transpose())
                .collect::<Result<_, _>>()?,
        })
    }

    /// Why the caller may not join the circle of `tag` (empty: may join).
    fn problems(&self, tag: &str) -> Vec<FieldError> {
        let mut problems = Vec::new();
        if !self.holds.contains(tag) {
            problems.push(FieldError::new(
                "passions",
                codes::REQUIRED,
                "add this passion to your profile to join its circle",
            ));
        }
        if !self.open {
            problems.push(FieldError::new(
                "open_to_chat",
                codes::REQUIRED,
                "be open to a coffee chat to join a circle",
            ));
        }
        if self.hidden {
            problems.push(FieldError::new(
                "visibility",
                codes::INVALID_FORMAT,
                "a hidden profile cannot join a circle",
            ));
        }
        problems
    }
}

/// Why `me` may not join the circle of tag key `tag` (empty: may join).
pub async fn join_problems(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    tag: &str,
) -> Result<Vec<FieldError>, sqlx::Error> {
    Ok(Joining::of(conn, community, me).await?.problems(tag))
}

/// The circles of `counts` with their counted members and the caller's
/// own state (two statements, whatever the number of circles).
async fn assemble(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    counts: Vec<Count>,
) -> Result<Vec<Circle>, sqlx::Error> {
    if counts.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT pa.tag_key, COUNT(*) AS n, SUM(CASE WHEN pa.person_id = ");
    q.bind(&me.id).push(&format!(
        " THEN 1 ELSE 0 END) AS mine \
         FROM circle_members cm JOIN passions pa ON pa.community = cm.community \
           AND pa.person_id = cm.person_id AND pa.tag_key = cm.tag_key {JOINS} \
         WHERE cm.community = "
    ));
    q.bind(community).push(" AND ");
    counted(&mut q, me);
    q.push(" AND cm.tag_key IN (")
        .bind_list(counts.iter().map(|c| c.tag_key.as_str()))
        .push(") GROUP BY pa.tag_key");
    let mut joined: HashMap<String, (i64, bool)> = HashMap::new();
    for r in q.fetch_all(&mut *conn).await? {
        joined.insert(
            r.try_get("tag_key")?,
            (r.try_get("n")?, r.try_get::<i64, _>("mine")? > 0),
        );
    }
    let joining = Joining::of(conn, community, me).await?;
    Ok(counts
        .into_iter()
        .map(|c| {
            let (members, joined) = joined.get(&c.tag_key).copied().unwrap_or((0, false));
            Circle {
                can_join: joining.problems(&c.tag_key).is_empty(),
                tag: c.label,
                tag_key: c.tag_key,
                people: c.people,
                members,
                joined,
            }
        })
        .collect())
}

/// The circle of `tag` (a label or key) as the caller sees it; None when
/// it is not a circle for the caller (fewer than three counted people, or
/// an unknown tag).
pub async fn one(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    tag: &str,
) -> Result<Option<Circle>, sqlx::Error> {
    let key = lookup_key(conn, community, tag).await?;
    let counts = counts(conn, community, me, Some(&key)).await?;
    Ok(assemble(conn, community, me, counts).await?.pop())
}

/// A page of the circles the caller sees (or the one of `tag`, a label or
/// key), most people first, from `offset` (counts change with every
/// profile, so the cursor is an offset).
pub async fn list(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    tag: Option<&str>,
    offset: usize,
    limit: usize,
) -> Result<Page<Circle>, sqlx::Error> {
    let only = match tag.filter(|t| !t.trim().is_empty()) {
        Some(t) => Some(lookup_key(conn, community, t).await?),
        None => None,
    };
    let all = counts(conn, community, me, only.as_deref()).await?;
    let total = all.len();
    let page: Vec<_> = all.into_iter().skip(offset).take(limit).collect();
    let next_cursor = (offset + page.len() < total)
        .then(|| crate::store::Cursor::encode(offset + page.len(), ""));
    let items = assemble(conn, community, me, page).await?;
    Ok(Page { items, next_cursor })
}

/// Makes `me` a member of the circle of tag key `tag` (nothing when they
/// are one already).
pub async fn join(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    tag: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO circle_members (community, tag_key, person_id, joined_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (community, tag_key, person_id) DO NOTHING",
    )
    .bind(community)
    .bind(tag)
    .bind(&me.id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends `me`'s membership of the circle of `tag` (a label or key), if any.
pub async fn leave(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    tag: &str,
) -> Result<(), sqlx::Error> {
    let key = lookup_key(conn, community, tag).await?;
    sqlx::query(
        "DELETE FROM circle_members WHERE community = $1 AND tag_key = $2 AND person_id = $3",
    )
    .bind(community)
    .bind(&key)
    .bind(&me.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A page of the counted members of the circle of tag key `tag`, first
/// joined first, after the cursor `after` (joined_at, person).
pub async fn members(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    tag: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Page<CircleMember>, sqlx::Error> {
    let (after, after_id) = after.unwrap_or((i64::MIN, String::new()));
    let mut q = Sql::new(format!(
        "SELECT cm.joined_at, pe.id, pe.name, pe.department, pa.level, pr.why \
         FROM circle_members cm JOIN passions pa ON pa.community = cm.community \
           AND pa.person_id = cm.person_id AND pa.tag_key = cm.tag_key {JOINS} \
         WHERE cm.community = "
    ));
    q.bind(community).push(" AND ");
    counted(&mut q, me);
    q.push(" AND cm.tag_key = ")
        .bind(tag)
        .push(" AND (cm.joined_at > ")
        .bind(after)
        .push(" OR (cm.joined_at = ")
        .bind(after)
        .push(" AND pe.id > ")
        .bind(after_id)
        .push(")) ORDER BY cm.joined_at, pe.id LIMIT ")
        .bind(limit + 1);
    let rows = q.fetch_all(conn).await?;
    super::page_of(&rows, limit, "joined_at", "id", |r| {
        Ok(CircleMember {
            person: super::people::summary(r, "")?,
            level: super::sql::wire(r, "level")?,
            why: r.try_get("why")?,
        })
    })
}
