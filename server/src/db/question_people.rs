//! ask-the-community routing: colleagues whose passion profile says they
//! can teach or love a question's tags, and invitations to them. Profiles
//! are seen exactly as `GET /matches` sees them: hidden ones never,
//! department-only ones only by `department` ('' for none).

use std::collections::BTreeMap;

use km_protocol::PersonSummary;
use km_protocol::passions::{Level, Visibility};
use km_protocol::questions::SuggestedPerson;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::db::questions::record;
use crate::db::sql::{Sql, wire};

/// Appends the condition that profile `pr` of person `pe` is visible to a
/// caller of `department`.
fn push_visible<'q>(sql: &mut Sql<'q>, department: &'q str) {
    sql.push(" AND (pr.visibility = ")
        .bind(Visibility::Organization.as_str())
        .push(" OR (pr.visibility = ")
        .bind(Visibility::Department.as_str())
        .push(" AND ")
        .bind(department)
        .push(" <> '' AND pe.department = ")
        .bind(department)
        .push("))");
}

/// Everyone but `me` with a profile visible to `department` who teaches or
/// loves a tag of question `id` (whose labels are `labels`, in order), with
/// those tags in the question's order, unordered.
pub async fn suggestions(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: &str,
    department: &str,
    labels: &[String],
) -> Result<Vec<SuggestedPerson>, sqlx::Error> {
    let mut sql = Sql::new(
        "SELECT pa.person_id, pa.level, t.label, pe.name, pe.department, \
           (SELECT COUNT(*) FROM question_invites i WHERE i.question_id = ",
    );
    sql.bind(id).push(
        " AND i.invitee_id = pa.person_id) AS invited \
         FROM passions pa \
         JOIN tag_links l ON l.community = pa.community AND l.kind = 'question' \
              AND l.tag_key = pa.tag_key AND l.ref_id = ",
    );
    sql.bind(id).push(
        " JOIN tags t ON t.community = pa.community AND t.key = pa.tag_key \
         JOIN profiles pr ON pr.community = pa.community AND pr.person_id = pa.person_id \
         JOIN people pe ON pe.id = pa.person_id \
         WHERE pa.community = ",
    );
    sql.bind(community).push(" AND pa.person_id <> ").bind(me);
    push_visible(&mut sql, department);
    sql.push(" AND pa.level IN (")
        .bind_list([Level::Teach.as_str(), Level::Love.as_str()])
        .push(")");
    let mut by_person: BTreeMap<String, SuggestedPerson> = BTreeMap::new();
    for r in sql.fetch_all(conn).await? {
        let pid: String = r.try_get("person_id")?;
        let s = by_person.entry(pid.clone()).or_insert(SuggestedPerson {
            person: PersonSummary {
                id: pid,
                name: r.try_get("name")?,
                department: r.try_get("department")?,
            },
            teaches: Vec::new(),
            loves: Vec::new(),
            invited: r.try_get::<i64, _>("invited")? > 0,
        });
        let label: String = r.try_get("label")?;
        match wire::<Level>(&r, "level")? {
            Level::Teach => s.teaches.push(label),
            _ => s.loves.push(label),
        }
    }
    // Tags in the question's order, so lists read the same everywhere.
    let pos = |l: &String| labels.iter().position(|x| x == l).unwrap_or(usize::MAX);
    let mut out: Vec<SuggestedPerson> = by_person.into_values().collect();
    for s in &mut out {
        s.teaches.sort_by_key(pos);
        s.loves.sort_by_key(pos);
    }
    Ok(out)
}

/// Whether `person` (not `me`) has a profile visible to `department`.
pub async fn is_visible(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    me: &str,
    department: &str,
) -> Result<bool, sqlx::Error> {
    let mut sql = Sql::new(
        "SELECT 1 AS one FROM profiles pr JOIN people pe ON pe.id = pr.person_id \
         WHERE pr.community = ",
    );
    sql.bind(community)
        .push(" AND pr.person_id = ")
        .bind(person)
        .push(" AND pr.person_id <> ")
        .bind(me);
    push_visible(&mut sql, department);
    Ok(!sql.fetch_all(conn).await?.is_empty())
}

/// Invites `invitee` to answer question `id` for `me` (once: a second
/// invitation changes nothing).
pub async fn invite(
    conn: &mut AnyConnection,
    id: &str,
    invitee: &str,
    me: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let n = sqlx::query(
        "INSERT INTO question_invites (question_id, invitee_id, inviter_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (question_id, invitee_id) DO NOTHING",
    )
    .bind(id)
    .bind(invitee)
    .bind(me)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n > 0 {
        record(conn, id, None, me, "invited", now).await?;
    }
    Ok(())
}
