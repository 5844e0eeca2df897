"""`hvlint import`: an inventory document (import.md §3) read, mapped to `.hvc` (§6) and written in the
canonical layout (§6.1), with the warnings of §9.2."""
