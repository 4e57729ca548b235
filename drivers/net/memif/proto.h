/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memif wire format: control messages, ring header and descriptors.
 *
 * Everything here is shared with the peer and in host byte order, as the
 * protocol defines it (little-endian on every platform the peers support),
 * so plain u16/u32/u64 are right, not __le types.
 *
 * Terms: server = master, client = slave; a C2S ring (client to server)
 * is what VPP and libmemif call S2M, an S2C ring is M2S.  The client owns
 * all shared memory and writes every ring's head; the server writes tail.
 */
#ifndef _MEMIF_PROTO_H
#define _MEMIF_PROTO_H

#include <uapi/linux/if_memif.h>
#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>

#define MEMIF_COOKIE		0x3E31F20
#define MEMIF_VERSION		0x0200
#define MEMIF_MSG_SIZE		128
#define MEMIF_NAME_LEN		32
#define MEMIF_SECRET_LEN	24
#define MEMIF_REASON_LEN	96

enum memif_msg_type {
	MEMIF_MSG_NONE = 0,
	MEMIF_MSG_ACK = 1,
	MEMIF_MSG_HELLO = 2,
	MEMIF_MSG_INIT = 3,
	MEMIF_MSG_ADD_REGION = 4,
	MEMIF_MSG_ADD_RING = 5,
	MEMIF_MSG_CONNECT = 6,
	MEMIF_MSG_CONNECTED = 7,
	MEMIF_MSG_DISCONNECT = 8,
};

/* HELLO, server to client: the server's limits (highest indices). */
struct memif_msg_hello {
	u8 name[MEMIF_NAME_LEN];
	u16 min_version;
	u16 max_version;
	u16 max_region;
	u16 max_s2c_ring;
	u16 max_c2s_ring;
	u8 max_log2_ring_size;
} __packed;

/* INIT, client to server: who the client is and what it wants. */
struct memif_msg_init {
	u16 version;
	u32 id;
	u8 mode;
	u8 secret[MEMIF_SECRET_LEN];
	u8 name[MEMIF_NAME_LEN];
} __packed;

/* ADD_REGION, client to server, with the region's memfd. */
struct memif_msg_add_region {
	u16 index;
	u64 size;
} __packed;

#define MEMIF_MSG_ADD_RING_FLAG_C2S	0x1

/* ADD_RING, client to server, with the ring's interrupt fd. */
struct memif_msg_add_ring {
	u16 flags;
	u16 index;
	u16 region;
	u32 offset;
	u8 log2_ring_size;
	u16 private_hdr_size;
} __packed;

/* CONNECT (client to server) and CONNECTED (server to client). */
struct memif_msg_connect {
	u8 if_name[MEMIF_NAME_LEN];
} __packed;

/* DISCONNECT, either way: a reason, NUL-terminated. */
struct memif_msg_disconnect {
	u32 code;
	u8 string[MEMIF_REASON_LEN];
} __packed;

/**
 * struct memif_msg - one control message, always exactly 128 bytes
 * @type: enum memif_msg_type
 */
struct memif_msg {
	u16 type;
	union {
		struct memif_msg_hello hello;
		struct memif_msg_init init;
		struct memif_msg_add_region add_region;
		struct memif_msg_add_ring add_ring;
		struct memif_msg_connect connect;
		struct memif_msg_disconnect disconnect;
		u8 raw[MEMIF_MSG_SIZE - sizeof(u16)];
	};
} __packed;

/* The Linux extension.  Every implementation sends zeros in the bytes a
 * message's fields leave unused and ignores what it finds there; two
 * memif.ko ends use the last 8 bytes of HELLO, INIT and CONNECTED to
 * agree on what else their frames carry:
 *
 *   HELLO (server)     magic, MEMIF_EXT_VNET_HDR: "I speak the extension"
 *   INIT (client)      only if HELLO had the magic: magic, and
 *                      MEMIF_EXT_VNET_HDR if it wants S2C frames with a
 *                      virtio_net_hdr in front
 *   CONNECTED (server) only if INIT had the magic: magic, and
 *                      MEMIF_EXT_VNET_HDR if it wants C2S frames so
 *
 * Each receiver decides for its own direction.  A link with offloads off
 * leaves the extension out: a client of its INIT, a server of its
 * CONNECTED, and a client whose CONNECTED has no magic uses none either.
 * A frame that carries the
 * header starts with a struct virtio_net_hdr (little-endian, 10 bytes),
 * then the Ethernet frame or IP packet; the descriptor lengths include
 * it.  The header says whether the frame is a TSO super-frame (gso_type,
 * gso_size) and whether its checksum is still to be completed
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM, csum_start, csum_offset), as it does
 * between tun and vhost.  Unknown feature bits are ignored.
 */
