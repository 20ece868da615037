"""bench/report.py: the summary table of a run, its growth column and the README section it writes."""

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def report(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bench_report", BENCH / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "RESULTS", tmp_path / "results.jsonl")
    return module


def line(
    run: str, median: float, *, quick: bool = False, scale: float = 1, backend: str = "embedded"
) -> dict:
    return {
        "bench": "availability",
        "run": run,
        "backend": backend,
        "quick": quick,
        "scale": scale,
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "memory_gb": 8,
            "os": "Linux",
            "python": "3.11",
            "database": "SQLite 3",
        },
        "figures": [
            {
                "measure": "free_slots, 30 days",
                "unit": "ms",
                "median": median,
                "spread_pct": 4.0,
                "floor": 2.0,
                "floor_label": "the sessions query",
                "ratio": median / 2,
                "size": "10 staff",
                "aim": "< 50 ms",
            }
        ],
    }


def test_a_row_shows_the_median_beside_its_floor_and_the_ratio(report):
    [row] = report.table_rows([line("a", 20.0)], "a", against=None)

    assert row[:5] == ["availability", "free_slots, 30 days", "SQLite + filesystem", "10 staff", "20.0 ms"]
    assert row[5:] == ["±4 %", "2.00 ms (the sessions query)", "10×", "< 50 ms"]


def test_growth_divides_each_median_by_the_same_measure_in_the_other_run(report):
    lines = [line("small", 10.0, quick=True), line("big", 35.0), line("big", 70.0, backend="pg+redis")]

    rows = report.table_rows(lines, "big", against="small")

    assert [row[-1] for row in rows] == ["3.50×", "–"]  # no pg+redis line in the small run


def test_auto_compares_with_the_newest_full_run(report):
    lines = [line("old", 1), line("quick", 1, quick=True), line("full", 1), line("grown", 1, scale=10.0)]

    assert report.newest_full_run(lines, other_than="grown") == "full"


def test_the_readme_section_is_replaced_and_the_rest_kept(report, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Bench\n<!-- bench:results -->\nold\n<!-- /bench:results -->\nafter\n")

    report.write_section(readme, "results", "new table")
    report.write_section(readme, "growth", "growth table")

    assert readme.read_text() == (
        "# Bench\n<!-- bench:results -->\nnew table\n<!-- /bench:results -->\nafter\n\n"
        "<!-- bench:growth -->\ngrowth table\n<!-- /bench:growth -->\n"
    )


def test_the_newest_run_is_printed_by_default(report, capsys, monkeypatch):
    report.RESULTS.write_text("\n".join(json.dumps(one) for one in (line("a", 20.0), line("b", 30.0))) + "\n")
    monkeypatch.setattr("sys.argv", ["report.py"])

    report.main()

    printed = capsys.readouterr().out
    assert printed.startswith("bench run b on Test CPU, 2 cores")
    assert "30.0 ms" in printed and "20.0 ms" not in printed
