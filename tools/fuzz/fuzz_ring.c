// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the data path's checks of a ring the peer writes: ring index
 * distances, descriptors (a server's view of a client's regions, a
 * client's of its own buffers) and NEXT chains, as memif_rx_poll() and
 * memif_tx_xmit() use them.  Whatever the checks accept is then read or
 * written in full, in regions allocated at exactly their announced size,
 * so AddressSanitizer catches a buffer that is not inside its region, and
 * the properties below catch answers that are wrong.
 *
 * Input: role, ring size, regions and their sizes, the client's buffer
 * size, the two ring indexes, then the descriptors (zeroes when the input
 * runs out).
 */
#include "fuzz.h"

#define RX_BUDGET	64

struct ring_case {
	bool server;
	u16 mask;
	u16 n_regions;
	struct memif_region regions[MEMIF_MAX_REGIONS];
	u32 bsize;
	u16 cursor;
	u16 peer;
	u32 cl;
	struct memif_ring *ring;
};

/* Where a frame is copied to, and a client's own buffer of a slot. */
static u8 frame[MEMIF_MAX_FRAME], own_buf[U16_MAX];

/* As memif_rx_poll() and memif_rx_copy(): measure each chain, then copy
 * it slot by slot, as the checks allow.
 */
static void fuzz_rx(const struct ring_case *c)
{
	const struct memif_region *regions = c->server ? c->regions : NULL;
	const struct memif_desc *desc = memif_ring_desc(c->ring, c->cl);
	u32 avail = memif_ring_distance(c->cursor, c->peer, c->mask);
	u16 cursor = c->cursor;
	int done = 0;

	if (avail == U32_MAX)
		return;
	while (done++ < RX_BUDGET && avail) {
		u32 total = 0, len;
		u16 n = 0, i;
		int ret;

		ret = memif_valid_chain(desc, c->mask, cursor, avail, regions,
					c->n_regions, c->bsize, &n);
		PROPERTY(n >= 1 && n <= avail && n <= (u32)c->mask + 1);
		if (ret == -EAGAIN)
			break;
		PROPERTY(ret == -EINVAL || (ret > 0 && ret <= MEMIF_MAX_FRAME));
		for (i = 0; ret > 0 && i < n; i++) {
			const struct memif_desc *d = &desc[(u16)(cursor + i) &
							   c->mask];
			const u8 *buf;
			bool next = d->flags & MEMIF_DESC_FLAG_NEXT;

			PROPERTY(next == (i + 1 < n));
			if (c->server) {
				buf = memif_valid_desc(c->regions, c->n_regions,
						       d, &len);
				PROPERTY(buf);
				PROPERTY(d->region < c->n_regions);
			} else {
				len = memif_valid_rx_len(d, NULL, 0, c->bsize);
				PROPERTY(len && len <= c->bsize);
				/* A client's own buffers: not the peer's to say. */
				buf = own_buf;
			}
			PROPERTY(len == d->length);
			PROPERTY(len <= (u32)ret - total);
			if (c->server)
				touch(buf, len);
			memcpy(frame + total, buf, len);
			total += len;
		}
		PROPERTY(ret < 0 || total == (u32)ret);
		cursor += n;
		avail -= n;
	}
}

/* As memif_tx_copy() on a server: fill the client's buffers the free
 * slots point to, as far as the checks let us.
 */
static void fuzz_tx_server(const struct ring_case *c)
{
	u32 free = memif_ring_distance(c->cursor, c->peer, c->mask);
	u32 i, len;

	if (free == U32_MAX)
		return;
	PROPERTY(free <= (u32)c->mask + 1);
	PROPERTY((u16)(c->cursor + free) == c->peer);
	for (i = 0; i < free; i++) {
		struct memif_desc *d = memif_ring_desc(c->ring, c->cl) +
				       ((u16)(c->cursor + i) & c->mask);
		u8 *buf = memif_valid_desc(c->regions, c->n_regions, d, &len);
		const struct memif_region *r;

		if (!buf)
			continue;
		PROPERTY(len && d->region < c->n_regions);
		r = &c->regions[d->region];
		PROPERTY(buf >= (u8 *)r->base &&
			 buf + len <= (u8 *)r->base + r->size);
		memset(buf, 0xa5, len);
	}
}

/* Ring distances: exact when within a ring, U32_MAX otherwise. */
static void fuzz_distance(u16 from, u16 to, u16 mask)
{
	u32 n = memif_ring_distance(from, to, mask);
	u16 d = to - from;

	if (d <= (u32)mask + 1)
		PROPERTY(n == d);
	else
		PROPERTY(n == U32_MAX);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct ring_case c = {};
	u8 cfg = take8(&in);
	u8 log2 = MEMIF_LOG2_RING_SIZE_MIN +
		  take8(&in) % (MEMIF_LOG2_RING_SIZE_MAX -
				MEMIF_LOG2_RING_SIZE_MIN + 1);
	u32 cl = cfg & 2 ? MEMIF_CACHELINE_128 : MEMIF_CACHELINE_64;
	size_t ring_bytes = memif_ring_bytes(log2, cl);
	u16 i;

	c.server = cfg & 1;
	c.cl = cl;
	c.mask = (1U << log2) - 1;
	c.n_regions = take8(&in) % (MEMIF_MAX_REGIONS + 1);
	for (i = 0; i < c.n_regions; i++) {
		/* Small regions, allocated at exactly their size. */
		c.regions[i].size = 1 + take16(&in);
		c.regions[i].base = malloc(c.regions[i].size);
		memset(c.regions[i].base, 0, c.regions[i].size);
	}
	c.bsize = take16(&in);
	c.cursor = take16(&in);
	c.peer = take16(&in);
	c.ring = calloc(1, ring_bytes);
	take(&in, memif_ring_desc(c.ring, cl), ring_bytes - 2 * cl);

	fuzz_distance(c.cursor, c.peer, c.mask);
	fuzz_distance(c.peer, c.cursor, c.mask);
	fuzz_rx(&c);
	if (c.server)
		fuzz_tx_server(&c);

	free(c.ring);
	for (i = 0; i < c.n_regions; i++)
		free(c.regions[i].base);
	return 0;
}
