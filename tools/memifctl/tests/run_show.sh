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

# The shape scripts rely on: every key in every object, arrays for the
# regions and rings of every link, rings with a direction and a tx flag
# that follows the role, offloads in use only while connected.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/json" <<'PY' || { echo "FAIL: JSON structure"; fail=1; }
import json, sys

LINK = ["name", "ifindex", "mtu", "admin_up", "operstate", "carrier", "role",
        "state", "socket", "id", "mode", "ring_size", "buffer_size",
        "num_tx_queues", "num_rx_queues", "has_secret", "offloads",
        "max_memory", "socket_mode", "cacheline", "socket_uid", "socket_gid",
        "peer_uid", "peer_gid", "peer_name", "peer_app", "disc_reason",
        "s2c_rings", "c2s_rings", "run_ring_size", "run_cacheline",
        "run_offloads_tx", "run_offloads_rx", "regions", "rings"]
REGION = ["index", "size"]
RING = ["dir", "queue", "tx", "size", "buffer_size", "region", "offset",
        "head", "tail", "flags", "interrupt_mode"]

links = json.load(open(sys.argv[1]))
assert isinstance(links, list) and links
for l in links:
    assert list(l) == LINK, l["name"]
    assert isinstance(l["regions"], list) and isinstance(l["rings"], list)
    for r in l["regions"]:
        assert list(r) == REGION, r
    for r in l["rings"]:
        assert list(r) == RING, r
        if r["dir"] in ("c2s", "s2c") and l["role"] in ("client", "server"):
            assert r["tx"] == ((r["dir"] == "c2s") == (l["role"] == "client"))
        else:
            assert r["tx"] is None, r
        if r["flags"] is not None:
            assert r["interrupt_mode"] == ("polling" if r["flags"] & 1
                                           else "interrupt"), r
by = {l["name"]: l for l in links}
srv = by["memif4"]
assert [r["dir"] for r in srv["rings"]] == ["c2s", "c2s", "s2c", "s2c"]
assert all(r["buffer_size"] is None for r in srv["rings"])
assert srv["regions"][1]["size"] == 8589934592
cli = by["memif0"]
assert all(r["buffer_size"] == 2048 for r in cli["rings"])
assert by["memif1"]["rings"] == [] and by["memif1"]["regions"] == []
# offloads: the setting always, what is in use only while connected
RUN = ("run_offloads_tx", "run_offloads_rx")
for l in links:
    if l["state"] == "connected":
        assert all(isinstance(l[k], bool) for k in RUN), l["name"]
    else:
        assert all(l[k] is None for k in RUN), l["name"]
assert [by[n]["offloads"] for n in ("memif0", "memif1", "memif2")] == \
    [True, False, None]
assert [tuple(by[n][k] for k in RUN) for n in
        ("memif0", "memif4", "memif5", "memif6")] == \
    [(False, False), (True, True), (True, False), (False, True)]
# the limits: numbers of bytes, modes as octal strings, ids when set
IDS = ("socket_uid", "socket_gid", "peer_uid", "peer_gid")
assert by["memif0"]["max_memory"] == 1 << 30
assert by["memif4"]["max_memory"] == 64 << 30
assert [by[n]["cacheline"] for n in ("memif0", "memif1", "memif2")] == \
    [64, 128, None]
assert by["memif4"]["run_cacheline"] == 128 and by["memif1"]["run_cacheline"] is None
assert [by[n]["socket_mode"] for n in ("memif0", "memif1", "memif2")] == \
    ["0755", "0660", None]
assert [by["memif1"][k] for k in IDS] == [0, 110, 1000, 1000]
assert all(by["memif0"][k] is None for k in IDS)
assert [by["memif4"][k] for k in IDS] == [None, None, 1000, None]
PY
elif command -v jq >/dev/null 2>&1; then
	jq -e 'all(.[]; (.regions | type) == "array" and
		   (.rings | type) == "array")' "$tmp/json" >/dev/null ||
		{ echo "FAIL: invalid JSON"; fail=1; }
fi

[ $fail = 0 ] && echo "run_show: text and json output as expected"
exit $fail
