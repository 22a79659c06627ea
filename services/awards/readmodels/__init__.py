"""Awards' read models: its read copy of the registration service's facts, its nominations
and titles as tables, and the lookups decisions ask of them (answered once per batch)."""
