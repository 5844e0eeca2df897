"""hvlint's built-in rules: a plugin like any other, one module per family."""
