"""Numbers researchers report: coverage, frequencies, matrices, caseload shares."""
