"""Search (tra cứu) and the pages of one person and one unit (issue 18 item 1).

- ``models.py``: what they answer (a page of hits, a person's and a unit's record);
- ``queries.py``: the search over people's and units' names (``search_fold`` and the trigram
  indexes of ``readmodels/sql/0007_search.sql``), scoped by the reader's roles and filtered by
  province, department, unit and year;
- ``records.py``: a person's and a unit's record (units over time, ratings, registrations,
  initiatives, titles and awards by year, the chains in progress by the awards rules' own
  chain logic, open discipline), all read from the reporting model.
- ``routes.py``: ``GET /v1/search``, ``/v1/people/{id}``, ``/v1/units/{id}`` and the
  dashboard's pages ``/tra-cuu``, ``/tra-cuu/ca-nhan/{id}``, ``/tra-cuu/don-vi/{id}``.
"""
