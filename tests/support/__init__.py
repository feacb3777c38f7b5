"""Helpers the tests share (not tests, not fixtures: those live in the conftests)."""
