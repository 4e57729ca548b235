/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memif link settings: command line parser and enum names, shared by
 * memifctl and the iproute2 link plugin.  No dependency on any netlink
 * library: the caller turns the parsed settings into attributes.
 */
#ifndef MEMIF_ARGS_H
#define MEMIF_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/if_memif.h>

/* Bits of memif_args.set: which settings were given. */
#define MEMIF_ARG_ROLE		(1u << 0)
#define MEMIF_ARG_SOCKET	(1u << 1)
#define MEMIF_ARG_ID		(1u << 2)
#define MEMIF_ARG_SECRET	(1u << 3)
#define MEMIF_ARG_MODE		(1u << 4)
#define MEMIF_ARG_RING_SIZE	(1u << 5)
#define MEMIF_ARG_BUFFER_SIZE	(1u << 6)
#define MEMIF_ARG_QUEUES	(1u << 7)
#define MEMIF_ARG_OFFLOADS	(1u << 8)
#define MEMIF_ARG_MAX_MEMORY	(1u << 9)
#define MEMIF_ARG_SOCKET_UID	(1u << 10)
#define MEMIF_ARG_SOCKET_GID	(1u << 11)
#define MEMIF_ARG_SOCKET_MODE	(1u << 12)
#define MEMIF_ARG_PEER_UID	(1u << 13)
#define MEMIF_ARG_PEER_GID	(1u << 14)
#define MEMIF_ARG_CACHELINE	(1u << 15)

/* The cache line VPP, libmemif and DPDK lay ring headers out for on this
 * CPU, which is what the kernel defaults to (IFLA_MEMIF_CACHELINE).
 */
#if defined(__aarch64__)
#define MEMIF_CACHELINE_DEFAULT	MEMIF_CACHELINE_128
#else
#define MEMIF_CACHELINE_DEFAULT	MEMIF_CACHELINE_64
#endif

/*
 * struct memif_args - settings of a memif link to be created or changed
 * @set: MEMIF_ARG_* bits of the fields below that were given; the
 *	others are zero and should be left to the kernel's defaults
 * @role: enum memif_role, for IFLA_MEMIF_ROLE
 * @mode: enum memif_mode, for IFLA_MEMIF_MODE
 * @log2_ring_size: for IFLA_MEMIF_LOG2_RING_SIZE ("ring-size" is given
 *	as a number of descriptors)
 * @offloads: for IFLA_MEMIF_OFFLOADS, 1 for "on", 0 for "off"
 * @socket_mode: for IFLA_MEMIF_SOCKET_MODE, given in octal
 * @cacheline: for IFLA_MEMIF_CACHELINE, 64 or 128
 * @id: for IFLA_MEMIF_ID
 * @buffer_size: for IFLA_MEMIF_BUFFER_SIZE
 * @queues: for both IFLA_NUM_TX_QUEUES and IFLA_NUM_RX_QUEUES
 * @socket_uid, @socket_gid, @peer_uid, @peer_gid: for IFLA_MEMIF_SOCKET_UID,
 *	_GID, IFLA_MEMIF_PEER_UID and _GID: given as a number or a user or
 *	group name; MEMIF_ID_NONE for "none", which clears the setting
 * @max_memory: for IFLA_MEMIF_MAX_MEMORY, in bytes ("1G" on the command
 *	line)
 * @socket: for IFLA_MEMIF_SOCKET, as given (a leading '@' included)
 * @secret: for IFLA_MEMIF_SECRET; may be "" (with MEMIF_ARG_SECRET set):
 *	no secret, which removes the secret of an existing link
 */
struct memif_args {
	unsigned int set;
	uint8_t role;
	uint8_t mode;
	uint8_t log2_ring_size;
	uint8_t offloads;
	uint16_t socket_mode;
	uint16_t cacheline;
	uint32_t id;
	uint32_t buffer_size;
	uint32_t queues;
	uint32_t socket_uid;
	uint32_t socket_gid;
	uint32_t peer_uid;
	uint32_t peer_gid;
	uint64_t max_memory;
	char socket[MEMIF_SOCKET_MAX + 1];
	char secret[MEMIF_SECRET_MAX + 1];
};

/*
 * memif_args_parse - parse "KEYWORD VALUE" pairs into @args
 * @argc, @argv: the words to parse, all of them (not a program name)
 * @args: zeroed and filled in
 * @err, @errlen: on failure, receives a one-line message without a
 *	trailing newline, e.g. "ring-size must be a power of two between 2
 *	and 16384 (got "1000")"
 *
 * Keywords: role, socket, id, secret, mode, ring-size, buffer-size,
 * queues, offloads (on or off), max-memory (bytes, with an optional K, M,
 * G or T: binary multiples), socket-uid, peer-uid (a number, a user name
 * or none), socket-gid, peer-gid (a number, a group name or none),
 * socket-mode (octal), cacheline (64 or 128).  Each may be given once.  Values are range checked
 * against the limits in <linux/if_memif.h>.  The same words create a link
 * and change one: the caller refuses what its request cannot change (the
 * number of queues of an existing link, for one).
 *
 * Return: 0 on success, -1 on a usage error.
 */
int memif_args_parse(int argc, char *const argv[], struct memif_args *args,
		     char *err, size_t errlen);

/*
 * memif_args_put - the settings of @args as IFLA_MEMIF_* attributes
 * @put: called for each setting given but the queues (not an attribute
 *	of IFLA_INFO_DATA), with the attribute's @type and @len bytes of
 *	payload at @data, in host byte order; strings with their NUL
 * @ctx: passed to @put
 *
 * Return: 0, or the first non-zero value @put returned.
 */
int memif_args_put(const struct memif_args *args,
		   int (*put)(void *ctx, uint16_t type, const void *data,
			      size_t len),
		   void *ctx);

/*
 * Names of enum values.  The *_name() functions return NULL for values
 * they do not know.  The *_parse() functions return 0 and store the value
 * on success, -1 for an unknown name; memif_role_parse() accepts "slave"
 * for client and "master" for server.
 */
const char *memif_role_name(unsigned int role);
int memif_role_parse(const char *s, uint8_t *role);
const char *memif_mode_name(unsigned int mode);
int memif_mode_parse(const char *s, uint8_t *mode);
const char *memif_state_name(unsigned int state);
/* enum memif_ring_dir: "c2s" and "s2c" */
const char *memif_ring_dir_name(unsigned int dir);
/*
 * IFLA_MEMIF_RUN_OFFLOADS: "tx,rx", "tx", "rx" or "none", by the
 * MEMIF_OFFLOAD_* bits set; other bits are ignored.  Never NULL.
 */
const char *memif_run_offloads_name(unsigned int run);

/*
 * memif_parse_u32 - parse a decimal or 0x-prefixed hexadecimal number
 * between @min and @max; no sign, no surrounding blanks.
 *
 * Return: 0 on success, -1 otherwise.
 */
int memif_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *val);

/*
 * memif_format_size - @bytes as an exact binary multiple, "64K", "512M",
 * "1G", "1T", or as a plain number of bytes when it is none (or 0)
 *
 * Return: @buf, of @len bytes; 24 are enough.
 */
const char *memif_format_size(uint64_t bytes, char *buf, size_t len);

#endif /* MEMIF_ARGS_H */
