-- Issue 12 (a rollup as of a date): the lines' items summed per department, day of the
-- effective date and reporting year, all campaigns together. A department's figures as of a
-- date D sum its dated counters of the months before D's and these rows from the first of D's
-- month to D, instead of unnesting every line of those days: a ministry's 1-15 December over
-- the bench's history is 1,560 lines and 3,120 items, 4.5 ms to unnest and sum, against 0.6
-- ms here.
--
-- Rows are added, never updated: each projection batch appends its own sums (by COPY), and a
-- reader sums the rows of a key, so a key may have one row per batch that moved it (and a
-- correction's row may cancel an earlier one). An upsert per key, as the counters have, cost
-- the live projection 55 ms a batch of 3,850 rows against 17 ms for the copy. A replay writes
-- one row per key. Filled here from the lines, as a replay would; the lines' index by
-- department and date served only that sum, and goes. No format change: the migration makes
-- the model whole.
CREATE TABLE reporting_day_counters (
    department_code text COLLATE "C" NOT NULL, effective_on date NOT NULL, year text COLLATE "C" NOT NULL,
    figure text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, count bigint NOT NULL,
    amount bigint NOT NULL);
INSERT INTO reporting_day_counters
SELECT l.department_code, l.effective_on, l.year, u.figure, u.key, sum(u.count), sum(u.amount)
FROM reporting_fact_lines l,
     unnest(l.figures, l.keys, l.counts, l.amounts) AS u(figure, key, count, amount)
WHERE l.department_code IS NOT NULL
GROUP BY 1, 2, 3, 4, 5
HAVING sum(u.count) <> 0 OR sum(u.amount) <> 0
ORDER BY 1, 2, 3, 4, 5;
CREATE INDEX reporting_day_counters_department ON reporting_day_counters (department_code, effective_on);
DROP INDEX reporting_fact_lines_department_dated;
