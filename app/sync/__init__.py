"""Sync by file: encrypted export, merging import, conflicts kept for an officer (see DESIGN.md)."""
