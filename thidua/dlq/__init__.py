"""Operators' tools for dead letters (``thidua dlq``): list, show and replay them."""
