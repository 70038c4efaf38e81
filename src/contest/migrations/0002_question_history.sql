-- The editor's history and optimistic locking: who made each question version, who last
-- changed it in place (a version no attempt has seen may be corrected without a new one),
-- and a revision counter on the question bumped by every change.
ALTER TABLE contest_questions ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contest_question_versions ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE contest_question_versions ADD COLUMN edited_at BIGINT;
ALTER TABLE contest_question_versions ADD COLUMN edited_by TEXT NOT NULL DEFAULT '';
