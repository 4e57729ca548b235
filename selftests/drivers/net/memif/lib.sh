#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the memif selftests.  Source it from a test:
#
#	#!/bin/bash
#	# SPDX-License-Identifier: GPL-2.0
#	source "$(dirname "$0")/lib.sh"
#	require_root
#	require_cmd ip
#	ktap_plan 2
#	ns_create a
#	check "lo is up" ns_exec a ip link show lo up
#	ktap_finished
#
# Tests follow the kselftest conventions: TAP on stdout, exit 0 pass,
# 4 skip, anything else fail.  They run as root in a throw-away VM
# (selftests/run.sh); they should still clean up after themselves, so
# that they can also be run by hand.  Everything registered with defer,
# ns_create, bg_start or testpmd_start is undone at exit by cleanup(),
# which is installed with "trap cleanup EXIT".  A test that needs more
# may define test_cleanup(); cleanup() calls it first.
#
# Paths (override through the environment):
#   REPO_ROOT   the memif source tree
#   MEMIF_KO    $REPO_ROOT/drivers/net/memif/memif.ko
#   MEMIFCTL    $REPO_ROOT/tools/memifctl/memifctl
#   TEST_TMPDIR a scratch directory, removed at exit

# shellcheck disable=SC2034	# variables for the tests

KSFT_PASS=0
KSFT_FAIL=1
KSFT_XFAIL=2
KSFT_XPASS=3
KSFT_SKIP=4

TEST_NAME=$(basename "$0")
TEST_DIR=$(cd "$(dirname "$0")" && pwd)
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=${REPO_ROOT:-$(cd "$LIB_DIR/../../../.." && pwd)}
MEMIF_KO=${MEMIF_KO:-$REPO_ROOT/drivers/net/memif/memif.ko}
MEMIFCTL=${MEMIFCTL:-$REPO_ROOT/tools/memifctl/memifctl}
TEST_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/${TEST_NAME%.sh}.XXXXXX")

# --- output ---------------------------------------------------------------

# Diagnostic lines are TAP comments.
log() {
	echo "# $*"
}

# Print a file (or stdin) as TAP comments.
log_file() {
	sed 's/^/#   /' "${1:--}"
}

# note MSG: a TAP comment that reaches the output even from inside check's
# command, whose output is shown only when it fails: for measurements.
exec {__note_fd}>&1
note() {
	echo "# $*" >&"$__note_fd"
}

# --- TAP --------------------------------------------------------------------

__ktap_planned=
__ktap_n=0
__ktap_pass=0
__ktap_fail=0
__ktap_skip=0
__ktap_header=0

__ktap_print_header() {
	[ "$__ktap_header" = 1 ] && return 0
	echo "TAP version 13"
	__ktap_header=1
}

# ktap_plan N: announce N sub-tests.
ktap_plan() {
	__ktap_print_header
	__ktap_planned=$1
	echo "1..$1"
}

ktap_ok() {
	__ktap_n=$((__ktap_n + 1))
	__ktap_pass=$((__ktap_pass + 1))
	echo "ok $__ktap_n $*"
}

ktap_not_ok() {
	__ktap_n=$((__ktap_n + 1))
	__ktap_fail=$((__ktap_fail + 1))
	echo "not ok $__ktap_n $*"
}

# ktap_skip DESC [REASON]
ktap_skip() {
	__ktap_n=$((__ktap_n + 1))
	__ktap_skip=$((__ktap_skip + 1))
	echo "ok $__ktap_n $1 # SKIP${2:+ $2}"
}

# ktap_result DESC STATUS: ok when STATUS is 0.
ktap_result() {
	if [ "$2" = 0 ]; then
		ktap_ok "$1"
	else
		ktap_not_ok "$1"
	fi
}

# check DESC CMD [ARG...]: run CMD, report ok/not ok.  CMD's output is
# shown (as comments) only when it fails.  Returns CMD's status.
check() {
	local desc=$1 rc=0 out
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = 0 ]; then
		ktap_ok "$desc"
	else
		log "'$*' failed with status $rc:"
		[ -z "$out" ] || printf '%s\n' "$out" | log_file -
		ktap_not_ok "$desc"
	fi
	return "$rc"
}

