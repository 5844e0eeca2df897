"""The report formats (cli.md, Outputs): every format lists the same findings in the same order; SARIF is
valid and has what GitHub code scanning needs; JUnit, GitHub workflow commands and GitLab Code Quality
are what their readers expect; and the editor patterns of docs/integrations.md read the text format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hvlint.findings import Finding
from hvlint.plugins import load_plugins
from hvlint.reporters import FORMATS, Report, RuleMeta, Summary, relative_path, render, statistics
from hvlint.reporters.github_format import escape_data, escape_property
from tests.conftest import DATA, FIXTURES, ROOT, lint

SCHEMA_PATH = DATA / "schemas" / "sarif-schema-2.1.0.json"
DOCS = ROOT / "docs" / "integrations.md"

HOSTS = (
    '  host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
    '  host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
)
SAMPLES: dict[str, str] = {
    # HV002, HV004 and two HV005 on one line, HV003 on the next: several codes, one of them twice
    "clusters/prod.hvc": (
        'cluster "C1" {\n'
        "  failover_clustering = true\n"
        f"{HOSTS}"
        '  vm "SQL01" { host = HV09  memory = 16GiB  dirty_rat = 80MB/s }   # hvlint: disable=HV402,XX1\n'
        '  vm "SQL01" { host = HV01  memory = 16GiB }\n'
        "}\n"
    ),
    # a syntax error at the end of the file
    "clusters/broken.hvc": 'cluster "C2" {\n  host "HV01" { processor = "amd-opteron-2300"  memory 64GiB }\n',
    # a clean file
    "clusters/clean.hvc": f'cluster "C3" {{\n  platform = ws2019\n{HOSTS}}}\n',
    # characters that need escaping in every format: spaces, commas, colons, percent signs
    "odd dir/a,b:100%.hvc": 'cluster "C4" {\n  vm "V,1" { host = "H:9%"  memory = 1GiB }\n}\n',
}


@cache
def rule_metadata() -> tuple[RuleMeta, ...]:
    """Every registered rule's metadata, as the command line fills `Report.rules`."""
    return tuple(RuleMeta.of(info) for info in load_plugins().sorted_rules())


def make_report(sources: dict[str, str], findings: Sequence[Finding] | None = None) -> Report:
    """The report of linting `sources` (path -> text), with the rules' metadata."""
    if findings is None:
        findings = [finding for path, text in sources.items() for finding in lint(text, path=path)]
    ordered = sorted(findings, key=lambda finding: finding.sort_key())
    return Report(ordered, Summary.of(ordered, len(sources)), dict(sources), rules=rule_metadata())


@cache
def sample_report() -> Report:
    return make_report(SAMPLES)


def fixture_cases() -> list[Path]:
    return sorted(FIXTURES.rglob("*.hvc"))


def fixture_report(case: Path) -> Report:
    """The report of one fixture, linted as tests/test_fixtures.py lints it."""
    expected = case.with_suffix(".expected.json")
    spec = json.loads(expected.read_text(encoding="utf-8")) if expected.is_file() else {}
    base_file = spec.get("base")
    base = (case.parent / base_file).read_text(encoding="utf-8") if base_file else None
    path = case.relative_to(ROOT).as_posix()
    data = case.read_bytes()
    findings = lint(data, select=spec.get("select"), settings=spec.get("config"), base=base, path=path)
    return make_report({path: data.decode("utf-8", "replace")}, findings)


@cache
def sarif_validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def assert_valid_sarif(text: str) -> dict[str, Any]:
    document = json.loads(text)
    errors = sorted(sarif_validator().iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors[:10])
    return document


# --- every format, the same findings -----------------------------------------------------------------


def test_the_samples_give_varied_findings() -> None:
    report = sample_report()
    codes = [finding.code for finding in report.findings]
    assert {"HV001", "HV002", "HV003", "HV004", "HV005"} <= set(codes)
    assert codes.count("HV005") == 2
    assert {finding.severity for finding in report.findings} >= {"error", "warning"}
    assert "clusters/clean.hvc" not in {finding.path for finding in report.findings}


def test_every_format_is_listed_and_renders() -> None:
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "github", "gitlab"}
    for name in FORMATS:
        assert render(sample_report(), name).endswith("\n")


