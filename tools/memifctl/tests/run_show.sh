#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Compare memifctl's output for fake links with the expected output, and
# check that the JSON parses.  Usage: run_show.sh TEST_SHOW_BINARY
set -u
bin=${1:?usage: run_show.sh TEST_SHOW_BINARY}
dir=$(dirname "$0")
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

for fmt in text json; do
	if ! "$bin" "$fmt" >"$tmp/$fmt"; then
		echo "FAIL: test_show $fmt exited $?"
		fail=1
	elif ! cmp -s "$dir/show.$fmt" "$tmp/$fmt"; then
		echo "FAIL: test_show $fmt differs from $dir/show.$fmt:"
		diff -u "$dir/show.$fmt" "$tmp/$fmt"
		fail=1
	fi
done

if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
		"$tmp/json" || { echo "FAIL: invalid JSON"; fail=1; }
elif command -v jq >/dev/null 2>&1; then
	jq -e . "$tmp/json" >/dev/null || { echo "FAIL: invalid JSON"; fail=1; }
fi

[ $fail = 0 ] && echo "run_show: text and json output as expected"
exit $fail
