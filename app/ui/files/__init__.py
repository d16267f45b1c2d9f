"""Files in and out: import, import history, export and backups dialogs."""
