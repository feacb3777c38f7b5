"""Entry point of the frozen bundle: the same `cpdesk` command as the installed one."""

import sys

from ui.shell.launch import main

sys.exit(main())
