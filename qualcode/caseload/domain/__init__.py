"""The stated caseload share, without any face: rules, suggestions, acceptance, summary, sheets."""
