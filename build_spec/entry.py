"""Entry point of the frozen bundle: the same `cpdesk` command as the installed one."""

import sys

from ui.launch import main

sys.exit(main())
