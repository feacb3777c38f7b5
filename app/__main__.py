"""``python -m app``: the command line without the window (``cpdesk`` / ``python -m ui`` has both)."""

import sys

from app.cli.main import main

sys.exit(main())
