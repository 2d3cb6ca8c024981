-- Per-person write limits (server/src/rate_limit.rs): one row per counted
-- write in the current window of (community, person, kind); rows that left
-- the window are deleted when the same person writes that kind again.
CREATE TABLE write_events (
    id TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    person_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX write_events_window ON write_events (community, person_id, kind, at);
