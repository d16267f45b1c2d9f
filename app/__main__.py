"""`python -m app` runs LeadDesk exactly like the `leaddesk` command."""

import sys

from app.main import main

sys.exit(main())
