"""Review mode and the review tools: the review bar, triage keys, duplicates, Trash."""
