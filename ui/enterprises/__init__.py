"""一企一警 tab: the enterprise list, its detail pane, and the forms of liaison, inspection and rectification."""
