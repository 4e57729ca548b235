#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Socket paths are used with the rights of the link's creator, and a
# server says who may connect.  The creator here is uid 65534 with
# CAP_NET_ADMIN (what a service allowed to create links has), or root.
#
# 1. A server link of uid 65534 cannot bind in a directory only root may
#    write to, nor remove root's stale socket file from a sticky directory;
#    a client link of uid 65534 cannot connect to a socket only root may
#    write to.  (Before, a kworker did all three with full privileges.)
# 2. socket-mode, socket-gid, socket-uid: the socket file gets them, so a
#    non-root peer of that group connects; one of another group cannot.
# 3. peer-uid on a server: a client of another uid is refused, counted,
#    before its secret is looked at; one of that uid connects.
# 4. Links share a socket only with the same creator (or one who may
#    override file permissions) and the same owner, group and mode.
# 5. memifctl -j show reports the settings.

source "$(dirname "$0")/hostile_lib.sh"

require_root
require_cmd ip jq ping ethtool stat python3
require_memif_ko
require_memifctl
require_evil_public

EV_ID=0
EV_SECRET=
D=/run/k77

# reason_is NS DEV TEXT: DEV's recorded reason contains TEXT, within 5 s.
reason_is() {
	wait_for "[[ \$(memif_json $1 $2 disc_reason) == *\"$3\"* ]]" 5 0.2 ||
		{ echo "reason: $(memif_json "$1" "$2" disc_reason)"; return 1; }
}

# bind_denied: uid 65534 cannot create a socket in root's directory.
bind_denied() {
	nobody --caps "$MEMIFCTL" add p0 role server socket "$D/root/p0.sock" || return 1
	ip link set dev p0 up
	reason_is - p0 "cannot listen: -EACCES" || return 1
	[ ! -e "$D/root/p0.sock" ] || { ls -l "$D/root"; return 1; }
}

# unlink_denied: uid 65534 cannot remove root's stale socket file from a
# sticky directory to bind its own.
unlink_denied() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(sys.argv[1])' "$D/sticky/stale.sock" || return 1
	# Anybody may connect to it: so uid 65534 finds it stale.
	chmod 0777 "$D/sticky/stale.sock"
	nobody --caps "$MEMIFCTL" add p1 role server socket "$D/sticky/stale.sock" ||
		return 1
	ip link set dev p1 up
	reason_is - p1 "cannot listen: -EPERM" || return 1
	[ "$(stat -c %u "$D/sticky/stale.sock")" = 0 ] || return 1
}

# connect_denied: a client of uid 65534 cannot connect to root's server
# socket (0755), which a root client can.
connect_denied() {
	memifctl add r0 role server socket "$D/root/r0.sock" id 5 || return 1
	link_up - r0 10.77.0.1/24
	wait_for "[ -S $D/root/r0.sock ]" 5 0.1 || return 1
	nobody --caps "$MEMIFCTL" add p2 role client socket "$D/root/r0.sock" \
		id 5 || return 1
	link_up - p2 10.77.0.2/24
	reason_is - p2 "cannot connect: -EACCES" || return 1
	[ "$(oper_up - p2)" = 0 ] || return 1
	ip link del dev p2
	memifctl add c2 role client socket "$D/root/r0.sock" id 5 &&
		link_up - c2 10.77.0.3/24 && wait_oper_up - c2 1 10 || return 1
	ip link del dev c2
}

# group_socket: g0 serves $D/g.sock, 0660, owner 4243, group 4242.
group_socket() {
	memifctl add g0 role server socket "$D/g.sock" id 0 socket-mode 0660 \
		socket-gid 4242 socket-uid 4243 || return 1
	link_up - g0 10.77.1.1/24
	wait_for "[ -S $D/g.sock ]" 5 0.1 || return 1
	note "socket file: $(stat -c '%A %u:%g' "$D/g.sock")"
	[ "$(stat -c '%a %u %g' "$D/g.sock")" = "660 4243 4242" ]
}

# group_peer GID WANT: memif_evil as uid 65534, gid GID, a client of g0:
# WANT "connects" (and pings) or "denied".
group_peer() {
	local log=$TEST_TMPDIR/group.log pid pinged=0 rc=0
	nobody --gid "$1" "$EVIL" --role client --socket "$D/g.sock" --id 0 \
		--scenario good --seconds 6 > "$log" 2>&1 &
	pid=$!
	if wait_oper_up - g0 1 5 && ping -c 1 -W 3 -q 10.77.1.2 >/dev/null; then
		pinged=1
	fi
	wait "$pid"
	case $2 in
	connects) [ "$pinged" = 1 ] || rc=1 ;;
	denied) grep -q "Permission denied" "$log" && [ "$pinged" = 0 ] || rc=1 ;;
	esac
	[ "$rc" = 0 ] || cat "$log"
	wait_oper_up - g0 0 10
	return "$rc"
}

