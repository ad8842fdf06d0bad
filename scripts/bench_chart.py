#!/usr/bin/env python3
"""Draws a benchmark run (herald-bench's JSON) as an SVG bar chart: one bar
per scenario, Herald's figure over its in-run baseline's, with the line at 1.

Usage: scripts/bench_chart.py RESULTS.json [OUT.svg]   (default: beside it, .svg)
"""
import json
import math
import sys
from pathlib import Path
from xml.sax.saxutils import escape

# Units where less is better (time, memory); the rest are rates.
LOWER_IS_BETTER = {"ms", "s", "MiB", "bytes"}

ROW = 34
LEFT = 300
PLOT = 420
RIGHT = 190
TOP = 80


def bars(results):
    for scenario in results["scenarios"]:
        if scenario.get("ratio") is None:
            continue
        lower = scenario.get("units") in LOWER_IS_BETTER
        yield {
            "name": scenario["name"],
            "ratio": scenario["ratio"],
            "better": "lower" if lower else "higher",
            "baseline_is": scenario.get("baseline_is", ""),
            "herald_ahead": scenario["ratio"] < 1 if lower else scenario["ratio"] >= 1,
            "target": scenario.get("target", ""),
            "target_met": scenario.get("target_met", True),
        }


def chart(results):
    rows = list(bars(results))
    ratios = [row["ratio"] for row in rows] or [1.0]
    low = min([0.25] + [ratio / 1.5 for ratio in ratios])
    high = max([4.0] + [ratio * 1.5 for ratio in ratios])

    def x(ratio):  # a log scale: 2x ahead and 2x behind are as long
        return LEFT + PLOT * (math.log(ratio) - math.log(low)) / (math.log(high) - math.log(low))

    height = TOP + ROW * len(rows) + 50
    width = LEFT + PLOT + RIGHT
    bottom = TOP + ROW * len(rows)
    run = results.get("run", {})
    title = "herald-bench, run of %s%s" % (run.get("finished_at", "?"), " (smoke sizes)" if run.get("smoke") else "")
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="sans-serif" font-size="13">' % (width, height, width, height),
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="10" y="24" font-size="16" font-weight="bold">%s</text>' % escape(title),
        '<text x="10" y="44" fill="#555">Herald / its baseline in the same run (log scale). Green: Herald ahead '
        '(more per second, or less time or memory);</text>',
        '<text x="10" y="60" fill="#555">orange: behind; red outline: the scenario\'s target was not met.</text>',
    ]
    tick = 2.0 ** math.floor(math.log2(low))
    while tick <= high:
        if tick >= low:
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"%s/>' % (
                x(tick), TOP - 4, x(tick), bottom + 4, "#222" if tick == 1 else "#ddd",
                ' stroke-dasharray="4 3"' if tick == 1 else ""))
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%g</text>' % (x(tick), bottom + 20, tick))
        tick *= 2
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        start, end = sorted((x(1.0), x(row["ratio"])))
        colour = "#3a9d5d" if row["herald_ahead"] else "#e08a2c"
        outline = ' stroke="#c0392b" stroke-width="2"' if not row["target_met"] else ""
        tooltip = "%s: %.2f x (%s is better; baseline: %s)%s" % (
            row["name"], row["ratio"], row["better"], row["baseline_is"],
            "; target %s" % row["target"] if row["target"] else "")
        out.append('<g class="bar"><title>%s</title>' % escape(tooltip))
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (LEFT - 8, y + 18, escape(row["name"])))
        out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"%s/>' % (
            start, y + 4, max(1.0, end - start), ROW - 10, colour, outline))
        out.append('<text x="%.1f" y="%d">%.2f x, %s is better</text>' % (
            max(end, x(1.0)) + 6, y + 18, row["ratio"], row["better"]))
        out.append("</g>")
    out.append('<text x="%.1f" y="%d" text-anchor="middle">ratio (1 = as the baseline)</text>' % (
        x(1.0), bottom + 40))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 64
    source = Path(argv[1])
    target = Path(argv[2]) if len(argv) == 3 else source.with_suffix(".svg")
    target.write_text(chart(json.loads(source.read_text())))
    print("bench chart: %s" % target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
