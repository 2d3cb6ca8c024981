-- passion-match: a deleted intro stays as a tombstone (deleted_at set, its
-- message erased) so that it still counts towards the one-intro-per-
-- colleague rule and the daily limit; lists and "connected" ignore it.
-- Before, deleting an intro and saying hi again got round both limits.
ALTER TABLE intros ADD COLUMN deleted_at BIGINT;
