"""Bad input never crashes hvlint (issue 6): fuzzing with hypothesis.

- Valid files built from the grammar's pieces (every block kind and attribute, every unit, both string
  kinds, both comment styles, optional `;`, trailing commas, hexadecimal numbers, names in any case) parse
  with no HV001-HV004, and changing only whitespace and comments changes no finding.
- Damaged files (bytes deleted, inserted, duplicated, swapped; random bytes; structured garbage; a real
  example cut at every token) give exit status 0 or 1, reports that parse, findings inside the file, no
  HV000 from a built-in rule, no traceback.
- The same input always gives byte-identical output, in every format, also across hash seeds.

The normal run is bounded (about 30 s on two cores). The long run multiplies every example count:

    HVLINT_FUZZ=long /work/venv/bin/pytest -q tests/test_fuzz.py      # x25
    HVLINT_FUZZ=200 /work/venv/bin/pytest -q tests/test_fuzz.py       # any factor

docs/robustness.md says what was tried and what it found.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import os
import random
import re
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvlint.cli import main
from hvlint.findings import Finding
from hvlint.language import schema, units
from hvlint.language.catalogue import catalogue
from hvlint.language.model import PLATFORMS
from hvlint.language.syntax import token_span
from hvlint.reporters import FORMATS, Report, Summary, render
from tests.conftest import FIXTURES, ROOT, lint, lint_result

# -- profiles -------------------------------------------------------------------------------------------

_FACTOR = os.environ.get("HVLINT_FUZZ", "")
FACTOR = 25 if _FACTOR == "long" else int(_FACTOR) if _FACTOR.isdigit() else 1
"""How many times the normal example counts the run uses: `HVLINT_FUZZ=long` (25) or a number."""

settings.register_profile(
    "hvlint-fuzz",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def fuzz(examples: int) -> settings:
    """Settings for a fuzz test: `examples` in the normal run, FACTOR times as many in a long one."""
    return settings(settings.get_profile("hvlint-fuzz"), max_examples=examples * FACTOR)


# -- running hvlint -------------------------------------------------------------------------------------

EXAMPLES = sorted((ROOT / "examples").glob("*.hvc"))
CORPUS = [path.read_bytes() for path in [*EXAMPLES, *sorted(FIXTURES.rglob("*.hvc"))]]
LAB = ROOT / "examples" / "lab-ws2012r2.hvc"
LANGUAGE_CODES = {"HV001", "HV002", "HV003", "HV004"}


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty configuration, so that runs do not depend on the directory they start in."""
    path = tmp_path_factory.mktemp("fuzz") / "hvlint.toml"
    path.write_text("", encoding="utf-8")
    return str(path)


@dataclass(frozen=True)
class Run:
    """One in-process run of the command line."""

    status: int
    out: str
    err: str


