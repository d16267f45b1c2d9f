"""Widgets and windows. Talks to data only through app.services and app.qtmodels."""