#define MEMIF_EXT_MAGIC		0x6c4d6946	/* "FiMl" */
#define MEMIF_EXT_OFFSET	120
#define MEMIF_EXT_VNET_HDR	0x1

/**
 * struct memif_msg_ext - the Linux extension's 8 bytes of a message
 * @magic: MEMIF_EXT_MAGIC
 * @features: MEMIF_EXT_* bits
 */
struct memif_msg_ext {
	u32 magic;
	u32 features;
} __packed;

#define MEMIF_DESC_FLAG_NEXT	0x1

/**
 * struct memif_desc - one ring slot
 * @flags: MEMIF_DESC_FLAG_NEXT when the packet continues in the next slot
 * @region: index of the region holding the buffer
 * @length: bytes of data (an empty S2C slot: the buffer's capacity)
 * @offset: offset of the data from the start of the region
 * @metadata: unused, 0
 */
struct memif_desc {
	u16 flags;
	u16 region;
	u32 length;
	u32 offset;
	u32 metadata;
} __packed;

#define MEMIF_RING_FLAG_MASK_INT	0x1

/* The ring header: cookie, flags and head in its first cache line, tail
 * alone at the start of the second, the descriptors from the third.  Each
 * peer lays it out for its build's cache line: 64 bytes, or 128 (libmemif
 * and VPP >= 24.02 on arm64, DPDK's generic armv8 build), which the
 * protocol does not tell; see memif_ring_tail() and memif_ring_desc().
 */
/**
 * struct memif_ring - the first cache line of a ring header
 * @cookie: MEMIF_COOKIE
 * @flags: MEMIF_RING_FLAG_MASK_INT when the receiver wants no interrupts
 * @head: the client's index
 */
struct memif_ring {
	u32 cookie;
	u16 flags;
	u16 head;
} __packed;

/* The server's index of a ring laid out for @cacheline-byte lines. */
static inline u16 *memif_ring_tail(struct memif_ring *ring, u32 cacheline)
{
	return (u16 *)((u8 *)ring + cacheline);
}

/* Its descriptors. */
static inline struct memif_desc *memif_ring_desc(struct memif_ring *ring,
						 u32 cacheline)
{
	return (struct memif_desc *)((u8 *)ring + 2 * cacheline);
}

static inline void memif_proto_build_checks(void)
{
	BUILD_BUG_ON(sizeof(struct memif_msg) != MEMIF_MSG_SIZE);
	BUILD_BUG_ON(sizeof(struct memif_desc) != 16);
	BUILD_BUG_ON(sizeof(struct memif_ring) > MEMIF_CACHELINE_64);
	BUILD_BUG_ON(offsetof(struct memif_ring, head) != 6);
	BUILD_BUG_ON(offsetof(struct memif_msg, hello.min_version) != 34);
	BUILD_BUG_ON(offsetof(struct memif_msg, hello.max_log2_ring_size) != 44);
	BUILD_BUG_ON(offsetof(struct memif_msg, init.mode) != 8);
	BUILD_BUG_ON(offsetof(struct memif_msg, init.secret) != 9);
	BUILD_BUG_ON(offsetof(struct memif_msg, init.name) != 33);
	BUILD_BUG_ON(offsetof(struct memif_msg, add_region.size) != 4);
	BUILD_BUG_ON(offsetof(struct memif_msg, add_ring.offset) != 8);
	BUILD_BUG_ON(offsetof(struct memif_msg, add_ring.private_hdr_size) != 13);
	BUILD_BUG_ON(offsetof(struct memif_msg, disconnect.string) != 6);
	/* The extension is clear of every field it shares a message with. */
	BUILD_BUG_ON(MEMIF_EXT_OFFSET + sizeof(struct memif_msg_ext) !=
		     MEMIF_MSG_SIZE);
	BUILD_BUG_ON(sizeof(u16) + sizeof(struct memif_msg_hello) >
		     MEMIF_EXT_OFFSET);
	BUILD_BUG_ON(sizeof(u16) + sizeof(struct memif_msg_init) >
		     MEMIF_EXT_OFFSET);
	BUILD_BUG_ON(sizeof(u16) + sizeof(struct memif_msg_connect) >
		     MEMIF_EXT_OFFSET);
}

#endif /* _MEMIF_PROTO_H */
