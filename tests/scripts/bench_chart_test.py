"""scripts/bench_chart.py: the committed run and a made-up one drawn as
SVG, read back as XML: one bar per scenario that has a ratio, on the side
of the 1 line and in the colour its figures call for."""
import json
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def draw(results):
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "run.json"
        source.write_text(json.dumps(results))
        subprocess.run([sys.executable, str(ROOT / "scripts/bench_chart.py"), str(source)], check=True,
                       capture_output=True)
        return ElementTree.parse(source.with_suffix(".svg")).getroot()


def scenario(name, ratio, units, target_met=True):
    return {"name": name, "ratio": ratio, "units": units, "herald": 1, "baseline": 1, "target_met": target_met}


class BenchChartTest(unittest.TestCase):
    def test_the_committed_run_has_a_bar_per_ratio(self):
        results = json.loads((ROOT / "bench/results/latest.json").read_text())
        bars = draw(results).findall(SVG + "g")
        names = [bar.find(SVG + "title").text.split(":")[0] for bar in bars]
        self.assertEqual(names, [s["name"] for s in results["scenarios"] if s.get("ratio") is not None])

    def test_sides_colours_and_missed_targets(self):
        root = draw({"run": {"finished_at": "2026-11-30T00:00:00Z", "smoke": True},
                     "scenarios": [scenario("faster", 2.0, "msg/s"), scenario("slower", 0.5, "msg/s"),
                                   scenario("quicker", 0.5, "ms"), scenario("late", 3.0, "ms", False),
                                   {"name": "no ratio", "herald": 5, "units": "bytes"}]})
        bars = {bar.find(SVG + "title").text.split(":")[0]: bar.find(SVG + "rect") for bar in root.findall(SVG + "g")}
        self.assertEqual(sorted(bars), ["faster", "late", "quicker", "slower"])
        one = float(bars["faster"].get("x"))
        self.assertAlmostEqual(float(bars["slower"].get("x")) + float(bars["slower"].get("width")), one, places=1)
        self.assertAlmostEqual(float(bars["faster"].get("width")), float(bars["slower"].get("width")), places=1,
                               msg="log scale: twice and half are as long")
        self.assertEqual(bars["faster"].get("fill"), bars["quicker"].get("fill"), "ahead either way")
        self.assertEqual(bars["slower"].get("fill"), bars["late"].get("fill"), "behind either way")
        self.assertNotEqual(bars["faster"].get("fill"), bars["slower"].get("fill"))
        self.assertIsNotNone(bars["late"].get("stroke"), "a missed target is outlined")
        self.assertIsNone(bars["faster"].get("stroke"))
        self.assertIn("smoke", "".join(root.itertext()))


if __name__ == "__main__":
    unittest.main()