def run_check(data: bytes, config: str, *options: str) -> Run:
    """`hvlint check - --stdin-filename fuzz.hvc OPTIONS` with `data` on standard input, in process."""
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data))
    argv = ["check", "-", "--stdin-filename", "fuzz.hvc", "--config", config, *options]
    with (
        mock.patch.object(sys, "stdin", stdin),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        status = main(argv)
    return Run(status, out.getvalue(), err.getvalue())


def decoded(data: bytes | str) -> str:
    """The text positions count in: a leading byte-order mark dropped, and, for bytes that are not all
    UTF-8, the text up to the first bad byte (where the HV001 finding stands)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start].decode("utf-8")


def check_position(finding: dict[str, Any] | Finding, text: str) -> None:
    """A finding stands inside the file: 1 <= line <= the number of lines, a column at most one past
    its line's last character, and an end at or after its start (an end one past a marker at the end of
    a line or of the file is allowed: it marks the place where something is missing)."""
    if isinstance(finding, Finding):
        item = {key: getattr(finding, key) for key in ("line", "column", "end_line", "end_column")}
    else:
        item = finding
    lines = text.split("\n")
    line, column, end_line, end_column = item["line"], item["column"], item["end_line"], item["end_column"]
    where = f"{line}:{column}-{end_line}:{end_column} in a file of {len(lines)} lines"
    assert 1 <= line <= len(lines), where
    assert 1 <= column <= len(lines[line - 1]) + 1, where
    assert line <= end_line <= len(lines), where
    assert (end_line, end_column) >= (line, column), where
    end_width = len(lines[end_line - 1]) + 1
    assert 1 <= end_column <= end_width or (end_line == line and end_column == column + 1), where


TEXT_LINE = re.compile(r"[^\n]*:\d+:\d+: (error|warning|info): [^\n]* \[[A-Z]+\d+\]\Z")


def check_report(data: bytes | str, findings: Sequence[Finding]) -> None:
    """Every format renders the findings into something its readers parse: JSON, SARIF and GitLab as
    JSON, JUnit as XML, text and GitHub as one line per finding."""
    text = decoded(data)
    for finding in findings:
        check_position(finding, text)
        assert finding.code != "HV000", finding.message
        assert finding.message.isprintable(), finding.message
    report = Report(list(findings), Summary.of(findings, 1), {"fuzz.hvc": text})
    for name in FORMATS:
        rendered = render(report, name)
        if name in ("json", "sarif", "gitlab"):
            json.loads(rendered)
        elif name == "junit":
            ET.fromstring(rendered.encode("utf-8"))
        elif name == "github":
            assert rendered.count("\n") == len(findings)
        else:
            lines = rendered.splitlines()
            finding_lines = [line for line in lines[:-1] if not line.startswith("  ")]
            assert len(finding_lines) == len(findings)
            assert all(TEXT_LINE.match(line) for line in finding_lines), finding_lines


def check_run(data: bytes, run: Run) -> list[dict[str, Any]]:
    """A command-line run on damaged input: status 0 or 1, nothing on standard error, a JSON report whose
    findings stand inside the file, no HV000."""
    assert run.status in (0, 1), run.err
    assert run.err == ""
    assert "Traceback" not in run.out
    report = json.loads(run.out)
    text = decoded(data)
    for finding in report["findings"]:
        check_position(finding, text)
        assert finding["code"] != "HV000", finding["message"]
    return list(report["findings"])


# -- valid files from the grammar's pieces -------------------------------------------------------------

WORD = frozenset(string.ascii_letters + string.digits + "_.-/%")
BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
CATALOGUE = sorted(catalogue())
UNITS_BY_KIND = {
    kind: sorted(unit for unit, (unit_kind, _) in units.UNITS.items() if unit_kind == kind)
    for kind in (units.SIZE, units.RATE, units.DURATION)
}
FEATURES = ["fpu", "sse", "sse2", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "xsave", "3dnow", "lm", "nx"]
NAME_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r")
COMMENT_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=12)
DISKS = ["Disk 4", "Production", "Backup", "Disk 5"]
"""Labels of pass-through disks and virtual SANs: never a generated storage name (those end in `_N`)."""
PATH_TEXT = st.text(
    st.sampled_from("\\/:.-_ CcDdVvolume1é")
    | st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    max_size=24,
)


@dataclass(frozen=True)
class Source:
    """A valid file as tokens; `render` lays them out with the whitespace and comments given."""

    tokens: tuple[str, ...]

    def render(self, separators: Sequence[str]) -> str:
        out = [separators[0]]
        for index, token in enumerate(self.tokens):
            out.append(token)
            separator = separators[index + 1]
            following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
            if separator.startswith("//") and token[0].isdigit():
                # `10ms// c` lexes as a name: reported to the lead (test_slash_comment_after_a_number)
                separator = " " + separator
            if not separator and following is not None and token[-1] in WORD and following[0] in WORD:
                separator = " "
            out.append(separator)
        return "".join(out)


@st.composite
def separators(draw: st.DrawFn, count: int) -> list[str]:
    """`count` runs of whitespace and comments (each may be empty; the last may be a comment that ends
    the file without a newline). A few comment texts are drawn, then a seeded generator spreads them:
    drawing every run would make generation, not hvlint, the cost of the test."""
    texts = draw(
        st.lists(COMMENT_TEXT.filter(lambda text: "hvlint" not in text.lower()), min_size=1, max_size=4)
    )
    pieces = [
        " ",
        " ",
        "\t",
        "\n",
        "\r\n",
        "    ",
        "\n\n",
        *(f"#{t}\n" for t in texts),
        *(f"//{t}\n" for t in texts),
    ]
    density = draw(st.sampled_from([0.0, 0.3, 0.6, 0.9]))
    chooser = random.Random(draw(st.integers(0, 2**32)))
    runs = [
        "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 3)))
        if chooser.random() < density
        else ""
        for _ in range(count)
    ]
    if draw(st.booleans()):
        runs[-1] += "# the end, with no newline" if draw(st.booleans()) else "// the end"
    return runs


class Writer:
    """Draws the pieces of a valid file: names, strings, numbers, quantities, lists."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.count = 0

    def fresh(self) -> str:
        """A new name, unique in the file whatever the case: bare-looking or any Unicode."""
        self.count += 1
        if self.draw(st.booleans()):
            base = self.draw(st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True))
        else:
            base = self.draw(st.text(NAME_CHARACTERS, min_size=1, max_size=8))
        return f"{base}_{self.count}"

    def case(self, text: str) -> str:
        """`text` with its ASCII letters in any case (names compare case-insensitively)."""
        flips = self.draw(st.sampled_from([0, 0, -1, *range(1, 16)]))
        return "".join(
            char.swapcase() if flips >> (index % 4) & 1 and char in string.ascii_letters else char
            for index, char in enumerate(text)
        )

    def string(self, text: str) -> str:
        """`text` as a '...' string when it can be one and the draw says so, else as a "..." string."""
        if "'" not in text and "\n" not in text and self.draw(st.booleans()):
            return f"'{text}'"
        body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if self.draw(st.booleans()):
            body = body.replace("\t", "\\t")
        return f'"{body}"'

    def name(self, text: str, vary: bool = True) -> str:
        """A name or a reference to it: bare when it can be, or quoted; in any case when `vary`."""
        shown = self.case(text) if vary else text
        if BARE.match(shown) and shown not in ("true", "false") and self.draw(st.booleans()):
            return shown
        return self.string(shown)

    def enum(self, choices: Sequence[str]) -> str:
        return self.name(self.draw(st.sampled_from(choices)))

    def number(self, integer: bool = False, minimum: int = 0) -> str:
        value = self.draw(st.integers(minimum, 4096))
        form = self.draw(st.sampled_from(["decimal", "hex"] if integer else ["decimal", "hex", "fraction"]))
        if form == "hex":
            # `0x1B` is a quantity, one byte (language.md: a quantity if it is one whole), so a number
            # that ends in `B` is written in lower case
            upper = f"0x{value:X}"
            return f"0x{value:x}" if upper.endswith("B") or self.draw(st.booleans()) else upper
        if form == "fraction":
            return f"{value}.{self.draw(st.integers(0, 999)):0{self.draw(st.integers(1, 3))}d}"
        return str(value)

    def quantity(self, kind: str) -> str:
        unit = self.draw(st.sampled_from(UNITS_BY_KIND[kind]))
        number = self.number()
        if number.startswith("0x") and unit in ("bps", "B/s"):
            # `0x1bps` lexes as a quantity that units.parse_quantity cannot read: reported to the lead
            # (test_a_hex_quantity_whose_unit_starts_with_a_hex_digit)
            number = str(int(number, 16))
        return number + unit

    def items(self, items: Sequence[str]) -> list[str]:
        """A list: `[`, items separated by commas, maybe a trailing comma, `]`."""
        tokens = ["["]
        for index, item in enumerate(items):
            if index:
                tokens.append(",")
            tokens.append(item)
        if items and self.draw(st.booleans()):
            tokens.append(",")
        return [*tokens, "]"]

    def texts(self, maximum: int = 3) -> list[str]:
        """A list of strings or bare names (switches, adapters, paths)."""
        values = self.draw(
            st.lists(PATH_TEXT | st.sampled_from(["External", "Isolated", "LM"]), max_size=maximum)
        )
        return self.items([self.name(value, vary=False) if value else self.string(value) for value in values])

    def attribute(self, key: str, value: Sequence[str]) -> list[str]:
        return [key, "=", *value, *([";"] if self.draw(st.booleans()) else [])]

    def block(self, kind: str, label: str | None, parts: Sequence[Sequence[str]]) -> list[str]:
        """A block whose attributes and inner blocks stand in any order."""
        order = self.draw(st.permutations(range(len(parts)))) if parts else []
        body = [token for index in order for token in parts[index]]
        head = [kind, *([label] if label is not None else [])]
        return [*head, "{", *body, "}", *([";"] if self.draw(st.booleans()) else [])]

    def some(self, options: dict[str, Sequence[str]]) -> list[list[str]]:
        """Any subset of optional attributes, each `key = value`, in any order. Each is drawn on its own
        (a list drawn from all of them favours short ones, and a block with twenty optional attributes
        then rarely showed some of them)."""
        chosen = [key for key in sorted(options) if self.draw(st.booleans())]
        return [self.attribute(key, options[key]) for key in self.draw(st.permutations(chosen))]

    # -- blocks ---------------------------------------------------------------------------------------

    def processor(self, name: str | None) -> list[str]:
        features = self.draw(st.lists(st.sampled_from(FEATURES), max_size=6))
        parts = [
            self.attribute("vendor", [self.enum(["amd", "intel"])]),
            self.attribute("features", self.items([self.name(feature) for feature in features])),
            *self.some({"family": [self.number(integer=True)], "model": [self.number(integer=True)]}),
        ]
        return self.block("processor", self.name(name, vary=False) if name else None, parts)

    def network(self, name: str) -> list[str]:
        roles = self.draw(
            st.lists(
                st.sampled_from(["live_migration", "management", "client", "cluster", "storage"]), max_size=3
            )
        )
        address = self.draw(st.ip_addresses())
        prefix = self.draw(st.integers(0, address.max_prefixlen))
        subnet = str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
        parts = [
            self.attribute("roles", self.items([self.name(role) for role in roles])),
            *self.some({"bandwidth": [self.quantity(units.RATE)], "subnet": [self.string(subnet)]}),
        ]
        return self.block("network", self.name(name, vary=False), parts)

    def storage(self, name: str, hosts: Sequence[str]) -> list[str]:
        kind = self.draw(
            st.sampled_from(["csv", "smb", "local", "disk"] if hosts else ["csv", "smb", "disk"])
        )
        path = self.draw(PATH_TEXT)
        parts = [self.attribute("kind", [self.name(kind)])]
        if kind != "disk":
            parts.append(self.attribute("path", [self.string(path)]))
        if kind == "local":
            parts.append(self.attribute("hosts", self.items([self.name(self.draw(st.sampled_from(hosts)))])))
        elif hosts and self.draw(st.booleans()):
            listed = self.draw(st.lists(st.sampled_from(hosts), max_size=3))
            parts.append(self.attribute("hosts", self.items([self.name(host) for host in listed])))
        return self.block("storage", self.name(name, vary=False), parts)

    def host(
        self,
        name: str,
        processors: Sequence[str],
        networks: Sequence[str],
        vms: Sequence[list[str]],
        standalone: bool,
        node_platforms: Sequence[str] = (),
        peers: Sequence[str] = (),
    ) -> list[str]:
        parts: list[list[str]] = [self.attribute("memory", [self.quantity(units.SIZE)])]
        if self.draw(st.booleans()):
            parts.append(self.processor(None))
        else:
            parts.append(self.attribute("processor", [self.name(self.draw(st.sampled_from(processors)))]))
        optional: dict[str, Sequence[str]] = {
            "switches": self.texts(),
            **self.host_devices(),
            **self.host_capacity(parts),
        }
        if standalone:
            optional["platform"] = [self.enum(PLATFORMS)]
            optional.update(self.migration_settings(peers))
        elif node_platforms and self.draw(st.booleans()):
            optional["platform"] = [self.enum(node_platforms)]
        elif networks:
            listed = self.draw(st.lists(st.sampled_from(networks), max_size=3))
            optional["networks"] = self.items([self.name(network) for network in listed])
        parts.extend(self.some(optional))
        parts.extend(vms)
        return self.block("host", self.name(name, vary=False), parts)

    def host_capacity(self, parts: list[list[str]]) -> dict[str, Sequence[str]]:
        """Language-v2 capacity attributes of a host; with a `memory_reserve`, the host's `memory` (the
        first of `parts`) is rewritten in whole GiB, so that the reserve (below 1GiB) stays below it."""
        optional: dict[str, Sequence[str]] = {
            "logical_processors": [self.number(integer=True, minimum=1)],
            "numa_nodes": [self.number(integer=True, minimum=1)],
            "numa_spanning": [self.draw(st.sampled_from(["true", "false"]))],
        }
        if self.draw(st.booleans()):
            parts[0] = self.attribute("memory", [f"{self.draw(st.integers(1, 4096))}GiB"])
            optional["memory_reserve"] = [f"{self.draw(st.integers(0, 1023))}MiB"]
        return optional

    def host_devices(self) -> dict[str, Sequence[str]]:
        """Language-v2 device and security attributes of a host, as any host may set them."""
        optional: dict[str, Sequence[str]] = {
            "iommu_dirty_tracking": [self.draw(st.sampled_from(["true", "false"]))],
            "virtual_sans": self.texts(),
            "guarded": [self.draw(st.sampled_from(["true", "false"]))],
            "guardians": self.texts(),
        }
        if self.draw(st.booleans()):
            gpu = [self.string(self.draw(st.sampled_from(["NVIDIA A16", " nvidia a2 "])))]
            if self.draw(st.booleans()):  # the count only beside its gpu
                gpu += ["gpu_partition_count", "=", self.number(integer=True, minimum=1)]
            optional["gpu"] = gpu
        return optional

    def vm_devices(self, platform: str, versioned: bool) -> dict[str, Sequence[str]]:
        """Language-v2 device and security attributes valid on a VM whose host runs `platform` or later
        (`versioned`: it writes a config_version, which production checkpoints and a vTPM would need to
        be recent enough)."""
        since = PLATFORMS.index(platform)
        labels = self.items(
            [self.string(label) for label in self.draw(st.lists(st.sampled_from(DISKS), max_size=2))]
        )
        optional: dict[str, Sequence[str]] = {
            "dda_pool": [self.string("GPU-POOL")],
            "gpu_partitions": [self.number(integer=True)],
            "passthrough_disks": labels,
            "checkpoints": [self.number(integer=True)],
            "key_protector": [self.string("HV01-local")],
        }
        checkpoint_types = ["standard", "disabled"]
        if since >= PLATFORMS.index("ws2012"):
            optional["fibre_channel"] = self.items(
                [self.string(san) for san in self.draw(st.lists(st.sampled_from(DISKS), max_size=4))]
            )
        optional["dda_devices"] = self.items([])  # empty: valid on any release
        if since >= PLATFORMS.index("ws2016"):
            optional["dda_devices"] = self.texts()
            security = self.draw(st.sampled_from(["vtpm", "shielded"]))  # `some` may leave it out
            if not versioned:
                checkpoint_types += ["production", "production_only"]
                optional[security] = ["true"]
        optional["checkpoint_type"] = [self.enum(checkpoint_types)]
        return optional

    def vm_capacity(self, optional: dict[str, Sequence[str]]) -> dict[str, Sequence[str]]:
        """Language-v2 capacity attributes of a VM: `startup_memory` only beside `dynamic_memory = true`,
        which empties `dda_devices` (dynamic memory with an assigned device is HV004)."""
        memory = self.draw(st.sampled_from(["static", "dynamic", "startup"]))
        dynamic = ["false"] if memory == "static" else ["true"]
        if memory == "startup":
            dynamic += ["startup_memory", "=", self.quantity(units.SIZE)]
        if memory != "static":
            optional["dda_devices"] = self.items([])
        return {"processors": [self.number(integer=True, minimum=1)], "dynamic_memory": dynamic}

    def subnet(self) -> str:
        address = self.draw(st.ip_addresses())
        prefix = self.draw(st.integers(0, address.max_prefixlen))
        return self.string(str(ipaddress.ip_network(f"{address}/{prefix}", strict=False)))

    def migration_settings(self, peers: Sequence[str]) -> dict[str, Sequence[str]]:
        """A standalone host's live-migration attributes (language-v2.md §3), delegating to `peers`."""
        domain = self.draw(st.sampled_from(["workgroup", "contoso.com", "Fabrikam.COM"]))
        return {
            "domain": [self.name(domain)],
            "trusted_domains": self.items(
                [self.string(d) for d in self.draw(st.lists(st.sampled_from(["a.com", "b.org"])))]
            ),
            "live_migration": [self.draw(st.sampled_from(["true", "false"]))],
            "migration_networks": self.items([self.subnet() for _ in range(self.draw(st.integers(0, 2)))]),
            "migration_bandwidth": [self.quantity(units.RATE)],
            "migration_authentication": [self.enum(["credssp", "kerberos"])],
            "delegate_migration": self.items(
                [self.name(p) for p in self.draw(st.lists(st.sampled_from(peers)))]
            )
            if peers
            else ["[", "]"],
            "delegate_cifs": self.items([self.name(p) for p in self.draw(st.lists(st.sampled_from(peers)))])
            if peers
            else ["[", "]"],
            "max_migrations": [self.number(integer=True, minimum=1)],
            "migration_transport": [self.enum(["tcp"])],
            "max_downtime": [self.quantity(units.DURATION)],
        }

    def disks(self) -> list[list[str]]:
        """`disk` blocks with paths no other disk of the file has, each with or without a size."""
        blocks = []
        for _ in range(self.draw(st.integers(0, 2))):
            size = [self.attribute("size", [self.quantity(units.SIZE)])] if self.draw(st.booleans()) else []
            blocks.append(self.block("disk", self.string(f"D:\\VMs\\{self.fresh()}.vhdx"), size))
        return blocks

    def vm(
        self, name: str, host: str, owners: Sequence[str], inside_host: bool, platform: str = "ws2008r2"
    ) -> list[str]:
        parts = [self.attribute("memory", [self.quantity(units.SIZE)])]
        if not inside_host:
            parts.append(self.attribute("host", [self.name(host)]))
        listed = [host, *self.draw(st.lists(st.sampled_from(owners), max_size=3))]
        mode = self.draw(st.sampled_from(["off", "minimum", "cluster", "true", "false"]))
        optional: dict[str, Sequence[str]] = {
            "state": [self.enum(["running", "off", "saved", "paused"])],
            "dirty_rate": [self.quantity(units.RATE)],
            "working_set": [self.quantity(units.SIZE)],
            "compatibility_mode": [
                mode if mode in ("true", "false") and self.draw(st.booleans()) else self.name(mode)
            ],
            "config_version": [self.number()],
            "highly_available": [self.draw(st.sampled_from(["true", "false"]))],
            "possible_owners": self.items([self.name(owner) for owner in self.draw(st.permutations(listed))]),
            "disks": self.texts(),
            "dvd": self.texts(),
            "config_path": [self.string(self.draw(PATH_TEXT))],
            "adapters": self.texts(),
            "max_downtime": [self.quantity(units.DURATION)],
        }
        versioned = self.draw(st.booleans())
        if not versioned:
            del optional["config_version"]
        optional.update(self.vm_devices(platform, versioned))
        optional.update(self.vm_capacity(optional))
        parts.extend(self.some(optional))
        parts.extend(self.disks())
        return self.block("vm", self.name(name, vary=False), parts)

    def cluster(self, name: str, top_processors: Sequence[str]) -> list[str]:
        platform = self.draw(st.sampled_from(PLATFORMS))
        transports = ["tcp", "compression", "smb"] if PLATFORMS.index(platform) >= 2 else ["tcp"]
        parts = (
            [self.attribute("platform", [self.name(platform)])]
            if platform != "ws2008r2" or self.draw(st.booleans())
            else []
        )
        parts.extend(
            self.some(
                {
                    "failover_clustering": [self.draw(st.sampled_from(["true", "false"]))],
                    "max_migrations": [self.number(integer=True, minimum=1)],
                    "migration_transport": [self.enum(transports)],
                    "max_downtime": [self.quantity(units.DURATION)],
                    "domain": [self.draw(st.sampled_from(["workgroup", '"contoso.com"']))],
                }
            )
        )
        nodes = PLATFORMS[PLATFORMS.index(platform) :] if PLATFORMS.index(platform) >= 2 else ()
        processors = [self.fresh() for _ in range(self.draw(st.integers(0, 2)))]
        networks = [self.fresh() for _ in range(self.draw(st.integers(0, 2)))]
        hosts = [self.fresh() for _ in range(self.draw(st.integers(0, 3)))]
        storages = [self.fresh() for _ in range(self.draw(st.integers(0, 2)))]
        parts.extend(self.processor(processor) for processor in processors)
        parts.extend(self.network(network) for network in networks)
        parts.extend(self.storage(storage, hosts) for storage in storages)
        visible = [*CATALOGUE, *top_processors, *processors]
        for host in hosts:
            inner = [
                self.vm(self.fresh(), host, hosts, True, platform)
                for _ in range(self.draw(st.integers(0, 1)))
            ]
            parts.append(self.host(host, visible, networks, inner, standalone=False, node_platforms=nodes))
        if hosts:
            for _ in range(self.draw(st.integers(0, 3))):
                parts.append(self.vm(self.fresh(), self.draw(st.sampled_from(hosts)), hosts, False, platform))
        return self.block("cluster", self.name(name, vary=False), parts)


