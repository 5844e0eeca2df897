"""Plugins: built-in rules, entry points, configuration modules, and their failures."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hvlint.plugins import PluginError, load_plugins

ACME = '''
import hvlint

__version__ = "1.2"

class TooManyVMs(hvlint.Rule):
    """A host runs more VMs than site policy allows."""

    code = "ACME001"
    name = "too-many-vms"
    severity = "warning"
    summary = "a host runs more VMs than site policy allows"
    settings = {"limit": 1}

    def check(self, ctx):
        for cluster in ctx.model.clusters:
            for host in cluster.hosts:
                if len(host.vms) > ctx.settings["limit"]:
                    limit = ctx.settings["limit"]
                    yield ctx.finding(host, f"host {host.name} runs {len(host.vms)} VMs, more than {limit}")

@hvlint.hookimpl
def hvlint_rules():
    return [TooManyVMs]
'''


def write_module(directory: Path, name: str, source: str) -> None:
    (directory / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")


def test_builtin_rules_are_registered_without_entry_points() -> None:
    registry = load_plugins()
    assert {"HV000", "HV001", "HV005"} <= set(registry.rules)
    assert registry.plugins[0].name == "hvlint"
    assert all(info.plugin == "hvlint" for info in registry.rules.values() if info.code.startswith("HV"))


def test_a_configuration_module_is_imported_from_the_configuration_directory(tmp_path: Path) -> None:
    write_module(tmp_path, "acme_policy", ACME)
    registry = load_plugins(["acme_policy"], tmp_path)
    assert registry.rules["ACME001"].plugin == "acme_policy"
    assert ("acme_policy", "1.2") in [(p.name, p.version) for p in registry.plugins]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("raise RuntimeError('boom')", "plugin {name} failed to load: RuntimeError: boom"),
        (
            "import hvlint\n@hvlint.hookimpl\ndef hvlint_rules():\n    raise ValueError('bad')\n",
            "plugin {name} failed to declare its rules: ValueError: bad",
        ),
        (
            "import hvlint\n@hvlint.hookimpl\ndef hvlint_rules():\n    return [object]\n",
            "is not a subclass of hvlint.Rule",
        ),
        (
            "import hvlint\nclass R(hvlint.Rule):\n    code = 'HV101'\n"
            "@hvlint.hookimpl\ndef hvlint_rules():\n    return [R]\n",
            "plugin {name}: rule code HV101 uses hvlint's own prefix HV; pick a prefix of your own",
        ),
        (
            "import hvlint\nclass R(hvlint.Rule):\n    code = 'acme-1'\n"
            "@hvlint.hookimpl\ndef hvlint_rules():\n    return [R]\n",
            "has an invalid code 'acme-1'",
        ),
        (
            "import hvlint\n@hvlint.hookimpl\ndef hvlint_rules():\n    return 'R'\n",
            "must return a list of Rule classes",
        ),
    ],
    ids=["import", "hook-raises", "not-a-rule", "hv-prefix", "bad-code", "not-a-list"],
)
def test_plugin_failures_name_the_plugin(tmp_path: Path, source: str, message: str) -> None:
    name = f"broken_{abs(hash(source)) % 10**8}"
    write_module(tmp_path, name, source)
    with pytest.raises(PluginError) as raised:
        load_plugins([name], tmp_path)
    assert message.format(name=name) in str(raised.value)


def test_two_plugins_declaring_one_code_collide(tmp_path: Path) -> None:
    write_module(tmp_path, "acme_first", ACME)
    write_module(tmp_path, "acme_second", ACME)
    with pytest.raises(PluginError) as raised:
        load_plugins(["acme_first", "acme_second"], tmp_path)
    assert str(raised.value) == "plugin acme_second: rule code ACME001 is already owned by plugin acme_first"


def test_a_hook_without_the_marker_is_reported(tmp_path: Path) -> None:
    write_module(tmp_path, "unmarked", ACME.replace("@hvlint.hookimpl\n", ""))
    with pytest.raises(PluginError, match=r"plugin unmarked provides no hvlint_rules hook \(is it decorated"):
        load_plugins(["unmarked"], tmp_path)


def test_a_missing_module_is_a_plugin_error(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="plugin no_such_module_here failed to load: ModuleNotFoundError"):
        load_plugins(["no_such_module_here"], tmp_path)


def make_distribution(site: Path, name: str, module_source: str) -> None:
    """An installed distribution as importlib.metadata sees one: a module and a dist-info directory."""
    write_module(site, f"{name}_plugin", module_source)
    info = site / f"{name}-3.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 3.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[hvlint]\n{name} = {name}_plugin\n", encoding="utf-8")


def test_entry_point_plugins_are_loaded_from_installed_distributions(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    site.mkdir()
    make_distribution(site, "acme", ACME)
    cluster = tmp_path / "c.hvc"
    cluster.write_text(
        'cluster "C" { host "H" { processor = "amd-opteron-2300"; memory = 1GiB } '
        'vm "A" { host = H; memory = 1GiB } vm "B" { host = H; memory = 1GiB } }\n'
    )
    import os

    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = f"{site}{os.pathsep}{env_path}" if env_path else str(site)
    try:
        version = cli("--version")
        rules = cli("rules")
        checked = cli("check", str(cluster), "--select", "ACME")
        make_distribution(site, "broken", "raise ImportError('no such thing')")
        broken = cli("check", str(cluster))
    finally:
        if env_path:
            os.environ["PYTHONPATH"] = env_path
        else:
            del os.environ["PYTHONPATH"]
    assert version.returncode == 0 and "plugin acme 3.1" in version.stdout
    acme_rows = [line.split() for line in rules.stdout.splitlines() if line.startswith("ACME")]
    assert acme_rows == [["ACME001", "too-many-vms", "warning", "acme"]]
    assert checked.returncode == 1
    assert "host H runs 2 VMs, more than 1 [ACME001]" in checked.stdout
    assert broken.returncode == 2
    assert broken.stderr.strip() == "hvlint: error: plugin broken failed to load: ImportError: no such thing"
