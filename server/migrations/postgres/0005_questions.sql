-- ask-the-community: votes, follows, invitations, the change log, and
-- full-text search (a generated tsvector column, title weighted above
-- tags above details, with a GIN index).
ALTER TABLE questions ADD COLUMN duplicate_of TEXT;
ALTER TABLE questions ADD COLUMN edited_at BIGINT;
ALTER TABLE answers ADD COLUMN edited_at BIGINT;
CREATE INDEX questions_by_author ON questions (community, author_id, created_at);

-- One vote per person and question or answer (`kind` = question | answer).
CREATE TABLE question_votes (
    kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (kind, target_id, person_id)
);

CREATE TABLE question_follows (
    question_id TEXT NOT NULL REFERENCES questions (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (question_id, person_id)
);
CREATE INDEX question_follows_by_person ON question_follows (person_id, question_id);

-- The asker invited a colleague to answer.
CREATE TABLE question_invites (
    question_id TEXT NOT NULL REFERENCES questions (id),
    invitee_id TEXT NOT NULL REFERENCES people (id),
    inviter_id TEXT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (question_id, invitee_id)
);
CREATE INDEX question_invites_by_invitee ON question_invites (invitee_id, question_id);

-- Who changed what and when (edits, acceptance, moderation).
CREATE TABLE question_changes (
    id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL REFERENCES questions (id),
    answer_id TEXT,
    actor_id TEXT NOT NULL REFERENCES people (id),
    action TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX question_changes_by_question ON question_changes (question_id, created_at);

ALTER TABLE questions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title), 'A')
    || setweight(to_tsvector('simple', tags), 'B')
    || setweight(to_tsvector('simple', body), 'C')
) STORED;
CREATE INDEX questions_search ON questions USING GIN (search);
