#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module load and unload; creating and deleting links with good and bad
# arguments: every bad request fails with the kernel's message and creates
# nothing.

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq python3
require_memif_ko
require_memifctl

# nl NAME ATTR=VALUE...: a raw RTM_NEWLINK, past memifctl's own checks
nl() {
	python3 "$TEST_DIR/nl_memif.py" "$@"
}

nlinks() {
	ip -o link show type memif | wc -l
}

# bad DESC EXPECTED-MESSAGE CMD...: CMD fails, prints EXPECTED-MESSAGE,
# and no link appears.
bad() {
	local desc=$1 want=$2 out rc=0 before
	shift 2
	before=$(nlinks)
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" != 0 ] && grep -qF -- "$want" <<<"$out" &&
	   [ "$(nlinks)" = "$before" ]; then
		ktap_ok "$desc"
	else
		log "rc=$rc output: $out"
		ktap_not_ok "$desc"
	fi
}

# field DEV KEY EXPECTED
field() {
	[ "$(memif_json - "$1" "$2")" = "$3" ] ||
		{ log "$1 $2 = $(memif_json - "$1" "$2"), want $3"; return 1; }
}

ktap_plan 46

check "insmod memif.ko" insmod "$MEMIF_KO"
defer memif_unload
check "module alias rtnl-link-memif" \
	bash -c "modinfo -F alias '$MEMIF_KO' | grep -qx rtnl-link-memif"

check "ip link add type memif names it memif0" \
	bash -c 'ip link add type memif && test -d /sys/class/net/memif0'
check "the next one is memif1" \
	bash -c 'ip link add type memif && test -d /sys/class/net/memif1'
defaults_identity() {
	field memif0 role client && field memif0 socket /run/vpp/memif.sock &&
		field memif0 id 0 && field memif0 mode ethernet &&
		field memif0 state down
}

defaults_geometry() {
	field memif0 ring_size 1024 && field memif0 buffer_size 2048 &&
		field memif0 has_secret false && field memif0 carrier false
}

all_options() {
	field m7 role client && field m7 socket @kmemif && field m7 id 7 &&
		field m7 has_secret true && field m7 mode ip &&
		field m7 ring_size 256 && field m7 buffer_size 4096 &&
		field m7 num_tx_queues 2 && field m7 num_rx_queues 2
}

secret_hidden() {
	! ip -d link show m7 | grep -q s3cr3t &&
		! "$MEMIFCTL" -j show m7 | grep -q s3cr3t
}

check "defaults: client, /run/vpp/memif.sock, id 0, ethernet" defaults_identity
check "defaults: ring 1024, buffer 2048, no secret, no longer UP" defaults_geometry

check "memifctl add with every option" \
	memifctl add m7 role slave socket @kmemif id 7 secret s3cr3t mode ip \
		ring-size 256 buffer-size 4096 queues 2
check "every option is reported back" all_options
check "ip mode: no link-layer header, no ARP" \
	bash -c "ip -d link show m7 | grep -q 'link/none' &&
		 ip link show m7 | grep -q NOARP"
check "the secret is not dumped" secret_hidden
check "memifctl del" memifctl del m7
check_fail "del of a device that is not memif is refused" memifctl del lo

bad "memifctl: ring size not a power of two" "power of two" \
	memifctl add bad ring-size 1000
bad "memifctl: unknown role" "role" memifctl add bad role boss
bad "kernel: socket path too long" "socket path too long" \
	nl bad "socket=/$(printf 'x%.0s' {1..107})"
bad "kernel: relative socket path" "must be absolute" nl bad socket=run/x.sock
bad "kernel: empty abstract name" "is empty" nl bad socket=@
# The policy's own messages (link.c): memifctl and ip say it in words
# before they ask.
bad "kernel: secret too long" "failed policy validation" \
	nl bad secret=012345678901234567890123
