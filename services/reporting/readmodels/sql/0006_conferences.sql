-- Format 6 (issue 17, conferences): a conference's facts carry its exemplary and guest
-- delegates and its report's due date, and its report (ConferenceReported) is counted on time
-- or late. No table changes: the facts' attributes are JSON; a model of format 5 is rebuilt.
UPDATE reporting_model SET format = 6;
