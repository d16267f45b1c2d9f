"""Widgets and helpers every screen shares: settings, style, dialogs, background work."""
