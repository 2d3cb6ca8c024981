//! ask-the-community: questions and answers.

use serde::{Deserialize, Serialize};

use crate::validate::Checker;
use crate::{FieldError, PersonSummary, Validate};

/// Shortest question title.
pub const TITLE_MIN_CHARS: usize = 10;
/// Longest question title.
pub const TITLE_MAX_CHARS: usize = 150;
/// Longest question or answer body (markdown subset).
pub const BODY_MAX_CHARS: usize = 10_000;
/// Most tags on a question.
pub const MAX_TAGS: usize = 5;

/// How urgent a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Whenever someone can.
    #[default]
    Normal,
    /// Needed by `need_by`.
    Urgent,
}

crate::wire_names!(Urgency {
    Normal = "normal",
    Urgent = "urgent",
});

/// Sort orders of the question list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionSort {
    /// Newest first.
    #[default]
    Newest,
    /// Without answers, newest first.
    Unanswered,
    /// Urgent ones, nearest need-by date first.
    Urgent,
    /// Most recent activity first.
    Active,
}

/// `GET /api/v1/questions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct QuestionQuery {
    /// Sort order (default newest).
    #[serde(default)]
    pub sort: QuestionSort,
    /// Only questions with this tag (key or label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u32>,
    /// Full-text search (title, details, tags); results come best match
    /// first and `sort` is ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only my questions, those I follow, or those I was invited to answer
    /// (signed in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<QuestionFilter>,
}

/// Personal question lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionFilter {
    /// Questions I asked (anonymous ones included: only I see them here).
    Mine,
    /// Questions I follow.
    Following,
    /// Questions someone invited me to answer.
    Invited,
}

/// `GET /api/v1/questions/similar`: questions like a title being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct SimilarQuery {
    /// The title so far (any word may match; the last one as a prefix).
    #[serde(default)]
    pub title: String,
    /// How many, 1 to 10 (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 10))]
    pub limit: Option<u32>,
}

/// A question in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionSummary {
    /// Question id.
    pub id: String,
    /// Title (plain text).
    pub title: String,
    /// Tag labels.
    pub tags: Vec<String>,
    /// Urgency.
    pub urgency: Urgency,
    /// Needed-by date (`YYYY-MM-DD`) for urgent questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_by: Option<String>,
    /// The asker; absent when asked anonymously.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<PersonSummary>,
    /// Whether it was asked anonymously.
    #[serde(default)]
    pub anonymous: bool,
    /// Number of visible answers.
    pub answer_count: i64,
    /// Net votes.
    #[serde(default)]
    pub votes: i64,
    /// Whether an answer was accepted.
    #[serde(default)]
    pub solved: bool,
    /// When it was asked, RFC 3339.
    pub created_at: String,
    /// Closed as a duplicate of this question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    /// Answer id.
    pub id: String,
    /// Body, markdown subset (rendered without raw HTML).
    pub body: String,
    /// Who answered; absent when the question's anonymous asker answered
    /// it (then `anonymous` is true): their answers are anonymous too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<PersonSummary>,
    /// Whether the question's anonymous asker wrote it (shown without a
    /// name, to everyone, moderators included).
    #[serde(default)]
    pub anonymous: bool,
    /// Whether the asker accepted it.
    #[serde(default)]
    pub accepted: bool,
    /// Net votes.
    #[serde(default)]
    pub votes: i64,
    /// When it was posted, RFC 3339.
    pub created_at: String,
    /// When its author last edited it, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
    /// Whether the caller voted for it.
    #[serde(default)]
    pub my_vote: bool,
    /// Whether the caller wrote it (and may edit it).
    #[serde(default)]
    pub mine: bool,
}

/// `GET /api/v1/questions/{id}`.
// On the wire the summary's fields sit beside the others (`flatten`, which
// the server's serializer and the OpenAPI schema follow). It is read
// through `QuestionWire` instead: serde's `flatten` buffers the whole
// object before it decodes, and that buffering cost the widgets' wasm
// bytes (docs/PERFORMANCE.md, "Fewer bytes"). A plain comment, not `///`:
// the doc comment is the schema's description in protocol/openapi.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "QuestionWire")]
pub struct Question {
    /// The list fields.
    #[serde(flatten)]
    pub summary: QuestionSummary,
    /// Details, markdown subset.
    pub body: String,
    /// Answers, the accepted one first.
    pub answers: Vec<Answer>,
    /// When its author last edited it, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
    /// Hidden by a moderator (only moderators see a hidden question, so
    /// only they ever read `true`).
    #[serde(default)]
    pub hidden: bool,
    /// What the caller may do and has done here.
    #[serde(default)]
    pub viewer: Viewer,
}