@st.composite
def valid_sources(draw: st.DrawFn) -> Source:
    """A valid `.hvc` file: top-level processors, clusters and standalone hosts, in any order."""
    writer = Writer(draw)
    processors = [writer.fresh() for _ in range(draw(st.integers(0, 2)))]
    blocks = [writer.processor(name) for name in processors]
    blocks.extend(writer.cluster(writer.fresh(), processors) for _ in range(draw(st.integers(0, 2))))
    standalone = [writer.fresh() for _ in range(draw(st.integers(0, 2)))]
    for host in standalone:
        vms = [writer.vm(writer.fresh(), host, standalone, True) for _ in range(draw(st.integers(0, 2)))]
        blocks.append(
            writer.host(host, [*CATALOGUE, *processors], [], vms, standalone=True, peers=standalone)
        )
    order = draw(st.permutations(range(len(blocks)))) if blocks else []
    return Source(tuple(token for index in order for token in blocks[index]))


@st.composite
def laid_out(draw: st.DrawFn, layouts: int = 1) -> tuple[Source, list[str]]:
    """A valid source and `layouts` renderings of it that differ only in whitespace and comments."""
    source = draw(valid_sources())
    return source, [source.render(draw(separators(len(source.tokens) + 1))) for _ in range(layouts)]


