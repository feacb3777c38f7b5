"""Widgets every area builds on: the list tab, the paged model, Op, the form base, drafts, print preview."""
