-- passion-match: the counts the ranking weighs with (visible profiles, and
-- visible profiles per tag), kept up to date by every profile write in the
-- same transaction instead of counted per request. Hidden profiles are not
-- counted: counts must not reveal them.
CREATE TABLE profile_stats (
    community TEXT PRIMARY KEY,
    profiles BIGINT NOT NULL
);

CREATE TABLE passion_stats (
    community TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    profiles BIGINT NOT NULL,
    PRIMARY KEY (community, tag_key)
);

INSERT INTO profile_stats (community, profiles)
SELECT community, COUNT(*) FROM profiles WHERE visibility <> 'hidden' GROUP BY community;

INSERT INTO passion_stats (community, tag_key, profiles)
SELECT pa.community, pa.tag_key, COUNT(*) FROM passions pa
JOIN profiles pr ON pr.community = pa.community AND pr.person_id = pa.person_id
WHERE pr.visibility <> 'hidden'
GROUP BY pa.community, pa.tag_key;
