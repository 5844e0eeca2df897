"""The collector script, `Export-HvlintInventory.ps1`, shipped as package data (import.md §2)."""
