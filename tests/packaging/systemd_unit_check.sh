#!/usr/bin/env bash
# The systemd unit and the example config agree: every path the example has
# Herald write (the database, the log file, even where commented out for the
# operator to enable) lies under a path the unit lets it write, and every
# file it only reads (secrets, passwords) lies where the unit lets it read.
# Usage: systemd_unit_check.sh UNIT_FILE EXAMPLE_YAML
set -euo pipefail
unit=$1
example=$2

# Writable: ReadWritePaths= plus the directories systemd makes for the unit.
writable=()
while IFS='=' read -r key value; do
    case $key in
        ReadWritePaths) for path in $value; do writable+=("${path#-}"); done ;;
        StateDirectory) for dir in $value; do writable+=("/var/lib/$dir"); done ;;
        LogsDirectory) for dir in $value; do writable+=("/var/log/$dir"); done ;;
        CacheDirectory) for dir in $value; do writable+=("/var/cache/$dir"); done ;;
        RuntimeDirectory) for dir in $value; do writable+=("/run/$dir"); done ;;
    esac
done < <(grep -E '^[A-Za-z]+=' "$unit")
grep -qx 'ProtectSystem=strict' "$unit" || { echo "FAIL: $unit: expected ProtectSystem=strict"; exit 1; }
protect_home=$(grep -q '^ProtectHome=true' "$unit" && echo yes || echo no)

# "key: /path" in the example, commented out or not.
paths_of() {
    grep -E "^[[:space:]]*#?[[:space:]]*($1):[[:space:]]*/" "$example" |
        sed -E 's/^[^:]*:[[:space:]]*(\/[^[:space:]#]*).*/\1/' || true
}

under() {  # under PATH DIR...
    local path=$1 dir
    shift
    for dir in "$@"; do
        dir=${dir%/}
        [[ $path == "$dir"/* ]] && return 0
    done
    return 1
}

failures=0
written=$(paths_of 'database|file')
[[ -n $written ]] || { echo "FAIL: no database or log file path found in $example"; exit 1; }
for path in $written; do
    if under "$path" "${writable[@]}"; then
        echo "ok: $path is writable (under ${writable[*]})"
    else
        echo "FAIL: $example writes $path, but $unit allows writes under ${writable[*]} only"
        failures=$((failures + 1))
    fi
done
for path in $(paths_of '[a-z_]*(secret|password)_file'); do
    if [[ $protect_home == yes ]] && under "$path" /home /root /run/user; then
        echo "FAIL: $example reads $path, which ProtectHome=true hides"
        failures=$((failures + 1))
    else
        echo "ok: $path is readable"
    fi
done
exit $((failures > 0))
