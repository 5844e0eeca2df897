"""The warm re-run (docs/performance.md): what a check the result cache answers for every file imports,
judged by `sys.modules`, and the standard library's `hmac` replaced by `hvlint.hashing.hmac_blake2b` with
the same MACs."""

from __future__ import annotations

import hmac
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hvlint.entrypoints import ENTRY_POINT_GROUP, entry_points
from hvlint.hashing import blake2b, compare_digest, hmac_blake2b
from tests.conftest import ROOT
from tests.test_startup import _imported

KNOWN = (
    "92294f92c0dfb9b00ec9ae8bd94d7e7d8a036b885a499f149dfe2fd2199394aa"
    "af6b8894a1730cccb2cd050f9bcf5062a38b51b0dab33207f8ef35ae2c9df51b"
)
"""HMAC-BLAKE2b-512 of "The quick brown fox jumps over the lazy dog" keyed with "key"."""


def test_hmac_blake2b_gives_the_known_mac() -> None:
    assert hmac_blake2b(b"key", b"The quick brown fox jumps over the lazy dog") == KNOWN


@pytest.mark.parametrize("length", [0, 1, 32, 64, 127, 128, 129, 1000])
def test_hmac_blake2b_is_hmacs_at_every_key_length_about_the_block(length: int) -> None:
    key = (bytes(range(256)) * 4)[:length]
    for message in (b"", b"body", bytes(5000)):
        assert hmac_blake2b(key, message) == hmac.new(key, message, blake2b).hexdigest()


@given(st.binary(max_size=300), st.binary(max_size=2000))
def test_hmac_blake2b_is_hmacs(key: bytes, message: bytes) -> None:
    assert hmac_blake2b(key, message) == hmac.new(key, message, blake2b).hexdigest()


def test_compare_digest_tells_equal_from_different() -> None:
    assert compare_digest(b"abc", b"abc") and not compare_digest(b"abc", b"abd")
    assert not compare_digest(b"abc", b"ab")


@pytest.mark.skipif(
    bool(entry_points(ENTRY_POINT_GROUP)), reason="a plugin is installed: its record may differ"
)
def test_a_warm_check_imports_neither_hmac_hashlib_nor_what_only_a_miss_needs(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "prod-ws2019.hvc", tmp_path / "a.hvc")
    watched = {"hmac", "hashlib", "_hashlib", "pluggy", "lark", "argparse", "dataclasses", "inspect"}
    watched |= {"hvlint.engine", "hvlint.plugins", "hvlint.workers", "hvlint.language.document"}
    watched |= {"hvlint.language.lexer", "hvlint.language.model", "hvlint.rules", "hvlint.output"}
    watched |= {"typing", "pathlib", "contextlib", "urllib", "ipaddress"}
    cold, imported_cold = _imported(tmp_path, ["check", "a.hvc"], watched)
    assert "hvlint.engine" in imported_cold  # the watch sees what a miss imports
    warm, imported = _imported(tmp_path, ["check", "a.hvc"], watched)
    assert warm == cold
    assert imported == set(), f"a warm check imported {sorted(imported)}"


def test_every_finding_of_an_entry_is_checked_not_only_the_first_of_its_code(tmp_path: Path) -> None:
    from hvlint.cache import ResultCache
    from hvlint.findings import Finding

    good = Finding("a.hvc", 2, 3, 2, 9, "HV402", "n", "error", "m", None, "f" * 32)
    cache = ResultCache(tmp_path, "s", "secret")
    for second, usable in (
        (good._replace(column=4), True),
        (good._replace(object="vm A"), True),
        (good._replace(severity="critical"), False),
        (good._replace(fingerprint=5), False),
        (good._replace(name=None), False),
        (good._replace(path=7), False),
        (good._replace(end_column=2.0), False),
        (good._replace(code=["HV402"]), False),
        (good._replace(code="HV40"), True),
        (good._replace(code="HV40x"), False),
    ):
        key = cache.key("a.hvc", repr(second).encode(), None)
        cache.put(key, [good, second])
        found = cache.get(key, "one\ntwo\n")
        assert (found == [good, second]) if usable else found is None, second


_COUNT_COMPILES = """
import builtins, sys
compiled = []
original = builtins.compile
def counted(source, *args, **kwargs):
    if isinstance(source, str):  # not a module imported from its source
        compiled.append(source)
    return original(source, *args, **kwargs)
builtins.compile = counted
compile('0', '<probe>', 'eval')
assert compiled == ['0'], 'the counter sees each compile()'
compiled.clear()
sys.argv = ['hvlint', 'check', 'a.hvc']
from hvlint import cli
cli.main()
sys.stdout.flush()
print('COMPILED', len(compiled))
"""


def test_a_warm_check_compiles_nothing(tmp_path: Path) -> None:
    """The first `compile()` of a process builds the `ast` module's node classes (9 million instructions):
    a NamedTuple with string annotations (`from __future__ import annotations`) compiles each of them."""
    import subprocess
    import sys

    shutil.copy(ROOT / "examples" / "prod-ws2019.hvc", tmp_path / "a.hvc")
    counts = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _COUNT_COMPILES], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        counts.append(int(done.stdout.rpartition("COMPILED ")[2]))
    assert counts == [0, 0]  # cold too: hvlint.lean_typing's NamedTuple compiles no annotation


def test_an_entry_with_its_fields_out_of_order_is_not_one_hvlint_wrote(tmp_path: Path) -> None:
    import json

    from hvlint.cache import ResultCache, sign
    from hvlint.findings import Finding

    good = Finding("a.hvc", 2, 3, 2, 9, "HV402", "n", "error", "m", None, "f" * 32)
    cache = ResultCache(tmp_path, "s", "secret")
    key = cache.key("a.hvc", b"data", None)
    cache.put(key, [good])
    assert cache.get(key) == [good]
    shuffled = dict(reversed(list(good._asdict().items())))
    body = json.dumps({"key": key, "findings": [shuffled]}).encode()
    (tmp_path / key[:2] / f"{key}.json").write_bytes(sign(b"secret", body))
    assert cache.get(key) is None