def _masked(findings: Sequence[Finding]) -> Counter[tuple[str, str | None, str]]:
    """What a finding says, not where: code, object and message with line numbers masked."""
    return Counter((f.code, f.object, re.sub(r"\bline \d+", "line N", f.message)) for f in findings)


@fuzz(100)
@given(laid_out())
def test_valid_files_have_no_language_findings(case: tuple[Source, list[str]]) -> None:
    _, (text,) = case
    result = lint_result(text)
    assert not result.tracebacks, result.tracebacks
    language = [(f.line, f.column, f.code, f.message) for f in result.findings if f.code in LANGUAGE_CODES]
    assert not language, text
    check_report(text, result.findings)


@fuzz(70)
@given(laid_out(layouts=2))
def test_whitespace_and_comments_change_no_finding(case: tuple[Source, list[str]]) -> None:
    _, (first, second) = case
    assert _masked(lint_result(first).findings) == _masked(lint_result(second).findings)


def test_the_generator_covers_the_grammar() -> None:
    """The strategy above reaches every block kind, attribute, unit and lexical form (a guard against a
    generator that silently stopped producing some of them)."""
    seen: set[str] = set()

    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(laid_out())
    def collect(case: tuple[Source, list[str]]) -> None:
        source, (text,) = case
        seen.update(source.tokens)
        seen.update(kind for kind, pattern in COVERAGE.items() if re.search(pattern, text))

    collect()
    missing = [kind for kind in COVERAGE if kind not in seen]
    assert not missing


