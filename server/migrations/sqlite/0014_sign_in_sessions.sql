-- Sign-in with the organization's OpenID provider (server/src/sign_in.rs).
-- One row per signed-in session, with the person as the provider described
-- them at sign-in (`claims`, the JSON of the `Me` the access tokens carry).
-- A session ends at `expires_ms`, or earlier at sign-out or when a used
-- refresh handle comes back (`ended_ms`, `end_reason` 'sign-out' | 'reuse').
CREATE TABLE sign_in_sessions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    claims TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    ended_ms BIGINT,
    end_reason TEXT
);
CREATE INDEX sign_in_sessions_expiry ON sign_in_sessions (expires_ms);

-- A session's refresh handles: the handle is `<id>.<secret>`, and only the
-- secret's SHA-256 is kept. Refreshing marks the handle used (`used_ms`)
-- and adds the next one; every handle of the session stays until the
-- session is forgotten, so a used one is recognised when it comes back.
CREATE TABLE refresh_handles (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sign_in_sessions (id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    used_ms BIGINT
);
CREATE INDEX refresh_handles_session ON refresh_handles (session_id);
