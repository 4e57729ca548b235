/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * memif: shared memory packet interface, rtnetlink ABI.
 *
 * A memif link is a netdevice whose packets travel through memory shared
 * with a peer process (FD.io VPP, libmemif, DPDK's net_memif) or with
 * another memif link.  A control channel, an AF_UNIX SOCK_SEQPACKET socket,
 * carries the handshake.  One side is the server (called "master" by VPP
 * and libmemif), which listens on the socket; the other is the client
 * ("slave"), which connects, allocates all shared memory and hands it to
 * the server.
 *
 * Links are created with RTM_NEWLINK, IFLA_INFO_KIND "memif", and the
 * attributes below nested in IFLA_INFO_DATA.  Every attribute is optional;
 * its default is given with it.  The standard attributes apply as usual:
 * IFLA_IFNAME (default "memif%d"), IFLA_MTU, IFLA_ADDRESS (default random),
 * IFLA_NUM_TX_QUEUES and IFLA_NUM_RX_QUEUES (default 1, at most
 * MEMIF_MAX_QUEUES): a client announces that many rings in each direction,
 * or fewer if the server's limits are lower.
 *
 * A request with an invalid value creates nothing and returns an error
 * with an extended ack message that names the problem.
 *
 * RTM_NEWLINK on an existing memif link (`ip link set DEV type memif ...`)
 * changes the settings it gives, and only those, while the link is
 * administratively down; it is refused with EBUSY while the link is up.
 * IFLA_MEMIF_MODE cannot be changed (the device type depends on it): it
 * is refused with EOPNOTSUPP unless it repeats the current mode.  An empty
 * IFLA_MEMIF_SECRET removes the secret.  The ring size and buffer size can
 * also be changed with ethtool -G (rx/tx, rx-buf-len) while down.
 *
 * IFLA_MEMIF_ROLE: u8, enum memif_role.  Default MEMIF_ROLE_CLIENT.
 *
 * IFLA_MEMIF_SOCKET: NUL-terminated string, the control socket.  A path
 *	names a socket in the filesystem, resolved by the kernel against the
 *	root of the initial mount namespace.  A name starting with '@' is an
 *	abstract socket (the '@' is replaced by a NUL byte, no trailing NULs),
 *	looked up in the network namespace where the link was created; the
 *	link keeps using that namespace after it is moved to another one.
 *	At most MEMIF_SOCKET_MAX bytes without the NUL.
 *	Default "/run/vpp/memif.sock".
 *
 * IFLA_MEMIF_ID: u32, the interface id presented in the handshake; a
 *	server matches it against its interfaces on that socket.  Default 0.
 *
 * IFLA_MEMIF_SECRET: NUL-terminated string of at most MEMIF_SECRET_MAX
 *	bytes, sent by a client, required from clients by a server.  Default:
 *	no secret.  Write-only: dumps report only IFLA_MEMIF_HAS_SECRET.
 *
 * IFLA_MEMIF_MODE: u8, enum memif_mode.  Default MEMIF_MODE_ETHERNET.
 *	MEMIF_MODE_IP makes a point-to-point L3 device without a link-layer
 *	header; the protocol of a received packet is taken from its IP
 *	version nibble.
 *
 * IFLA_MEMIF_LOG2_RING_SIZE: u8, log2 of the number of descriptors per
 *	ring, MEMIF_LOG2_RING_SIZE_MIN..MEMIF_LOG2_RING_SIZE_MAX.  Default 10
 *	(1024 slots).  A client uses the smaller of this and the server's
 *	limit.
 *
 * IFLA_MEMIF_BUFFER_SIZE: u32, bytes per packet buffer,
 *	MEMIF_BUFFER_SIZE_MIN..MEMIF_BUFFER_SIZE_MAX.  Default 2048.  Frames
 *	larger than one buffer are chained over several descriptors.  When
 *	DPDK is the peer, use DPDK's bsize.
 *
 * IFLA_MEMIF_OFFLOADS: u8, 1 to use offloads when the peer is another
 *	memif link (below), 0 never to: with 0 at either end, frames travel
 *	without them both ways.  Default 1.
 *
 * IFLA_MEMIF_MAX_MEMORY: u64, the most shared memory in bytes a connection
 *	may use, MEMIF_MAX_MEMORY_MIN..MEMIF_MAX_MEMORY_MAX.  Default
 *	MEMIF_MAX_MEMORY_DEFAULT (1 GiB: VPP's, libmemif's and DPDK's
 *	default rings and buffers take 4 MiB per queue pair, VPP's zero-copy
 *	client its buffer pools, about 40 MiB).  A server refuses a client
 *	whose regions add up to more, before it maps any; a client refuses a
 *	ring geometry that needs more (with EINVAL when it is configured),
 *	and counts the regions of earlier connections that the peer still
 *	holds.  Every page the kernel allocates or faults in for a link is
 *	charged to the memory cgroup of whoever created it or last changed
 *	its settings.
 *
 * IFLA_MEMIF_SOCKET_UID, IFLA_MEMIF_SOCKET_GID: u32, owner and group of a
 *	server's socket file (a path), as the requester's user namespace
 *	maps them.  Default MEMIF_ID_NONE: the user and group of whoever
 *	created the link (or last changed its settings), whose credentials
 *	bind, connect to and unlink socket paths.  Setting an owner other
 *	than oneself needs CAP_CHOWN, as chown(2) does.
 *
 * IFLA_MEMIF_SOCKET_MODE: u16, the permissions of a server's socket file,
 *	at most 0777.  Default MEMIF_SOCKET_MODE_DEFAULT (0755: only its
 *	owner may connect, as to VPP's own socket under the usual umask).
 *	A peer needs write permission to connect.
 *
 * IFLA_MEMIF_CACHELINE: u16, MEMIF_CACHELINE_64 or MEMIF_CACHELINE_128,
 *	the cache line a ring header is laid out for: cookie, flags and head
 *	in the first, tail at the start of the second, the descriptors from
 *	the third.  Peers use their CPU's: 128 bytes for libmemif and VPP
 *	>= 24.02 on arm64 and DPDK's generic armv8 build, 64 elsewhere, and
 *	the protocol does not tell.  A client lays its rings out so; a
 *	server finds the client's layout from where the client put its rings
 *	(packed one after the other, as VPP, libmemif and DPDK do) and uses
 *	this setting only when they do not tell.  Default 128 on arm64, 64
 *	on other CPUs.
 *
 * IFLA_MEMIF_PEER_UID, IFLA_MEMIF_PEER_GID: u32, the only effective user
 *	and group id the peer may have (SO_PEERCRED: a client's when it
 *	connected, a server's when it started listening), as the requester's
 *	user namespace maps them.  A server refuses other clients before it
 *	looks at their secret; a client hangs up on another server before it
 *	sends its secret, which is what stops somebody else from taking an
 *	abstract name first.  Default MEMIF_ID_NONE: any peer.
 *
 * Offloads.  Two memif links (this driver at both ends) agree in the
 * handshake, in bytes every other implementation leaves zero, to put a
 * struct virtio_net_hdr (<linux/virtio_net.h>, little-endian, 10 bytes) in
 * front of every frame, as tun and vhost do.  Each end asks for it for
 * the frames it receives, unless an XDP program is attached to it (a
 * program could make nothing of them: attaching the first one to a link
 * that receives offloads reconnects it without).  Frames sent
 * with the header leave TCP checksums and segmentation to the receiver:
 * a link sends TSO super-frames of up to 64 KiB (chained over as many
 * buffers as they take), which the receiver hands to its stack whole, so
 * TCP between two namespaces pays per super-frame, not per segment, as
 * over veth.  With VPP, libmemif and DPDK nothing changes: the stack
 * computes checksums and segments before the frame is copied.  ethtool
 * -K turns TSO and checksum offload off as for any device.
 *
 * Read-only attributes, reported in dumps (RTM_GETLINK):
 *
 * IFLA_MEMIF_STATE: u8, enum memif_state.
 * IFLA_MEMIF_HAS_SECRET: u8, 1 if a secret is configured.
 * IFLA_MEMIF_PEER_NAME: string, the peer's interface name (from CONNECT or
 *	CONNECTED), present while connected.
 * IFLA_MEMIF_PEER_APP: string, the peer's application name (from HELLO or
 *	INIT), present while connected.
 * IFLA_MEMIF_DISC_REASON: string, why the last connection ended or was
 *	refused, prefixed "local: " when this side ended it and "peer: " when
 *	the peer sent DISCONNECT.
 * IFLA_MEMIF_NUM_S2C_RINGS, IFLA_MEMIF_NUM_C2S_RINGS: u16, rings in use
 *	in each direction while connected.
 * IFLA_MEMIF_RUN_LOG2_RING_SIZE: u8, the negotiated ring size, while
 *	connected.
 * IFLA_MEMIF_REGIONS: nested, while connected: one IFLA_MEMIF_REGION_ENTRY
 *	(nested) per shared memory region, with
 *	IFLA_MEMIF_REGION_INDEX: u16, the region's index in descriptors;
 *	IFLA_MEMIF_REGION_SIZE: u64, its size in bytes.
 * IFLA_MEMIF_RINGS: nested, while connected: one IFLA_MEMIF_RING_ENTRY
 *	(nested) per ring in use, C2S rings first, each with
 *	IFLA_MEMIF_RING_DIR: u8, enum memif_ring_dir;
 *	IFLA_MEMIF_RING_QUEUE: u16, the queue index in that direction;
 *	IFLA_MEMIF_RING_LOG2_SIZE: u8, log2 of its number of slots;
 *	IFLA_MEMIF_RING_BUFFER_SIZE: u32, bytes per buffer, reported by
 *	clients only (a server does not know how a client divides its
 *	regions into buffers);
 *	IFLA_MEMIF_RING_REGION: u16 and IFLA_MEMIF_RING_OFFSET: u32, where
 *	the ring header is;
 *	IFLA_MEMIF_RING_HEAD, IFLA_MEMIF_RING_TAIL: u16, the ring's indexes
 *	as read from shared memory when the dump was made;
 *	IFLA_MEMIF_RING_FLAGS: u16, the ring's flags word:
 *	MEMIF_RING_FLAG_INT_MASKED set while the receiver polls and wants no
 *	interrupts.
 *	On every ring the client advances head and the server advances tail:
 *	on a C2S ring head - tail is what the server has yet to receive, on
 *	an S2C ring it is the number of empty buffers the client offers.
 * IFLA_MEMIF_RUN_OFFLOADS: u8, while connected: MEMIF_OFFLOAD_TX when the
 *	frames this link sends carry a virtio_net_hdr, MEMIF_OFFLOAD_RX when
 *	the frames it receives do.
 * IFLA_MEMIF_RUN_CACHELINE: u16, while connected: the ring layout in use.
 *
 * The settings are reported too, IFLA_MEMIF_SECRET but as
 * IFLA_MEMIF_HAS_SECRET; IFLA_MEMIF_SOCKET_UID, _GID, IFLA_MEMIF_PEER_UID
 * and _GID only when set.  IFLA_MEMIF_PAD only aligns IFLA_MEMIF_MAX_MEMORY.
 *
 * Terms: server = master, client = slave, C2S (client to server) = S2M,
 * S2C (server to client) = M2S, as VPP and libmemif call them.
 */
#ifndef _UAPI_LINUX_IF_MEMIF_H
#define _UAPI_LINUX_IF_MEMIF_H

#include <linux/types.h>

#define MEMIF_SOCKET_DEFAULT		"/run/vpp/memif.sock"
#define MEMIF_SOCKET_MAX		107
#define MEMIF_SECRET_MAX		23
#define MEMIF_LOG2_RING_SIZE_DEFAULT	10
#define MEMIF_LOG2_RING_SIZE_MIN	1
#define MEMIF_LOG2_RING_SIZE_MAX	14
#define MEMIF_BUFFER_SIZE_DEFAULT	2048
#define MEMIF_BUFFER_SIZE_MIN		128
#define MEMIF_BUFFER_SIZE_MAX		65535
#define MEMIF_MAX_QUEUES		255
/* IFLA_MEMIF_RING_FLAGS: the receiver does not want interrupts. */
#define MEMIF_RING_FLAG_INT_MASKED	0x1
/* IFLA_MEMIF_RUN_OFFLOADS: which direction's frames carry a virtio_net_hdr. */
#define MEMIF_OFFLOAD_TX		0x1
#define MEMIF_OFFLOAD_RX		0x2
#define MEMIF_MAX_MEMORY_DEFAULT	(1ULL << 30)
#define MEMIF_MAX_MEMORY_MIN		(1ULL << 20)
#define MEMIF_MAX_MEMORY_MAX		(1ULL << 36)
#define MEMIF_SOCKET_MODE_DEFAULT	0755
/* IFLA_MEMIF_SOCKET_UID, _GID, IFLA_MEMIF_PEER_UID, _GID: not set. */
#define MEMIF_ID_NONE			0xffffffffU
/* IFLA_MEMIF_CACHELINE, IFLA_MEMIF_RUN_CACHELINE */
#define MEMIF_CACHELINE_64		64
#define MEMIF_CACHELINE_128		128

/**
 * enum memif_role - which end of the control channel a link is
 * @MEMIF_ROLE_CLIENT: connects to the socket and owns the shared memory
 *	("slave" in VPP and libmemif)
 * @MEMIF_ROLE_SERVER: listens on the socket and maps the client's memory
 *	("master" in VPP and libmemif)
 */
enum memif_role {
	MEMIF_ROLE_CLIENT = 0,
	MEMIF_ROLE_SERVER = 1,
	__MEMIF_ROLE_MAX
};

/**
 * enum memif_mode - what a packet buffer holds
 * @MEMIF_MODE_ETHERNET: an Ethernet frame without FCS
 * @MEMIF_MODE_IP: an IPv4 or IPv6 packet, no link-layer header
 */
enum memif_mode {
	MEMIF_MODE_ETHERNET = 0,
	MEMIF_MODE_IP = 1,
	__MEMIF_MODE_MAX
};

/**
 * enum memif_state - connection state of a link
 * @MEMIF_STATE_DOWN: the link is administratively down
 * @MEMIF_STATE_WAITING: waiting for the peer (client: retrying to connect
 *	every second; server: listening)
 * @MEMIF_STATE_HANDSHAKE: the control channel is up, handshake running
 * @MEMIF_STATE_CONNECTED: shared memory in use, carrier on
 */
enum memif_state {
	MEMIF_STATE_DOWN = 0,
	MEMIF_STATE_WAITING = 1,
	MEMIF_STATE_HANDSHAKE = 2,
	MEMIF_STATE_CONNECTED = 3,
	__MEMIF_STATE_MAX
};

/**
 * enum memif_ring_dir - direction of a ring
 * @MEMIF_RING_C2S: client to server ("S2M" in VPP and libmemif)
 * @MEMIF_RING_S2C: server to client ("M2S")
 */
enum memif_ring_dir {
	MEMIF_RING_C2S = 0,
	MEMIF_RING_S2C = 1,
	__MEMIF_RING_DIR_MAX
};

enum {
	IFLA_MEMIF_UNSPEC,
	IFLA_MEMIF_ROLE,
	IFLA_MEMIF_SOCKET,
	IFLA_MEMIF_ID,
	IFLA_MEMIF_SECRET,
	IFLA_MEMIF_MODE,
	IFLA_MEMIF_LOG2_RING_SIZE,
	IFLA_MEMIF_BUFFER_SIZE,
	IFLA_MEMIF_STATE,
	IFLA_MEMIF_HAS_SECRET,
	IFLA_MEMIF_PEER_NAME,
	IFLA_MEMIF_PEER_APP,
	IFLA_MEMIF_DISC_REASON,
	IFLA_MEMIF_NUM_S2C_RINGS,
	IFLA_MEMIF_NUM_C2S_RINGS,
	IFLA_MEMIF_RUN_LOG2_RING_SIZE,
	IFLA_MEMIF_REGIONS,
	IFLA_MEMIF_RINGS,
	IFLA_MEMIF_OFFLOADS,
	IFLA_MEMIF_RUN_OFFLOADS,
	IFLA_MEMIF_PAD,
	IFLA_MEMIF_MAX_MEMORY,
	IFLA_MEMIF_SOCKET_UID,
	IFLA_MEMIF_SOCKET_GID,
	IFLA_MEMIF_SOCKET_MODE,
	IFLA_MEMIF_PEER_UID,
	IFLA_MEMIF_PEER_GID,
	IFLA_MEMIF_CACHELINE,
	IFLA_MEMIF_RUN_CACHELINE,
	__IFLA_MEMIF_MAX
};

#define IFLA_MEMIF_MAX (__IFLA_MEMIF_MAX - 1)

/* Inside IFLA_MEMIF_REGIONS and IFLA_MEMIF_RINGS: the type of each entry. */
#define IFLA_MEMIF_REGION_ENTRY	1
#define IFLA_MEMIF_RING_ENTRY	1

enum {
	IFLA_MEMIF_REGION_UNSPEC,
	IFLA_MEMIF_REGION_INDEX,
	IFLA_MEMIF_REGION_SIZE,
	IFLA_MEMIF_REGION_PAD,
	__IFLA_MEMIF_REGION_MAX
};

#define IFLA_MEMIF_REGION_MAX (__IFLA_MEMIF_REGION_MAX - 1)

enum {
	IFLA_MEMIF_RING_UNSPEC,
	IFLA_MEMIF_RING_DIR,
	IFLA_MEMIF_RING_QUEUE,
	IFLA_MEMIF_RING_LOG2_SIZE,
	IFLA_MEMIF_RING_BUFFER_SIZE,
	IFLA_MEMIF_RING_REGION,
	IFLA_MEMIF_RING_OFFSET,
	IFLA_MEMIF_RING_HEAD,
	IFLA_MEMIF_RING_TAIL,
	IFLA_MEMIF_RING_FLAGS,
	__IFLA_MEMIF_RING_MAX
};

#define IFLA_MEMIF_RING_MAX (__IFLA_MEMIF_RING_MAX - 1)

#endif /* _UAPI_LINUX_IF_MEMIF_H */