def test_the_generator_writes_every_attribute_and_block_of_the_schema() -> None:
    """The strategy knows every attribute and block kind the language has (schema.ATTRIBUTES and
    schema.BLOCKS): a new one the generator is not taught fails here, whatever the examples drawn."""
    import inspect

    written = set(re.findall(r'"([a-z_]+)"', inspect.getsource(Writer)))
    every_name = {name for names in schema.ATTRIBUTES.values() for name in names}
    every_name |= {kind for kinds in schema.BLOCKS.values() for kind in kinds}
    assert sorted(every_name - written) == []


COVERAGE = {
    **{
        f"{kind} unit": r"\b[0-9][0-9a-fA-Fx.]*(" + "|".join(map(re.escape, kinds)) + r")(?![A-Za-z/])"
        for kind, kinds in UNITS_BY_KIND.items()
    },
    "hex": r"0x[0-9a-fA-F]",
    "fraction": r"\d\.\d",
    "single-quoted": r"'",
    "double-quoted escape": r'\\[\\"nt]',
    "hash comment": r"#",
    "slash comment": r"//",
    "semicolon": r";",
    "trailing comma": r",\s*(#[^\n]*\n|//[^\n]*\n|\s)*\]",
    "crlf": r"\r\n",
    "upper-case name": r"\b(AMD|INTEL|CSV|SMB|WS20\w+|RUNNING)\b",
    **{
        kind: rf"\b{kind}\b"
        for kind in (
            *("processor", "cluster", "network", "storage", "host", "vm", "possible_owners", "subnet"),
            *("gpu", "dda_devices", "fibre_channel", "passthrough_disks", "checkpoint_type", "domain"),
        )
    },
    **{
        kind: rf"\b{kind}\b"
        for kind in ("disk", "size", "domain", "migration_networks", "delegate_migration", "delegate_cifs")
    },
}


# -- damaged files ------------------------------------------------------------------------------------

INTERESTING = [
    b"{",
    b"}",
    b"[",
    b"]",
    b"=",
    b",",
    b";",
    b'"',
    b"'",
    b"#",
    b"//",
    b"\\",
    b"\n",
    b"\r",
    b"\r\n",
    b"\t",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xae",
    b"\x1b[2K",
    b"0x",
    b"0xFFB",
    b"1e3",
    b"GiB",
    b"MB/s",
    b"true",
    b"\xc3\xa9",
    b"host",
    b"vm",
    b"cluster",
    b"processor",
    b'"\\q"',
    b"9" * 40,
    b"# hvlint: disable=HV402",
    b"# hvlint: disable-file=HV5,HV000",
    b"-1",
    b"%",
    b"/",
]


TOKEN = re.compile(r"""\s+|#[^\n]*|//[^\n]*|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[{}\[\]=,;]|[^\s{}\[\]=,;"'#]+""")
CORPUS_TOKENS = [
    [match.group() for match in TOKEN.finditer(data.decode("utf-8", "replace"))] for data in CORPUS
]
TOKEN_POOL = sorted({token for tokens in CORPUS_TOKENS for token in tokens if not token.isspace()})
ODD_VALUES = [
    "0",
    "0B",
    "0bps",
    "0ms",
    "true",
    "[]",
    '""',
    "''",
    "off",
    "local",
    "ws2008r2",
    "smb",
    "1000000000000000000B",
]


def damaged() -> st.SearchStrategy[bytes]:
    """A real file damaged byte by byte or token by token, or a generated valid file with tokens swapped
    for others (references to nothing, values of the wrong type, blocks where attributes belong)."""
    return st.one_of(byte_damaged(), token_damaged(), perturbed().map(lambda text: text.encode("utf-8")))


@st.composite
def token_damaged(draw: st.DrawFn) -> bytes:
    """A real file with one to eight edits of whole tokens: deleted (alone or in runs), duplicated,
    inserted from any file of the corpus, swapped."""
    tokens = list(draw(st.sampled_from(CORPUS_TOKENS)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(tokens)))
        edit = draw(st.sampled_from(["delete", "run", "duplicate", "insert", "swap"]))
        if edit == "delete":
            del tokens[at : at + 1]
        elif edit == "run":
            del tokens[at : at + draw(st.integers(1, 30))]
        elif edit == "duplicate":
            tokens[at:at] = tokens[at : at + draw(st.integers(1, 20))]
        elif edit == "insert":
            tokens[at:at] = [
                draw(st.sampled_from([*TOKEN_POOL, "{", "}", "[", "]", "=", ",", ";", " ", "\n"]))
            ]
        elif edit == "swap" and len(tokens) > 1:
            other, at = draw(st.integers(0, len(tokens) - 1)), min(at, len(tokens) - 1)
            tokens[at], tokens[other] = tokens[other], tokens[at]
    return "".join(tokens).encode("utf-8", "surrogatepass")