/// A [`Question`] as it is read: the fields of [`QuestionSummary`] and of
/// [`Question`] side by side, with the same defaults.
#[derive(Deserialize)]
struct QuestionWire {
    id: String,
    title: String,
    tags: Vec<String>,
    urgency: Urgency,
    #[serde(default)]
    need_by: Option<String>,
    #[serde(default)]
    author: Option<PersonSummary>,
    #[serde(default)]
    anonymous: bool,
    answer_count: i64,
    #[serde(default)]
    votes: i64,
    #[serde(default)]
    solved: bool,
    created_at: String,
    #[serde(default)]
    duplicate_of: Option<String>,
    body: String,
    answers: Vec<Answer>,
    #[serde(default)]
    edited_at: Option<String>,
    #[serde(default)]
    hidden: bool,
    #[serde(default)]
    viewer: Viewer,
}

impl From<QuestionWire> for Question {
    fn from(w: QuestionWire) -> Self {
        Question {
            summary: QuestionSummary {
                id: w.id,
                title: w.title,
                tags: w.tags,
                urgency: w.urgency,
                need_by: w.need_by,
                author: w.author,
                anonymous: w.anonymous,
                answer_count: w.answer_count,
                votes: w.votes,
                solved: w.solved,
                created_at: w.created_at,
                duplicate_of: w.duplicate_of,
            },
            body: w.body,
            answers: w.answers,
            edited_at: w.edited_at,
            hidden: w.hidden,
            viewer: w.viewer,
        }
    }
}

/// The caller's relation to a question (all false for anonymous readers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Viewer {
    /// The caller asked it (also when asked anonymously: only the asker
    /// hears this).
    #[serde(default)]
    pub mine: bool,
    /// The caller follows it.
    #[serde(default)]
    pub following: bool,
    /// The caller voted for it.
    #[serde(default)]
    pub my_vote: bool,
    /// The caller may accept an answer (the asker or a moderator).
    #[serde(default)]
    pub can_accept: bool,
    /// The caller is a moderator (hide, close as duplicate, retag).
    #[serde(default)]
    pub can_moderate: bool,
    /// Someone invited the caller to answer.
    #[serde(default)]
    pub invited: bool,
}

/// `PUT /api/v1/questions/{id}/accepted`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accept {
    /// The accepted answer; `null` takes the acceptance back.
    #[serde(default)]
    pub answer_id: Option<String>,
}

/// `PUT /api/v1/questions/{id}/tags` (the asker or a moderator).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Retag {
    /// Up to 5 tag labels.
    pub tags: Vec<String>,
}

impl Validate for Retag {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        Checker::new().tags("tags", &self.tags, MAX_TAGS).finish()
    }
}

/// `PUT /api/v1/questions/{id}/duplicate` (moderators).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Duplicate {
    /// The original question; `null` reopens.
    #[serde(default)]
    pub original_id: Option<String>,
}

/// `PUT /api/v1/questions/{id}/hidden`, `PUT /api/v1/answers/{id}/hidden`
/// (moderators).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hidden {
    /// Hide (true) or show again (false).
    pub hidden: bool,
}

/// A vote after a vote or its withdrawal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteState {
    /// Net votes now.
    pub votes: i64,
    /// Whether the caller's vote is counted.
    pub my_vote: bool,
}

/// `POST /api/v1/questions/{id}/invites` (the asker).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    /// Whom to invite (an id from the suggestions).
    pub person_id: String,
}

/// A colleague whose passion profile matches a question's tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestedPerson {
    /// Who.
    pub person: PersonSummary,
    /// The question's tags they can teach.
    pub teaches: Vec<String>,
    /// The question's tags they love.
    pub loves: Vec<String>,
    /// Whether they are invited already.
    pub invited: bool,
}

/// One recorded change (moderators read them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// `asked`, `edited`, `answered`, `answer_edited`, `accepted`,
    /// `unaccepted`, `retagged`, `duplicate`, `reopened`, `hidden`, `shown`,
    /// `answer_hidden`, `answer_shown`.
    pub action: String,
    /// The answer concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_id: Option<String>,
    /// Who did it; absent when the question's anonymous asker did it (then
    /// `anonymous` is true): moderators never learn who asked either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<PersonSummary>,
    /// Whether the question's anonymous asker did it.
    #[serde(default)]
    pub anonymous: bool,
    /// When, RFC 3339.
    pub at: String,
}

/// `POST /api/v1/questions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewQuestion {
    /// Title, 10 to 150 characters (trimmed).
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 150))]
    pub title: String,
    /// Details, markdown subset, up to 10,000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10_000))]
    pub body: String,
    /// Up to 5 tag labels.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub tags: Vec<String>,
    /// Urgency.
    #[serde(default)]
    pub urgency: Urgency,
    /// Needed-by date, `YYYY-MM-DD`, required when urgent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub need_by: Option<String>,
    /// Ask without showing my name to others.
    #[serde(default)]
    pub anonymous: bool,
}

