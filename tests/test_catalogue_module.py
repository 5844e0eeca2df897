"""The catalogue shipped as generated data (hvlint/language/_catalogue_parts.py): current for
processors.hvc, and the same processors as parsing it would give."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from hvlint.language import _catalogue_parts, catalogue
from hvlint.language.model import Processor
from tests.conftest import ROOT


@pytest.fixture
def fresh() -> Iterator[None]:
    catalogue.catalogue.cache_clear()
    yield
    catalogue.catalogue.cache_clear()


def test_the_generated_module_is_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = (ROOT / "hvlint" / "language" / catalogue.CATALOGUE_MODULE).read_text(encoding="utf-8")
    assert catalogue.main(str(tmp_path / "parts.py")) == 0
    assert "wrote" in capsys.readouterr().err
    assert shipped == (tmp_path / "parts.py").read_text(encoding="utf-8"), (
        "stale: run `python -m hvlint.language.catalogue`"
    )


def _rows(parts: Mapping[str, Processor]) -> dict[str, tuple[object, ...]]:
    return {name: (*catalogue.part_row(p), p.origin, p.cluster, p.errors) for name, p in parts.items()}


def test_the_shipped_catalogue_is_the_parsed_one(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = catalogue.catalogue()
    monkeypatch.setattr(_catalogue_parts, "SOURCE_SHA256", "edited since")
    catalogue.catalogue.cache_clear()
    parsed = catalogue.catalogue()
    assert _rows(shipped) == _rows(parsed)
    assert len(shipped) == len(_catalogue_parts.PARTS) + len(catalogue.ALIASES)
    assert {p.origin for p in shipped.values()} == {"catalogue"}
    alias, name = next(iter(catalogue.ALIASES.items()))
    assert shipped[alias].name == alias and shipped[alias].features == shipped[name].features


def test_a_stale_module_is_not_used(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_catalogue_parts, "SOURCE_SHA256", "edited since")
    monkeypatch.setattr(_catalogue_parts, "PARTS", [])
    assert "intel-xeon-e5-2600-v4" in catalogue.catalogue()


def test_the_catalogue_is_not_parsed_at_run_time(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError("the catalogue was parsed")

    monkeypatch.setattr("hvlint.language.syntax.parse", refuse)
    assert catalogue.catalogue()["hyperv-minimum-amd"].vendor == "amd"


def test_a_module_of_an_older_row_format_is_not_used(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_catalogue_parts, "ROW_FORMAT", catalogue.ROW_FORMAT - 1)
    monkeypatch.setattr(_catalogue_parts, "PARTS", [])
    assert "intel-xeon-e5-2600-v4" in catalogue.catalogue()


def test_an_invalid_catalogue_source_is_an_error_even_under_python_o(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue, "catalogue_text", lambda: 'processor "x" { vendor = 3 }')
    with pytest.raises(RuntimeError, match="not a valid catalogue"):
        catalogue.parsed_catalogue()
