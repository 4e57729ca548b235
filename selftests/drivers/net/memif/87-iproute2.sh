#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own ip with the memif plugin (tools/iproute2/link_memif.so,
# through IP_LIB_DIR): every option of "ip link add ... type memif" is
# reported back by "ip -d link show", in text and JSON; bad options are
# refused with the plugin's message and create nothing; a server and a
# client made with ip connect; "ip link set ... type memif" changes a
# link that is down and is refused while it is up, and for the mode.
#
#   m0 (client, ip mode, down)
#   ps (server, 2 queues) ==[@ip87]== pc (client, 2 queues)   one netns

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq
require_memif_ko
PLUGIN_DIR=${PLUGIN_DIR:-$REPO_ROOT/tools/iproute2}
[ -f "$PLUGIN_DIR/link_memif.so" ] || skip "$PLUGIN_DIR/link_memif.so is not built"
export IP_LIB_DIR=$PLUGIN_DIR

# info DEV: KEY=VALUE lines of .linkinfo.info_data in ip -j -d link show
info() {
	ip -j -d link show dev "$1" |
		jq -r '.[0].linkinfo.info_data | to_entries[] | "\(.key)=\(.value)"'
}

# fields DEV KEY=VALUE...: ip -j -d reports each KEY of DEV with VALUE
fields() {
	local dev=$1 all kv rc=0
	shift
	all=$(info "$dev") || return 1
	for kv in "$@"; do
		grep -qxF -- "$kv" <<<"$all" || { log "$dev: no $kv"; rc=1; }
	done
	[ "$rc" = 0 ] || printf '%s\n' "$all" | log_file -
	return "$rc"
}

# text DEV STRING: ip -d link show DEV prints STRING
text() {
	local out
	out=$(ip -d link show dev "$1")
	grep -qF -- "$2" <<<"$out" || { printf '%s\n' "$out" | log_file -; return 1; }
}

nlinks() {
	ip -o link show | wc -l
}

# refused DESC MESSAGE OPTIONS...: "ip link add m9 type memif OPTIONS"
# exits 1 (the plugin refused, nothing was sent) with "Error: memif:
# MESSAGE", and no link appears.
refused() {
	local desc=$1 want=$2 out rc=0 before
	shift 2
	before=$(nlinks)
	out=$(ip link add m9 type memif "$@" 2>&1) || rc=$?
	if [ "$rc" = 1 ] && grep -qF -- "Error: memif: $want" <<<"$out" &&
	   [ "$(nlinks)" = "$before" ]; then
		ktap_ok "refused: $desc"
	else
		log "rc=$rc, $(nlinks) links (were $before), output: $out"
		ktap_not_ok "refused: $desc"
	fi
}

# set_refused DEV WORD OPTIONS...: "ip link set dev DEV type memif
# OPTIONS" fails, and its message has WORD unless WORD is "".
set_refused() {
	local dev=$1 want=$2 out rc=0
	shift 2
	out=$(ip link set dev "$dev" type memif "$@" 2>&1) || rc=$?
	[ "$rc" != 0 ] && grep -qiF -- "$want" <<<"$out" && return 0
	log "rc=$rc, output: $out"
	return 1
}

# help_add: "ip link add type memif help" prints the usage and exits 1,
# as ip's own link types do.
help_add() {
	local out rc=0
	out=$(ip link add type memif help 2>&1) || rc=$?
	[ "$rc" = 1 ] && grep -qF 'ring-size SLOTS' <<<"$out" && return 0
	log "rc=$rc, output: $out"
	return 1
}

# set_bad: a bad option of "ip link set" is refused by the plugin (exit 1)
set_bad() {
	local out rc=0
	out=$(ip link set dev m0 type memif ring-size 1000 2>&1) || rc=$?
	[ "$rc" = 1 ] &&
		grep -qF 'Error: memif: ring-size must be a power of two' <<<"$out" &&
		return 0
	log "rc=$rc, output: $out"
	return 1
}

ktap_plan 40

memif_load

check "ip link help memif prints the options and their ranges" bash -c \
	"ip link help memif | grep -q 'type memif' &&
	 ip link help memif | grep -q '2-16384'"
check "ip link add type memif help prints them too, and fails" help_add

check "ip link add m0 type memif with every option" \
	ip link add m0 type memif role client socket /run/x.sock id 3 \
		secret s3 mode ip ring-size 2048 buffer-size 4096
check "ip -d link show m0: every option in text" text m0 \
	"memif role client socket /run/x.sock id 3 mode ip ring-size 2048 buffer-size 4096 secret yes offloads on max-memory 1G socket-mode 0755 cacheline 64 state down "
check "ip -j -d link show m0: every option in JSON" fields m0 \
	role=client socket=/run/x.sock id=3 mode=ip ring_size=2048 \
	buffer_size=4096 secret=true state=down
check "the secret itself is not shown" bash -c \
	"! ip -d link show m0 | grep -q s3 && ! ip -j -d link show m0 | grep -q s3"

refused "role boss" 'role must be client or server (got "boss")' role boss
refused "socket of 108 bytes" "socket must be 1 to 107 bytes long (got 108)" \
	socket "/$(printf 'x%.0s' {1..107})"
