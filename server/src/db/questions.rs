//! ask-the-community questions: storing, editing and moderating one, its
//! change log and follows, and one question with its answers as a viewer
//! sees it. The lists and the search are in [`super::question_lists`].
//!
//! Anonymous askers are stored (for moderation) and never returned to
//! anyone, moderators included: every person a question shows (its asker,
//! its answers' authors, its change log's actors) goes through
//! [`participant`], which leaves the anonymous asker out.

use km_protocol::questions::{
    Answer, Change, NewQuestion, Question, QuestionSummary, Urgency, Viewer,
};
use km_protocol::{Me, PersonSummary, Validate};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::sql::wire;
use crate::error::ApiError;
use crate::people;
use crate::store::{flag, new_id, rfc3339};
use crate::tag_vocabulary::{ResolvedTag, labels_from_json, labels_json, resolve, set_links};

/// The columns of [`summary`] (and of the lists' keyset cursors); a list
/// leaves the bodies, up to 10,000 characters each, in the table.
pub(super) const SUMMARY_COLUMNS: &str = "q.id, q.title, q.tags, q.urgency, q.need_by, q.anonymous, \
     q.answer_count, q.votes, q.accepted_answer_id, q.created_at, q.last_activity_at, \
     q.duplicate_of, q.author_id, \
     pe.id AS a_id, pe.name AS a_name, pe.department AS a_department";

pub(super) fn summary(r: &AnyRow) -> Result<QuestionSummary, sqlx::Error> {
    let asker = Asker::of(r)?;
    let accepted: Option<String> = r.try_get("accepted_answer_id")?;
    Ok(QuestionSummary {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        tags: labels_from_json(&r.try_get::<String, _>("tags")?),
        urgency: wire(r, "urgency")?,
        need_by: r.try_get("need_by")?,
        author: participant(r, &asker)?,
        anonymous: asker.anonymous,
        answer_count: r.try_get("answer_count")?,
        votes: r.try_get("votes")?,
        solved: accepted.is_some(),
        created_at: rfc3339(r.try_get("created_at")?),
        duplicate_of: r.try_get("duplicate_of")?,
    })
}

/// Who asked a question, as [`participant`] needs it.
pub struct Asker {
    /// The asker's person id (kept for moderation, never sent when
    /// `anonymous`).
    pub id: String,
    /// Asked anonymously.
    pub anonymous: bool,
}

impl Asker {
    fn of(r: &AnyRow) -> Result<Asker, sqlx::Error> {
        Ok(Asker {
            id: r.try_get("author_id")?,
            anonymous: flag(r.try_get("anonymous")?),
        })
    }

    /// Whether `person` is this question's anonymous asker, who is shown
    /// without a name.
    pub fn hides(&self, person: &str) -> bool {
        self.anonymous && person == self.id
    }
}

/// The person to show for a participant of a question (its asker, an
/// answer's author, a change's actor) from a row's `a_id`, `a_name`,
/// `a_department` columns: nobody when it is the question's anonymous
/// asker. This is the one place that decides whether a question names
/// someone, so the asker of an anonymous question is never returned to
/// anyone (moderators included), nor linked through their own answers or
/// what they did.
pub fn participant(r: &AnyRow, asker: &Asker) -> Result<Option<PersonSummary>, sqlx::Error> {
    let id: String = r.try_get("a_id")?;
    if asker.hides(&id) {
        Ok(None)
    } else {
        people::summary(r, "a_").map(Some)
    }
}

/// Replaces the tag uses of question `id`. Two writes retagging one
/// question at once can race on a use's key (PostgreSQL): the loser is a
/// 409 naming `tags`, not a 500.
async fn link_tags(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    tags: &[ResolvedTag],
) -> Result<(), ApiError> {
    set_links(conn, community, "question", id, tags, true)
        .await
        .map_err(ApiError::unique("tags"))
}

/// Stores a new question by `me` (used by the API and the demo seed);
/// returns its id. The asker follows it from then on.
pub async fn create(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    q: &NewQuestion,
    now: i64,
) -> Result<String, ApiError> {
    q.validate().map_err(ApiError::Validation)?;
    people::upsert(conn, me).await?;
    let tags = resolve(conn, community, &q.tags).await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO questions (id, community, author_id, title, body, tags, urgency, need_by, \
         anonymous, created_at, updated_at, last_activity_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10)",
    )
    .bind(&id)
    .bind(community)
    .bind(&me.id)
    .bind(q.title.trim())
    .bind(q.body.trim_end())
    .bind(labels_json(&tags))
    .bind(q.urgency.as_str())
    .bind(need_by(q))
    .bind(i64::from(q.anonymous))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    link_tags(conn, community, &id, &tags).await?;
    set_follow(conn, &id, &me.id, true, now).await?;
    record(conn, &id, None, &me.id, "asked", now).await?;
    Ok(id)
}

