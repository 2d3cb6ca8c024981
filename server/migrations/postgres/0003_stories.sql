-- story-board: the rest of a story (contributors, quote, evidence link),
-- moderation (featured, published_at), the headline improvement kept for
-- sorting, and one applause per person.
ALTER TABLE stories ADD COLUMN contributors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE stories ADD COLUMN quote TEXT;
ALTER TABLE stories ADD COLUMN evidence_url TEXT;
ALTER TABLE stories ADD COLUMN featured BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN published_at BIGINT;
-- The largest improvement of the story's metrics in basis points (62.5% is
-- 6250); a very low number when no metric has a baseline.
ALTER TABLE stories ADD COLUMN improvement_bp BIGINT NOT NULL DEFAULT -1000000000;

CREATE TABLE story_applause (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (story_id, person_id)
);
CREATE INDEX stories_by_goal ON stories (community, goal_id);
