"""SHA-256 without `hashlib`, whose import loads OpenSSL (a few milliseconds of every run): the
interpreter's own `_sha256` module gives the same digests."""

from __future__ import annotations

try:
    from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.12 and later name it _sha2
    from hashlib import sha256

__all__ = ["sha256"]