@st.composite
def perturbed(draw: st.DrawFn) -> str:
    """A generated valid file with one to four names or values replaced by another token of the file or
    an odd value: the rules see models with errors in every place."""
    tokens = list(draw(valid_sources()).tokens)
    for _ in range(draw(st.integers(1, 4)) if tokens else 0):
        at = draw(st.integers(0, len(tokens) - 1))
        if tokens[at] not in ("{", "}", "[", "]", "=", ",", ";"):
            tokens[at] = draw(st.sampled_from(tokens + ODD_VALUES))
    return " ".join(tokens)


@st.composite
def byte_damaged(draw: st.DrawFn) -> bytes:
    """A real file with one to six edits: deletions, insertions, duplications, swaps, truncation."""
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "truncate", "replace"]))
        if edit == "delete":
            del data[at : at + draw(st.integers(1, 24))]
        elif edit in ("insert", "replace"):
            piece = draw(st.sampled_from(INTERESTING) | st.binary(min_size=1, max_size=6))
            if edit == "replace":
                del data[at : at + len(piece)]
            data[at:at] = piece
        elif edit == "duplicate":
            start = draw(st.integers(0, len(data)))
            data[at:at] = data[start : start + draw(st.integers(1, 80))]
        elif edit == "swap" and len(data) > 1:
            other = draw(st.integers(0, len(data) - 1))
            at = min(at, len(data) - 1)
            data[at], data[other] = data[other], data[at]
        elif edit == "truncate":
            del data[at:]
    return bytes(data)


GARBAGE = st.text(
    st.sampled_from(list("{}[]=,;\"'#/\\\n\r\t x_.-0123456789abfxGiBMs%é\x00\u202e")) | st.characters(),
    max_size=200,
)


@fuzz(180)
@given(damaged())
def test_damaged_files_give_findings_not_crashes(config_file: str, data: bytes) -> None:
    check_run(data, run_check(data, config_file, "--format", "json"))


@fuzz(150)
@given(st.one_of(st.binary(max_size=400), GARBAGE.map(lambda text: text.encode("utf-8", "surrogatepass"))))
def test_random_bytes_give_findings_not_crashes(config_file: str, data: bytes) -> None:
    check_run(data, run_check(data, config_file, "--format", "json"))


@fuzz(100)
@given(st.one_of(damaged(), GARBAGE.map(lambda text: text.encode("utf-8", "surrogatepass"))))
def test_every_format_renders_damaged_files(data: bytes) -> None:
    result = lint_result(data)
    assert not result.tracebacks, result.tracebacks
    check_report(data, result.findings)


