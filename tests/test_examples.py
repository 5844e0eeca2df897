"""The README's section on examples/mixed-estate.hvc (issue 14) shows what hvlint really prints for it:
each command the section names, run as a user runs it, prints exactly the block shown after it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

EXAMPLE = "examples/mixed-estate.hvc"


def shown_runs() -> list[tuple[list[str], str]]:
    """Each `hvlint ...` command of the README's "A mixed estate" section and the text block after it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## A mixed estate\n", 1)[1].split("\n## ", 1)[0]
    runs = re.findall(r"`hvlint ([^`]*)`[^`]*?```text\n(.*?)```", section, flags=re.DOTALL)
    return [(command.split(), block) for command, block in runs]


def test_the_readme_shows_check_estimate_and_a_drain_of_the_mixed_estate() -> None:
    commands = [" ".join(command) for command, _ in shown_runs()]
    assert commands == [f"check {EXAMPLE}", f"estimate {EXAMPLE}", f"estimate --drain HV01 {EXAMPLE}"]


def test_the_readme_shows_what_hvlint_prints_for_the_mixed_estate(tmp_path: Path) -> None:
    """Run beside a link to examples/, not in the checkout, whose own hvlint/ directory `python -m` would
    import instead of the installed hvlint (as tests/test_docs.py does for the first command)."""
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    for command, block in shown_runs():
        run = subprocess.run(
            [sys.executable, "-m", "hvlint", *command], cwd=tmp_path, capture_output=True, text=True
        )
        assert run.returncode == (1 if command[0] == "check" else 0), run.stderr
        assert run.stdout == block, f"README shows stale output of `hvlint {' '.join(command)}`"


def test_the_mixed_estate_has_each_part_the_issue_asks_for() -> None:
    """A cluster in rolling upgrade, a GPU-partitioned VM on ws2025 and a shared-nothing move."""
    from hvlint.language.document import load
    from hvlint.language.standalone import judged_vms

    model = load((ROOT / EXAMPLE).read_bytes(), EXAMPLE).model
    assert any(h.platform != c.platform for c in model.clusters for h in c.hosts)
    assert any(vm.gpu_partitions and vm.host and vm.host.platform == "ws2025" for vm in model.all_vms())
    assert [vm.name for vm in judged_vms(model)] == ["FILE01"]
    assert len(model.hosts) == 2
