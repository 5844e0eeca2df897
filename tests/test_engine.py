"""The engine: rule isolation (HV000), suppressions (HV005), selection, severities, per-file ignores."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import pytest

from hvlint.config import ConfigError
from hvlint.engine import Linter, is_selected
from hvlint.language.document import load
from hvlint.plugins import RuleInfo, load_plugins
from hvlint.rule import Context, Rule, RuleFinding
from tests.conftest import make_config


class EveryVM(Rule):
    """Test rule: one finding per VM, at its header, or at `memory` when the VM is large."""

    code = "ZZ001"
    name = "every-vm"
    severity = "warning"
    summary = "every VM"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            for vm in cluster.vms:
                at = "memory" if vm.memory > 8 * 1024**3 else None
                yield ctx.finding(vm, f"vm {vm.name} seen", at=at)


class EveryHost(Rule):
    """Test rule: one info finding per host, error on ws2008r2."""

    code = "ZZ002"
    name = "every-host"
    severity = "info"
    summary = "every host"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            for host in cluster.hosts:
                severity = "error" if cluster.platform == "ws2008r2" else None
                yield ctx.finding(host, f"host {host.name} seen", severity=severity)


class Raises(Rule):
    """Test rule: raises."""

    code = "ZZ003"
    name = "raises"
    severity = "error"
    summary = "raises"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        raise ZeroDivisionError("division by zero")


def linter(
    settings: dict | None = None, select: list[str] | None = None, rules=(EveryVM, EveryHost)
) -> Linter:  # type: ignore[no-untyped-def,type-arg]
    config = make_config(settings, select)
    registry = load_plugins()
    for rule in rules:
        registry.rules[rule.code] = RuleInfo(rule, "tests")
    return Linter(registry, config)


def check(text: str, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("select", ["ZZ", "HV005"])
    return linter(**kwargs).check(load(text, "lab/prod.hvc"))


TEXT = """\
cluster "C" {                                   # hvlint: disable=ZZ002
  platform = ws2016
  host "H1" { processor = "amd-opteron-2300"; memory = 64GiB }
  vm "A" { host = H1; memory = 1GiB }
  vm "B" {                                      # hvlint: disable=ZZ001
    host = H1
    memory = 16GiB
  }
  vm "C" { host = H1; memory = 16GiB }          # hvlint: disable=ZZ001
  vm "D" {
    host = H1
    memory = 16GiB                              # hvlint: disable=ZZ001,HV005
  }
  # hvlint: disable=ZZ001
  vm "E" { host = H1; memory = 1GiB }
}
"""


def codes(result) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return [(f.line, f.column, f.code) for f in result.findings]


def test_suppressions_on_headers_attributes_and_alone() -> None:
    result = check(TEXT)
    assert codes(result) == [
        (4, 3, "ZZ001"),
        (12, 73, "HV005"),
        (14, 21, "HV005"),
        (15, 3, "ZZ001"),
    ]
    messages = {f.line: f.message for f in result.findings if f.code == "HV005"}
    assert messages[12] == "unused suppression: no HV005 finding here to suppress"
    assert messages[14] == "unused suppression: no ZZ001 finding here to suppress"


def test_hv005_in_a_comment_silences_the_hv005_of_its_line() -> None:
    text = 'cluster "C" { } # hvlint: disable=ZZ001,HV005\n'
    assert check(text).findings == []
    text = '# hvlint: disable-file=HV005\ncluster "C" { } # hvlint: disable=ZZ001\n'
    assert check(text).findings == []


def test_disable_file() -> None:
    text = "# hvlint: disable-file=ZZ001\n" + TEXT
    assert [f.code for f in check(text).findings if f.code == "ZZ001"] == []


def test_suppressions_of_rules_that_did_not_run_are_not_reported() -> None:
    result = check(TEXT, select=["ZZ002", "HV005"])
    assert codes(result) == [(12, 73, "HV005")], "the HV005 of line 12 suppresses nothing"


def test_unknown_and_unsuppressable_codes() -> None:
    text = 'cluster "C" { } # hvlint: disable=HV001,XX9,hv402 trailing words\n'
    messages = [f.message for f in check(text).findings]
    assert messages == [
        "code HV001 cannot be suppressed",
        "unknown code `XX9` in `disable=`",
        "unknown code `hv402` in `disable=`",
    ]


def test_a_raising_rule_becomes_hv000_and_the_others_still_run() -> None:
    result = check(TEXT, rules=(EveryVM, Raises), select=["ZZ"])
    assert result.internal_error
    hv000 = [f for f in result.findings if f.code == "HV000"]
    assert len(hv000) == 1
    assert (
        hv000[0].message == "rule ZZ003 (raises) of plugin tests raised ZeroDivisionError: division by zero"
    )
    assert any(f.code == "ZZ001" for f in result.findings)
    assert "ZeroDivisionError" in result.tracebacks[0]


class YieldsText(Rule):
    """Test rule: yields a string instead of a finding."""

    code = "ZZ004"
    name = "yields-text"
    summary = "yields text"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        yield "host HV01 is busy"  # type: ignore[misc]


class BadSeverity(Rule):
    """Test rule: a finding with a severity that does not exist."""

    code = "ZZ005"
    name = "bad-severity"
    summary = "bad severity"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            yield ctx.finding(cluster, "busy", severity="critical")


def test_a_rule_that_breaks_the_api_is_hv000_not_a_crash() -> None:
    result = check(TEXT, rules=(EveryVM, YieldsText, BadSeverity), select=["ZZ"])
    messages = sorted(f.message for f in result.findings if f.code == "HV000")
    assert messages == [
        "rule ZZ004 (yields-text) of plugin tests raised TypeError: check() yielded str "
        "'host HV01 is busy', not ctx.finding(...)",
        "rule ZZ005 (bad-severity) of plugin tests raised ValueError: finding severity 'critical' is not "
        "one of error, warning, info",
    ]
    assert sum(f.code == "ZZ001" for f in result.findings) == 2, "the other rule still ran"


def test_severity_of_unknown_codes_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match=r"`severity\.HV999`: no loaded plugin provides rule HV999"):
        linter({"severity": {"HV999": "error"}})


def test_per_finding_severity_and_overrides() -> None:
    text = 'cluster "C" { host "H1" { processor = "amd-opteron-2300"; memory = 64GiB } }'
    assert [f.severity for f in check(text).findings] == ["error"]
    result = check(text, settings={"severity": {"ZZ002": "warning"}})
    assert [f.severity for f in result.findings] == ["warning"]


def test_severity_of_language_codes_cannot_change() -> None:
    with pytest.raises(ConfigError, match="severity of HV003 cannot be changed"):
        linter({"severity": {"HV003": "info"}})


def test_language_codes_are_always_reported() -> None:
    text = 'cluster "C" { vm "V" { host = H9; memory = 1GiB } }'
    found = check(text, select=["ZZ001"], settings={"ignore": ["HV"]}).findings
    assert [(f.column, f.code) for f in found] == [(15, "ZZ001"), (31, "HV002")]


def test_selection_most_specific_prefix_wins() -> None:
    config = make_config({"select": ["HV4"], "ignore": ["HV402"]})
    assert is_selected("HV401", config) and not is_selected("HV402", config)
    config = make_config({"select": ["HV402"], "ignore": ["HV4"]})
    assert is_selected("HV402", config) and not is_selected("HV401", config)
    config = make_config({"ignore": ["HV4"]}, select=["HV"])
    assert is_selected("HV402", config), "--select on the command line drops the file's ignore"
    assert not is_selected("ACME1", make_config(select=["HV"]))


def test_per_file_ignores_match_relative_paths() -> None:
    text = 'cluster "C" { host "H1" { processor = "amd-opteron-2300"; memory = 64GiB } }'
    assert check(text, settings={"per-file-ignores": {"lab/*.hvc": ["ZZ"]}}).findings == []
    assert len(check(text, settings={"per-file-ignores": {"prod/*.hvc": ["ZZ"]}}).findings) == 1


def test_rule_settings_are_validated() -> None:
    class WithSettings(EveryVM):
        code = "ZZ009"
        settings: ClassVar[dict[str, object]] = {"min_bandwidth": "1Gbps", "limit": 20, "share": 0.5}

    with pytest.raises(ConfigError, match=r"`rules\.ZZ009\.nope`: unknown setting"):
        linter({"rules": {"ZZ009": {"nope": 1}}}, rules=(WithSettings,))
    with pytest.raises(ConfigError, match="must be a rate"):
        linter({"rules": {"ZZ009": {"min_bandwidth": "1GiB"}}}, rules=(WithSettings,))
    with pytest.raises(ConfigError, match="must be a whole number"):
        linter({"rules": {"ZZ009": {"limit": "20"}}}, rules=(WithSettings,))
    built = linter({"rules": {"ZZ009": {"min_bandwidth": "10Gbps"}}}, rules=(WithSettings,))
    assert built._settings["ZZ009"] == {"min_bandwidth": 1.25e9, "limit": 20, "share": 0.5}
    built = linter({"rules": {"ZZ009": {"share": 1}}}, rules=(WithSettings,))
    assert built._settings["ZZ009"]["share"] == 1.0, "a TOML integer is fine where a float is the default"
    with pytest.raises(ConfigError, match="no loaded plugin provides rule ZZ404"):
        linter({"rules": {"ZZ404": {}}})


def test_a_file_with_syntax_errors_gets_no_other_finding() -> None:
    assert [f.code for f in check('cluster "C" { vm "V" { memory 1GiB } }').findings] == ["HV001"]


def test_fingerprints_survive_lines_added_above() -> None:
    before = check(TEXT).findings
    after = check("# a comment\n\n" + TEXT).findings
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]
    assert [f.line + 2 for f in before] == [f.line for f in after]
    assert len({f.fingerprint for f in before}) == len(before)
