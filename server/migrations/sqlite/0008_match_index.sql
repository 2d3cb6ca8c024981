-- passion-match: each server keeps the matching index in memory; this log
-- tells it which people changed since it last looked. Every write that
-- changes what matching sees (a profile, its passions, its visibility, a
-- person's department) bumps the one version row and logs the person in
-- the same transaction. The row lock orders the versions as the commits,
-- so a server that has seen version V has seen every change up to V.
-- Old entries are pruned; a server that fell further behind rebuilds.
CREATE TABLE match_version (
    id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);

INSERT INTO match_version (id, version) VALUES (1, 0);

CREATE TABLE match_changes (
    version BIGINT PRIMARY KEY,
    person_id TEXT NOT NULL
);
