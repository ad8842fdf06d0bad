#!/usr/bin/env bash
# docs/monitoring: promtool accepts the alerting rules and their unit tests
# pass; the Grafana dashboard is JSON with panels that all query something.
# Usage: monitoring_files_check.sh MONITORING_DIR
set -euo pipefail
cd "$1"
command -v promtool >/dev/null || { echo "FAIL: promtool missing (scripts/setup installs prometheus)"; exit 1; }
promtool check rules herald_rules.yml
promtool test rules herald_rules_test.yml
for alert in HeraldDown HeraldComponentLinkDown HeraldQueueGrowing HeraldDeliveriesSetAside \
             HeraldEscalationsFailing HeraldFeedErrors; do
    grep -q "alertname: $alert$" herald_rules_test.yml || { echo "FAIL: no unit test for $alert"; exit 1; }
done
python3 - herald_dashboard.json <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
panels = dashboard["panels"]
assert dashboard["title"] and panels, "a dashboard with panels"
for panel in panels:
    assert panel["targets"] and all(t["expr"].strip() for t in panel["targets"]), panel["title"]
print(f"ok: {sys.argv[1]}: {len(panels)} panels, each with a query")
PY
