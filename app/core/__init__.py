"""Shared machinery every area uses: errors, paths, time, validation, privacy, vocabularies, device."""
