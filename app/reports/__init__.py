"""Printable documents (reportlab PDFs): visit sheets, mediation agreements, rosters, records."""
