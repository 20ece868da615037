"""The summary table of one bench run, read from the JSON lines in ``var/bench/results.jsonl``.

    .venv/bin/python bench/report.py [--run ID] [--against ID] [--markdown] [--readme bench/README.md
                                     --section results]

``--run`` picks the run (``BENCH_RUN_ID``; default: the newest in the file). ``--against``
adds a growth column: each median divided by the same measurement's median in the other
run (e.g. a ``--scale 10`` run against a plain one). ``--readme`` writes the Markdown table
and the machine between the ``<!-- bench:SECTION -->`` markers of that file.
"""

import argparse
import json
import os
import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS") or PROJECT / "var" / "bench" / "results.jsonl")
ORDER = ["web", "availability", "history", "loyalty", "automations", "dispatch"]
BACKENDS = {"embedded": "SQLite + filesystem", "pg+redis": "PostgreSQL + Redis"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", help="run id (default: the newest)")
    parser.add_argument("--against", help="another run id (auto: the newest full run): how each median grew")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--readme", type=Path, help="write the Markdown table into this file's section")
    parser.add_argument("--section", default="results", help="which section of --readme (default results)")
    args = parser.parse_args()
    lines = read_lines()
    if not lines:
        raise SystemExit(f"no results in {RESULTS}")
    run = args.run or lines[-1]["run"]
    if args.against == "auto":
        args.against = newest_full_run(lines, other_than=run)
    rows = table_rows(lines, run, against=args.against)
    if not rows:
        raise SystemExit(f"no results for run {run}")
    machine = next(line["machine"] for line in lines if line["run"] == run)
    header = ["bench", "measure", "backend", "size", "median", "spread", "floor", "× floor", "aim"]
    header += [f"× run {args.against}"] if args.against else []
    if args.markdown or args.readme:
        text = markdown(run, machine, header, rows, databases=databases(lines, run))
        if args.readme:
            write_section(args.readme, args.section, text)
        print(text)
    else:
        print(plain(run, machine, header, rows))


def read_lines() -> list[dict]:
    if not RESULTS.exists():
        return []
    return [json.loads(text) for text in RESULTS.read_text(encoding="utf-8").splitlines() if text.strip()]


def newest_full_run(lines: list[dict], *, other_than: str) -> str | None:
    """The newest run at the issue's sizes (not quick, scale 1): what a growth run compares with."""
    full = [
        line["run"]
        for line in lines
        if not line["quick"] and line["scale"] == 1 and line["run"] != other_than
    ]
    return full[-1] if full else None


def table_rows(lines: list[dict], run: str, *, against: str | None) -> list[list[str]]:
    def place(line: dict) -> tuple:
        return ORDER.index(line["bench"]) if line["bench"] in ORDER else len(ORDER), line["backend"]

    chosen = sorted((line for line in lines if line["run"] == run), key=place)
    before = {
        (line["bench"], line["backend"], figure["measure"]): figure
        for line in lines
        if against and line["run"] == against
        for figure in line["figures"]
    }
    rows = []
    for line in chosen:
        for figure in line["figures"]:
            floor = f"{amount(figure['floor'], figure['unit'])} ({figure['floor_label']})"
            row = [
                line["bench"],
                figure["measure"],
                BACKENDS.get(line["backend"], line["backend"]),
                figure["size"],
                amount(figure["median"], figure["unit"]),
                f"±{figure['spread_pct']:.0f} %",
                floor,
                ratio(figure["ratio"]),
                figure["aim"],
            ]
            if against:
                old = before.get((line["bench"], line["backend"], figure["measure"]))
                row.append(ratio(figure["median"] / old["median"]) if old and old["median"] else "–")
            rows.append(row)
    return rows


def databases(lines: list[dict], run: str) -> str:
    return ", ".join(sorted({line["machine"]["database"] for line in lines if line["run"] == run}))


def amount(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    if unit == "runs/s":
        return f"{value:,.0f} /s"
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:,.{digits}f} {unit}"


def ratio(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def plain(run: str, machine: dict, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [f"bench run {run} on {describe(machine)}", ""]
    for cells in [header, ["-" * width for width in widths], *rows]:
        padded = (str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def markdown(run: str, machine: dict, header: list[str], rows: list[list[str]], *, databases: str) -> str:
    lines = [
        f"Run `{run}` on {describe(machine)}; {databases}.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def describe(machine: dict) -> str:
    return (
        f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, {machine['os']}, "
        f"Python {machine['python']}"
    )


def write_section(path: Path, section: str, text: str) -> None:
    """Replace what stands between the section's markers (or add the section at the end)."""
    start, end = f"<!-- bench:{section} -->", f"<!-- /bench:{section} -->"
    content = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{start}\n{text}\n{end}"
    if start in content and end in content:
        pattern = re.escape(start) + r".*?" + re.escape(end)
        content = re.sub(pattern, lambda _match: block, content, flags=re.S)
    else:
        content = content.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main()
