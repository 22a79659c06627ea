"""Review reports of a campaign (issue 17): sơ kết per phase and tổng kết, as DOCX and PDF.

- ``review.py`` (pure): what a report states, as a ``Document`` (letterhead, title, sections,
  tables, "Nơi nhận", signer) built from the plan and the model's figures;
- ``word.py`` / ``pdf.py`` (pure, bytes out): the same document laid out by python-docx and
  fpdf2 (DejaVu Serif: the PDF core fonts cannot write Vietnamese);
- ``queries.py``: the plan and the figures, read from the reporting model (through
  ``services.reporting.queries``) and the plan's own text from the audit trail;
- ``routes.py``: ``GET /v1/campaigns/{id}/reports/...`` and the dashboard's page of a
  campaign's reports.
"""
