"""`hvlint report` (report.md): the command and its exit statuses, escaping, valid HTML5, the matrix's
agreement with HV401/HV402/HV405, the numbers of `estimate`, and the page in a real browser."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest

from hvlint.cli import main
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
HOSTILE = "<img src=x onerror=alert(1)>"

MIXED = """\
cluster "MIX" {
  platform = ws2019
  processor "amd-k8-partial" {
    vendor   = amd
    features = [fpu, vme, de, pse, tsc, msr, pae, mce, cx8, apic, sep, mtrr, pge, mca, cmov, pat, pse36,
                clflush, mmx, fxsr, sse, sse2, syscall, nx, mmxext, fxsr_opt, lm, 3dnowext, 3dnow]
  }
  host "A1" { processor = "amd-opteron-revf"; memory = 64GiB }
  host "A2" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "A3" { processor = "amd-epyc-7002"; memory = 64GiB }
  host "A4" { processor = amd-k8-partial; memory = 64GiB }
  host "I1" { processor = "intel-xeon-5500"; memory = 64GiB }
  host "I2" { processor = "intel-xeon-scalable"; memory = 64GiB }
{vms}}
"""


def _report(tmp_path: Path, *paths: str | Path, extra: tuple[str, ...] = ()) -> tuple[int, str]:
    target = tmp_path / "report.html"
    status = main(["report", *map(str, paths), "-o", str(target), *extra])
    return status, target.read_text(encoding="utf-8") if target.exists() else ""


def _parse_strict(html: str) -> object:
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def _cells(html: str) -> dict[tuple[str, str], dict[str, str]]:
    tree = _parse_strict(html)
    cells = {}
    for cell in tree.iter("td"):  # type: ignore[attr-defined]
        if "cell" in cell.get("class", "").split():
            cells.setdefault(
                (cell.get("data-from"), cell.get("data-to")), dict(cell.attrib, symbol=cell.text)
            )
    return cells


def test_report_of_examples_is_valid_html5_with_a_cell_per_host_pair(tmp_path: Path) -> None:
    status, html = _report(tmp_path, EXAMPLES)
    check = main(["check", str(EXAMPLES), "-o", str(tmp_path / "check.txt")])
    assert status == check == 1
    _parse_strict(html)
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    tree = _parse_strict(html)
    for table in tree.iter("table"):  # type: ignore[attr-defined]
        if table.get("class") == "matrix":
            hosts = int(table.get("data-hosts"))
            assert sum(1 for td in table.iter("td")) == hosts * hosts


def test_hostile_names_are_shown_as_text(tmp_path: Path) -> None:
    source = tmp_path / "hostile.hvc"
    text = (EXAMPLES / "prod-ws2019.hvc").read_text(encoding="utf-8").replace('vm "SQL01"', f'vm "{HOSTILE}"')
    text = text.replace('"HV-PROD-04"', '"HV&\\"04\'"')
    source.write_text(text, encoding="utf-8")
    _, html = _report(tmp_path, source)
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    tree = _parse_strict(html)
    assert not list(tree.iter("img"))  # type: ignore[attr-defined]
    texts = "".join(tree.itertext())  # type: ignore[attr-defined]
    assert HOSTILE in texts


def test_exit_statuses_follow_check(tmp_path: Path) -> None:
    clean = tmp_path / "clean.hvc"
    clean.write_text((EXAMPLES / "prod-ws2019.hvc").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["check", str(clean)]) == 0
    assert _report(tmp_path, clean)[0] == 0
    broken = tmp_path / "broken.hvc"
    broken.write_text('cluster "X" {\n  host "H" {\n', encoding="utf-8")
    status, html = _report(tmp_path, broken, clean)
    assert status == 1
    assert "HV001" in html and "syntax errors" in html
    assert main(["report", str(clean), "--host", "NOPE", "-o", str(tmp_path / "x.html")]) == 2
    assert main(["report", str(tmp_path / "missing.hvc"), "-o", str(tmp_path / "y.html")]) == 2


def test_host_option_draws_only_those_drains(tmp_path: Path) -> None:
    _, html = _report(tmp_path, EXAMPLES / "prod-ws2019.hvc", extra=("--host", "hv-prod-03"))
    assert re.findall(r'<svg class="chart drain"[^>]*data-host="([^"]+)"', html) == ["HV-PROD-03"]


def test_drain_window_and_unknown_processors_are_drawn(tmp_path: Path) -> None:
    config = tmp_path / "hvlint.toml"
    config.write_text('[estimator]\ndrain_window = "1s"\n', encoding="utf-8")
    source = tmp_path / "prod.hvc"
    text = (EXAMPLES / "prod-ws2019.hvc").read_text(encoding="utf-8")
    unknown = text.replace(
        'host "HV-PROD-03" {\n    processor = "intel-xeon-scalable"',
        'host "HV-PROD-03" {\n    processor = "no-such-cpu"',
    )
    assert unknown != text
    source.write_text(unknown)
    copy = tmp_path / "again.hvc"
    copy.write_text(text, encoding="utf-8")
    status, html = _report(tmp_path, source, copy, extra=("--config", str(config), "--host", "HV-PROD-01"))
    assert status == 1
    assert 'class="window"' in html and "(window 1s)" in html
    cells = _cells(html)
    assert cells[("HV-PROD-03", "HV-PROD-01")]["symbol"] == "?"
    assert cells[("HV-PROD-01", "HV-PROD-03")]["symbol"] == "?"
    tree = _parse_strict(html)
    heads = [th.text for th in tree.iter("th") if th.get("scope") == "col"]  # type: ignore[attr-defined]
    assert heads[:4] == ["HV-PROD-01", "HV-PROD-02", "HV-PROD-04", "HV-PROD-03"]


def test_report_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(EXAMPLES / "prod-ws2019.hvc"), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_matrix_agrees_with_hv401_hv402_hv405(tmp_path: Path) -> None:
    hosts = ["A1", "A2", "A3", "A4", "I1", "I2"]
    vms = []
    for index, (first, second) in enumerate(itertools.combinations(hosts, 2)):
        for mode in ("off", "minimum"):
            vms.append(
                f'  vm "V{index}{mode}" {{ host = {first}; memory = 1GiB; compatibility_mode = {mode}; '
                f"possible_owners = [{first}, {second}] }}\n"
            )
    source = tmp_path / "mixed.hvc"
    source.write_text(MIXED.replace("{vms}", "".join(vms)), encoding="utf-8")
    _, html = _report(tmp_path, source)
    cells = _cells(html)
    assert len(cells) == len(hosts) ** 2
    output = tmp_path / "findings.json"
    main(["check", str(source), "--select", "HV401,HV402,HV405", "--format", "json", "-o", str(output)])
    findings = json.loads(output.read_text(encoding="utf-8"))["findings"]
    fired = {(f["code"], f["object"]) for f in findings}
    vendor = {h: ("intel" if h.startswith("I") else "amd") for h in hosts}
    other_vendor_hosts = {f["object"].split("/")[-1] for f in findings if f["code"] == "HV401"}
    assert other_vendor_hosts == {"I1", "I2"}
    for index, (first, second) in enumerate(itertools.combinations(hosts, 2)):
        there, back = cells[(first, second)], cells[(second, first)]
        if vendor[first] != vendor[second]:
            assert there["symbol"] == back["symbol"] == "✗"
            continue
        moves_off = there["data-off"] == back["data-off"] == "yes"
        moves_minimum = there["data-minimum"] == back["data-minimum"] == "yes"
        assert (("HV402", f"vm MIX/V{index}off") not in fired) == moves_off
        assert (("HV405", f"vm MIX/V{index}minimum") not in fired) == moves_minimum
    symbols = {cell["symbol"] for cell in cells.values()}
    assert {"✓", "◐", "✗", "·"} <= symbols


def test_numbers_equal_estimate_json(tmp_path: Path) -> None:
    _, html = _report(tmp_path, EXAMPLES)
    output = tmp_path / "estimate.json"
    main(["estimate", str(EXAMPLES), "--format", "json", "-o", str(output)])
    expected = {
        (e["cluster"] or "", e["vm"]): (e["total_s"], e["downtime_s"])
        for e in json.loads(output.read_text(encoding="utf-8"))["estimates"]
    }
    tree = _parse_strict(html)
    drawn = {
        (g.get("data-cluster"), g.get("data-vm")): (
            float(g.get("data-total-s")),
            float(g.get("data-downtime-s")),
        )
        for g in tree.iter("{http://www.w3.org/2000/svg}g")  # type: ignore[attr-defined]
        if "estimate" in g.get("class", "").split()
    }
    assert drawn == expected and expected


def test_drain_svg_matches_drain_json(tmp_path: Path) -> None:
    svg, data = tmp_path / "drain.svg", tmp_path / "drain.json"
    base = ["estimate", str(EXAMPLES / "prod-ws2019.hvc"), "--drain", "HV-PROD-03"]
    assert main([*base, "--format", "svg", "-o", str(svg)]) == main(
        [*base, "--format", "json", "-o", str(data)]
    )
    plan = json.loads(data.read_text(encoding="utf-8"))["drain"]
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in text
    starts = [float(s) for s in re.findall(r'data-start-s="([^"]+)"', text)]
    assert starts == [m["start_s"] for m in plan["migrations"]] and starts
    assert main(["estimate", str(EXAMPLES), "--format", "svg"]) == 2


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="no chromium on PATH (Debian: apt-get install chromium)")
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    _, html = _report(tmp_path, EXAMPLES)
    page = tmp_path / "report.html"
    shot = tmp_path / "shot.png"
    browser = [
        str(_chromium()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--allow-file-access-from-files",
    ]
    logged = subprocess.run(
        [
            *browser,
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1200,3000",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shot.stat().st_size > 10_000 and shot.read_bytes().startswith(b"\x89PNG")
    assert "CONSOLE" not in logged.stderr and "Uncaught" not in logged.stderr
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [*browser, "--dump-dom", "--virtual-time-budget=2000", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    sizes = json.loads(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S).group(1))  # type: ignore[union-attr]
    assert sizes["svgs"] and all(w > 0 and h > 0 for w, h in sizes["svgs"])
    assert sizes["cells"] == sizes["expected_cells"] > 0
    assert sizes["errors"] == []


_PROBE = """<pre id="probe"></pre><script>
const errors = [];
window.addEventListener("error", e => errors.push(String(e.message)));
const svgs = [...document.querySelectorAll("svg")].map(s => {
  const r = s.getBoundingClientRect();
  return [r.width, r.height];
});
const tables = [...document.querySelectorAll("table.matrix")];
const expected = tables.reduce((n, t) => n + Number(t.dataset.hosts) ** 2, 0);
const cells = tables.reduce((n, t) => n + t.querySelectorAll("td.cell").length, 0);
const probe = {svgs, cells, expected_cells: expected, errors};
document.getElementById("probe").textContent = JSON.stringify(probe);
</script>"""
