-- Format 8 (issue 18, item 4, the commendation fund): one row per event that moves a fund
-- (FundAllocated, FundAdjusted, FundDrawn, FundOverdrawn: owner = a department or a board,
-- year = the budget year) or commits or releases one (NominationVoted with its expected cash,
-- reached: 'committed'; NominationApproved / Rejected / Withdrawn: 'concluded'). Queries sum
-- them up to the reference date (services/reporting/funds.py); no counter, fact or line changes.
UPDATE reporting_model SET format = 8;
CREATE TABLE reporting_funds (
    event_id text COLLATE "C" PRIMARY KEY, kind text COLLATE "C" NOT NULL,
    owner text COLLATE "C", year integer, effective_on date NOT NULL,
    amount_vnd bigint NOT NULL, nomination_id text COLLATE "C", decision_id text COLLATE "C",
    decision_number text);
CREATE INDEX reporting_funds_owner ON reporting_funds (owner, year) WHERE owner IS NOT NULL;
CREATE INDEX reporting_funds_nomination ON reporting_funds (nomination_id)
    WHERE nomination_id IS NOT NULL;