@fuzz(40)
@given(
    st.one_of(laid_out().map(lambda case: case[1][0].encode("utf-8")), damaged()),
    st.sampled_from(["text", "json"]),
)
def test_estimate_gives_a_table_not_a_crash(config_file: str, data: bytes, name: str) -> None:
    """`hvlint estimate`, and `--drain` of the first host the file names, on valid and damaged files."""
    for drain in (
        [],
        [
            f"--drain={host}"
            for host in re.findall(r'host\s+"([A-Za-z0-9_]+)"', data.decode("utf-8", "replace"))[:1]
        ],
    ):
        out, err = io.StringIO(), io.StringIO()
        argv = ["estimate", "-", "--config", config_file, "--format", name, *drain]
        with (
            mock.patch.object(sys, "stdin", io.TextIOWrapper(io.BytesIO(data))),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            status = main(argv)
        assert status in (0, 1) or (drain and status == 2 and "no host" in err.getvalue()), err.getvalue()
        assert "Traceback" not in err.getvalue()
        if name == "json" and status != 2:
            json.loads(out.getvalue())


def _token_bounds(text: str) -> Iterator[int]:
    """Every offset where a token of `text` starts or ends, and one inside each string."""
    token = re.compile(
        r"""\s+|#[^\n]*|//[^\n]*|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[{}\[\]=,;]|[^\s{}\[\]=,;"'#]+"""
    )
    for match in token.finditer(text):
        if match.group().isspace():
            continue
        yield match.start()
        if match.group()[0] in "\"'" and len(match.group()) > 2:
            yield match.start() + 1
        yield match.end()


def test_a_real_example_cut_at_every_token(config_file: str) -> None:
    """examples/lab-ws2012r2.hvc cut before and after every token (and inside every string)."""
    data = LAB.read_bytes()
    cuts = sorted(set(_token_bounds(data.decode("utf-8"))))
    assert len(cuts) > 300
    opened, closed = data.index(b"\ncluster") + 1, data.rindex(b"}")
    for index, cut in enumerate(cuts):
        damaged_data = data[:cut]
        result = lint_result(damaged_data)
        assert not result.tracebacks, result.tracebacks
        check_report(damaged_data, result.findings)
        if opened < cut <= closed:
            assert "HV001" in {finding.code for finding in result.findings}, f"cut at offset {cut}"
        if index % 10 == 0:
            run = run_check(damaged_data, config_file, "--format", "json")
            fields = ("line", "column", "end_line", "end_column", "code", "message")
            from_cli = [tuple(finding[key] for key in fields) for finding in check_run(damaged_data, run)]
            assert from_cli == [tuple(getattr(finding, key) for key in fields) for finding in result.findings]


def test_a_cli_subprocess_on_a_damaged_file(tmp_path: Path) -> None:
    """One sample through the installed command line: no traceback, a JSON report, status 1."""
    data = LAB.read_bytes()
    path = tmp_path / "cut.hvc"
    path.write_bytes(data[: len(data) // 2] + b"\x00\xff{[" + data[len(data) // 3 :])
    (tmp_path / "hvlint.toml").write_text("", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", "--format", "json", "cut.hvc"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    findings = json.loads(result.stdout)["findings"]
    assert findings and {finding["code"] for finding in findings} == {"HV001"}
    text = decoded(path.read_bytes())
    for finding in findings:
        check_position(finding, text)


# -- the same input, the same output --------------------------------------------------------------------


@fuzz(60)
@given(
    st.one_of(laid_out().map(lambda case: case[1][0].encode("utf-8")), damaged()), st.sampled_from(FORMATS)
)
def test_the_same_input_gives_byte_identical_output(config_file: str, data: bytes, name: str) -> None:
    first = run_check(data, config_file, "--format", name, "--statistics")
    second = run_check(data, config_file, "--format", name, "--statistics")
    assert first == second


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Every format over the examples and fixtures, in two processes with different hash seeds (sets of
    names iterate in another order): byte-identical."""
    script = (
        "import sys\n"
        "from hvlint.cli import main\n"
        "for name in sys.argv[4:]:\n"
        "    main(['check', '--config', sys.argv[1], '--format', name, '--output', name + '.out',"
        " '--statistics', sys.argv[2], sys.argv[3]])\n"
    )
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    outputs = []
    for seed in ("1", "2"):
        directory = tmp_path / f"seed{seed}"
        directory.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                str(tmp_path / "empty.toml"),
                str(ROOT / "examples"),
                str(FIXTURES),
                *FORMATS,
            ],
            cwd=directory,
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        outputs.append({name: (directory / f"{name}.out").read_bytes() for name in FORMATS})
    assert all(outputs[0][name] for name in FORMATS)
    assert outputs[0] == outputs[1]


# -- found by the fuzzing, outside this files: reported to the lead -----------------------------


def test_slash_comment_after_a_number() -> None:
    """`//` starts a comment anywhere outside a string (language.md §1), as `#` does; but NUMBER and
    QUANTITY refuse a following `/` (so that `80MB/s` is not `80MB` then `/s`), so `10ms// c` falls back
    to a name and gets HV004."""
    for attribute, value in (("max_downtime", "10ms"), ("max_migrations", "10")):
        hashed = f'cluster "C" {{ platform = ws2012; {attribute} = {value} # c\n }}'
        assert lint(hashed) == []
        assert lint(hashed.replace(" # c", "// c")) == []


def test_a_hex_quantity_whose_unit_starts_with_a_hex_digit() -> None:
    """The lexer reads `0x1bps` and `0x0B/s` as quantities (0x1 bps, 0x0 B/s), trying every split as the
    grammar's regular expression does; units.parse_quantity's greedy hex digits take the `b` or `B` and
    find no unit, so the value is HV004 "found a quantity"."""
    for value in ("0x1bps", "0x0B/s", "0x10B/s"):
        network = f'network "N" {{ roles = [cluster]; bandwidth = {value} }}'
        text = f'cluster "C" {{ platform = ws2012; {network} }}'
        assert lint(text) == [], value


def _raw_shape(value: Any) -> Any:
    """Raw syntax as plain data with every position, to compare two parses."""
    from hvlint.language.syntax import RawAttribute, RawBlock, RawList

    if isinstance(value, RawBlock):
        return (
            "block",
            _raw_shape(value.kind),
            _raw_shape(value.label),
            [_raw_shape(attribute) for attribute in value.attributes],
            [_raw_shape(block) for block in value.blocks],
        )
    if isinstance(value, RawAttribute):
        return ("attribute", _raw_shape(value.key), _raw_shape(value.value))
    if isinstance(value, RawList):
        return ("list", tuple(value.span), [_raw_shape(item) for item in value.items])
    if value is None:
        return None
    return (value.type, str(value), value.start_pos, *token_span(value))


@fuzz(100)
@given(st.one_of(laid_out().map(lambda case: case[1][0]), perturbed(), damaged().map(decoded)))
def test_the_fast_parse_builds_what_the_recovering_parse_builds(text: str) -> None:
    _assert_both_parses_agree(text)


GRAMMAR_EDGES = [
    *("", "   \n\t ", "# only\n// comments", "c {}", "c {};", "c {};;", "c { ; }", "c { a = 1;; }", "a = 1"),
    *("c { a = [,] }", "c { a = [a,] }", "c { a = [a b] }", "c { a = [[a],[b,],[]] }", "c { a = [1,,2] }"),
    *("c { a = [] ; b = 2 }", "c x { }", "c 'x' { d \"y\" { e = 1 } ; f = [1GiB, 2] }", "c x y { }"),
    *("c { x = }", "c { = 1 }", "c { x = 1 = 2 }", "c { x = [1 }", "c { x = 1 ] }", "c { } }", "c { "),
    *("c { a = 1 } @", "c { a = 'x\n' }", "c {\r\n a = 1 // c\r\n}\r\n", "c { true = 1 }", "c 5 { }"),
    *("c { a = true; b = false; c = 0x1F; d = 1.5 }", "c { 5 = 1 }", "c true { }", "c [ ]", "{ }", "c ;"),
    *("c { a { } }", "c { a b = 1 }", "c { a = b { } }", "c { a = 80MB/s; b = 4 GiB }", "c { a = 'x' 'y' }"),
    *("c { x = 1 }\n   ", "c { x = 1 }\n   @", "c {}}", "c { a = [1]; ; }", "c{a=1;b=[2,3,];d{e=4}}"),
    "; c {}",
    " " * 20_000 + "@",
]
"""Texts at the edges of the grammar, which the fast parse decides by hand (syntax._parse_valid)."""


@pytest.mark.parametrize("text", GRAMMAR_EDGES)
def test_the_fast_parse_agrees_at_the_edges_of_the_grammar(text: str) -> None:
    _assert_both_parses_agree(text)


def _assert_both_parses_agree(text: str) -> None:
    from hvlint.language import syntax

    recovering = syntax._parse_recovering(text)
    comments: list[Any] = []
    try:
        fast = syntax._parse_valid(text, comments)
    except syntax._Rejected:
        assert recovering.errors, "the fast parse rejects only text with syntax errors"
        return
    assert not recovering.errors
    assert [_raw_shape(block) for block in fast] == [_raw_shape(block) for block in recovering.blocks]
    assert comments == recovering.comments


# -- hostile checkouts (issue 20): links, special files, hostile names, configurations and caches ------

HOSTILE_TREES = int(os.environ.get("HVLINT_FUZZ_TREES", "0")) or 120 * FACTOR
"""How many hostile checkouts the fuzz run builds: HVLINT_FUZZ_TREES=10000 for issue 20's full count."""
SECRET = "hvlint-fuzz-secret-4f1c"
HANG_LIMIT = int(os.environ.get("HVLINT_FUZZ_HANG", "600"))
"""Seconds the hostile-checkout fuzzing may take before it is ended with every thread's traceback."""
HOSTILE_NAMES = st.one_of(
    st.sampled_from(["a.hvc", "-rf.hvc", "x y.hvc", "\u202egnp.hvc", "e\x1b[2J.hvc", "n\nfake:1:1.hvc"]),
    st.text(
        st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)), min_size=1, max_size=12
    ).map(lambda name: name + ".hvc"),
    st.binary(min_size=1, max_size=8)
    .filter(lambda raw: b"/" not in raw and b"\0" not in raw)
    .map(lambda raw: raw + b"\xff.hvc"),
    st.just("y" * 251 + ".hvc"),
)
KINDS = (
    "file",
    "file",
    "file",
    "directory",
    "link to a file inside",
    "link to a directory inside",
    "link to a secret outside",
    "link to /proc/self/environ",
    "link to /dev/zero",
    "dangling link",
    "link to itself",
    "link to the parent",
    "link to a directory outside",
    "fifo",
    "socket",
)
HOSTILE_CONFIGURATIONS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "select = " + "9" * 5000,
            "select = " + "[" * 5000 + "]" * 5000,
            'plugins = ["hvlint_fuzz_missing_module"]',
            'plugins = ["os"]',
            'exclude = ["*"]',
            'rule_timeout = "0s"',
            'severity = { HV101 = "critical" }',
            "[estimator]\nmax_rounds = 1e999",
            'select = ["HV\x1b[2J"]',
            "tool = 1",
        ]
    ),
    st.text(max_size=60),
)
HOSTILE_CACHES = (None, "link to a directory outside", "gitignore link to a victim", "a file", "fifo entries")


