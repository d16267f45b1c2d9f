"""Thin Qt adapters over the services layer: list models, the filter proxy, roles, change events."""
