ALTER TABLE feedback_ratings ALTER COLUMN ticket_id DROP NOT NULL;
ALTER TABLE feedback_ratings ADD COLUMN case_id BIGINT UNIQUE REFERENCES cases(id);
ALTER TABLE feedback_ratings ADD CONSTRAINT feedback_ratings_one_target CHECK ((ticket_id IS NULL) <> (case_id IS NULL));
