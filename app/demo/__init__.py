"""The synthetic demo station (``cpdesk demo``): its builder and the names and places it draws on."""
