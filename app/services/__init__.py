"""Qt-free application logic: queries, edits, import/export, metrics, as plain functions."""
