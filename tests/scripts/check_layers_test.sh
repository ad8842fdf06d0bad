#!/usr/bin/env bash
# scripts/check-layers: passes on the tree as it is, and fails, naming the
# file, when the core includes an edge library or a folder above it.
set -uo pipefail
source_dir="$1"
check="$source_dir/scripts/check-layers"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
expect() {  # expect STATUS DESCRIPTION TREE [TEXT]
  local status=$1 description=$2 tree=$3 text=${4:-}
  local output
  output=$("$check" "$tree" 2>&1)
  local got=$?
  if [[ $got -ne $status ]]; then
    echo "FAIL: $description: exit $got, expected $status"; echo "$output"; failures=1
  elif [[ -n $text && $output != *"$text"* ]]; then
    echo "FAIL: $description: output does not name $text"; echo "$output"; failures=1
  else
    echo "ok: $description"
  fi
}

expect 0 "the source tree keeps the direction" "$source_dir"

mkdir -p "$work/clean/routing" "$work/clean/component"
echo '#include "storage/delivery_queue.h"' >"$work/clean/routing/router.h"
echo '#include "routing/router.h"' >"$work/clean/component/edge.cpp"
expect 0 "the core on storage interfaces, the edge on the core" "$work/clean"

for include in '<gloox/tag.h>' '<sqlite3.h>' '<curl/curl.h>' '<libxml/parser.h>' '<boost/beast/http.hpp>' \
               '"component/xml_element.h"' '"agents/mail_agent.h"' '"storage/sqlite/database.h"'; do
  tree="$work/core-$RANDOM"
  mkdir -p "$tree/routing"
  printf '#pragma once\n  #include %s\n' "$include" >"$tree/routing/router.h"
  expect 1 "the core including $include" "$tree" "routing/router.h:2"
done

tree="$work/storage"
mkdir -p "$tree/storage/sqlite"
echo '#include "storage/sqlite/database.h"' >"$tree/storage/storage_worker.cpp"
expect 1 "the storage worker reaching into the SQLite backend" "$tree" "storage/storage_worker.cpp:1"

tree="$work/text"
mkdir -p "$tree/text"
echo '#include "routing/router.h"' >"$tree/text/safe_text.cpp"
expect 1 "text/ depending on the core" "$tree" "text/safe_text.cpp:1"

exit $failures
