"""``thidua import``: titles awarded before a department used the system, from the published
XLSX template, through the department's ingress topic (``AwardImported`` events, one stable id
per record, so importing a file again changes nothing)."""
