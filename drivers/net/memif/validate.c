// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of what a peer sends: control message fields and ring
 * placement.  See validate.h; tools/fuzz builds this file into userspace
 * fuzzers, so it includes nothing that needs the rest of the driver.
 */
#include "validate.h"

#include <linux/ctype.h>
#include <linux/minmax.h>
#include <linux/string.h>

/**
 * memif_copy_name() - copy a peer's fixed-size string field
 * @dst: where to put it, @len bytes
 * @src: the field, @len bytes, not necessarily NUL-terminated
 * @len: size of both, at least 1
 *
 * The copy is NUL-terminated and printable: other bytes become '?'.
 */
void memif_copy_name(char *dst, const u8 *src, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = isprint(src[i]) ? src[i] : '?';
	dst[i] = '\0';
}

/**
 * memif_valid_hello() - check a server's HELLO, and what a client runs with
 * @h: the HELLO
 * @want: the client's own limits: rings it has, its ring size
 * @run: set to what it runs with, when the HELLO is acceptable
 *
 * Return: NULL, or why the HELLO is refused.
 */
const char *memif_valid_hello(const struct memif_msg_hello *h,
			      const struct memif_geometry *want,
			      struct memif_geometry *run)
{
	if (h->min_version > MEMIF_VERSION || h->max_version < MEMIF_VERSION)
		return "incompatible protocol version";
	if (h->max_log2_ring_size < MEMIF_LOG2_RING_SIZE_MIN)
		return "server allows no usable ring size";
	run->n_c2s = min_t(u32, want->n_c2s, (u32)h->max_c2s_ring + 1);
	run->n_s2c = min_t(u32, want->n_s2c, (u32)h->max_s2c_ring + 1);
	run->log2_ring_size = min(want->log2_ring_size, h->max_log2_ring_size);
	return NULL;
}

/**
 * memif_valid_init() - check a client's INIT, but for its secret
 * @init: the INIT
 * @mode: the server link's mode
 * @secret: whether the server link has a secret; the caller compares it
 *
 * Return: NULL, or why the client is refused.
 */
const char *memif_valid_init(const struct memif_msg_init *init, u8 mode,
			     bool secret)
{
	if (init->version != MEMIF_VERSION)
		return "incompatible protocol version";
	if (init->mode != mode)
		return "mode mismatch";
	if (secret && !init->secret[0])
		return "secret required";
	return NULL;
}

/**
 * memif_valid_add_region() - check a client's ADD_REGION
 * @ar: the message
 * @has_file: whether a file came with it
 * @n_regions: regions the client added before
 *
 * Return: NULL, or why the region is refused.
 */
const char *memif_valid_add_region(const struct memif_msg_add_region *ar,
				   bool has_file, u16 n_regions)
{
	if (!has_file)
		return "missing memory region fd";
	if (ar->index != n_regions)
		return "unexpected region index";
	if (ar->index >= MEMIF_MAX_REGIONS)
		return "too many regions";
	if (!ar->size || ar->size > MEMIF_MAP_MAX)
		return "region size out of range";
	return NULL;
}

/**
 * memif_valid_add_ring() - check a client's ADD_RING, but for its place
 * @ar: the message
 * @has_file: whether a file came with it
 * @n_rings: rings of its direction the client added before
 * @max_rings: rings of its direction the server link has
 *
 * Return: NULL, or why the ring is refused.
 */
const char *memif_valid_add_ring(const struct memif_msg_add_ring *ar,
				 bool has_file, u16 n_rings, u16 max_rings)
{
	if (!has_file)
		return "missing ring interrupt fd";
	if (ar->flags & ~MEMIF_MSG_ADD_RING_FLAG_C2S)
		return "unknown ring flags";
	if (ar->index != n_rings)
		return "unexpected ring index";
	if (n_rings >= max_rings)
		return "too many rings";
	return NULL;
}

/**
 * memif_valid_ring() - check where a client's ADD_RING puts the ring
 * @ar: the message
 * @regions: the regions the client added
 * @n_regions: how many
 *
 * The ring header and all its descriptors must lie inside a region, for
 * the smaller of the two layouts at least: which one the client uses is
 * known once all its rings are (see memif_ring_server_layout()).
 *
 * Return: NULL, or why the ring is refused.
 */
const char *memif_valid_ring(const struct memif_msg_add_ring *ar,
			     const struct memif_region *regions, u16 n_regions)
{
	if (ar->private_hdr_size)
		return "private headers not supported";
	if (ar->log2_ring_size < MEMIF_LOG2_RING_SIZE_MIN ||
	    ar->log2_ring_size > MEMIF_LOG2_RING_SIZE_MAX)
		return "ring size out of range";
	if (ar->region >= n_regions)
		return "ring in an unknown region";
	if (ar->offset % 8 ||
	    (u64)ar->offset + memif_ring_bytes(ar->log2_ring_size,
					       MEMIF_CACHELINE_64) >
	    regions[ar->region].size)
		return "ring outside its region";
	return NULL;
}

/**
 * memif_ring_bytes() - size of a ring header with its descriptors
 * @log2_ring_size: log2 of the number of descriptors, at most
 *	MEMIF_LOG2_RING_SIZE_MAX
 * @cacheline: the layout's cache line, MEMIF_CACHELINE_64 or _128
 *
 * Return: bytes.
 */
u32 memif_ring_bytes(u8 log2_ring_size, u32 cacheline)
{
	return 2 * cacheline + (sizeof(struct memif_desc) << log2_ring_size);
}

/**
 * memif_ext_get() - the Linux extension in a message, if it is there
 * @msg: a HELLO, INIT or CONNECTED
 * @features: set to its MEMIF_EXT_* bits, unknown ones included
 *
 * Return: whether the message carries the extension's magic.
 */
bool memif_ext_get(const struct memif_msg *msg, u32 *features)
{
	struct memif_msg_ext ext;

	memcpy(&ext, (const u8 *)msg + MEMIF_EXT_OFFSET, sizeof(ext));
	*features = ext.magic == MEMIF_EXT_MAGIC ? ext.features : 0;
	return ext.magic == MEMIF_EXT_MAGIC;
}

/**
 * memif_ext_put() - add the Linux extension to a message
 * @msg: a HELLO, INIT or CONNECTED
 * @features: MEMIF_EXT_* bits
 */
void memif_ext_put(struct memif_msg *msg, u32 features)
{
	struct memif_msg_ext ext = {
		.magic = MEMIF_EXT_MAGIC,
		.features = features,
	};

	memcpy((u8 *)msg + MEMIF_EXT_OFFSET, &ext, sizeof(ext));
}

/**
 * memif_ring_region_size() - size of a client's region
 * @n_tx: C2S rings
 * @n_rx: S2C rings
 * @log2: log2 ring size
 * @bsize: buffer size
 * @cacheline: the ring layout's cache line
 *
 * Return: bytes; more than 4 GiB means the geometry cannot be used.
 */
u64 memif_ring_region_size(u16 n_tx, u16 n_rx, u8 log2, u32 bsize,
			   u32 cacheline)
{
	u64 rings = (u64)n_tx + n_rx;

	return rings * memif_ring_bytes(log2, cacheline) +
	       (rings << log2) * bsize;
}
