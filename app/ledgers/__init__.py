"""Ledgers (台账) exported to .xlsx for the station leader."""
