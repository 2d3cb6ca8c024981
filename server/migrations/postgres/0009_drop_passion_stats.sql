-- passion-match's weights (visible profiles, and visible profiles per tag)
-- are now counted by each server's in-memory index, from the same snapshot
-- as the postings (see match_index.rs); the counts kept here since 0007
-- are no longer read or written.
DROP TABLE passion_stats;
DROP TABLE profile_stats;
