//! ask-the-community question lists: keyset-paged in four orders, with a
//! tag and the caller's personal lists, and ranked full-text search.

use km_protocol::Page;
use km_protocol::questions::{QuestionFilter, QuestionSort, QuestionSummary, Urgency};
use sqlx::{AnyConnection, Row};

use super::questions::{SUMMARY_COLUMNS, summary};
use crate::db::sql::Sql;
use crate::error::ApiError;
use crate::search::{self, Mode};
use crate::store::{Backend, Cursor};

/// Which questions a list shows: those of a community that are not hidden,
/// with a tag (a key, `None` for any) and on one of the caller's personal
/// lists.
pub struct Filter<'a> {
    /// The community.
    pub community: &'a str,
    /// Only questions with this tag key.
    pub tag: Option<&'a str>,
    /// Only questions on this list of this person.
    pub personal: Option<(QuestionFilter, &'a str)>,
}

impl<'a> Filter<'a> {
    /// Appends `WHERE ...` for the questions `q` this filter lets through.
    fn push_where(&self, sql: &mut Sql<'a>) {
        sql.push(" WHERE q.community = ")
            .bind(self.community)
            .push(" AND q.hidden = 0");
        if let Some(tag) = self.tag {
            sql.push(
                " AND EXISTS (SELECT 1 FROM tag_links t WHERE t.community = q.community \
                 AND t.kind = 'question' AND t.ref_id = q.id AND t.tag_key = ",
            )
            .bind(tag)
            .push(")");
        }
        match self.personal {
            None => {}
            Some((QuestionFilter::Mine, me)) => {
                sql.push(" AND q.author_id = ").bind(me);
            }
            Some((QuestionFilter::Following, me)) => {
                sql.push(
                    " AND EXISTS (SELECT 1 FROM question_follows f2 \
                     WHERE f2.question_id = q.id AND f2.person_id = ",
                )
                .bind(me)
                .push(")");
            }
            Some((QuestionFilter::Invited, me)) => {
                sql.push(
                    " AND EXISTS (SELECT 1 FROM question_invites i \
                     WHERE i.question_id = q.id AND i.invitee_id = ",
                )
                .bind(me)
                .push(")");
            }
        }
    }
}

/// A page of the questions `filter` lets through in `sort` order after
/// `cursor`. Every order is a keyset on (sort key, id); the cursor carries
/// both (the key is a need-by date for `urgent`, a time otherwise).
pub async fn list(
    conn: &mut AnyConnection,
    filter: &Filter<'_>,
    sort: QuestionSort,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<QuestionSummary>, ApiError> {
    let mut sql = Sql::new(format!(
        "SELECT {SUMMARY_COLUMNS} FROM questions q JOIN people pe ON pe.id = q.author_id"
    ));
    filter.push_where(&mut sql);
    let key_col = match sort {
        QuestionSort::Newest | QuestionSort::Unanswered => "created_at",
        QuestionSort::Active => "last_activity_at",
        QuestionSort::Urgent => "need_by",
    };
    if sort == QuestionSort::Unanswered {
        sql.push(" AND q.answer_count = 0 AND q.duplicate_of IS NULL");
    }
    if sort == QuestionSort::Urgent {
        sql.push(" AND q.urgency = ").bind(Urgency::Urgent.as_str());
        // Nearest need-by date first: ascending, from the start.
        let (key, id) = match cursor.filter(|c| !c.is_empty()) {
            Some(c) => {
                let c = Cursor::decode(c)?;
                (c.key, c.id)
            }
            None => Default::default(),
        };
        sql.push(" AND (q.need_by > ")
            .bind(key.clone())
            .push(" OR (q.need_by = ")
            .bind(key)
            .push(" AND q.id > ")
            .bind(id)
            .push(")) ORDER BY q.need_by ASC, q.id ASC");
    } else {
        if let Some((key, id)) = Cursor::decode_i64(cursor)? {
            sql.push(&format!(" AND (q.{key_col} < "))
                .bind(key)
                .push(&format!(" OR (q.{key_col} = "))
                .bind(key)
                .push(" AND q.id < ")
                .bind(id)
                .push("))");
        }
        sql.push(&format!(" ORDER BY q.{key_col} DESC, q.id DESC"));
    }
    sql.push(" LIMIT ").bind(limit + 1);
    let rows = sql.fetch_all(conn).await?;
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let items = rows.iter().map(summary).collect::<Result<Vec<_>, _>>()?;
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => {
            let id: String = last.try_get("id")?;
            Some(if sort == QuestionSort::Urgent {
                Cursor::encode(last.try_get::<String, _>("need_by")?, &id)
            } else {
                Cursor::encode(last.try_get::<i64, _>(key_col)?, &id)
            })
        }
        _ => None,
    };
    Ok(Page { items, next_cursor })
}

/// Up to `limit + 1` questions `filter` lets through whose words match
/// `text` (all words in [`Mode::All`], any in [`Mode::Any`]; the last one
/// as a prefix), best first, from `offset`: SQLite's FTS5 ranked by
/// `bm25` (a title hit counts most), PostgreSQL's `tsvector` by `ts_rank`.
/// None when `text` has no word to search for.
pub async fn search(
    conn: &mut AnyConnection,
    backend: Backend,
    filter: &Filter<'_>,
    text: &str,
    mode: Mode,
    limit: i64,
    offset: i64,
) -> Result<Option<Vec<QuestionSummary>>, sqlx::Error> {
    let Some(fts) = search::query(backend, text, mode, true) else {
        return Ok(None);
    };
    let mut sql = Sql::new(format!("SELECT {SUMMARY_COLUMNS}, "));
    match backend {
        Backend::Sqlite => sql.push(
            "bm25(questions_fts, 10.0, 1.0, 4.0) AS score FROM questions q \
             JOIN questions_fts ON questions_fts.rowid = q.rowid",
        ),
        // Negated: lower is better, as with bm25.
        Backend::Postgres => sql
            .push("-ts_rank(q.search, to_tsquery('simple', ")
            .bind(fts.clone())
            .push(")) AS score FROM questions q"),
    };
    sql.push(" JOIN people pe ON pe.id = q.author_id");
    filter.push_where(&mut sql);
    match backend {
        Backend::Sqlite => sql.push(" AND questions_fts MATCH ").bind(fts),
        Backend::Postgres => sql
            .push(" AND q.search @@ to_tsquery('simple', ")
            .bind(fts)
            .push(")"),
    };
    sql.push(" ORDER BY score, q.created_at DESC, q.id LIMIT ")
        .bind(limit + 1)
        .push(" OFFSET ")
        .bind(offset);
    let rows = sql.fetch_all(conn).await?;
    rows.iter()
        .map(summary)
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