Key = tuple[str, int, str, str]


def _finding_keys(report: Report) -> list[Key]:
    return [(relative_path(f.path), f.line, f.code, f.message) for f in report.findings]


def _text_keys(text: str) -> list[Key]:
    pattern = re.compile(r"^(.+?):(\d+):(\d+): (?:error|warning|info): (.*) \[([A-Z]+[0-9]+)\]$")
    keys = []
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            keys.append((match[1], int(match[2]), match[5], match[4]))
    return keys


def _json_keys(text: str) -> list[Key]:
    return [(f["path"], f["line"], f["code"], f["message"]) for f in json.loads(text)["findings"]]


def _sarif_keys(text: str) -> list[Key]:
    from urllib.parse import unquote

    keys = []
    for result in json.loads(text)["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        uri = unquote(location["artifactLocation"]["uri"])
        keys.append((uri, location["region"]["startLine"], result["ruleId"], result["message"]["text"]))
    return keys


def _unescape(text: str) -> str:
    return re.sub(r"%([0-9A-F]{2})", lambda match: chr(int(match[1], 16)), text)


def _github_keys(text: str) -> list[Key]:
    keys = []
    for line in text.splitlines():
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match[2].split(","))
        keys.append(
            (_unescape(properties["file"]), int(properties["line"]), properties["title"], _unescape(match[3]))
        )
    return keys


def _gitlab_keys(text: str) -> list[Key]:
    return [
        (
            issue["location"]["path"],
            issue["location"]["lines"]["begin"],
            issue["check_name"],
            issue["description"].removesuffix(f" [{issue['check_name']}]"),
        )
        for issue in json.loads(text)
    ]


def _junit_keys(text: str) -> list[Key]:
    keys = []
    for case in ET.fromstring(text).iter("testcase"):
        for failure in case.findall("failure"):
            match = re.fullmatch(r"(.+?):(\d+):(\d+): \w+: (.*) \[(.+)\]", failure.text or "")
            assert match, failure.text
            assert (failure.get("message"), failure.get("type")) == (match[4], match[5])
            keys.append((case.get("file") or "", int(match[2]), match[5], match[4]))
    return keys


READERS = {
    "text": _text_keys,
    "json": _json_keys,
    "sarif": _sarif_keys,
    "github": _github_keys,
    "gitlab": _gitlab_keys,
    "junit": _junit_keys,
}


@pytest.mark.parametrize("format_name", sorted(READERS))
def test_every_format_lists_the_same_findings_in_the_same_order(format_name: str) -> None:
    report = sample_report()
    expected = _finding_keys(report)
    actual = READERS[format_name](render(report, format_name))
    if format_name == "junit":
        # JUnit groups a file's findings by rule (a test case each, in the order of each rule's first
        # finding); within a rule, report order.
        first: dict[tuple[str, str], int] = {}
        for position, (path, _, code, _) in enumerate(expected):
            first.setdefault((path, code), position)
        expected = sorted(expected, key=lambda key: first[(key[0], key[2])])
    assert actual == expected


def test_a_report_without_findings() -> None:
    report = make_report({"clusters/clean.hvc": SAMPLES["clusters/clean.hvc"]})
    assert report.findings == []
    assert json.loads(render(report, "gitlab")) == []
    assert render(report, "github") == ""
    document = assert_valid_sarif(render(report, "sarif"))
    assert document["runs"][0]["results"] == []
    root = ET.fromstring(render(report, "junit"))
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


def test_statistics_count_per_code_in_code_order() -> None:
    findings = [
        Finding("a.hvc", 1, 1, 1, 2, code, name, "error", "m")
        for code, name in [("HV402", "b"), ("HV10", "a"), ("HV402", "b"), ("ACME7", "c")]
        + [("HV9", "d")] * 10
    ]
    assert statistics(findings) == " 1  ACME7  c\n10  HV9  d\n 1  HV10  a\n 2  HV402  b\n"
    assert statistics([]) == ""
    assert sum(int(line.split()[0]) for line in statistics(sample_report().findings).splitlines()) == len(
        sample_report().findings
    )


# --- SARIF ---------------------------------------------------------------------------------------------


def test_sarif_of_the_samples_is_valid() -> None:
    assert_valid_sarif(render(sample_report(), "sarif"))


