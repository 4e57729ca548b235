/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memif: the checks of what a peer sends, control messages and rings.
 *
 * Pure functions: no sockets, no netdevice, no locks, no allocation.  They
 * are built into the module and, unchanged, into the userspace fuzzers of
 * tools/fuzz, which provide the few kernel headers included here.  The
 * ones the data path calls on every slot are inline below.
 */
#ifndef _MEMIF_VALIDATE_H
#define _MEMIF_VALIDATE_H

#include "proto.h"

#include <uapi/linux/if_memif.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/limits.h>

struct file;
struct folio;
struct page;

/* Largest frame a link carries, whatever its MTU. */
#define MEMIF_MAX_FRAME		65535
/* Regions a server accepts from one client, and their largest size (a
 * descriptor's offset is 32 bits); the link's max_memory bounds them all.
 */
#define MEMIF_MAX_REGIONS	16
#define MEMIF_REGION_MAX	BIT_ULL(32)
#define MEMIF_MAP_MAX		MEMIF_REGION_MAX

/**
 * struct memif_region - one shared memory region
 * @file: the memfd (shmem or hugetlbfs) or hugetlbfs file the peer maps
 * @pages: shmem: its pages, referenced while the region exists
 * @folios: hugetlbfs: its huge folios, referenced while the region exists
 * @n: number of @pages or @folios
 * @base: kernel mapping of them
 * @size: size announced to the peer
 * @allocated: bytes of it the kernel allocated (faulted in), on the link
 *	owner's account
 */
struct memif_region {
	struct file *file;
	struct page **pages;
	struct folio **folios;
	unsigned int n;
	void *base;
	u64 size;
	u64 allocated;
};

/**
 * struct memif_geometry - what a client runs with after the server's HELLO
 * @n_c2s: C2S rings
 * @n_s2c: S2C rings
 * @log2_ring_size: log2 of the slots per ring
 */
struct memif_geometry {
	u16 n_c2s;
	u16 n_s2c;
	u8 log2_ring_size;
};

void memif_copy_name(char *dst, const u8 *src, size_t len);
const char *memif_valid_hello(const struct memif_msg_hello *h,
			      const struct memif_geometry *want,
			      struct memif_geometry *run);
const char *memif_valid_init(const struct memif_msg_init *init, u8 mode,
			     bool secret);
const char *memif_valid_add_region(const struct memif_msg_add_region *ar,
				   bool has_file, u16 n_regions);
const char *memif_valid_add_ring(const struct memif_msg_add_ring *ar,
				 bool has_file, u16 n_rings, u16 max_rings);
const char *memif_valid_ring(const struct memif_msg_add_ring *ar,
			     const struct memif_region *regions, u16 n_regions);
u32 memif_ring_bytes(u8 log2_ring_size, u32 cacheline);
bool memif_ext_get(const struct memif_msg *msg, u32 *features);
void memif_ext_put(struct memif_msg *msg, u32 features);
u64 memif_ring_region_size(u16 n_tx, u16 n_rx, u8 log2, u32 bsize,
			   u32 cacheline);

/* Slots from index @from up to index @to of a ring of @mask + 1 slots;
 * U32_MAX when they are more than a ring apart, which a peer that keeps
 * to the protocol never makes them.
 */
static inline u32 memif_ring_distance(u16 from, u16 to, u16 mask)
{
	u16 n = to - from;

	return n > (u32)mask + 1 ? U32_MAX : n;
}

/* A server's view of a client's descriptor: where in @regions its buffer
 * is and, in @len, its length; NULL unless the whole buffer lies inside
 * one of the @n_regions regions.  Each field is read once.
 */
static inline u8 *memif_valid_desc(const struct memif_region *regions,
				   u16 n_regions, const struct memif_desc *d,
				   u32 *len)
{
	u16 region = READ_ONCE(d->region);
	u32 off = READ_ONCE(d->offset);
	const struct memif_region *r;

	*len = READ_ONCE(d->length);
	if (region >= n_regions || !*len)
		return NULL;
	r = &regions[region];
	if ((u64)off + *len > r->size)
		return NULL;
	return r->base + off;
}

/* The length of a received slot, 0 if the slot is bad: a server checks
 * the descriptor against the client's @regions; a client (@regions NULL)
 * never follows a descriptor, its buffers are its own layout's, of @bsize.
 */
static inline u32 memif_valid_rx_len(const struct memif_desc *d,
				     const struct memif_region *regions,
				     u16 n_regions, u32 bsize)
{
	u32 len;

	if (regions)
		return memif_valid_desc(regions, n_regions, d, &len) ? len : 0;
	len = READ_ONCE(d->length);
	return len <= bsize ? len : 0;
}

/* Measure the frame starting at @slot of the ring @desc, @mask, of which
 * @avail slots are the peer's: its length, the slots it takes in @nslots,
 * each slot checked as memif_valid_rx_len() does.  -EINVAL for a bad slot
 * (@nslots up to it) or a chain longer than the ring or than
 * MEMIF_MAX_FRAME; -EAGAIN for a chain that goes on past @avail.
 */
static inline int memif_valid_chain(const struct memif_desc *desc, u16 mask,
				    u16 slot, u16 avail,
				    const struct memif_region *regions,
				    u16 n_regions, u32 bsize, u16 *nslots)
{
	u32 total = 0;
	u16 n = 0;

	for (;;) {
		const struct memif_desc *d = &desc[(u16)(slot + n) & mask];
		u16 flags = READ_ONCE(d->flags);
		u32 len = memif_valid_rx_len(d, regions, n_regions, bsize);

		*nslots = ++n;
		if (!len || len > MEMIF_MAX_FRAME)
			return -EINVAL;
		total += len;
		if (!(flags & MEMIF_DESC_FLAG_NEXT))
			break;
		if (n > mask || total > MEMIF_MAX_FRAME)
			return -EINVAL;
		if (n == avail)
			return -EAGAIN;
	}
	return total > MEMIF_MAX_FRAME ? -EINVAL : total;
}

#endif /* _MEMIF_VALIDATE_H */
