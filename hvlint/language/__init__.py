"""The `.hvc` language: syntax, schema, units, model."""