@pytest.mark.parametrize("case", fixture_cases(), ids=[str(c.relative_to(FIXTURES)) for c in fixture_cases()])
def test_sarif_of_every_fixture_is_valid(case: Path) -> None:
    report = fixture_report(case)
    document = assert_valid_sarif(render(report, "sarif"))
    assert len(document["runs"][0]["results"]) == len(report.findings)


def test_sarif_of_the_specification_examples_is_valid() -> None:
    examples = sorted((DATA / "examples").glob("*.hvc"))
    assert [example.name for example in examples] == ["needs-work.hvc", "seed-cluster.hvc"]
    sources = {example.name: example.read_text(encoding="utf-8") for example in examples}
    assert_valid_sarif(render(make_report(sources), "sarif"))


def test_sarif_has_what_github_code_scanning_needs() -> None:
    report = sample_report()
    document = json.loads(render(report, "sarif"))
    assert document["version"] == "2.1.0"
    assert document["$schema"].startswith("https://")
    assert len(document["runs"]) == 1
    run = document["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "hvlint"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", driver["version"])
    assert driver["informationUri"] == project_repository_url()
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    assert {meta.code for meta in rule_metadata()} <= set(ids)
    for rule in rules:
        assert rule["name"]
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    hv002 = rules[ids.index("HV002")]
    assert hv002["name"] == "unresolved-reference"
    assert hv002["help"]["markdown"].startswith("# HV002 unresolved-reference")
    assert len(run["results"]) == len(report.findings)
    for result, finding in zip(run["results"], report.findings, strict=True):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]
        assert result["message"]["text"] == finding.message
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = physical["artifactLocation"]["uri"]
        assert not re.match(r"[a-z]+:", uri) and "\\" not in uri and " " not in uri
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        assert (region["endLine"], region["endColumn"]) == (finding.end_line, finding.end_column)
        assert result["partialFingerprints"] == {"hvlint/v1": finding.fingerprint}


def test_sarif_levels_and_rules_missing_from_the_metadata() -> None:
    findings = [
        Finding("a.hvc", 1, 1, 1, 2, "HV404", "compatibility-mode-unneeded", "info", "an info finding"),
        Finding("a.hvc", 2, 1, 2, 2, "ACME1", "acme-rule", "warning", "a plugin's finding", None, "f" * 32),
    ]
    report = Report(findings, Summary.of(findings, 1), {"a.hvc": "x\ny\n"})
    document = assert_valid_sarif(render(report, "sarif"))
    run = document["runs"][0]
    assert [result["level"] for result in run["results"]] == ["note", "warning"]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["HV404", "ACME1"]
    assert "partialFingerprints" not in run["results"][0]  # a finding without a fingerprint


