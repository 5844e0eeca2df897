"""Hashing without `hashlib`, whose import loads OpenSSL (a few milliseconds of every run): the
interpreter's own modules (`_sha256`, named `_sha2` from Python 3.12, and `_blake2`) give the same
digests, and `hmac_blake2b` the same MACs as `hmac.new(key, message, blake2b)`."""

from __future__ import annotations

try:
    from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.12 and later
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]
try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b
from _operator import _compare_digest as compare_digest

__all__ = ["blake2b", "compare_digest", "hmac_blake2b", "parts_digest", "sha256"]

_BLOCK = 128
"""BLAKE2b's block size in bytes, to which HMAC pads its key."""
_OUTER = bytes(byte ^ 0x5C for byte in range(256))
_INNER = bytes(byte ^ 0x36 for byte in range(256))


def parts_digest(*parts: bytes) -> blake2b:
    """A BLAKE2b-256 digest of `parts`, each preceded by its length (so that no two lists of parts hash
    the same bytes), ready for more `update`s."""
    digest = blake2b(digest_size=32)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest


def hmac_blake2b(key: bytes, message: bytes) -> str:
    """The hexadecimal HMAC (RFC 2104) of `message` keyed with `key`, BLAKE2b its hash function: the same
    as `hmac.new(key, message, blake2b).hexdigest()`."""
    if len(key) > _BLOCK:
        key = blake2b(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = blake2b(key.translate(_INNER))
    inner.update(message)
    outer = blake2b(key.translate(_OUTER))
    outer.update(inner.digest())
    return outer.hexdigest()