refused "relative socket path" \
	'socket must be an absolute path or @name (got "run/x.sock")' \
	socket run/x.sock
refused "id not a number" \
	'id must be an integer between 0 and 4294967295 (got "abc")' id abc
refused "id too large" \
	'id must be an integer between 0 and 4294967295 (got "4294967296")' \
	id 4294967296
refused "secret of 24 bytes" "secret must be at most 23 bytes long (got 24)" \
	secret 123456789012345678901234
refused "mode eth" 'mode must be ethernet or ip (got "eth")' mode eth
refused "ring-size 1000" \
	'ring-size must be a power of two between 2 and 16384 (got "1000")' \
	ring-size 1000
refused "ring-size 32768" \
	'ring-size must be a power of two between 2 and 16384 (got "32768")' \
	ring-size 32768
refused "ring-size 1" \
	'ring-size must be a power of two between 2 and 16384 (got "1")' \
	ring-size 1
refused "buffer-size 127" \
	'buffer-size must be between 128 and 65535 (got "127")' buffer-size 127
refused "buffer-size 65536" \
	'buffer-size must be between 128 and 65535 (got "65536")' \
	buffer-size 65536
refused "id given twice" '"id" given more than once' id 1 id 2
refused "socket without a value" 'missing value after "socket"' id 1 socket
refused "unknown keyword" 'unknown option "name"' name m9
refused "queues" '"queues" is for memifctl; with ip, give "numtxqueues N numrxqueues N"' \
	queues 2
check "ip link set with a bad option: the plugin refuses it" set_bad
check "ip link set with a bad option: m0 unchanged" fields m0 ring_size=2048

check "a socket with a blank: quoted in text, as it is in JSON" bash -c \
	"ip link add sb type memif socket '/run/my memif.sock' &&
	 ip -d link show sb | grep -qF 'socket \"/run/my memif.sock\" ' &&
	 ip -j -d link show sb |
		jq -e '.[0].linkinfo.info_data.socket == \"/run/my memif.sock\"' >/dev/null"
check "role server (master)" bash -c \
	"ip link add s1 type memif role master socket @ip87-s1 id 1 &&
	 ip -j -d link show s1 | jq -e '.[0].linkinfo.info_data.role == \"server\"' >/dev/null"

# A kernel pair on one abstract socket, in this namespace.
pair() {
	ip link add ps numtxqueues 2 numrxqueues 2 type memif role server \
		socket @ip87 id 9 &&
		ip link add pc numtxqueues 2 numrxqueues 2 type memif \
			role client socket @ip87 id 9 &&
		ip link set dev ps up && ip link set dev pc up &&
		wait_oper_up - ps 1 10 && wait_oper_up - pc 1 10
}
check "server ps and client pc on @ip87: both UP" pair
check "ps: connected to pc, two rings each way" fields ps role=server \
	socket=@ip87 id=9 state=connected peer_name=pc c2s_rings=2 s2c_rings=2 \
	run_ring_size=1024
check "pc: connected to ps, two rings each way" fields pc role=client \
	state=connected peer_name=ps c2s_rings=2 s2c_rings=2 run_ring_size=1024
check "pc in text: state connected, peer-name ps" text pc \
	"state connected peer-name ps "
check "pc in text: negotiated rings" text pc \
	"c2s-rings 2 s2c-rings 2 run-ring-size 1024 "

# Changing settings: only while down, never the mode.
check "ip link set dev m0 type memif ring-size 512 (down): done" \
	ip link set dev m0 type memif ring-size 512
check "m0: ring size 512, the rest as it was" fields m0 ring_size=512 \
	role=client socket=/run/x.sock id=3 mode=ip buffer_size=4096 secret=true
check "secret \"\" removes the secret" bash -c \
	"ip link set dev m0 type memif secret '' &&
	 ip -j -d link show m0 | jq -e '.[0].linkinfo.info_data.secret == false' >/dev/null"
check "ip link set dev pc type memif ring-size 512 (up): refused, says down" \
	set_refused pc down ring-size 512
check "pc unchanged and still connected" fields pc ring_size=1024 \
	state=connected
check "mode ethernet on an ip-mode link: refused" \
	set_refused m0 "mode of a memif link cannot be changed" mode ethernet
check "m0 still in ip mode" fields m0 mode=ip
check "mode ip on an ip-mode link: accepted (it changes nothing)" \
	ip link set dev m0 type memif mode ip

# disc_reason DEV: why DEV's last connection ended, from ip -j -d
disc_reason() {
	ip -j -d link show dev "$1" | jq -r '.[0].linkinfo.info_data.disc_reason'
}

# reason_reported: with pc down, ps reports why in JSON, and in text as
# one quoted word
reason_reported() {
	local r
	ip link set dev pc down || return 1
	# shellcheck disable=SC2016	# wait_for evaluates it
	wait_for '[ "$(disc_reason ps)" != null ]' 10
	r=$(disc_reason ps)
	case "$r" in
	local:\ *|peer:\ *) ;;
	*) log "ps: disc_reason $r"; return 1 ;;
	esac
	text ps "disc-reason \"$r\" "
}
check "pc down: ps says why, in JSON and quoted in text" reason_reported

ktap_finished