# check_fail DESC CMD [ARG...]: ok when CMD fails.
check_fail() {
	local desc=$1 rc=0 out
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" != 0 ]; then
		ktap_ok "$desc"
		return 0
	fi
	log "'$*' succeeded but should have failed:"
	[ -z "$out" ] || printf '%s\n' "$out" | log_file -
	ktap_not_ok "$desc"
	return 1
}

# ktap_finished: print the totals and exit with the kselftest status.
ktap_finished() {
	local rc=$KSFT_PASS
	echo "# Totals: pass:$__ktap_pass fail:$__ktap_fail xfail:0 xpass:0 skip:$__ktap_skip error:0"
	if [ "$__ktap_fail" -gt 0 ]; then
		rc=$KSFT_FAIL
	elif [ -n "$__ktap_planned" ] && [ "$__ktap_n" != "$__ktap_planned" ]; then
		log "planned $__ktap_planned tests but ran $__ktap_n"
		rc=$KSFT_FAIL
	elif [ "$__ktap_pass" = 0 ] && [ "$__ktap_skip" -gt 0 ]; then
		rc=$KSFT_SKIP
	fi
	exit "$rc"
}

# skip REASON: skip the whole test (exit 4).
skip() {
	__ktap_print_header
	if [ -z "$__ktap_planned" ]; then
		echo "1..0 # SKIP $*"
	else
		log "SKIP: $*"
	fi
	exit "$KSFT_SKIP"
}

# bail REASON: abort the test as failed.
bail() {
	__ktap_print_header
	echo "Bail out! $*"
	exit "$KSFT_FAIL"
}

# --- requirements -----------------------------------------------------------

