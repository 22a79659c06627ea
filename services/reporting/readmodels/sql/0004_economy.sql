-- Format 6 (issue 17, economic results): one row per event that sets a campaign's economic
-- targets (CampaignLaunched, CampaignAmended with targets: kind 'targets', the list in data)
-- or reports or corrects an indicator's actual value for a period (kind 'reported',
-- 'corrected': the figures in data). Queries pick the targets and the figures in force on the
-- reference date (services/reporting/queries/economy.py); no counter, fact or line changes.
UPDATE reporting_model SET format = 6;
CREATE TABLE reporting_economy (
    event_id text COLLATE "C" PRIMARY KEY, kind text COLLATE "C" NOT NULL,
    campaign_id text COLLATE "C" NOT NULL, effective_on date NOT NULL,
    indicator text, period_start date, period_end date, data jsonb NOT NULL);
CREATE INDEX reporting_economy_campaign ON reporting_economy (campaign_id);
