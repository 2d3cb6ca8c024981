-- The urgent question list (issue 11 item 5): nearest need-by date first,
-- read in index order instead of sorting every question of the community.
CREATE INDEX questions_urgent ON questions (community, urgency, need_by, id);
