"""Baselines: adopt hvlint on a repository that already has findings, and report only new ones.

`hvlint check --write-baseline FILE` records every current finding; `hvlint check --baseline FILE` then
hides the findings the file records. A finding is recorded by its path, code and fingerprint (the
message is kept for the reader and for review of the file's diffs, not compared), so a recorded finding
stays hidden when lines are added above it, and shows again when its own line changes. Matching counts
multiplicity: two recorded entries hide two equal findings, not three. Entries that hide nothing are
stale: the problem was fixed, and writing the baseline again tightens it.

The file is JSON, written whole or not at all:

    {"version": 1, "tool": "hvlint 0.1.0",
     "findings": [{"path": "a.hvc", "code": "HV402", "fingerprint": "...", "message": "..."}]}
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from hvlint import __version__
from hvlint.errors import HvlintError
from hvlint.files import NotRegularFile, read_regular
from hvlint.findings import Finding
from hvlint.output import write_atomically
from hvlint.reporters import relative_path

VERSION = 1
ENTRY_FIELDS = ("path", "code", "fingerprint", "message")


class BaselineError(HvlintError):
    """A baseline file cannot be read or written, or is not a baseline: exit status 2."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One recorded finding."""

    path: str
    code: str
    fingerprint: str
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What a finding must share with the entry to be hidden by it."""
        return (self.path, self.code, self.fingerprint)


class Applied(NamedTuple):
    """What applying a baseline gave: the findings it does not record, how many findings it hid, and how
    many of its entries hid nothing."""

    new: list[Finding]
    matched: int
    stale: int


def _key(finding: Finding) -> tuple[str, str, str]:
    return (relative_path(finding.path), finding.code, finding.fingerprint)


@dataclass(frozen=True, slots=True)
class Baseline:
    """The findings a baseline file records."""

    entries: tuple[Entry, ...] = ()
    path: str = ""

    def apply(self, findings: Iterable[Finding], checked: Iterable[str] | None = None) -> Applied:
        """Splits `findings` into those the baseline does not record (in their order) and the count of
        those it does; also counts the entries that matched no finding, among those of the `checked`
        paths (all entries when None: an entry of a file this run did not check is not stale)."""
        paths = None if checked is None else {relative_path(path) for path in checked}
        remaining = Counter(entry.key for entry in self.entries if paths is None or entry.path in paths)
        new: list[Finding] = []
        matched = 0
        for finding in findings:
            key = _key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                matched += 1
            else:
                new.append(finding)
        return Applied(new, matched, sum(remaining.values()))


def entries_of(findings: Iterable[Finding]) -> list[Entry]:
    """The entries that record `findings`, in a stable order (by path, code, message, fingerprint) that
    does not change when findings move to other lines, so that a rewritten baseline diffs well."""
    entries = [Entry(*_key(finding), finding.message) for finding in findings]
    return sorted(entries, key=lambda entry: (entry.path, entry.code, entry.message, entry.fingerprint))


def dumps(findings: Iterable[Finding]) -> str:
    """The baseline file's text for `findings`."""
    document = {
        "version": VERSION,
        "tool": f"hvlint {__version__}",
        "findings": [
            {"path": e.path, "code": e.code, "fingerprint": e.fingerprint, "message": e.message}
            for e in entries_of(findings)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str | Path, findings: Iterable[Finding]) -> None:
    """Records every finding in the baseline file `path`, replacing it whole or leaving it as it was."""
    try:
        write_atomically(path, dumps(findings).encode("utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot write the baseline: {error.strerror or error}") from None


def load_baseline(path: str | Path) -> Baseline:
    """The baseline recorded in `path`. Raises BaselineError naming the file and what is wrong with it."""
    name = str(path)
    try:
        data = read_regular(path)
    except NotRegularFile:
        raise BaselineError(f"{name}: not a regular file, not a baseline file") from None
    except FileNotFoundError:
        raise BaselineError(
            f"{name}: no such baseline file (write one with `hvlint check --write-baseline {name}`)"
        ) from None
    except IsADirectoryError:
        raise BaselineError(f"{name}: is a directory, not a baseline file") from None
    except OSError as error:
        raise BaselineError(f"{name}: cannot read the baseline: {error.strerror or error}") from None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BaselineError(f"{name}: not a baseline: not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"{name}: not a baseline: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except ValueError:  # an integer of more digits than Python converts
        raise BaselineError(f"{name}: not a baseline: a number with too many digits") from None
    except RecursionError:
        raise BaselineError(f"{name}: not a baseline: lists or objects nested too deeply") from None
    return Baseline(tuple(_entries(name, document)), name)


def _entries(name: str, document: Any) -> list[Entry]:
    if not isinstance(document, dict):
        raise BaselineError(f"{name}: not a baseline: expected a JSON object, found {_kind(document)}")
    version = document.get("version")
    if version is None:
        raise BaselineError(f"{name}: not a baseline: no `version`")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BaselineError(f"{name}: not a baseline: `version` must be an integer, found {_kind(version)}")
    if version != VERSION:
        raise BaselineError(
            f"{name}: baseline version {version} is not supported (this hvlint reads version {VERSION}); "
            "write it again with `--write-baseline`"
        )
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f"{name}: not a baseline: `findings` must be a list, found {_kind(findings)}")
    return [_entry(name, index, item) for index, item in enumerate(findings)]


def _entry(name: str, index: int, item: Any) -> Entry:
    where = f"{name}: `findings[{index}]`"
    if not isinstance(item, dict):
        raise BaselineError(f"{where}: expected an object, found {_kind(item)}")
    values: dict[str, str] = {}
    for key in ENTRY_FIELDS:
        value = item.get(key, "" if key == "message" else None)
        if value is None:
            raise BaselineError(f"{where}: missing `{key}`")
        if not isinstance(value, str):
            raise BaselineError(f"{where}: `{key}` must be a string, found {_kind(value)}")
        values[key] = value
    return Entry(relative_path(values["path"]), values["code"], values["fingerprint"], values["message"])


def _kind(value: Any) -> str:
    kinds: Sequence[tuple[type, str]] = (
        (bool, "a boolean"),
        (int, "a number"),
        (float, "a number"),
        (str, "a string"),
        (list, "a list"),
        (dict, "an object"),
    )
    if value is None:
        return "null"
    return next((word for kind, word in kinds if isinstance(value, kind)), type(value).__name__)
