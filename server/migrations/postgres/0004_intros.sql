-- passion-match: introductions between colleagues ("say hi"). One intro per
-- sender and receiver; accepted ones make the two "connected".
CREATE TABLE intros (
    id TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    from_id TEXT NOT NULL REFERENCES people (id),
    to_id TEXT NOT NULL REFERENCES people (id),
    message TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    responded_at BIGINT,
    UNIQUE (community, from_id, to_id)
);
CREATE INDEX intros_to ON intros (community, to_id, created_at);
CREATE INDEX intros_from ON intros (community, from_id, created_at);
