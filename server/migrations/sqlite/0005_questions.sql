-- ask-the-community: votes, follows, invitations, the change log, and
-- full-text search (an FTS5 table kept in sync by triggers, so every
-- write updates it in the same transaction).
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

CREATE VIRTUAL TABLE questions_fts USING fts5(
    title, body, tags,
    content = 'questions', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO questions_fts (questions_fts) VALUES ('rebuild');
CREATE TRIGGER questions_fts_insert AFTER INSERT ON questions BEGIN
    INSERT INTO questions_fts (rowid, title, body, tags)
    VALUES (new.rowid, new.title, new.body, new.tags);
END;
CREATE TRIGGER questions_fts_delete AFTER DELETE ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, title, body, tags)
    VALUES ('delete', old.rowid, old.title, old.body, old.tags);
END;
CREATE TRIGGER questions_fts_update AFTER UPDATE OF title, body, tags ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, title, body, tags)
    VALUES ('delete', old.rowid, old.title, old.body, old.tags);
    INSERT INTO questions_fts (rowid, title, body, tags)
    VALUES (new.rowid, new.title, new.body, new.tags);
END;
