"""Facilities with conditioning machines, and reservations of those machines without double booking."""
