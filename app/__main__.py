"""`python -m app` runs LeadDesk exactly like the `leaddesk` command."""

import sys

from app.main import main

# Guarded: a spawned child process (the import's file reader) imports this module again.
if __name__ == "__main__":
    sys.exit(main())
