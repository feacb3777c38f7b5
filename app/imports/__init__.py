"""Bringing officers' Excel/WPS/CSV ledgers in: reading, column mapping, checking, writing, undo."""
