"""Sync by file in the window: export/import dialogs, sync settings, the 同步冲突 view."""
