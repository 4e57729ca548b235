// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: drain the client's S2C ring in a NAPI poll, copy each frame
 * (one slot, or a chain) into an skb, give the buffers back to the peer
 * (move head) and re-enable interrupts before completing.
 *
 * The ring is shared with the peer, which may change it at any time: each
 * descriptor field is read once into a local and checked before use, and
 * our own cursor, never the shared head, says where our buffers are.
 */
#include "memif.h"

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/skbuff.h>

/**
 * memif_rx_irq() - the peer kicked an rx ring
 * @q: the queue
 *
 * Masks further kicks while NAPI runs.  Any context.
 */
void memif_rx_irq(struct memif_queue *q)
{
	/* Pairs with the release in memif_datapath_start(). */
	if (!smp_load_acquire(&q->mdev->live))
		return;
	WRITE_ONCE(q->ring->flags, MEMIF_RING_FLAG_MASK_INT);
	napi_schedule(&q->napi);
}

/**
 * memif_rx_refill_all() - hand every buffer of an S2C ring to the peer
 * @q: the queue, freshly connected
 */
void memif_rx_refill_all(struct memif_queue *q)
{
	/* The descriptors were written before: publish them. */
	smp_store_release(&q->ring->head, (u16)(q->cursor + q->mask + 1));
}

/* Frame length of the chain at @slot, or a negative errno. */
static int memif_rx_chain(const struct memif_queue *q, u16 slot, u16 avail,
			  u32 bsize, u16 *nslots)
{
	u32 total = 0;
	u16 n = 0;

	for (;;) {
		const struct memif_desc *d = &q->ring->desc[(slot + n) & q->mask];
		u16 flags = READ_ONCE(d->flags);
		u32 len = READ_ONCE(d->length);

		*nslots = ++n;
		if (!len || len > bsize)
			return -EINVAL;
		total += len;
		if (!(flags & MEMIF_DESC_FLAG_NEXT))
			break;
		if (n > q->mask || total > MEMIF_MAX_FRAME)
			return -EINVAL;
		if (n == avail)
			return -EAGAIN;
	}
	return total > MEMIF_MAX_FRAME ? -EINVAL : total;
}

/* Copy a chain whose total was @total when measured; 0 or -EINVAL. */
static int memif_rx_copy(struct memif_queue *q, struct sk_buff *skb,
			 u16 slot, u16 n, u32 total, u32 bsize)
{
	u16 i;

	for (i = 0; i < n; i++) {
		u32 idx = (slot + i) & q->mask;
		u32 len = READ_ONCE(q->ring->desc[idx].length);

		/* Read again: it may have changed since it was measured. */
		if (!len || len > bsize || len > total - skb->len)
			return -EINVAL;
		skb_put_data(skb, q->bufs + idx * bsize, len);
	}
	return skb->len == total ? 0 : -EINVAL;
}

static __be16 memif_rx_ip_proto(const struct sk_buff *skb)
{
	switch (skb->data[0] >> 4) {
	case 4:
		return htons(ETH_P_IP);
	case 6:
		return htons(ETH_P_IPV6);
	default:
		return 0;
	}
}

/* Hand a frame to the stack; false if it is not one we can carry. */
static bool memif_rx_deliver(struct memif_queue *q, struct sk_buff *skb)
{
	struct net_device *dev = q->mdev->dev;

	if (q->mdev->cfg.mode == MEMIF_MODE_IP) {
		skb->protocol = memif_rx_ip_proto(skb);
		if (!skb->protocol)
			goto drop;
		skb->dev = dev;
		skb_reset_mac_header(skb);
	} else {
		if (skb->len < ETH_HLEN)
			goto drop;
		skb->protocol = eth_type_trans(skb, dev);
	}
	napi_gro_receive(&q->napi, skb);
	return true;

drop:
	kfree_skb(skb);
	return false;
}

/* Give consumed slots back: reset their capacity (the peer wrote lengths
 * into them) and publish the new head, one ring ahead of our cursor.
 */
static void memif_rx_refill(struct memif_queue *q, u16 from, u32 bsize)
{
	u16 slot;

	for (slot = from; slot != q->cursor; slot++) {
		struct memif_desc *d = &q->ring->desc[slot & q->mask];

		WRITE_ONCE(d->length, bsize);
		WRITE_ONCE(d->flags, 0);
	}
	/* Our reads of the buffers are done before the peer may reuse them. */
	smp_store_release(&q->ring->head, (u16)(q->cursor + q->mask + 1));
}

/**
 * memif_rx_poll() - NAPI poll of one S2C ring
 * @napi: the queue's NAPI context
 * @budget: at most this many frames
 *
 * Return: frames received.
 */
int memif_rx_poll(struct napi_struct *napi, int budget)
{
	struct memif_queue *q = container_of(napi, struct memif_queue, napi);
	struct memif_dev *m = q->mdev;
	u32 bsize = m->cfg.buffer_size;
	u64 pkts = 0, bytes = 0, drops = 0, errors = 0;
	u16 start = q->cursor, tail, avail;
	int done = 0;

	/* Pairs with the peer's release of tail: descriptors are written. */
	tail = smp_load_acquire(&q->ring->tail);
	avail = tail - q->cursor;
	if (unlikely(avail > q->mask + 1)) {
		memif_ctrl_fault(m, "tail out of range on an S2C ring");
		avail = 0;
	}

	while (done < budget && avail) {
		struct sk_buff *skb;
		u16 n = 0;
		int len;

		len = memif_rx_chain(q, q->cursor, avail, bsize, &n);
		if (len == -EAGAIN)
			break;	/* the rest of the chain is not written yet */
		done++;
		if (len < 0) {
			/* Skip the slots measured, up to the bad one. */
			errors++;
			goto next;
		}
		skb = napi_alloc_skb(napi, len);
		if (unlikely(!skb)) {
			drops++;
			goto next;
		}
		if (memif_rx_copy(q, skb, q->cursor, n, len, bsize)) {
			kfree_skb(skb);
			errors++;
			goto next;
		}
		if (memif_rx_deliver(q, skb)) {
			pkts++;
			bytes += len;
		} else {
			drops++;
		}
next:
		q->cursor += n;
		avail -= n;
	}
	if (q->cursor != start)
		memif_rx_refill(q, start, bsize);
	if (unlikely(errors))
		memif_ctrl_fault(m, "bad descriptor on an S2C ring");
	memif_stats_add(&q->stats, pkts, bytes, drops, errors);

	if (done < budget && napi_complete_done(napi, done)) {
		WRITE_ONCE(q->ring->flags, 0);
		/* Unmask, then look again: the peer stores tail and then
		 * reads the flag, so a frame published before it saw the
		 * flag clear is ours to find here.
		 */
		smp_mb();
		if (READ_ONCE(q->ring->tail) != q->cursor)
			memif_rx_irq(q);
	}
	return done;
}