require_root() {
	[ "$(id -u)" = 0 ] || skip "must be run as root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

require_memif_ko() {
	[ -f "$MEMIF_KO" ] || skip "$MEMIF_KO is not built"
}

require_memifctl() {
	[ -x "$MEMIFCTL" ] || skip "$MEMIFCTL is not built"
}

# kmemleak_kernel: is this a kernel with kmemleak (make check-debug's,
# which also has KASAN)?  Memory checks allow for their bookkeeping.
kmemleak_kernel() {
	[ -e /sys/kernel/debug/kmemleak ]
}

# vmap_stack: whether the running kernel's stacks are vmalloc memory
# (CONFIG_VMAP_STACK, Debian's kernels): /proc/meminfo then counts them in
# both VmallocUsed and KernelStack.
vmap_stack() {
	grep -qsx 'CONFIG_VMAP_STACK=y' "/boot/config-$(uname -r)" ||
		zgrep -qsx 'CONFIG_VMAP_STACK=y' /proc/config.gz
}

# memif_load [PARAM=VALUE...]: insmod memif.ko (skip if it is not built),
# rmmod it at exit.
memif_load() {
	require_memif_ko
	if [ -d /sys/module/memif ]; then
		log "memif is already loaded"
		return 0
	fi
	insmod "$MEMIF_KO" "$@" || bail "insmod $MEMIF_KO failed"
	defer memif_unload
}

memif_unload() {
	[ -d /sys/module/memif ] || return 0
	rmmod memif
}

# --- polling ----------------------------------------------------------------

# wait_for CMD TIMEOUT [INTERVAL]: evaluate the shell command CMD every
# INTERVAL (0.2) seconds until it succeeds (return 0) or TIMEOUT seconds
# (may be fractional) have passed (return 1).  Note that starting a process
# takes 0.1-0.2 s in the TCG guest.
wait_for() {
	local cmd=$1 timeout=$2 interval=${3:-0.2} deadline
	deadline=$(__time_add "$EPOCHREALTIME" "$timeout")
	while :; do
		eval "$cmd" && return 0
		__time_before "$EPOCHREALTIME" "$deadline" || return 1
		sleep "$interval"
	done
}

# Fixed point arithmetic on EPOCHREALTIME (microseconds), without forks.
__usec() {
	local s=${1%.*} f=${1#*.}
	[ "$f" != "$1" ] || f=0
	f=${f}000000
	f=${f:0:6}
	echo $((s * 1000000 + 10#$f))
}

__time_add() {
	echo $(($(__usec "$1") + $(__usec "$2")))
}

__time_before() {
	[ "$(__usec "$1")" -lt "$2" ]
}

# --- cleanup ----------------------------------------------------------------

declare -ga __defers=()

# defer CMD [ARG...]: run CMD at exit (last registered, first run).
defer() {
	__defers+=("$(printf '%q ' "$@")")
}

cleanup() {
	local rc=$? i name
	trap - EXIT
	set +eu
	if declare -F test_cleanup >/dev/null; then
		test_cleanup
	fi
	for name in "${!__bg_pid[@]}"; do
		bg_stop "$name" >/dev/null 2>&1
		if [ "$rc" != 0 ] && [ "$rc" != "$KSFT_SKIP" ] &&
		   [ -s "$TEST_TMPDIR/$name.log" ]; then
			log "last lines of $name's log:"
			tail -n 20 "$TEST_TMPDIR/$name.log" | log_file -
		fi
	done
	for ((i = ${#__defers[@]} - 1; i >= 0; i--)); do
		eval "${__defers[i]}" || log "cleanup: '${__defers[i]}' failed"
	done
	__defers=()
	rm -rf "$TEST_TMPDIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- network namespaces -----------------------------------------------------

# ns_create NS...: create network namespaces with lo up, deleted at exit.
ns_create() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || bail "ip netns add $ns failed"
		defer ns_del "$ns"
		ip -n "$ns" link set lo up
	done
}

# ns_exec NS CMD [ARG...]
ns_exec() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_del NS: kill what runs in NS and delete it.
ns_del() {
	local pids
	pids=$(ip netns pids "$1" 2>/dev/null)
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
	ip netns del "$1" 2>/dev/null || true
}

# veth_pair NS1 IF1 NS2 IF2: a veth pair between two namespaces, both up.
veth_pair() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
		bail "cannot create veth $2/$4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# --- background processes ---------------------------------------------------

declare -gA __bg_pid=()
declare -gA __bg_fd=()

# bg_start NAME TIMEOUT CMD [ARG...]: run CMD in the background, killed
# after TIMEOUT seconds, with stdout and stderr in $(bg_log NAME) and stdin
# a pipe that stays open (write to it with bg_input).  Stopped at exit.
bg_start() {
	local name=$1 timeout=$2 fifo fd
	shift 2
	[ -z "${__bg_pid[$name]:-}" ] || bail "bg_start: $name already runs"
	fifo=$TEST_TMPDIR/$name.stdin
	rm -f "$fifo"
	mkfifo "$fifo"
	timeout -k 5 "$timeout" "$@" < "$fifo" > "$TEST_TMPDIR/$name.log" 2>&1 &
	__bg_pid[$name]=$!
	exec {fd}> "$fifo"
	__bg_fd[$name]=$fd
}

bg_log() {
	echo "$TEST_TMPDIR/$1.log"
}

bg_pid() {
	echo "${__bg_pid[$1]:-}"
}

# bg_running NAME: still running?
bg_running() {
	local pid=${__bg_pid[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# bg_input NAME LINE: write LINE to NAME's stdin.
bg_input() {
	local fd=${__bg_fd[$1]:-}
	[ -n "$fd" ] || return 1
	printf '%s\n' "$2" >&"$fd"
}

# bg_wait_log NAME ERE TIMEOUT: wait until NAME's log matches ERE.
bg_wait_log() {
	wait_for "grep -Eq -- $(printf '%q' "$2") $(printf '%q' "$(bg_log "$1")")" "$3"
}

# bg_stop NAME [GRACE]: SIGINT, then after GRACE (5) seconds SIGKILL.
# Returns the exit status of NAME (130 or so when killed).
bg_stop() {
	local name=$1 grace=${2:-5} pid fd rc=0
	pid=${__bg_pid[$name]:-}
	[ -n "$pid" ] || return 0
	if kill -0 "$pid" 2>/dev/null; then
		kill -INT "$pid" 2>/dev/null
		if ! wait_for "! kill -0 $pid 2>/dev/null" "$grace" 0.1; then
			log "$name did not stop on SIGINT, killing it"
			# timeout(1) and the command it runs
			pkill -KILL -P "$pid" 2>/dev/null
			kill -KILL "$pid" 2>/dev/null
		fi
	fi
	wait "$pid" 2>/dev/null || rc=$?
	fd=${__bg_fd[$name]:-}
	[ -z "$fd" ] || exec {fd}>&-
	unset "__bg_pid[$name]" "__bg_fd[$name]"
	return "$rc"
}

# --- DPDK testpmd -----------------------------------------------------------

# testpmd_start NAME TIMEOUT [EAL_ARG...] [-- TESTPMD_ARG...]
#
# Start dpdk-testpmd in the background (see bg_start), log in
# $(bg_log NAME).  Unless given, these are added: EAL --no-huge --no-pci
# -m 64 --file-prefix=NAME --lcores 0@0,1@N (two lcores, on two CPUs when
# there are two), testpmd --total-num-mbufs=8192.  Without -i or
# --stats-period, testpmd forwards until stopped.  Example:
#
#	testpmd_start pmd 60 \
#		--vdev=net_memif0,role=server,id=0,socket=/run/m.sock,socket-abstract=no \
#		-- --forward-mode=icmpecho
#	testpmd_wait_ready pmd 30 || bail "testpmd did not start"
#	...
#	testpmd_stop pmd
testpmd_start() {
	local name=$1 timeout=$2 a in_app=0 cpu1=0
	local eal=() app=() has_l=0 has_m=0 has_prefix=0 has_huge=0 has_pci=0 has_mbufs=0
	shift 2
	for a in "$@"; do
		if [ "$in_app" = 0 ]; then
			case "$a" in
			--) in_app=1; continue ;;
			-l|-l*|-c|-c*|--lcores|--lcores=*) has_l=1 ;;
			-m|-m*|--socket-mem|--socket-mem=*) has_m=1 ;;
			--file-prefix|--file-prefix=*|--in-memory|--no-shconf) has_prefix=1 ;;
			--no-huge|--huge-dir|--huge-dir=*) has_huge=1 ;;
			--no-pci|-a|-a*|--allow|--allow=*|-b|-b*|--block|--block=*) has_pci=1 ;;
			esac
			eal+=("$a")
		else
			case "$a" in
			--total-num-mbufs|--total-num-mbufs=*) has_mbufs=1 ;;
			esac
			app+=("$a")
		fi
	done
	[ "$(nproc)" -lt 2 ] || cpu1=1
	[ "$has_l" = 1 ] || eal=(--lcores "0@0,1@$cpu1" "${eal[@]}")
	[ "$has_m" = 1 ] || eal=(-m 64 "${eal[@]}")
	[ "$has_prefix" = 1 ] || eal=("--file-prefix=$name" "${eal[@]}")
	[ "$has_huge" = 1 ] || eal=(--no-huge "${eal[@]}")
	[ "$has_pci" = 1 ] || eal=(--no-pci "${eal[@]}")
	[ "$has_mbufs" = 1 ] || app=(--total-num-mbufs=8192 "${app[@]}")
	log "starting: dpdk-testpmd ${eal[*]} -- ${app[*]}"
	# stdbuf: testpmd's stdout is a file; make it line buffered so that
	# "Press enter to exit" and command output show up in the log at once.
	bg_start "$name" "$(scaled "$timeout")" stdbuf -oL -eL \
		dpdk-testpmd "${eal[@]}" -- "${app[@]}"
}

# scaled SECONDS: SECONDS times MEMIF_TIMEOUT_SCALE (1; make check-debug
# sets 4): how long to wait for a program to start or to finish a job,
# which a debug kernel runs several times slower.
scaled() {
	echo "$(($1 * ${MEMIF_TIMEOUT_SCALE:-1}))"
}

# testpmd_wait_ready NAME TIMEOUT: wait until testpmd forwards (or shows
# its prompt); fails early if it exits.  TIMEOUT (and testpmd_start's) is
# multiplied by MEMIF_TIMEOUT_SCALE (1; make check-debug sets 4).
testpmd_wait_ready() {
	local re='Press enter to exit|Port statistics|testpmd> '
	# A debug kernel (make check-debug) runs testpmd's start-up, which
	# loads all of DPDK's libraries, several times slower.
	wait_for "grep -Eq '$re' '$(bg_log "$1")' || ! bg_running '$1'" \
		"$(scaled "$2")" &&
		bg_running "$1" && grep -Eq "$re" "$(bg_log "$1")"
}

# testpmd_cmd NAME CMD: send a command to an interactive (-i) testpmd.
testpmd_cmd() {
	bg_input "$1" "$2"
}

testpmd_stop() {
	bg_stop "$@"
}
