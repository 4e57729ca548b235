// SPDX-License-Identifier: GPL-2.0
/*
 * Ring geometry and layout.
 *
 * A client lays out one region as VPP and DPDK do:
 *
 *   [C2S ring 0..n-1][S2C ring 0..m-1][buffers of C2S ring 0]...[of S2C m-1]
 *
 * and announces every ring's offset in ADD_RING.  Offsets in descriptors
 * are 32-bit, so the whole region must stay within 4 GiB.
 *
 * A ring header is laid out for a cache line of 64 or 128 bytes (proto.h),
 * and nothing in the handshake says which.  A client uses its setting.  A
 * server finds the client's from where it put its rings: VPP, libmemif and
 * DPDK pack them one after the other, 2 cache lines plus the descriptors
 * apart.  When the rings do not tell (not packed, or one alone in its
 * region), it uses its own setting.
 */
#include "memif.h"

#include <linux/log2.h>
#include <linux/string.h>

/* Point @q at the ring whose header is at @ring, of @log2 slots. */
static void memif_ring_set(struct memif_queue *q, struct memif_ring *ring,
			   u8 log2, u32 cacheline)
{
	q->ring = ring;
	q->tail = memif_ring_tail(ring, cacheline);
	q->desc = memif_ring_desc(ring, cacheline);
	q->mask = (1U << log2) - 1;
	q->cursor = 0;
}

static void memif_ring_init(struct memif_queue *q, void *base, u32 ring_off,
			    u32 buf_off, u8 log2, u32 bsize, u32 cacheline)
{
	struct memif_ring *ring = base + ring_off;
	u32 size = 1U << log2, i;

	memif_ring_set(q, ring, log2, cacheline);
	ring->cookie = MEMIF_COOKIE;
	ring->flags = 0;
	ring->head = 0;
	*q->tail = 0;
	for (i = 0; i < size; i++) {
		struct memif_desc *d = &q->desc[i];

		d->flags = 0;
		d->region = 0;
		d->length = bsize;
		d->offset = buf_off + i * bsize;
		d->metadata = 0;
	}
	q->ring_region = 0;
	q->ring_offset = ring_off;
	q->bufs = base + buf_off;
	q->buf_offset = buf_off;
}

/**
 * memif_ring_client_layout() - write every ring of a fresh client region
 * @m: the device; @m->region exists, @m->n_tx, @m->n_rx, @m->run_log2 and
 *	@m->run_cacheline set
 */
void memif_ring_client_layout(struct memif_dev *m)
{
	u32 ring_bytes = memif_ring_bytes(m->run_log2, m->run_cacheline);
	u32 bsize = m->cfg.buffer_size;
	u32 nrings = m->n_tx + m->n_rx;
	u32 slots = 1U << m->run_log2;
	void *base = m->regions[0].base;
	u32 i;

	for (i = 0; i < m->n_tx; i++)
		memif_ring_init(&m->txq[i], base, i * ring_bytes,
				nrings * ring_bytes + i * slots * bsize,
				m->run_log2, bsize, m->run_cacheline);
	for (i = 0; i < m->n_rx; i++)
		memif_ring_init(&m->rxq[i], base, (m->n_tx + i) * ring_bytes,
				nrings * ring_bytes +
				(m->n_tx + i) * slots * bsize,
				m->run_log2, bsize, m->run_cacheline);
}

/**
 * memif_ring_cookies_ok() - check that the peer left every cookie alone
 * @m: the device, with its rings laid out
 *
 * Return: true if every ring in use has its cookie.
 */
bool memif_ring_cookies_ok(struct memif_dev *m)
{
	u32 i;

	for (i = 0; i < m->n_tx; i++)
		if (READ_ONCE(m->txq[i].ring->cookie) != MEMIF_COOKIE)
			return false;
	for (i = 0; i < m->n_rx; i++)
		if (READ_ONCE(m->rxq[i].ring->cookie) != MEMIF_COOKIE)
			return false;
	return true;
}

