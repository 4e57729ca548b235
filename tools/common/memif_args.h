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

/*
 * struct memif_args - settings of a memif link to be created or changed
 * @set: MEMIF_ARG_* bits of the fields below that were given; the
 *	others are zero and should be left to the kernel's defaults
 * @role: enum memif_role, for IFLA_MEMIF_ROLE
 * @mode: enum memif_mode, for IFLA_MEMIF_MODE
 * @log2_ring_size: for IFLA_MEMIF_LOG2_RING_SIZE ("ring-size" is given
 *	as a number of descriptors)
 * @offloads: for IFLA_MEMIF_OFFLOADS, 1 for "on", 0 for "off"
 * @id: for IFLA_MEMIF_ID
 * @buffer_size: for IFLA_MEMIF_BUFFER_SIZE
 * @queues: for both IFLA_NUM_TX_QUEUES and IFLA_NUM_RX_QUEUES
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
	uint32_t id;
	uint32_t buffer_size;
	uint32_t queues;
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
 * queues, offloads (on or off).  Each may be given once.  Values are
 * range checked against the limits in <linux/if_memif.h>.  The same words
 * create a link and change one: the caller refuses what its request
 * cannot change (the number of queues of an existing link, for one).
 *
 * Return: 0 on success, -1 on a usage error.
 */
int memif_args_parse(int argc, char *const argv[], struct memif_args *args,
		     char *err, size_t errlen);

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

#endif /* MEMIF_ARGS_H */
