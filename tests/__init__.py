"""hvlint's test suite."""