impl Validate for NewQuestion {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.text("title", &self.title, TITLE_MIN_CHARS, TITLE_MAX_CHARS)
            .body("body", &self.body, 0, BODY_MAX_CHARS)
            .tags("tags", &self.tags, MAX_TAGS);
        match (&self.urgency, &self.need_by) {
            (Urgency::Urgent, None) => {
                c.push(FieldError::new(
                    "need_by",
                    crate::validate::codes::REQUIRED,
                    "need_by is required for urgent questions",
                ));
            }
            (_, Some(d)) => {
                c.date("need_by", d);
            }
            _ => {}
        }
        c.finish()
    }
}

/// `POST /api/v1/questions/{id}/answers`, `PUT /api/v1/answers/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAnswer {
    /// Body, markdown subset, 1 to 10,000 characters.
    pub body: String,
}

impl Validate for NewAnswer {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        Checker::new()
            .body("body", &self.body, 1, BODY_MAX_CHARS)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_question() -> Question {
        Question {
            summary: QuestionSummary {
                id: "q1".into(),
                title: "How do we onboard faster?".into(),
                tags: vec!["onboarding".into(), "hr".into()],
                urgency: Urgency::Urgent,
                need_by: Some("2026-12-24".into()),
                author: Some(PersonSummary {
                    id: "u1".into(),
                    name: "Mia".into(),
                    department: Some("HR".into()),
                }),
                anonymous: true,
                answer_count: 3,
                votes: -2,
                solved: true,
                created_at: "2026-12-01T10:00:00Z".into(),
                duplicate_of: Some("q0".into()),
            },
            body: "We lose a week.".into(),
            answers: vec![Answer {
                id: "a1".into(),
                body: "Buddy system.".into(),
                author: None,
                anonymous: true,
                accepted: true,
                votes: 7,
                created_at: "2026-12-02T10:00:00Z".into(),
                edited_at: Some("2026-12-03T10:00:00Z".into()),
                my_vote: true,
                mine: true,
            }],
            edited_at: Some("2026-12-04T10:00:00Z".into()),
            hidden: true,
            viewer: Viewer {
                mine: true,
                following: true,
                my_vote: false,
                can_accept: true,
                can_moderate: false,
                invited: true,
            },
        }
    }

    #[test]
    fn a_question_reads_back_what_the_server_writes() {
        // Question is read through QuestionWire (no serde flatten in the
        // wasm) and written with flatten: every field must land where it was.
        let q = full_question();
        let json = serde_json::to_value(&q).unwrap();
        assert_eq!(
            json["title"], "How do we onboard faster?",
            "flat on the wire"
        );
        assert_eq!(json["body"], "We lose a week.");
        assert!(json.get("summary").is_none());
        assert_eq!(serde_json::from_value::<Question>(json).unwrap(), q);
    }

    #[test]
    fn a_question_without_optional_fields_gets_the_defaults() {
        let q: Question = serde_json::from_str(
            r#"{"id":"q2","title":"Where is the style guide?","tags":[],"urgency":"normal",
                "answer_count":0,"created_at":"2026-12-05T09:00:00Z","body":"",
                "answers":[],"unknown":1}"#,
        )
        .unwrap();
        assert_eq!(q.summary.id, "q2");
        assert_eq!(q.summary.title, "Where is the style guide?");
        assert_eq!(q.summary.urgency, Urgency::Normal);
        assert_eq!(
            (q.summary.votes, q.summary.solved, q.hidden),
            (0, false, false)
        );
        assert_eq!((q.summary.author, q.edited_at), (None, None));
        assert_eq!(q.viewer, Viewer::default());
        assert!(serde_json::from_str::<Question>(r#"{"id":"q3"}"#).is_err());
    }

    #[test]
    fn urgency_wire_names_are_serde_names() {
        for &u in Urgency::ALL {
            assert_eq!(serde_json::to_value(u).unwrap(), u.as_str());
            assert_eq!(u.as_str().parse::<Urgency>(), Ok(u));
        }
        assert!("soon".parse::<Urgency>().is_err());
    }

    #[test]
    fn urgent_question_needs_a_need_by_date() {
        let q = NewQuestion {
            title: "How do we rotate the signing keys?".into(),
            urgency: Urgency::Urgent,
            ..Default::default()
        };
        let errs = q.validate().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "need_by");
    }

    #[test]
    fn short_title_and_too_many_tags_are_reported_per_field() {
        let q = NewQuestion {
            title: "Help?".into(),
            tags: (0..6).map(|i| format!("t{i}")).collect(),
            ..Default::default()
        };
        let fields: Vec<_> = q
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["title", "tags"]);
    }
}
