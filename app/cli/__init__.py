"""``cpdesk``: the command line (main), what every command shares (common), the station commands."""
