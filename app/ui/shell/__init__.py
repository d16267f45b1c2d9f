"""The application shell: start-up, the main window, single instance and app-level dialogs."""
