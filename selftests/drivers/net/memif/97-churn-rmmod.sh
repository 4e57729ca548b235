#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod with many live connections: 64 kernel servers in netns a and their
# 64 kernel clients in netns b (4 socket files, 16 ids each: 64
# connections, both roles), ping floods over 4 of them; rmmod must succeed
# within RMMOD_MAX s and leave no link and no socket file, and the module must
# load and connect all 64 again: 5 rounds.  Then nothing leaked
# (churn_lib.sh) since the end of the first round.
#
#   ns a: s0..s63 (servers) ==[/run/c97-<i / 16>.sock, id i % 16]== c0..c63 (clients) :ns b
#   pair i: 10.97.i.1/24 (s<i>) and 10.97.i.2/24 (c<i>)

source "$(dirname "$0")/churn_lib.sh"

require_root
require_cmd ip jq ping
require_memif_ko
require_memifctl
PLUGIN_DIR=${PLUGIN_DIR:-$REPO_ROOT/tools/iproute2}
[ -f "$PLUGIN_DIR/link_memif.so" ] || skip "$PLUGIN_DIR/link_memif.so is not built"
export IP_LIB_DIR=$PLUGIN_DIR

N=64
PAIR_SOCK=/run/c97
ROUNDS=${ROUNDS:-5}
# Each connected link costs rmmod two RCU grace periods, which TCG makes
# slow: 5-7 s for these 128 links on an idle host, up to 19 s on a busy
# one, and 28-77 s on the debug lane's kernel (lockdep, KASAN, a slower
# RCU).  (A delete_module syscall cannot be interrupted: no timeout(1).)
case "$(uname -r)" in
*-memif-debug) RMMOD_MAX=${RMMOD_MAX:-300} ;;
*) RMMOD_MAX=${RMMOD_MAX:-30} ;;
esac

# rmmod_round R: load, 64 pairs connected, floods, rmmod, nothing left.
rmmod_round() {
	local t rc=0
	insmod "$MEMIF_KO" || return 1
	side a server && side b client && all_carrier a b || rc=1
	floods b 1
	sleep 1
	t=$EPOCHREALTIME
	rmmod memif || { echo "rmmod failed"; rc=1; }
	t=$(elapsed "$t")
	echo "round $1: rmmod took $t s"
	[ "${t%.*}" -lt "$RMMOD_MAX" ] ||
		{ echo "rmmod took longer than $RMMOD_MAX s"; rc=1; }
	ns_exec b pkill -INT -x ping
	wait
	[ "$(n_links a)/$(n_links b)" = 0/0 ] ||
		{ echo "links left: $(n_links a) in a, $(n_links b) in b"; rc=1; }
	no_sockets || rc=1
	return "$rc"
}

# rounds FUNC FROM TO
rounds() {
	local r
	for ((r = $2; r <= $3; r++)); do
		logged "$1" "$r" || return 1
	done
}

ktap_plan 3

churn_setup
ns_create a b
t=$EPOCHREALTIME
check "round 1 (warm-up): $N pairs connected, rmmod, nothing left" \
	rounds rmmod_round 1 1
log "round 1 took $(elapsed "$t") s"
leak_snapshot "$TEST_TMPDIR/before"
t=$EPOCHREALTIME
check "rounds 2..$ROUNDS: $N pairs connected under floods, rmmod within $RMMOD_MAX s, nothing left, load again" \
	rounds rmmod_round 2 "$ROUNDS"
log "rounds 2..$ROUNDS took $(elapsed "$t") s"
leak_snapshot "$TEST_TMPDIR/after"
leak_check "nothing leaked over $((ROUNDS - 1)) rounds" \
	"$TEST_TMPDIR/before" "$TEST_TMPDIR/after"

ktap_finished
