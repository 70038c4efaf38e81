-- Online legal contests: a versioned question bank, contests with rounds, participants,
-- attempts (the hot table: one row per attempt, answers and score in it, written by the
-- group committer), frozen rankings and counted rejections.
CREATE TABLE contest_questions (
  id {{pk}},
  ext_key TEXT UNIQUE,
  org_id BIGINT NOT NULL DEFAULT 0,
  topic TEXT NOT NULL DEFAULT '',
  difficulty INTEGER NOT NULL DEFAULT 2,
  current_version INTEGER NOT NULL DEFAULT 1,
  archived INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX contest_questions_topic ON contest_questions (topic, difficulty);

CREATE TABLE contest_question_versions (
  id {{pk}},
  question_id BIGINT NOT NULL REFERENCES contest_questions (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  text TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (question_id, version)
);

CREATE TABLE contests (
  id {{pk}},
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  org_id BIGINT NOT NULL DEFAULT 0,
  published INTEGER NOT NULL DEFAULT 0,
  settings TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE contest_rounds (
  id {{pk}},
  contest_id BIGINT NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  actual_participants BIGINT,
  frozen_at BIGINT,
  frozen_ranking TEXT
);
CREATE INDEX contest_rounds_contest ON contest_rounds (contest_id, opens_at);

CREATE TABLE contest_participants (
  id {{pk}},
  contest_id BIGINT NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  phone TEXT NOT NULL,
  cccd TEXT NOT NULL DEFAULT '',
  full_name TEXT NOT NULL,
  birth_year INTEGER NOT NULL,
  gender TEXT NOT NULL,
  org_unit TEXT NOT NULL DEFAULT '',
  commune TEXT NOT NULL DEFAULT '',
  audience TEXT NOT NULL DEFAULT '',
  flags TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (contest_id, phone)
);
CREATE INDEX contest_participants_cccd ON contest_participants (contest_id, cccd);

CREATE TABLE contest_attempts (
  id {{pk}},
  contest_id BIGINT NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  round_id BIGINT NOT NULL REFERENCES contest_rounds (id) ON DELETE CASCADE,
  participant_id BIGINT NOT NULL REFERENCES contest_participants (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  started_at BIGINT NOT NULL,
  deadline BIGINT NOT NULL,
  submitted_at BIGINT,
  questions TEXT NOT NULL,
  answers TEXT NOT NULL DEFAULT '{}',
  saved_at BIGINT,
  score DOUBLE PRECISION NOT NULL DEFAULT 0,
  max_score DOUBLE PRECISION NOT NULL DEFAULT 0,
  correct INTEGER NOT NULL DEFAULT 0,
  receipt TEXT NOT NULL DEFAULT '',
  flags TEXT NOT NULL DEFAULT '',
  dq_reason TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  device TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contest_attempts_round ON contest_attempts (round_id, status);
CREATE INDEX contest_attempts_participant ON contest_attempts (participant_id, round_id);
CREATE UNIQUE INDEX contest_attempts_one_open ON contest_attempts (participant_id) WHERE status = 'open';
CREATE INDEX contest_attempts_receipt ON contest_attempts (receipt);

CREATE TABLE contest_rejections (
  contest_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (contest_id, reason)
);
