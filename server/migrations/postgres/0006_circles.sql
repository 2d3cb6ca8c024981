-- passion-match circles: who joined the circle of a passion. Whether the
-- circle exists (3+ people open to a chat hold the passion) and whether a
-- member still counts (holds the passion, open to a chat, not hidden) are
-- computed when read, so a changed profile needs no cleanup here.
CREATE TABLE circle_members (
    community TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (community, tag_key, person_id)
);
CREATE INDEX circle_members_by_person ON circle_members (community, person_id);
