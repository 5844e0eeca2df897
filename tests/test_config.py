"""Configuration: discovery, validation of every key, and the command line's precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvlint import config
from hvlint.config import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_prefers_hvlint_toml_and_walks_upward(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.hvlint]\nfail_on = 'error'\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert config.discover(nested) == str((tmp_path / "pyproject.toml").resolve())
    write(tmp_path / "a" / "hvlint.toml", "fail_on = 'info'\n")
    assert config.discover(nested / "x.hvc") == str((tmp_path / "a" / "hvlint.toml").resolve())


def test_a_pyproject_without_the_table_is_not_a_configuration(tmp_path: Path) -> None:
    write(tmp_path / "hvlint.toml", "select = ['HV3']\n")
    repo = tmp_path / "repo"
    write(repo / "pyproject.toml", "# [tool.hvlint] is not used here\n[project]\nname = 'x'\n")
    assert config.discover(repo) == str((tmp_path / "hvlint.toml").resolve())


def test_every_key_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path / "hvlint.toml",
        """
select = ["HV", "ACME"]
ignore = ["HV404"]
fail_on = "error"
exclude = ["legacy/"]
plugins = ["hvlint_acme"]
[severity]
HV302 = "error"
[per-file-ignores]
"lab/*.hvc" = ["HV5"]
[rules.HV304]
min_bandwidth = "10Gbps"
[estimator]
max_downtime = "250ms"
link_efficiency = 0.8
default_dirty_rate = "10MB/s"
max_rounds = 8
compression_ratio = 1.5
""",
    )
    loaded = config.load(path)
    assert loaded.select == ("HV", "ACME") and loaded.ignore == ("HV404",)
    assert loaded.fail_on == "error" and loaded.exclude == ("legacy/",) and loaded.plugins == ("hvlint_acme",)
    assert loaded.severity == {"HV302": "error"}
    assert loaded.per_file_ignores == {"lab/*.hvc": ("HV5",)}
    assert loaded.rules == {"HV304": {"min_bandwidth": "10Gbps"}}
    assert loaded.estimator == {
        "max_downtime": 0.25,
        "link_efficiency": 0.8,
        "default_dirty_rate": 10e6,
        "max_rounds": 8,
        "compression_ratio": 1.5,
    }
    assert loaded.estimator_value("setup") == 2.5
    assert loaded.root == tmp_path.resolve()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selec = ['HV']", "`selec`: unknown key"),
        ("select = 'HV'", "`select`: must be a list of strings, found str 'HV'"),
        ("select = ['hv4']", "`select`: 'hv4' is not a rule code or prefix"),
        ("fail_on = 'fatal'", "`fail_on`: must be one of error, warning, info, never"),
        ("[severity]\nHV302 = 'fatal'", "`severity.HV302`: must be one of error, warning, info"),
        ("severity = 3", "`severity`: must be a table"),
        (
            "[estimator]\nmax_downtime = 500",
            "`estimator.max_downtime`: must be a duration written as a string",
        ),
        ("[estimator]\nmax_downtime = '1GiB'", "`estimator.max_downtime`: must be a duration"),
        ("[estimator]\nlink_efficiency = 1.5", "`estimator.link_efficiency`: must be above 0 and at most 1"),
        ("[estimator]\nmax_rounds = 0", "`estimator.max_rounds`: must be a whole number from 1 to 1000"),
        ("[estimator]\nwindow = '1h'", "`estimator.window`: unknown key"),
        ("[per-file-ignores]\n'x' = 'HV1'", "`per-file-ignores.x`: must be a list of strings"),
        ("[rules]\nHV304 = 1", "`rules.HV304`: must be a table"),
    ],
)
def test_invalid_values_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "hvlint.toml", text + "\n")
    with pytest.raises(ConfigError) as raised:
        config.load(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_a_configuration_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "hvlint.toml"
    path.write_bytes(b"\xff\xfeselect = []\n")
    with pytest.raises(ConfigError, match=r"hvlint\.toml: invalid TOML: not UTF-8 \(byte 0xff at offset 0\)"):
        config.load(path)


def test_keys_under_tool_hvlint_are_named_with_their_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.hvlint]\nfail_on = 3\n")
    with pytest.raises(ConfigError, match=r"`tool\.hvlint\.fail_on`"):
        config.load(path)


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "hvlint.toml", "fail_on = 'error'\nselect = [1,,]\nignore = []\n")
    with pytest.raises(ConfigError, match=r"invalid TOML: .*line 2"):
        config.load(path)


def test_command_line_replaces_the_files_keys() -> None:
    base = config.Config(select=("HV1",), ignore=("HV101",), fail_on="error")
    assert base.with_command_line(None, None, "info").fail_on == "info"
    fresh = base.with_command_line(("HV4",))
    assert fresh.select == ("HV4",) and fresh.ignore == ()
    both = base.with_command_line(("HV4",), ("HV402",))
    assert both.ignore == ("HV402",)
    assert base.with_command_line(None, ("HV305",)).ignore == ("HV305",), (
        "--ignore replaces the file's ignore"
    )
    assert base.with_command_line(None, ("HV305",)).select == ("HV1",)


def test_a_configuration_pickles_for_spawned_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    monkeypatch.chdir(tmp_path)
    defaults = config.load(None)
    assert pickle.loads(pickle.dumps(defaults)) == defaults
    assert defaults.root == tmp_path.resolve() or defaults.root == tmp_path


def test_a_relative_root_is_taken_from_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hvlint.files import relative_to_root

    monkeypatch.chdir(tmp_path)
    assert relative_to_root(str(tmp_path / "site" / "a.hvc"), ".") == "site/a.hvc"
    assert relative_to_root("/elsewhere/a.hvc", ".") is None


# -- hostile values end in a configuration error naming the file and the key (issue 20 item 13) -----------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hvlint.toml", "select = " + "9" * 5000, "`select`: a number with too many digits"),
        ("hvlint.toml", "select = " + "[" * 100_000 + "]" * 100_000, "`select`: arrays or tables nested"),
        ("pyproject.toml", "[tool]\nhvlint = 1\n", "`tool.hvlint`: must be a table, found int 1"),
        ("pyproject.toml", "tool = 1\n", "`tool`: must be a table, found int 1"),
        ("hvlint.toml", f'exclude = "{"x" * 5000}"', "`exclude`: must be a list of strings, found str 'xxx"),
    ],
)
def test_a_hostile_configuration_value_is_a_configuration_error(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    from hvlint.config import ConfigError, load

    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ConfigError) as raised:
        load(path)
    assert str(raised.value).startswith(f"{path}: {message}")
    assert len(str(raised.value)) < len(str(path)) + 200


def test_a_discovered_pyproject_with_a_hostile_tool_table_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hvlint.cli import main

    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool]\nhvlint = 1\n")
    (tmp_path / "a.hvc").write_text("")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "a.hvc"]) == 2
    assert capsys.readouterr().err.endswith("`tool.hvlint`: must be a table, found int 1\n")
