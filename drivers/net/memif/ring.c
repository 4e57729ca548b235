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
 */
#include "memif.h"

#include <linux/log2.h>
#include <linux/string.h>

static void memif_ring_init(struct memif_queue *q, void *base, u32 ring_off,
			    u32 buf_off, u8 log2, u32 bsize)
{
	u32 size = 1U << log2, i;
	struct memif_ring *ring = base + ring_off;

	ring->cookie = MEMIF_COOKIE;
	ring->flags = 0;
	ring->head = 0;
	ring->tail = 0;
	for (i = 0; i < size; i++) {
		struct memif_desc *d = &ring->desc[i];

		d->flags = 0;
		d->region = 0;
		d->length = bsize;
		d->offset = buf_off + i * bsize;
		d->metadata = 0;
	}
	q->ring = ring;
	q->ring_region = 0;
	q->ring_offset = ring_off;
	q->bufs = base + buf_off;
	q->buf_offset = buf_off;
	q->mask = size - 1;
	q->cursor = 0;
}

/**
 * memif_ring_client_layout() - write every ring of a fresh client region
 * @m: the device; @m->region exists, @m->n_tx, @m->n_rx, @m->run_log2 set
 */
void memif_ring_client_layout(struct memif_dev *m)
{
	u32 ring_bytes = memif_ring_bytes(m->run_log2);
	u32 bsize = m->cfg.buffer_size;
	u32 nrings = m->n_tx + m->n_rx;
	u32 slots = 1U << m->run_log2;
	void *base = m->regions[0].base;
	u32 i;

	for (i = 0; i < m->n_tx; i++)
		memif_ring_init(&m->txq[i], base, i * ring_bytes,
				nrings * ring_bytes + i * slots * bsize,
				m->run_log2, bsize);
	for (i = 0; i < m->n_rx; i++)
		memif_ring_init(&m->rxq[i], base, (m->n_tx + i) * ring_bytes,
				nrings * ring_bytes +
				(m->n_tx + i) * slots * bsize,
				m->run_log2, bsize);
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

/* Does the ring of @q, if placed, share a byte with [@off, @end)? */
static bool memif_ring_overlaps(const struct memif_queue *q, u16 region,
				u64 off, u64 end)
{
	u64 q_end;

	if (!q->ring || q->ring_region != region)
		return false;
	q_end = (u64)q->ring_offset + memif_ring_bytes(ilog2((u32)q->mask + 1));
	return off < q_end && q->ring_offset < end;
}

/**
 * memif_ring_server_place() - find a ring a client announced
 * @m: the server link
 * @q: the queue it is for
 * @ar: the client's ADD_RING
 *
 * The ring header and all its descriptors must lie inside a region the
 * client added before (memif_valid_ring()), and share no byte with a ring
 * placed before: two rings in one place would each have two writers of
 * every index.
 *
 * Return: NULL, or why the ring is refused.
 */
const char *memif_ring_server_place(struct memif_dev *m, struct memif_queue *q,
				    const struct memif_msg_add_ring *ar)
{
	const char *reason;
	u64 end;
	u16 i;

	reason = memif_valid_ring(ar, m->regions, m->n_regions);
	if (reason)
		return reason;
	end = (u64)ar->offset + memif_ring_bytes(ar->log2_ring_size);
	for (i = 0; i < m->n_rx; i++)
		if (memif_ring_overlaps(&m->rxq[i], ar->region, ar->offset, end))
			return "rings overlap";
	for (i = 0; i < m->n_tx; i++)
		if (memif_ring_overlaps(&m->txq[i], ar->region, ar->offset, end))
			return "rings overlap";
	q->ring = m->regions[ar->region].base + ar->offset;
	q->ring_region = ar->region;
	q->ring_offset = ar->offset;
	q->mask = (1U << ar->log2_ring_size) - 1;
	q->cursor = 0;
	q->bufs = NULL;
	return NULL;
}
