"""The lead detail panel and its sections (form, campaigns, tags, notes, history)."""
