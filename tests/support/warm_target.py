"""A module nothing else imports, for tests/shell/test_warm.py to watch being imported."""
