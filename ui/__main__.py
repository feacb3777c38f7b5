"""``python -m ui`` is ``cpdesk``: the program window, and every command of the command line."""

import sys

from ui.shell.launch import main

sys.exit(main())
