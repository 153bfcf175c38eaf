-- Reports (B5, B6.4 事务公开): the published monthly statistics of each hall.
-- A month is published once it has ended in the hall's zone; the first request
-- after that computes its figures from the data and stores them here, so the
-- published figures never change afterwards (even when data is later corrected).
CREATE TABLE report_month_snapshots (
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  month TEXT NOT NULL,              -- 'YYYY-MM' in the hall's zone
  figures TEXT NOT NULL,            -- the JSON document served by GET /api/v1/public/stats/monthly
  computed_at BIGINT NOT NULL,      -- UTC milliseconds
  PRIMARY KEY (hall_id, month)
);