def _make(directory: bytes, name: bytes, kind: str, outside: Path, content: bytes) -> None:
    """One entry of a hostile checkout."""
    path = directory + b"/" + name
    if os.path.lexists(path):  # a name drawn twice: writing into a pipe made first would block
        return
    if kind == "file":
        Path(os.fsdecode(path)).write_bytes(content)
    elif kind == "directory":
        os.mkdir(path)
        Path(os.fsdecode(path + b"/inner.hvc")).write_bytes(content)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        import socket

        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as unix:
            unix.bind(os.fsdecode(path))
    else:
        target = {
            "link to a file inside": b"./inside.hvc",
            "link to a directory inside": b".",
            "link to a secret outside": os.fsencode(outside / "secret.hvc"),
            "link to /proc/self/environ": b"/proc/self/environ",
            "link to /dev/zero": b"/dev/zero",
            "dangling link": b"nowhere.hvc",
            "link to itself": name,
            "link to the parent": b"..",
            "link to a directory outside": os.fsencode(outside),
        }[kind]
        os.symlink(target, path)


def _plant_cache(root: Path, kind: str | None, outside: Path) -> None:
    cache = root / ".hvlint_cache"
    if kind == "link to a directory outside":
        cache.symlink_to(outside)
    elif kind == "gitignore link to a victim":
        cache.mkdir()
        (cache / ".gitignore").symlink_to(outside / "victim")
    elif kind == "a file":
        cache.write_text("not a directory")
    elif kind == "fifo entries":
        for prefix in ("00", "ff", "a1"):
            (cache / prefix).mkdir(parents=True)
            os.mkfifo(cache / prefix / f"{prefix}{'0' * 62}.json")


@st.composite
def hostile_checkouts(draw: st.DrawFn) -> dict[str, Any]:
    """A checkout as a hostile pull request could make it."""
    entries = draw(
        st.lists(
            st.tuples(HOSTILE_NAMES, st.sampled_from(KINDS), damaged() | st.sampled_from(CORPUS)),
            min_size=1,
            max_size=6,
        )
    )
    return {
        "entries": entries,
        "configuration": draw(HOSTILE_CONFIGURATIONS),
        "pyproject": draw(st.booleans()),
        "cache": draw(st.sampled_from(HOSTILE_CACHES)),
        "options": draw(st.sampled_from([[], ["--jobs", "1"], ["--no-cache"], ["--format", "text"]])),
        "extra": draw(st.sampled_from([[], ["z" * 300 + ".hvc"], ["missing\x1b.hvc"]])),
    }


def check_hostile_checkout(case: dict[str, Any]) -> None:
    """hvlint on a hostile checkout: status 0, 1 or 2; no traceback or internal error; every line on
    standard error one escaped `hvlint:` line; a JSON report that parses whenever one is written;
    nothing outside the checkout read into the output or written; the run ends."""
    import tempfile

    with tempfile.TemporaryDirectory() as temporary:
        outside, root = Path(temporary) / "outside", Path(temporary) / "checkout"
        outside.mkdir()
        root.mkdir()
        (root / ".git").mkdir()
        (outside / "secret.hvc").write_text(f"{SECRET}\n")
        (outside / "victim").write_text("precious\n")
        (root / "inside.hvc").write_bytes(CORPUS[0])
        for name, kind, content in case["entries"]:
            raw = name if isinstance(name, bytes) else name.encode("utf-8", "surrogateescape")
            with contextlib.suppress(FileExistsError):
                _make(os.fsencode(root), raw, kind, outside, content)
        if case["configuration"] is not None:
            target = root / ("pyproject.toml" if case["pyproject"] else "hvlint.toml")
            text = case["configuration"]
            target.write_text(
                f"[tool.hvlint]\n{text}" if case["pyproject"] else text,
                encoding="utf-8",
                errors="surrogateescape",
            )
        _plant_cache(root, case["cache"], outside)
        out, err = io.StringIO(), io.StringIO()
        argv = ["check", ".", *case["extra"], "--format", "json", *case["options"]]
        previous = os.getcwd()
        os.environ["HVLINT_FUZZ_SECRET"] = SECRET
        try:
            os.chdir(root)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main(argv)
        finally:
            os.chdir(previous)
            del os.environ["HVLINT_FUZZ_SECRET"]
        assert status in (0, 1, 2), err.getvalue()
        errors = err.getvalue()
        assert "Traceback" not in errors and "internal error" not in errors, errors
        assert all(line.startswith("hvlint: ") and line.isprintable() for line in errors.splitlines()), errors
        assert SECRET not in out.getvalue() + errors
        assert (outside / "victim").read_text() == "precious\n"
        assert sorted(path.name for path in outside.iterdir()) == ["secret.hvc", "victim"]
        if out.getvalue() and case["options"] != ["--format", "text"]:
            json.loads(out.getvalue())


def test_hostile_checkouts_never_crash_leak_or_write_outside(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 20's fuzzing: HOSTILE_TREES checkouts with links in and out of the tree, pipes, sockets,
    devices, hostile file names, hostile configurations and planted caches; the count is printed."""
    import faulthandler

    ran = []

    @settings(settings.get_profile("hvlint-fuzz"), max_examples=HOSTILE_TREES)
    @given(hostile_checkouts())
    def run(case: dict[str, Any]) -> None:
        ran.append(1)
        check_hostile_checkout(case)

    faulthandler.dump_traceback_later(
        HANG_LIMIT, exit=True, file=sys.__stderr__
    )  # a blocked read fails, not hangs
    try:
        run()
    finally:
        faulthandler.cancel_dump_traceback_later()
    with capsys.disabled():
        print(f"\nhostile checkouts: {len(ran)} generated, 0 tracebacks")
    assert len(ran) >= min(HOSTILE_TREES, 50)