bad "kernel: ring size log2 0" "out of range" nl bad log2=0
bad "kernel: ring size log2 15" "out of range" nl bad log2=15
bad "kernel: buffer size 64" "out of range" nl bad bsize=64
bad "kernel: buffer size 70000" "out of range" nl bad bsize=70000
bad "kernel: mode 2" "out of range" nl bad mode=2
bad "kernel: role 7" "out of range" nl bad role=7
bad "kernel: offloads 2" "out of range" nl bad offloads=2
bad "kernel: 256 queues" "at most 255 queues" nl bad txq=256 rxq=256
bad "kernel: region over 4 GiB" "4 GiB" nl bad log2=14 bsize=65535 txq=8 rxq=8
bad "kernel: read-only attribute" "EINVAL" nl bad state=3
bad "kernel: existing name" "EEXIST" nl memif0

# In a user namespace of its own, root may create links in its own netns,
# but not make the kernel connect to or create a file in the host's /.
userns_memifctl() {
	unshare -Urn "$MEMIFCTL" "$@"
}
bad "user namespace: a socket path is refused" \
	"needs CAP_NET_ADMIN in the initial user namespace" \
	userns_memifctl add u0 socket /run/u0.sock
bad "user namespace: the default socket path too" \
	"needs CAP_NET_ADMIN in the initial user namespace" \
	userns_memifctl add u0
check "user namespace: an abstract socket is fine" \
	unshare -Urn sh -c "$MEMIFCTL add u0 socket @u0 && ip link show dev u0"

# Creating a link at all needs CAP_NET_ADMIN over the namespace it is in.
bad "an unprivileged user cannot create links" "Operation not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$MEMIFCTL" add n0 socket @n0
bad "root of a user namespace cannot create links in the host's netns" \
	"Operation not permitted" unshare -Ur "$MEMIFCTL" add n0 socket @n0

# Links created here and handed to a namespace owned by an unprivileged
# user namespace: its root administers them, but may not change which
# socket they use or whether they listen on it.
unshare -Urn sleep 600 &
holder=$!
defer kill "$holder"
wait_for "[ \"\$(readlink /proc/$holder/ns/net)\" != \"\$(readlink /proc/self/ns/net)\" ]" 5
container() {
	nsenter -t "$holder" -U -n "$@"
}
handed_over() {
	memifctl add h0 socket /run/h0.sock && memifctl add h1 socket @h1 &&
		ip link set dev h0 netns "$holder" &&
		ip link set dev h1 netns "$holder" &&
		container ip link show dev h0 >/dev/null
}
check "links handed to a user namespace's netns" handed_over
bad "there, a path link's role cannot change" \
	"needs CAP_NET_ADMIN in the initial user namespace" \
	container "$MEMIFCTL" set h0 role server
bad "nor its socket become an abstract name of the host's" \
	"in the namespace the link was created in" \
	container "$MEMIFCTL" set h0 socket @evil
bad "nor an abstract link's name change" \
	"in the namespace the link was created in" \
	container "$MEMIFCTL" set h1 socket @evil
bad "nor an abstract link's role" "in the namespace the link was created in" \
	container "$MEMIFCTL" set h1 role server
check "other settings may change there" \
	container "$MEMIFCTL" set h0 id 5 ring-size 512 secret s
own_link() {
	container "$MEMIFCTL" add u1 socket @u1 &&
		container "$MEMIFCTL" set u1 socket @u2 role server &&
		test "$(container "$MEMIFCTL" -j show u1 | jq -r '.[0].socket')" = @u2
}
check "its own links' socket and role may change" own_link
check "the socket file was never created" test ! -e /run/h0.sock

check "role server (master) is accepted" memifctl add srv role master socket @srv id 2
check "and reported as server" test "$(memif_json - srv role)" = server

check "rmmod with links present" rmmod memif
check "links are gone with the module" test "$(ip -o link | grep -c memif)" = 0

ktap_finished
