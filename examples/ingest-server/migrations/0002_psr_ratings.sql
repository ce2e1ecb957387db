-- Prompt Satisfaction Ratings: one per owner, prompt and UTC day; a same-day resubmit
-- replaces the rating (the unique key is the upsert target).
CREATE TABLE IF NOT EXISTS psr_ratings (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id   text NOT NULL,
  prompt_id  text NOT NULL,
  version    text,
  rating     smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  note       text CHECK (char_length(note) <= 280),
  source     text NOT NULL CHECK (source IN ('copy', 'duplicate', 'manual', 'other')),
  day        date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_id, prompt_id, day)
);

CREATE INDEX IF NOT EXISTS psr_ratings_prompt_idx ON psr_ratings (prompt_id);
