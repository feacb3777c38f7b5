"""What leaves the program on paper or as a file: PDFs, .xlsx ledgers, safe output files."""
