-- reflection-prompt: cadence settings, prompt rotation, admin prompt sets,
-- and reactions on shared reflections.

-- How often a person wants a prompt, in which time zone (IANA name or UTC
-- offset), and whether the due list may name them.
CREATE TABLE reflection_settings (
    community TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    cadence TEXT NOT NULL,
    weekday BIGINT,
    time_zone TEXT NOT NULL,
    reminders BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (community, person_id)
);

-- The prompts a person was shown in the current round of a set; the
-- latest row is the current period's prompt. A round ends when every
-- prompt of the set was drawn: its rows are deleted and a new round starts.
CREATE TABLE prompt_draws (
    community TEXT NOT NULL,
    person_id TEXT NOT NULL,
    set_id TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    period TEXT NOT NULL,
    drawn_at BIGINT NOT NULL,
    PRIMARY KEY (community, person_id, set_id, prompt_id)
);
CREATE INDEX prompt_draws_latest ON prompt_draws (community, person_id, set_id, drawn_at);

-- Prompt sets an admin added (the built-in `default` set has no row).
CREATE TABLE prompt_sets (
    community TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (community, id)
);

-- Prompts an admin added, to their own sets or to `default`.
CREATE TABLE custom_prompts (
    id TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    set_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    activity TEXT NOT NULL,
    text_en TEXT NOT NULL,
    text_nl TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX custom_prompts_by_set ON custom_prompts (community, set_id, created_at, id);

-- One row per person and reaction on a shared reflection; only counts
-- leave the server, never who reacted.
CREATE TABLE reflection_reactions (
    reflection_id TEXT NOT NULL REFERENCES reflections (id),
    person_id TEXT NOT NULL,
    reaction TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (reflection_id, person_id, reaction)
);

CREATE INDEX reflections_feed ON reflections (community, visibility, created_at, id);
