//! What a match page reads besides the in-memory index: the caller's
//! passions with their labels, and the people of the page.

use std::collections::HashMap;

use km_protocol::PersonSummary;
use km_protocol::passions::Level;
use sqlx::{AnyConnection, Row};

use super::sql::Sql;

/// One of the caller's passions: tag key, level and label.
pub struct MyPassion {
    /// The tag's key.
    pub key: String,
    /// How the caller holds it.
    pub level: Level,
    /// The tag's label (the key when the tag row is gone).
    pub label: String,
}

/// `person`'s passions in their order, with labels (one statement).
pub async fn passions_of(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
) -> Result<Vec<MyPassion>, sqlx::Error> {
    sqlx::query(
        "SELECT pa.tag_key, pa.level, t.label FROM passions pa \
         LEFT JOIN tags t ON t.community = pa.community AND t.key = pa.tag_key \
         WHERE pa.community = $1 AND pa.person_id = $2 ORDER BY pa.position",
    )
    .bind(community)
    .bind(person)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let key: String = r.try_get("tag_key")?;
        Ok(MyPassion {
            level: super::sql::wire(r, "level")?,
            label: r
                .try_get::<Option<String>, _>("label")?
                .unwrap_or_else(|| key.clone()),
            key,
        })
    })
    .collect()
}

/// A person of a match page: who they are, their "why" and whether they
/// are open to a chat.
pub struct MatchPerson {
    /// Name and department.
    pub person: PersonSummary,
    /// Their profile's "why I care".
    pub why: String,
    /// Open to a coffee chat.
    pub open_to_chat: bool,
}

/// The people of `ids` who have a profile in `community`, by id.
pub async fn people_of(
    conn: &mut AnyConnection,
    community: &str,
    ids: &[&str],
) -> Result<HashMap<String, MatchPerson>, sqlx::Error> {
    let mut q = Sql::new(
        "SELECT pe.id, pe.name, pe.department, pr.why, pr.open_to_chat FROM people pe \
         JOIN profiles pr ON pr.person_id = pe.id AND pr.community = ",
    );
    q.bind(community)
        .push(" WHERE pe.id IN (")
        .bind_list(ids.iter().copied())
        .push(")");
    q.fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let person = super::people::summary(r, "")?;
            Ok((
                person.id.clone(),
                MatchPerson {
                    person,
                    why: r.try_get("why")?,
                    open_to_chat: r.try_get::<i64, _>("open_to_chat")? != 0,
                },
            ))
        })
        .collect()
}
