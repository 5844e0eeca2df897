"""`hvlint drift`: the differences between a live estate's inventory and the files that describe it."""

DIFFERENCES = "drift-differences"
"""The key under which `hvlint drift` shares a file's differences with the HV9xx rules (rules/drift.py,
through `Context.shared`): a mapping of code to the findings of that code in the file."""
