"""SHA-256 without `hashlib`, whose import loads OpenSSL (a few milliseconds of every run): the
interpreter's own module (`_sha256`, named `_sha2` from Python 3.12) gives the same digests."""

from __future__ import annotations

try:
    from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.12 and later
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]

__all__ = ["sha256"]
