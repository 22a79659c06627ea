"""Supervision of the service processes that ``thidua up`` runs.

``Supervisor`` (``supervisor.py``) keeps programs running as its children: it reaps them,
restarts a crashed one with capped backoff and records restarts and the last exit in a status
file (``state.py``). ``python -m thidua.supervision`` is the supervisor process of a state
directory; ``control.py`` starts it (detached, so it outlives ``thidua up --detach``), waits
for its programs to be ready, reads its status and stops it.
"""