/// The need-by date stored with `q`: only an urgent question has one.
fn need_by(q: &NewQuestion) -> Option<String> {
    match q.urgency {
        Urgency::Urgent => q.need_by.clone(),
        Urgency::Normal => None,
    }
}

/// Edits question `id` (title, details, tags, urgency) by `me`.
pub async fn update(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: &Me,
    q: &NewQuestion,
    now: i64,
) -> Result<(), ApiError> {
    let tags = resolve(conn, community, &q.tags).await?;
    sqlx::query(
        "UPDATE questions SET title = $2, body = $3, tags = $4, urgency = $5, need_by = $6, \
         edited_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(q.title.trim())
    .bind(q.body.trim_end())
    .bind(labels_json(&tags))
    .bind(q.urgency.as_str())
    .bind(need_by(q))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    link_tags(conn, community, id, &tags).await?;
    touch(conn, id, now).await?;
    record(conn, id, None, &me.id, "edited", now).await?;
    Ok(())
}

/// Replaces question `id`'s tags (by its asker or a moderator `me`).
pub async fn retag(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: &Me,
    labels: &[String],
    now: i64,
) -> Result<(), ApiError> {
    let tags = resolve(conn, community, labels).await?;
    sqlx::query("UPDATE questions SET tags = $2 WHERE id = $1")
        .bind(id)
        .bind(labels_json(&tags))
        .execute(&mut *conn)
        .await?;
    link_tags(conn, community, id, &tags).await?;
    touch(conn, id, now).await?;
    record(conn, id, None, &me.id, "retagged", now).await?;
    Ok(())
}

/// Hides question `id` from everyone but moderators, or shows it again.
pub async fn set_hidden(
    conn: &mut AnyConnection,
    id: &str,
    me: &Me,
    hidden: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE questions SET hidden = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(i64::from(hidden))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let action = if hidden { "hidden" } else { "shown" };
    record(conn, id, None, &me.id, action, now).await
}

/// Closes question `id` as a duplicate of `original` (or reopens it).
pub async fn set_duplicate(
    conn: &mut AnyConnection,
    id: &str,
    me: &Me,
    original: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE questions SET duplicate_of = $2 WHERE id = $1")
        .bind(id)
        .bind(original)
        .execute(&mut *conn)
        .await?;
    touch(conn, id, now).await?;
    let action = if original.is_some() {
        "duplicate"
    } else {
        "reopened"
    };
    record(conn, id, None, &me.id, action, now).await
}

/// Records who changed what and when.
pub async fn record(
    conn: &mut AnyConnection,
    question_id: &str,
    answer_id: Option<&str>,
    actor: &str,
    action: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO question_changes (id, question_id, answer_id, actor_id, action, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(question_id)
    .bind(answer_id)
    .bind(actor)
    .bind(action)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Who changed question `id` and what, oldest first; the anonymous
/// `asker` shows without a name.
pub async fn changes(
    conn: &mut AnyConnection,
    id: &str,
    asker: &Asker,
) -> Result<Vec<Change>, sqlx::Error> {
    sqlx::query(
        "SELECT c.action, c.answer_id, c.created_at, pe.id AS a_id, pe.name AS a_name, \
         pe.department AS a_department FROM question_changes c \
         JOIN people pe ON pe.id = c.actor_id WHERE c.question_id = $1 \
         ORDER BY c.created_at, c.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let actor = participant(r, asker)?;
        Ok(Change {
            action: r.try_get("action")?,
            answer_id: r.try_get("answer_id")?,
            anonymous: actor.is_none(),
            actor,
            at: rfc3339(r.try_get("created_at")?),
        })
    })
    .collect()
}

/// Follows (or stops following) a question.
pub async fn set_follow(
    conn: &mut AnyConnection,
    question_id: &str,
    person: &str,
    on: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    if on {
        sqlx::query(
            "INSERT INTO question_follows (question_id, person_id, created_at) \
             VALUES ($1, $2, $3) ON CONFLICT (question_id, person_id) DO NOTHING",
        )
        .bind(question_id)
        .bind(person)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("DELETE FROM question_follows WHERE question_id = $1 AND person_id = $2")
            .bind(question_id)
            .bind(person)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What the authorization checks of a question need.
pub struct QuestionFacts {
    /// The asker (also of anonymous questions: never sent to anyone).
    pub author_id: String,
    /// Asked anonymously.
    pub anonymous: bool,
    /// The accepted answer.
    pub accepted_answer_id: Option<String>,
    /// Hidden by a moderator.
    pub hidden: bool,
    /// Closed as a duplicate of this question.
    pub duplicate_of: Option<String>,
    /// Tag labels, in the question's order.
    pub tags: Vec<String>,
}

impl QuestionFacts {
    /// The asker, as [`participant`] needs it.
    pub fn asker(&self) -> Asker {
        Asker {
            id: self.author_id.clone(),
            anonymous: self.anonymous,
        }
    }
}

/// The facts of question `id` in `community`; a 404 when it does not exist
/// or is hidden from `me` (only moderators see hidden questions).
pub async fn facts(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: Option<&Me>,
) -> Result<QuestionFacts, ApiError> {
    let row = sqlx::query(
        "SELECT author_id, anonymous, accepted_answer_id, hidden, duplicate_of, tags \
         FROM questions WHERE id = $1 AND community = $2",
    )
    .bind(id)
    .bind(community)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(ApiError::NotFound)?;
    let f = QuestionFacts {
        author_id: row.try_get("author_id")?,
        anonymous: flag(row.try_get("anonymous")?),
        accepted_answer_id: row.try_get("accepted_answer_id")?,
        hidden: flag(row.try_get("hidden")?),
        duplicate_of: row.try_get("duplicate_of")?,
        tags: labels_from_json(&row.try_get::<String, _>("tags")?),
    };
    if f.hidden && !me.is_some_and(Me::is_moderator) {
        return Err(ApiError::NotFound);
    }
    Ok(f)
}

/// Marks a question active now (answers, edits).
pub async fn touch(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE questions SET updated_at = $2, \
         last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One question with its answers as `me` sees it (hidden ones only for
/// moderators): two statements, the question with what `me` did to it,
/// then its answers.
pub async fn load(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: Option<&Me>,
) -> Result<Option<Question>, sqlx::Error> {
    let moderator = me.is_some_and(Me::is_moderator);
    let me_id = me.map(|m| m.id.as_str()).unwrap_or_default();
    let Some(row) = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, q.body, q.edited_at, q.hidden, \
           CASE WHEN EXISTS (SELECT 1 FROM question_follows f WHERE f.question_id = q.id \
             AND f.person_id = $4) THEN 1 ELSE 0 END AS following, \
           CASE WHEN EXISTS (SELECT 1 FROM question_votes v WHERE v.kind = 'question' \
             AND v.target_id = q.id AND v.person_id = $4) THEN 1 ELSE 0 END AS my_vote, \
           CASE WHEN EXISTS (SELECT 1 FROM question_invites i WHERE i.question_id = q.id \
             AND i.invitee_id = $4) THEN 1 ELSE 0 END AS invited \
         FROM questions q JOIN people pe ON pe.id = q.author_id \
         WHERE q.id = $1 AND q.community = $2 AND (q.hidden = 0 OR $3 = 1)"
    ))
    .bind(id)
    .bind(community)
    .bind(i64::from(moderator))
    .bind(me_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let accepted: Option<String> = row.try_get("accepted_answer_id")?;
    let accepted = accepted.unwrap_or_default();
    let asker = Asker::of(&row)?;
    let answers = sqlx::query(
        "SELECT a.id, a.body, a.votes, a.created_at, a.edited_at, a.author_id, \
         pe.id AS a_id, pe.name AS a_name, pe.department AS a_department, \
         CASE WHEN EXISTS (SELECT 1 FROM question_votes v WHERE v.kind = 'answer' \
            AND v.target_id = a.id AND v.person_id = $3) THEN 1 ELSE 0 END AS my_vote \
         FROM answers a JOIN people pe ON pe.id = a.author_id \
         WHERE a.question_id = $1 AND a.hidden = 0 \
         ORDER BY CASE WHEN a.id = $2 THEN 0 ELSE 1 END, a.votes DESC, a.created_at, a.id",
    )
    .bind(id)
    .bind(&accepted)
    .bind(me_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|a| {
        let aid: String = a.try_get("id")?;
        let author: String = a.try_get("author_id")?;
        let shown = participant(a, &asker)?;
        Ok(Answer {
            accepted: aid == accepted,
            id: aid,
            body: a.try_get("body")?,
            anonymous: shown.is_none(),
            author: shown,
            votes: a.try_get("votes")?,
            created_at: rfc3339(a.try_get("created_at")?),
            edited_at: a.try_get::<Option<i64>, _>("edited_at")?.map(rfc3339),
            my_vote: truth(a, "my_vote")?,
            mine: !me_id.is_empty() && author == me_id,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let viewer = match me {
        None => Viewer::default(),
        Some(me) => {
            let mine = asker.id == me.id;
            Viewer {
                mine,
                can_moderate: moderator,
                can_accept: mine || moderator,
                following: truth(&row, "following")?,
                my_vote: truth(&row, "my_vote")?,
                invited: truth(&row, "invited")?,
            }
        }
    };
    Ok(Some(Question {
        summary: summary(&row)?,
        body: row.try_get("body")?,
        answers,
        edited_at: row.try_get::<Option<i64>, _>("edited_at")?.map(rfc3339),
        hidden: flag(row.try_get("hidden")?),
        viewer,
    }))
}

/// A 0/1 column.
fn truth(r: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    r.try_get::<i64, _>(column).map(flag)
}
