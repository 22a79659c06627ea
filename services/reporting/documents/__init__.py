"""Review reports of a campaign (issue 17): sơ kết per phase and tổng kết, as DOCX and PDF.

- ``document.py`` (pure): the ``Document`` every report, decision and certificate is laid
  out from (headings, paragraphs, tables, letterhead, "Nơi nhận", signer) and the
  conventions of administrative layout;
- ``review_data.py`` (pure): what a review is made of (the plan, the awards, the tallies);
- ``review.py`` / ``review_grids.py`` (pure): a review's sections and its tables, as a
  ``Document`` built from the plan and the model's figures;
- ``word.py`` / ``pdf.py`` (pure, bytes out): the same document laid out by python-docx and
  fpdf2 (DejaVu Serif: the PDF core fonts cannot write Vietnamese);
- ``queries.py``: the plan and the figures, read from the reporting model (through
  ``services.reporting.queries``) and the plan's own text from the audit trail;
- ``routes.py``: ``GET /v1/campaigns/{id}/reports/...`` and the dashboard's page of a
  campaign's reports.
"""
