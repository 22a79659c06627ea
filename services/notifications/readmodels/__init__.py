"""The service's read models: read copies of other services' facts (kept from the batch's
inputs, set-based), the deliveries (kept from the facts the batch appended), and the lookups
decisions ask of them (one query per lookup per batch)."""
