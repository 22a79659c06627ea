-- Format 11 (issue 12, rollup as of a date): the sums per day of the effective date, for
-- departments and all campaigns ('*'), per reporting year. A department's figures as of a date
-- D add to the months before D's (reporting_dated_counters) the days of D's month up to D
-- from here: at most 31 days of rows per figure and key, where the lines of that month (the
-- month of the year's decisions holds most of them) took a scan of every line. Keyed by date
-- before period, so that one range of the key holds those days, whatever their year. Rows
-- written before are outdated with the format: a rebuild fills them.
UPDATE reporting_model SET format = 11;
-- The dated counters' columns (with their collations and NOT NULLs), another key.
CREATE TABLE reporting_daily_counters (
    LIKE reporting_dated_counters,
    PRIMARY KEY (scope_kind, scope_id, effective_on, period_kind, period_id, campaign_id,
                 figure, key))
    WITH (fillfactor = 70);
