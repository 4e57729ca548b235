#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Network namespaces: an abstract control socket (@name) lives in the
# namespace where the link was created (its birthplace) and stays there
# when the link is moved; abstract names of different namespaces do not
# meet; deleting the namespace a link lives in deletes the link and its
# peer goes back to waiting; deleting a link's birthplace disconnects it
# for good while the link lives on elsewhere.
#
#   1, 3, 4 (all born in ns h, the socket lives there):
#     ns s: srv (server, id 1) ==[@kmemif-test in h]== cli (client, id 1) :ns c
#     ns s: srv                ==[@kmemif-test in h]== cli2 (client)      :ns c2
#   2:
#     ns x: xsrv (server, id 2) ==[@kmemif-xy in x]== xcli (client, id 2) :ns x
#                                 [@kmemif-xy in y]== ycli (client, id 2) :ns y
#   5, 5b (then born, born2 deleted):
#     root: rsrv (server, id 5) ==[/run/k84.sock]== bcli (client, born in born) :ns live
#     ns live: bsrv (server, born in born2) ==[/run/k84b.sock]== rcli2 (client) :root
#   end: cli2 and srv2 (server, @kmemif-srv2), born in h, waiting in c2; h deleted

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping ss
require_memif_ko
require_memifctl

ASOCK=@kmemif-test
XYSOCK=@kmemif-xy
PSOCK=/run/k84.sock
PSOCK2=/run/k84b.sock
SSOCK=@kmemif-srv2
GONE="the namespace the link was created in is gone"

# state_is NS DEV STATE
state_is() {
	local s
	s=$(memif_json "$1" "$2" state)
	[ "$s" = "$3" ] || { log "$1/$2: state '$s', want '$3'"; return 1; }
}

# reason_has NS DEV TEXT: DEV's disc_reason contains TEXT.
reason_has() {
	local r
	r=$(memif_json "$1" "$2" disc_reason)
	case "$r" in
	*"$3"*) ;;
	*) log "$1/$2: disc_reason '$r', want '...$3...'"; return 1 ;;
	esac
}