def test_sarif_uris_are_relative_forward_slashed_and_percent_encoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    inside = str(tmp_path / "sub dir" / "ä#1.hvc")
    outside = "/nonexistent-root/x.hvc"
    findings = [
        Finding(path, 1, 1, 1, 2, "HV001", "syntax-error", "error", "m", None, "0" * 32)
        for path in ("./rel/a b.hvc", inside, outside, "dir/100%.hvc")
    ]
    report = Report(findings, Summary.of(findings, 4), {})
    document = assert_valid_sarif(render(report, "sarif"))
    locations = [
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in document["runs"][0]["results"]
    ]
    assert locations == [
        {"uri": "rel/a%20b.hvc", "uriBaseId": "%SRCROOT%"},
        {"uri": "sub%20dir/%C3%A4%231.hvc", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///nonexistent-root/x.hvc"},
        {"uri": "dir/100%25.hvc", "uriBaseId": "%SRCROOT%"},
    ]


def test_relative_path() -> None:
    assert relative_path("./a/b.hvc") == "a/b.hvc"
    assert relative_path("a//b.hvc") == "a/b.hvc"
    assert relative_path("-") == "-"
    assert relative_path(str(Path.cwd() / "x" / "y.hvc")) == "x/y.hvc"


def test_a_path_under_the_shells_name_for_the_current_directory_is_made_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, link = tmp_path / "real", tmp_path / "link"
    (real / "x").mkdir(parents=True)
    link.symlink_to(real)
    monkeypatch.chdir(link)
    monkeypatch.setenv("PWD", str(link))
    assert relative_path(str(link / "x" / "a.hvc")) == "x/a.hvc"
    assert relative_path(str(real / "x" / "a.hvc")) == "x/a.hvc"
    monkeypatch.setenv("PWD", str(tmp_path))
    assert relative_path(str(link / "x" / "a.hvc")) == f"{link}/x/a.hvc", "PWD leads elsewhere"


def project_repository_url() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^\[project\.urls\]\n(?:#.*\n)*Repository = "(.+)"$', text, flags=re.MULTILINE)
    assert found, "pyproject.toml declares no [project.urls] Repository"
    return found[1]


def test_sarif_information_uri_is_the_documented_repository_url() -> None:
    """Not a page that does not exist (hvlint is on no package index): the repository's URL, from the
    installed metadata, which README.md tells a site to set to where its copy lives."""
    from hvlint.reporters.sarif_format import REPOSITORY_PLACEHOLDER, information_uri

    assert information_uri() == project_repository_url() == REPOSITORY_PLACEHOLDER
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'pip install "hvlint @ git+{REPOSITORY_PLACEHOLDER}@v' in readme
    assert "`OWNER`" in readme


# --- JUnit ---------------------------------------------------------------------------------------------


def test_junit_parses_and_counts() -> None:
    report = sample_report()
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    by_file: dict[str, set[str]] = {path: set() for path in SAMPLES}
    for finding in report.findings:
        by_file[finding.path].add(finding.code)
    expected_cases = sum(len(codes) or 1 for codes in by_file.values())
    failing = [case for case in cases if case.find("failure") is not None]
    assert len(cases) == expected_cases
    assert len(failing) == sum(len(codes) for codes in by_file.values())
    for element in (root, suite):
        assert element.get("tests") == str(expected_cases)
        assert element.get("failures") == str(len(failing))
        assert element.get("errors") == "0"
    assert sum(len(case.findall("failure")) for case in cases) == len(report.findings)
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["hvlint.findings"] == str(len(report.findings))
    # GitLab identifies a test case by classname and name: they must be unique
    identities = [(case.get("classname"), case.get("name")) for case in cases]
    assert len(identities) == len(set(identities))
    clean = [case for case in cases if case.get("classname") == "clusters/clean.hvc"]
    assert len(clean) == 1 and clean[0].find("failure") is None
    hv005 = [case for case in cases if (case.get("name") or "").startswith("HV005 ")]
    assert len(hv005) == 1 and len(hv005[0].findall("failure")) == 2
    assert hv005[0].get("name") == "HV005 unused-suppression"
    failure = hv005[0].find("failure")
    assert failure is not None and failure.text is not None
    assert re.fullmatch(r"clusters/prod\.hvc:\d+:\d+: warning: .* \[HV005\]", failure.text)


def test_junit_survives_characters_xml_cannot_hold() -> None:
    message = 'found `\x01\x1b` where a name was expected & <that> is "odd"\ud800'
    findings = [Finding("a.hvc", 1, 1, 1, 2, "HV001", "syntax-error", "error", message)]
    report = Report(findings, Summary.of(findings, 1), {"a.hvc": ""})
    failure = ET.fromstring(render(report, "junit")).find(".//failure")
    assert failure is not None
    assert failure.get("message") == 'found `\\x01\\x1b` where a name was expected & <that> is "odd"\\xd800'


# --- GitHub workflow commands -------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("C:\\a,b 100%\n") == "C%3A\\a%2Cb 100%25%0A"


def test_github_commands() -> None:
    findings = [
        Finding(
            "odd dir/a,b:100%.hvc",
            2,
            5,
            2,
            9,
            "HV002",
            "unresolved-reference",
            "error",
            "50% of `x`: a, b\nc",
        ),
        Finding("./x.hvc", 3, 1, 5, 2, "HV301", "n", "warning", "spans lines"),
        Finding("x.hvc", 7, 3, 7, 4, "HV404", "n", "info", "a notice"),
    ]
    report = Report(findings, Summary.of(findings, 2), {})
    assert render(report, "github").splitlines() == [
        "::error file=odd dir/a%2Cb%3A100%25.hvc,line=2,col=5,endLine=2,endColumn=8,title=HV002"
        "::50%25 of `x`: a, b%0Ac",
        "::warning file=x.hvc,line=3,endLine=5,title=HV301::spans lines",
        "::notice file=x.hvc,line=7,col=3,endLine=7,endColumn=3,title=HV404::a notice",
    ]


def test_github_commands_of_the_samples_are_one_line_each() -> None:
    report = sample_report()
    lines = render(report, "github").splitlines()
    assert len(lines) == len(report.findings)
    assert all(
        re.fullmatch(r"::(error|warning|notice) file=[^,:]+,line=\d+,.*title=[A-Z]+\d+::.*", line)
        for line in lines
    )


# --- GitLab Code Quality -------------------------------------------------------------------------------


def test_gitlab_code_quality() -> None:
    report = sample_report()
    issues = json.loads(render(report, "gitlab"))
    assert isinstance(issues, list) and len(issues) == len(report.findings)
    for issue, finding in zip(issues, report.findings, strict=True):
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys()
        assert issue["check_name"] == finding.code
        assert finding.message in issue["description"]
        assert (
            issue["severity"] == {"error": "critical", "warning": "major", "info": "info"}[finding.severity]
        )
        assert issue["location"]["path"] == relative_path(finding.path)
        assert issue["location"]["lines"]["begin"] == finding.line
        assert isinstance(issue["fingerprint"], str) and re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(fingerprints) == len(set(fingerprints))


def test_gitlab_fingerprints_are_unique_even_for_equal_findings() -> None:
    finding = Finding("a.hvc", 1, 1, 1, 2, "HV005", "n", "warning", "m", None, "a" * 32)
    report = Report([finding, finding], Summary.of([finding, finding], 1), {})
    issues = json.loads(render(report, "gitlab"))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_gitlab_fingerprints_are_stable_across_edits_above() -> None:
    text = SAMPLES["clusters/prod.hvc"]
    before = json.loads(render(make_report({"p.hvc": text}), "gitlab"))
    after = json.loads(render(make_report({"p.hvc": "# a comment\n\n" + text}), "gitlab"))
    assert [issue["fingerprint"] for issue in before] == [issue["fingerprint"] for issue in after]
    assert [issue["location"]["lines"]["begin"] + 2 for issue in before] == [
        issue["location"]["lines"]["begin"] for issue in after
    ]


# --- editors: the patterns docs/integrations.md documents ----------------------------------------------


def _docs() -> str:
    return DOCS.read_text(encoding="utf-8")


def _text_output_lines() -> list[str]:
    report = make_report(SAMPLES)
    windows = Finding(
        "C:\\clusters\\prod.hvc", 4, 7, 4, 9, "HV002", "n", "error", "unknown host `X`: see 1:2"
    )
    report = make_report(SAMPLES, [*report.findings, windows])
    return render(report, "text").splitlines()


def _expected_line_parts() -> list[tuple[str, int, int, str, str, str]]:
    report = make_report(SAMPLES)
    windows = Finding(
        "C:\\clusters\\prod.hvc", 4, 7, 4, 9, "HV002", "n", "error", "unknown host `X`: see 1:2"
    )
    findings = sorted([*report.findings, windows], key=lambda finding: finding.sort_key())
    return [(f.path, f.line, f.column, f.severity, f.message, f.code) for f in findings]


def vscode_problem_matcher() -> dict[str, Any]:
    """The problem matcher of the tasks.json in docs/integrations.md."""
    blocks = re.findall(r"```json\n(.*?)```", _docs(), re.S)
    tasks = [json.loads(block) for block in blocks if '"problemMatcher"' in block]
    assert len(tasks) == 1, "docs/integrations.md should show one tasks.json"
    (task,) = tasks[0]["tasks"]
    return task["problemMatcher"]


def test_the_vscode_problem_matcher_reads_the_text_format() -> None:
    matcher = vscode_problem_matcher()
    pattern = matcher["pattern"]
    regexp = re.compile(pattern["regexp"])
    parsed = []
    for line in _text_output_lines():
        match = regexp.search(line)
        if match:
            parsed.append(
                (
                    match[pattern["file"]],
                    int(match[pattern["line"]]),
                    int(match[pattern["column"]]),
                    match[pattern["severity"]],
                    match[pattern["message"]],
                    match[pattern["code"]],
                )
            )
    assert parsed == _expected_line_parts()


def vim_errorformat() -> str:
    """The first entry of the errorformat docs/integrations.md sets for Vim."""
    match = re.search(r"^let &l:errorformat = '([^']*)'$", _docs(), re.M)
    assert match, "docs/integrations.md should set Vim's errorformat"
    first = re.split(r"(?<!\\),", match[1])[0]
    assert first == "%f:%l:%c: %t%*[^:]: %m"
    return first


def errorformat_to_regex(errorformat: str) -> re.Pattern[str]:
    """Vim's translation of one errorformat entry (quickfix.c, efm_to_regpat), in Python's syntax: the
    entry matches a whole line; `%f` followed by a literal is the shortest text before it."""
    conversions = {"l": r"(?P<line>\d+)", "c": r"(?P<col>\d+)", "t": r"(?P<type>.)", "m": r"(?P<message>.+)"}
    out = ["^"]
    i = 0
    while i < len(errorformat):
        char = errorformat[i]
        if char == "%":
            item = errorformat[i + 1]
            if item == "f":
                out.append(r"(?P<file>.+?)" if i + 2 < len(errorformat) else r"(?P<file>.+)")
                i += 2
            elif item in conversions:
                out.append(conversions[item])
                i += 2
            elif item == "*" and errorformat[i + 2] == "[":
                end = errorformat.index("]", i + 3)
                out.append(errorformat[i + 2 : end + 1] + "*")
                i = end + 1
            elif item == "%":
                out.append("%")
                i += 2
            else:
                raise AssertionError(f"no translation for %{item}")
        else:
            out.append(re.escape(char))
            i += 1
    out.append("$")
    return re.compile("".join(out))


def test_the_vim_errorformat_reads_the_text_format() -> None:
    regexp = errorformat_to_regex(vim_errorformat())
    parsed = []
    for line in _text_output_lines():
        match = regexp.match(line)
        if match:
            parsed.append(
                (match["file"], int(match["line"]), int(match["col"]), match["type"], match["message"])
            )
    expected = [
        (path, line, column, severity[0], f"{message} [{code}]")
        for path, line, column, severity, message, code in _expected_line_parts()
    ]
    assert parsed == expected


def test_the_summary_and_the_excerpt_are_no_findings() -> None:
    lines = _text_output_lines()
    finding_lines = [line for line in lines if re.match(r".+?:\d+:\d+: ", line)]
    others = [line for line in lines if line not in finding_lines]
    assert others and any("^" in line for line in others)  # the syntax error's caret
    vscode = re.compile(vscode_problem_matcher()["pattern"]["regexp"])
    vim = errorformat_to_regex(vim_errorformat())
    assert not [line for line in others if vscode.search(line) or vim.match(line)]


def test_junit_findings_below_fail_on_pass_with_the_finding_in_system_out() -> None:
    findings = [
        Finding("a.hvc", 3, 1, 3, 2, "ACME1", "mixed", "warning", "worth failing"),
        Finding("a.hvc", 5, 1, 5, 2, "ACME1", "mixed", "info", "worth knowing"),
        Finding("a.hvc", 7, 1, 7, 2, "ACME2", "advice", "info", "only advice"),
    ]
    expected = {
        "warning": {"ACME1 mixed": (["worth failing"], "a.hvc:5:1: info: worth knowing [ACME1]\n")},
        "never": {"ACME1 mixed": ([], "a.hvc:3:1: warning: worth failing [ACME1]\n")},
    }
    for fail_on, cases in expected.items():
        report = Report(findings, Summary.of(findings, 1), {"a.hvc": ""}, fail_on=fail_on)
        root = ET.fromstring(render(report, "junit"))
        by_name = {case.get("name"): case for case in root.iter("testcase")}
        failing = sum(1 for case in by_name.values() if case.find("failure") is not None)
        assert (root.get("tests"), root.get("failures")) == ("2", str(failing))
        for name, (failures, first_output) in cases.items():
            case = by_name[name]
            assert [failure.get("message") for failure in case.findall("failure")] == failures
            assert (case.findtext("system-out") or "").startswith(first_output)
        advice = by_name["ACME2 advice"]
        assert advice.find("failure") is None
        assert advice.findtext("system-out") == "a.hvc:7:1: info: only advice [ACME2]\n"
