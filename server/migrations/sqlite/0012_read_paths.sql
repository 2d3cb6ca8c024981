-- Reads as fast as the data allows (issue 11 item 5): each list reads its
-- page in index order and stops after it, instead of sorting every row.

-- The reflection feed: shared and anonymous reflections, newest first.
CREATE INDEX reflections_shared_newest ON reflections (community, created_at, id)
    WHERE visibility IN ('shared', 'anonymous');

-- Story lists: featured stories first, then by the chosen sort.
CREATE INDEX stories_featured_newest ON stories (community, status, featured, created_at, id);
CREATE INDEX stories_featured_applause
    ON stories (community, status, featured, applause, created_at, id);
CREATE INDEX stories_featured_improvement
    ON stories (community, status, featured, improvement_bp, created_at, id);