# stays_waiting SECONDS NS DEV [NS DEV...]: for SECONDS, every link named
# stays "waiting for peer" with no longer UP.
stays_waiting() {
	local deadline s c i
	deadline=$(__time_add "$EPOCHREALTIME" "$1")
	shift
	while :; do
		for ((i = 1; i <= $#; i += 2)); do
			s=$(memif_json "${@:i:1}" "${@:i+1:1}" state)
			c=$(oper_up "${@:i:1}" "${@:i+1:1}")
			if [ "$s" != "waiting for peer" ] || [ "$c" != 0 ]; then
				log "${*:i:2}: state '$s', carrier '$c'"
				return 1
			fi
		done
		__time_before "$EPOCHREALTIME" "$deadline" || break
		sleep 0.3
	done
	for ((i = 1; i <= $#; i += 2)); do
		log "${*:i:2}: disc_reason '$(memif_json "${@:i:1}" "${@:i+1:1}" disc_reason)'"
	done
}

# abstract_listening NS @NAME: a unix socket listens on @NAME in NS.
abstract_listening() {
	ns_exec "$1" ss -xlH | awk '{ print $5 }' | grep -qxF -- "$2"
}

# carriers_on NS DEV [NS DEV...]: all UP within 10 s.
carriers_on() {
	while [ "$#" -ge 2 ]; do
		wait_oper_up "$1" "$2" 1 10 || { log "$1/$2: not UP"; return 1; }
		shift 2
	done
}

# ns_probe NS: a veth pair, NS-probe here and its peer in NS: when the
# kernel tears NS down, its end goes and takes NS-probe with it.
ns_probe() {
	ip link add "$1-probe" type veth peer name probe netns "$1"
	defer ns_probe_del "$1"
}

ns_probe_del() {
	! ns_alive "$1" || ip link del dev "$1-probe"
}

ns_alive() {
	ip link show dev "$1-probe" >/dev/null 2>&1
}

# born_in NS ARG...: memifctl ARG... in NS: a link created there is born there.
born_in() {
	local ns=$1
	shift
	ns_exec "$ns" "$MEMIFCTL" "$@"
}

ktap_plan 44

memif_load
ns_create h s c c2 x y born born2 live

# --- 1: both born in h, moved to s and c ------------------------------------

check "1: server and client created in h on $ASOCK" eval "
	born_in h add srv role server socket $ASOCK id 1 &&
	born_in h add cli role client socket $ASOCK id 1"
ip -n h link set dev srv up
ip -n h link set dev cli up
check "1: both up in h: connected" carriers_on h srv h cli
check "1: server moved to s, client moved to c" eval "
	ip -n h link set dev srv netns s && ip -n h link set dev cli netns c &&
	ip -n s link show dev srv && ip -n c link show dev cli"
check "1: moving took them down (admin down, state down, not UP)" eval "
	state_is s srv down && state_is c cli down &&
	[ \"\$(memif_json s srv admin_up)/\$(memif_json s srv carrier)\" = false/false ] &&
	[ \"\$(memif_json c cli admin_up)/\$(memif_json c cli carrier)\" = false/false ]"
link_up s srv 10.84.1.1/24
link_up c cli 10.84.1.2/24
check "1: both UP in their new namespaces" carriers_on s srv c cli
check "1: $ASOCK listens in h (the birthplace), not in s" eval "
	abstract_listening h $ASOCK && ! abstract_listening s $ASOCK"
check "1: the client sees the server's name" \
	test "$(memif_json c cli peer_name)" = srv
check "1: ping c -> s -c 20: 0% loss" \
	ns_exec c ping -c 20 -i 0.05 -W 2 -q 10.84.1.1

# --- 4: the namespace holding the client is deleted --------------------------

ip netns del c
check "4: netns c deleted: the server's no longer UP within 2 s" \
	wait_oper_up s srv 0 2
check "4: the server is back to waiting for peer" \
	wait_for "state_is s srv 'waiting for peer'" 2
check "4: a new client born in h, moved to c2" eval "
	born_in h add cli2 role client socket $ASOCK id 1 &&
	ip -n h link set dev cli2 netns c2"
link_up c2 cli2 10.84.1.3/24
check "4: the server accepts the new client: both UP" \
	carriers_on c2 cli2 s srv
check "4: ping c2 -> s -c 20: 0% loss" \
	ns_exec c2 ping -c 20 -i 0.05 -W 2 -q 10.84.1.1

# --- 3: the namespace holding the server is deleted --------------------------

ip netns del s
check "3: netns s deleted: the client's no longer UP within 2 s" \
	wait_oper_up c2 cli2 0 2
check "3: the client is back to waiting for peer" \
	wait_for "state_is c2 cli2 'waiting for peer'" 2
check "3: the server's listening socket is gone from h" \
	wait_for "! abstract_listening h $ASOCK" 5
check "3: the client keeps waiting (nobody listens on $ASOCK in h)" \
	stays_waiting 2 c2 cli2

# --- 2: abstract names of different namespaces do not meet -------------------

check "2: server born in x, client born in y, both on $XYSOCK" eval "
	born_in x add xsrv role server socket $XYSOCK id 2 &&
	born_in y add ycli role client socket $XYSOCK id 2"
link_up x xsrv 10.84.2.1/24
link_up y ycli 10.84.2.2/24
check "2: the server listens on $XYSOCK in x, nobody in y" eval "
	wait_for 'abstract_listening x $XYSOCK' 5 && ! abstract_listening y $XYSOCK"
check "2: neither connects: both stay waiting for peer for 4 s" \
	stays_waiting 4 x xsrv y ycli
check "2: but a client born in x on the same name connects" eval "
	born_in x add xcli role client socket $XYSOCK id 2 &&
	ip -n x link set dev xcli up && carriers_on x xcli x xsrv"

# --- 5: the birthplace of a connected link is deleted ------------------------

ns_probe born
check "5: client born in 'born', moved to 'live'; server in root on $PSOCK" \
	eval "
	memifctl add rsrv role server socket $PSOCK id 5 &&
	born_in born add bcli role client socket $PSOCK id 5 &&
	ip -n born link set dev bcli netns live"
link_up - rsrv 10.84.5.1/24
link_up live bcli 10.84.5.2/24
check "5: connected" carriers_on live bcli - rsrv
check "5: ping live -> root -c 20: 0% loss" \
	ns_exec live ping -c 20 -i 0.05 -W 2 -q 10.84.5.1
ip netns del born
# af_unix creates the server's end of a connection in the client's
# namespace, with a reference on it: unless the driver keeps its sockets
# out of the birthplace, "born" is not torn down while connected.
check "5: netns born is torn down within 2 s (its veth probe is gone)" \
	wait_for "! ns_alive born" 2
check "5: the client's no longer UP within 2 s" wait_oper_up live bcli 0 2
check "5: the client's disc_reason says '$GONE'" reason_has live bcli "$GONE"
check "5: the server's no longer UP, back to waiting for peer" eval "
	wait_oper_up - rsrv 0 2 && wait_for \"state_is - rsrv 'waiting for peer'\" 2"
if [ "$(oper_up live bcli)" = 1 ]; then
	# So that the rest checks what happens after the teardown.
	log "bcli still connected and born not torn down: the connection keeps"
	log "it alive; taking rsrv down until born is gone"
	ip link set dev rsrv down
	wait_for "! ns_alive born" 10 || log "born still there"
	ip link set dev rsrv up
fi
check "5: the client, still in live, does not reconnect for 3 s (server up)" \
	eval "wait_for '[ -S $PSOCK ]' 2 && stays_waiting 3 live bcli"
ip -n live link set dev bcli down
ip -n live link set dev bcli up
check "5: down and up again in live: still no connection for 3 s, '$GONE'" \
	eval "stays_waiting 3 live bcli && reason_has live bcli '$GONE'"
check "5: the client is deleted cleanly" eval "
	ip -n live link del dev bcli && ! ip -n live link show dev bcli"
check "5: the server still takes clients: a new one in the root namespace" \
	eval "
	memifctl add rcli role client socket $PSOCK id 5 &&
	ip link set dev rcli up && carriers_on - rcli - rsrv"

# --- 5b: the same for a server -----------------------------------------------

ns_probe born2
check "5b: server born in born2, moved to live; client in root on $PSOCK2" \
	eval "
	born_in born2 add bsrv role server socket $PSOCK2 id 6 &&
	ip -n born2 link set dev bsrv netns live &&
	memifctl add rcli2 role client socket $PSOCK2 id 6"
link_up live bsrv 10.84.6.1/24
link_up - rcli2 10.84.6.2/24
check "5b: connected" carriers_on live bsrv - rcli2
check "5b: ping root -> live -c 20: 0% loss" ping -c 20 -i 0.05 -W 2 -q 10.84.6.1
ip netns del born2
check "5b: born2 torn down, the server's no longer UP within 2 s" eval "
	wait_for '! ns_alive born2' 2 && wait_oper_up live bsrv 0 2"
check "5b: the server's disc_reason says '$GONE'" reason_has live bsrv "$GONE"
check "5b: $PSOCK2 removed; the client's no longer UP, it waits" eval "
	wait_for '[ ! -e $PSOCK2 ]' 2 && wait_oper_up - rcli2 0 2 &&
	state_is - rcli2 'waiting for peer'"
ip -n live link set dev bsrv down
ip -n live link set dev bsrv up
# A server whose birthplace is gone says why and stops trying, as a
# client does.
check "5b: down and up again in live: does not listen for 3 s, '$GONE'" \
	eval "stays_waiting 3 live bsrv && [ ! -e $PSOCK2 ] &&
	reason_has live bsrv '$GONE'"
check "5b: the server is deleted cleanly" eval "
	ip -n live link del dev bsrv && ! ip -n live link show dev bsrv"

# --- h, the birthplace of cli2 and srv2 (both waiting, in c2), deleted -------

check "a server born in h, moved to c2, listens on $SSOCK in h" eval "
	born_in h add srv2 role server socket $SSOCK id 9 &&
	ip -n h link set dev srv2 netns c2 && ip -n c2 link set dev srv2 up &&
	wait_for 'abstract_listening h $SSOCK' 5"
ip netns del h
# Links that were not connected say why too (they stop retrying or
# listening), not only connected ones.
check "h deleted: cli2 (waiting client, in c2) says '$GONE'" \
	wait_for "reason_has c2 cli2 '$GONE'" 3
check "h deleted: srv2 (waiting server, in c2) says '$GONE'" \
	wait_for "reason_has c2 srv2 '$GONE'" 3
check "h deleted: both stay waiting" stays_waiting 2 c2 cli2 c2 srv2

ktap_finished