/**
 * memif_ring_server_place() - note where a client announced a ring
 * @m: the server link
 * @q: the queue it is for
 * @ar: the client's ADD_RING
 *
 * The ring header and all its descriptors must lie inside a region the
 * client added before (memif_valid_ring()), for the 64-byte layout at
 * least; the rest is checked once every ring is known, by
 * memif_ring_server_layout().
 *
 * Return: NULL, or why the ring is refused.
 */
const char *memif_ring_server_place(struct memif_dev *m, struct memif_queue *q,
				    const struct memif_msg_add_ring *ar)
{
	const char *reason;

	reason = memif_valid_ring(ar, m->regions, m->n_regions);
	if (reason)
		return reason;
	memif_ring_set(q, m->regions[ar->region].base + ar->offset,
		       ar->log2_ring_size, MEMIF_CACHELINE_64);
	q->ring_region = ar->region;
	q->ring_offset = ar->offset;
	q->bufs = NULL;
	return NULL;
}

/* The ring the client announced as number @k: C2S rings first, as they
 * are announced.
 */
static struct memif_queue *memif_ring_nth(struct memif_dev *m, u16 k)
{
	return k < m->n_rx ? &m->rxq[k] : &m->txq[k - m->n_rx];
}

/* The client's cache line, from the distance between consecutive rings of
 * one region; 0 if they do not tell.
 */
static u32 memif_ring_infer_cacheline(struct memif_dev *m)
{
	u16 k, n = m->n_rx + m->n_tx;
	u32 found = 0, cl;
	u64 gap;

	for (k = 0; k + 1 < n; k++) {
		const struct memif_queue *a = memif_ring_nth(m, k);
		const struct memif_queue *b = memif_ring_nth(m, k + 1);

		if (a->ring_region != b->ring_region ||
		    b->ring_offset <= a->ring_offset)
			return 0;
		gap = b->ring_offset - a->ring_offset -
		      ((u64)sizeof(struct memif_desc) * (a->mask + 1));
		if (gap == 2 * MEMIF_CACHELINE_64)
			cl = MEMIF_CACHELINE_64;
		else if (gap == 2 * MEMIF_CACHELINE_128)
			cl = MEMIF_CACHELINE_128;
		else
			return 0;
		if (found && cl != found)
			return 0;
		found = cl;
	}
	return found;
}

/* Does the ring of @q share a byte with [@off, @end) of @region? */
static bool memif_ring_overlaps(const struct memif_queue *q, u16 region,
				u64 off, u64 end, u32 cacheline)
{
	u64 q_end = (u64)q->ring_offset +
		    memif_ring_bytes(ilog2((u32)q->mask + 1), cacheline);

	return q->ring_region == region && off < q_end && q->ring_offset < end;
}

/**
 * memif_ring_server_layout() - settle the layout of a client's rings
 * @m: the server link, all rings placed (memif_ring_server_place())
 *
 * Finds the client's cache line (see above), then checks that every ring
 * lies inside its region for it, and that no two rings share a byte: two
 * rings in one place would each have two writers of every index.
 *
 * Return: NULL, or why the rings are refused.
 */
const char *memif_ring_server_layout(struct memif_dev *m)
{
	u32 cl = memif_ring_infer_cacheline(m) ?: m->cfg.cacheline;
	u16 k, j, n = m->n_rx + m->n_tx;

	for (k = 0; k < n; k++) {
		struct memif_queue *q = memif_ring_nth(m, k);
		u8 log2 = ilog2((u32)q->mask + 1);
		u64 end = (u64)q->ring_offset + memif_ring_bytes(log2, cl);

		if (end > m->regions[q->ring_region].size)
			return "ring outside its region";
		for (j = 0; j < k; j++)
			if (memif_ring_overlaps(memif_ring_nth(m, j),
						q->ring_region, q->ring_offset,
						end, cl))
				return "rings overlap";
		memif_ring_set(q, q->ring, log2, cl);
	}
	WRITE_ONCE(m->run_cacheline, cl);
	return NULL;
}
