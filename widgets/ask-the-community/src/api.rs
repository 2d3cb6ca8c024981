//! Ask the community's HTTP calls. Writes that create something (a
//! question, an answer) go through the core outbox with an
//! Idempotency-Key; the toggles (vote, follow, accept, invite) are sent
//! directly and their failure shows at once.

use km_protocol::Page;
use km_protocol::questions::{
    Accept, Change, Duplicate, Invite, NewQuestion, Question, QuestionFilter, QuestionSort,
    QuestionSummary, Retag, SuggestedPerson, VoteState,
};
use km_widgets_core::api::{encode_query, with_query};
use km_widgets_core::{Api, ApiError, HttpMethod};

/// `POST` here asks a question.
pub const QUESTIONS_PATH: &str = "/questions";

/// What a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Sort order (newest when default; not sent then).
    pub sort: QuestionSort,
    /// Only this tag.
    pub tag: Option<String>,
    /// Search words (ranked results; the sort is ignored).
    pub search: Option<String>,
    /// My questions, followed ones, invitations.
    pub filter: Option<QuestionFilter>,
    /// Page size.
    pub limit: u32,
}

fn sort_param(s: QuestionSort) -> Option<String> {
    match s {
        QuestionSort::Newest => None,
        QuestionSort::Unanswered => Some("unanswered".into()),
        QuestionSort::Urgent => Some("urgent".into()),
        QuestionSort::Active => Some("active".into()),
    }
}

fn filter_param(f: QuestionFilter) -> String {
    match f {
        QuestionFilter::Mine => "mine",
        QuestionFilter::Following => "following",
        QuestionFilter::Invited => "invited",
    }
    .to_owned()
}

