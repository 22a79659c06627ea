"""The reporting read model: dimensions, facts with their lines, and pre-aggregated counters.

- ``state.py``: the rows as tuples, and the slice of the model one batch works on;
- ``fold.py``: one event folded into that state (pure);
- ``lines.py``: a fact's lines and the counter deltas they make (pure);
- ``load.py`` / ``write.py``: the rows a batch needs, read and written once per table;
- ``tables.py``: the tables' columns, types and keys, as the writer sees them;
- ``projection.py``: ``ReportingProjection``, live batches and the replay from offset 0;
- ``sql/``: the tables, as versioned migrations (``thidua.es.migrations``).
"""

from services.reporting.readmodels.projection import (
    DEFAULT_TOPICS,
    MODEL_FORMAT,
    OutdatedModel,
    ReportingProjection,
    model_format,
)

__all__ = ["DEFAULT_TOPICS", "MODEL_FORMAT", "OutdatedModel", "ReportingProjection", "model_format"]