# peer_uid UID WANT: memif_evil as uid UID against u0 (peer-uid 1000):
# WANT "refused" (and counted) or "connects".
peer_uid() {
	local out e0 e1 rc=0
	e0=$(ethtool_stat - u0 handshake_errors)
	out=$(setpriv --reuid "$1" --regid "$1" --clear-groups -- "$EVIL" \
		--role client --socket @k77pu --id 0 --secret s3cret \
		--scenario good --seconds 4 2>&1)
	e1=$(ethtool_stat - u0 handshake_errors)
	case $2 in
	refused)
		[[ $out == *"disconnect: client credentials refused"* ]] || rc=1
		[ "$e1" -gt "$e0" ] || { echo "not counted"; rc=1; }
		reason_is - u0 "client credentials refused" || rc=1
		;;
	connects)
		[[ $out == *connected* ]] || rc=1
		;;
	esac
	[ "$rc" = 0 ] || printf '%s\n' "$out"
	return "$rc"
}

# sharing: a1 (uid 65534) may not join root's listener of a0; a2 (root)
# may not join it with another mode; a3 (root, same settings) may.
sharing() {
	local rc=0
	memifctl add a0 role server socket "$D/share.sock" id 1 &&
		ip link set dev a0 up || return 1
	nobody --caps "$MEMIFCTL" add a1 role server socket "$D/share.sock" \
		id 2 && ip link set dev a1 up || return 1
	reason_is - a1 "another user's links serve the socket" || rc=1
	memifctl add a2 role server socket "$D/share.sock" id 3 \
		socket-mode 0600 && ip link set dev a2 up || return 1
	reason_is - a2 "served with another owner, group or mode" || rc=1
	memifctl add a3 role server socket "$D/share.sock" id 4 &&
		ip link set dev a3 up || return 1
	sleep 1
	[ "$(memif_json - a3 disc_reason)" = null ] ||
		{ echo "a3: $(memif_json - a3 disc_reason)"; rc=1; }
	ip link del dev a0
	ip link del dev a1
	ip link del dev a2
	ip link del dev a3
	wait_for "[ ! -e $D/share.sock ]" 5 0.1 ||
		{ echo "the socket file stayed"; rc=1; }
	return "$rc"
}

# shown: memifctl -j show reports g0's and u0's settings.
shown() {
	local j
	j=$("$MEMIFCTL" -j show g0) || return 1
	jq -e '.[0] | .socket_mode == "0660" and .socket_gid == 4242 and
		.socket_uid == 4243 and .peer_uid == null and
		.max_memory == 1073741824' <<<"$j" >/dev/null || { echo "$j"; return 1; }
	j=$("$MEMIFCTL" -j show u0) || return 1
	jq -e '.[0] | .peer_uid == 1000 and .peer_gid == null and
		.socket_mode == "0755"' <<<"$j" >/dev/null || { echo "$j"; return 1; }
}

ktap_plan 10

memif_load
hostile_setup
mkdir -p "$D/root" "$D/sticky"
chmod 0755 "$D" "$D/root"
chmod 1777 "$D/sticky"
defer rm -rf "$D"

check "uid 65534's server cannot bind in root's directory" bind_denied
check "uid 65534's server cannot unlink root's stale socket (sticky dir)" unlink_denied
check "uid 65534's client cannot connect to root's 0755 socket; root's can" connect_denied
check "socket-mode 0660 socket-uid 4243 socket-gid 4242: the file has them" group_socket
check "a client of group 4242 connects and pings" group_peer 4242 connects
check "a client of another group is denied" group_peer "$NOBODY" denied

memifctl add u0 role server socket @k77pu id 0 secret s3cret peer-uid 1000
link_up - u0 10.77.2.1/24
check "peer-uid 1000: a client of uid 65534 is refused, counted" peer_uid "$NOBODY" refused
check "peer-uid 1000: a client of uid 1000 connects" peer_uid 1000 connects
check "links share a socket only with the same user, owner, group and mode" sharing
check "memifctl -j show reports the socket and peer settings" shown

ktap_finished
