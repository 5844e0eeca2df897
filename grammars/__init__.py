"""The Lark grammar of the `.hvc` language, shipped as package data."""
