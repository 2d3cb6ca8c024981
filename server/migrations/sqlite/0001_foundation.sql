-- The foundation schema. Timestamps are Unix epoch milliseconds (BIGINT);
-- ids are UUIDv7 text; flags are 0/1 BIGINTs so that SQLite and PostgreSQL
-- read back the same types. Every content row carries its `community`.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- People as the portal last described them in a token (or the demo seed).
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    department TEXT,
    roles TEXT NOT NULL DEFAULT '',
    lang TEXT,
    -- Order of the demo person switcher (0 for people from real tokens).
    position BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE TABLE tags (
    community TEXT NOT NULL,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (community, key)
);

CREATE TABLE tag_aliases (
    community TEXT NOT NULL,
    alias TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (community, alias)
);

-- Every use of a tag; `public` uses count in /tags (hidden profiles,
-- private reflections and unpublished stories do not).
CREATE TABLE tag_links (
    community TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    public BIGINT NOT NULL,
    PRIMARY KEY (community, kind, ref_id, tag_key)
);
CREATE INDEX tag_links_by_tag ON tag_links (community, tag_key, public);

CREATE TABLE profiles (
    community TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    why TEXT NOT NULL,
    open_to_chat BIGINT NOT NULL,
    visibility TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (community, person_id)
);
CREATE INDEX profiles_by_update ON profiles (community, updated_at, person_id);

CREATE TABLE passions (
    community TEXT NOT NULL,
    person_id TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    level TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (community, person_id, tag_key)
);
CREATE INDEX passions_by_tag ON passions (community, tag_key);

CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES people (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,
    urgency TEXT NOT NULL,
    need_by TEXT,
    anonymous BIGINT NOT NULL,
    answer_count BIGINT NOT NULL DEFAULT 0,
    votes BIGINT NOT NULL DEFAULT 0,
    accepted_answer_id TEXT,
    hidden BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL
);
CREATE INDEX questions_newest ON questions (community, created_at, id);
CREATE INDEX questions_active ON questions (community, last_activity_at, id);

CREATE TABLE answers (
    id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL REFERENCES questions (id),
    author_id TEXT NOT NULL REFERENCES people (id),
    body TEXT NOT NULL,
    votes BIGINT NOT NULL DEFAULT 0,
    hidden BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX answers_by_question ON answers (question_id, created_at);

CREATE TABLE reflections (
    id TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES people (id),
    prompt_id TEXT,
    body TEXT NOT NULL,
    energy BIGINT,
    tags TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reflections_by_author ON reflections (community, author_id, created_at, id);

CREATE TABLE goals (
    community TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (community, id)
);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES people (id),
    title TEXT NOT NULL,
    goal_id TEXT,
    situation TEXT NOT NULL,
    practice TEXT NOT NULL,
    result TEXT NOT NULL,
    metrics TEXT NOT NULL,
    team TEXT NOT NULL,
    tags TEXT NOT NULL,
    status TEXT NOT NULL,
    applause BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX stories_newest ON stories (community, status, created_at, id);

-- Responses to writes that carried an Idempotency-Key, replayed on retry.
CREATE TABLE idempotency (
    person_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, key)
);
