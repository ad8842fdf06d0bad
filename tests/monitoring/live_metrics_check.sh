#!/usr/bin/env bash
# Prometheus accepts what a live herald serves: starts a private ejabberd and
# herald with its HTTP API on, runs `promtool check metrics` on GET /metrics,
# checks herald_component_connected follows the link to ejabberd, and that
# every herald_* series docs/monitoring's rules and dashboard use is served.
# Usage: live_metrics_check.sh HERALD_BINARY SOURCE_DIR
set -euo pipefail
herald=$1
source_dir=$2
launcher=$source_dir/ejabberd-config/herald-ejabberd
monitoring=$source_dir/docs/monitoring
command -v promtool >/dev/null || { echo "FAIL: promtool missing (scripts/setup installs prometheus)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-metrics.XXXXXX")
herald_pid=
cleanup() {
    [[ -n $herald_pid ]] && kill -TERM "$herald_pid" 2>/dev/null && wait "$herald_pid" 2>/dev/null
    "$launcher" stop "$work/ejabberd" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"$launcher" start "$work/ejabberd" >/dev/null
# shellcheck disable=SC1091
. "$work/ejabberd/ports.env"
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/herald.yaml" <<YAML
component:
  jid: $COMPONENT_HOST
  server: 127.0.0.1
  port: $COMPONENT_PORT
  secret_file: $work/ejabberd/component.secret
  reconnect_initial_seconds: 0.2
  reconnect_max_seconds: 1
storage:
  database: $work/herald.db
http:
  enabled: true
  address: 127.0.0.1
  port: $http_port
YAML
"$herald" --config "$work/herald.yaml" 2>"$work/herald.log" &
herald_pid=$!

# metrics_when PATTERN: /metrics once a line matches PATTERN (15 s at most).
metrics_when() {
    for _ in $(seq 150); do
        if curl -fsS "http://127.0.0.1:$http_port/metrics" -o "$work/metrics" 2>/dev/null &&
            grep -qx "$1" "$work/metrics"; then
            return 0
        fi
        sleep 0.1
    done
    echo "FAIL: no '$1' in /metrics; herald's log:"
    cat "$work/herald.log"
    [[ -f $work/metrics ]] && cat "$work/metrics"
    return 1
}

metrics_when 'herald_component_connected 1'
echo "ok: herald_component_connected 1 while linked to ejabberd"
if ! promtool check metrics < "$work/metrics"; then
    echo "FAIL: promtool check metrics rejects /metrics:"
    cat "$work/metrics"
    exit 1
fi
echo "ok: promtool check metrics accepts /metrics ($(grep -c '^# TYPE' "$work/metrics") metrics)"

# Every herald_* name in the rules and the dashboard is a series herald serves
# (a histogram serves NAME_bucket, NAME_sum and NAME_count).
served=$(sed -n 's/^# TYPE \([a-z_]*\) histogram$/\1_bucket\n\1_sum\n\1_count/p; s/^# TYPE \([a-z_]*\) .*/\1/p' "$work/metrics")
missing=0
for name in $(grep -ohE '\bherald_[a-z_]+' "$monitoring/herald_rules.yml" "$monitoring/herald_dashboard.json" | sort -u); do
    [[ $name == herald_rules* || $name == herald_dashboard* ]] && continue
    if ! grep -qx "$name" <<<"$served"; then
        echo "FAIL: docs/monitoring uses $name, which herald does not serve"
        missing=$((missing + 1))
    fi
done
[[ $missing -eq 0 ]] || exit 1
echo "ok: every herald_* series in docs/monitoring is served"

"$launcher" stop "$work/ejabberd" >/dev/null
metrics_when 'herald_component_connected 0'
echo "ok: herald_component_connected 0 once ejabberd is gone"
promtool check metrics < "$work/metrics"