fn non_blank(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The path of `GET /questions` for `q`, from `cursor`. The default sort
/// (newest) is the server's default, so no `sort` parameter is sent for it.
pub fn questions_path(q: &ListQuery, cursor: Option<&str>) -> String {
    with_query(
        QUESTIONS_PATH,
        &[
            ("limit", Some(q.limit.to_string())),
            ("sort", sort_param(q.sort)),
            ("tag", non_blank(&q.tag)),
            ("q", non_blank(&q.search)),
            ("filter", q.filter.map(filter_param)),
            ("cursor", cursor.map(str::to_owned)),
        ],
    )
}

/// `GET /api/v1/questions`.
pub async fn list_questions(
    api: &Api,
    q: &ListQuery,
    cursor: Option<&str>,
) -> Result<Page<QuestionSummary>, ApiError> {
    api.get(&questions_path(q, cursor)).await
}

/// `GET /api/v1/questions/similar?title=`: questions like the title typed.
pub async fn similar(api: &Api, title: &str) -> Result<Vec<QuestionSummary>, ApiError> {
    api.get(&format!(
        "/questions/similar?limit=5&title={}",
        encode_query(title)
    ))
    .await
}

/// The path of one question.
pub fn question_path(id: &str) -> String {
    format!("/questions/{}", encode_query(id))
}

/// `GET /api/v1/questions/{id}`. The server sends an ETag with
/// `Cache-Control: private, no-cache`, so the browser's own cache asks
/// with `If-None-Match` and a poll of an unchanged question costs a 304.
pub async fn question(api: &Api, id: &str) -> Result<Question, ApiError> {
    api.get(&question_path(id)).await
}

/// The path answers are posted to.
pub fn answers_path(id: &str) -> String {
    format!("{}/answers", question_path(id))
}

/// `PUT /questions/{id}/accepted`.
pub async fn accept(api: &Api, id: &str, answer_id: Option<&str>) -> Result<Question, ApiError> {
    let body = Accept {
        answer_id: answer_id.map(str::to_owned),
    };
    let path = format!("{}/accepted", question_path(id));
    api.send(HttpMethod::Put, &path, &body, None).await
}

/// `PUT`/`DELETE /questions/{id}/vote` or `/answers/{id}/vote`.
pub async fn vote(api: &Api, answer: bool, id: &str, on: bool) -> Result<VoteState, ApiError> {
    let kind = if answer { "answers" } else { "questions" };
    let path = format!("/{kind}/{}/vote", encode_query(id));
    let method = if on {
        HttpMethod::Put
    } else {
        HttpMethod::Delete
    };
    api.send(method, &path, &(), None).await
}

/// `PUT`/`DELETE /questions/{id}/follow`.
pub async fn follow(api: &Api, id: &str, on: bool) -> Result<Question, ApiError> {
    let path = format!("{}/follow", question_path(id));
    let method = if on {
        HttpMethod::Put
    } else {
        HttpMethod::Delete
    };
    api.send(method, &path, &(), None).await
}

/// `PUT /answers/{id}`: the author's new text.
pub async fn edit_answer(api: &Api, id: &str, body: &str) -> Result<Question, ApiError> {
    let path = format!("/answers/{}", encode_query(id));
    let body = km_protocol::questions::NewAnswer {
        body: body.to_owned(),
    };
    api.send(HttpMethod::Put, &path, &body, None).await
}

/// `PUT /answers/{id}/hidden` or `/questions/{id}/hidden` (moderators):
/// hide, or show again.
pub async fn hide(api: &Api, answer: bool, id: &str, hidden: bool) -> Result<Question, ApiError> {
    let kind = if answer { "answers" } else { "questions" };
    let path = format!("/{kind}/{}/hidden", encode_query(id));
    let body = km_protocol::questions::Hidden { hidden };
    api.send(HttpMethod::Put, &path, &body, None).await
}

/// `PUT /questions/{id}`: the author's edit.
pub async fn edit_question(api: &Api, id: &str, q: &NewQuestion) -> Result<Question, ApiError> {
    api.send(HttpMethod::Put, &question_path(id), q, None).await
}

/// `PUT /questions/{id}/duplicate` (moderators): close as a duplicate of
/// `original`, or reopen with `None`.
pub async fn duplicate(
    api: &Api,
    id: &str,
    original: Option<String>,
) -> Result<Question, ApiError> {
    let path = format!("{}/duplicate", question_path(id));
    let body = Duplicate {
        original_id: original,
    };
    api.send(HttpMethod::Put, &path, &body, None).await
}

/// `PUT /questions/{id}/tags` (the asker or a moderator).
pub async fn retag(api: &Api, id: &str, tags: Vec<String>) -> Result<Question, ApiError> {
    let path = format!("{}/tags", question_path(id));
    api.send(HttpMethod::Put, &path, &Retag { tags }, None)
        .await
}

/// `GET /questions/{id}/changes` (moderators): who did what, oldest first.
pub async fn changes(api: &Api, id: &str) -> Result<Vec<Change>, ApiError> {
    api.get(&format!("{}/changes", question_path(id))).await
}

/// `GET /questions/{id}/people`: colleagues to invite (the asker only).
pub async fn suggestions(api: &Api, id: &str) -> Result<Vec<SuggestedPerson>, ApiError> {
    api.get(&format!("{}/people", question_path(id))).await
}

/// `POST /questions/{id}/invites`.
pub async fn invite(api: &Api, id: &str, person_id: &str) -> Result<(), ApiError> {
    let path = format!("{}/invites", question_path(id));
    let body = Invite {
        person_id: person_id.to_owned(),
    };
    api.send(HttpMethod::Post, &path, &body, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_is_the_default_and_sends_no_sort() {
        let mut q = ListQuery {
            limit: 10,
            ..Default::default()
        };
        assert_eq!(questions_path(&q, None), "/questions?limit=10");
        q.tag = Some("Onboarding & HR".into());
        q.limit = 5;
        assert_eq!(
            questions_path(&q, None),
            "/questions?limit=5&tag=Onboarding%20%26%20HR"
        );
        q.tag = Some(" ".into());
        assert_eq!(questions_path(&q, None), "/questions?limit=5");
    }

    #[test]
    fn sorts_filters_search_and_cursor_travel_in_the_query() {
        let q = ListQuery {
            sort: QuestionSort::Urgent,
            search: Some(" vpn certificaat ".into()),
            filter: Some(QuestionFilter::Following),
            limit: 20,
            ..Default::default()
        };
        assert_eq!(
            questions_path(&q, Some("abc")),
            "/questions?limit=20&sort=urgent&q=vpn%20certificaat&filter=following&cursor=abc"
        );
        assert_eq!(answers_path("q/1"), "/questions/q%2F1/answers");
    }
}
