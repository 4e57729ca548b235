// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: copy each frame into free buffers of the client's C2S ring,
 * chaining slots with MEMIF_DESC_FLAG_NEXT when it is larger than one
 * buffer, and publish whole frames with one head store.
 *
 * The peer never tells us when it returns slots (moves tail), so while a
 * queue is stopped for lack of room a timer polls for it, backing off
 * from MEMIF_TX_POLL_MIN to MEMIF_TX_POLL_MAX.
 */
#include "memif.h"

#include <linux/if_vlan.h>
#include <linux/skbuff.h>

#define MEMIF_TX_POLL_MIN	(10 * NSEC_PER_USEC)
#define MEMIF_TX_POLL_MAX	(2 * NSEC_PER_MSEC)

static u32 memif_tx_max_slots(const struct memif_dev *m)
{
	u32 frame = READ_ONCE(m->dev->mtu) + m->dev->hard_header_len +
		    VLAN_HLEN;

	return DIV_ROUND_UP(frame, m->cfg.buffer_size);
}

/* Free slots of a C2S ring.  The peer writes tail: a value more than a
 * ring away from our head is a lie, reported as U32_MAX.
 */
static u32 memif_tx_free(const struct memif_queue *q)
{
	/* Pairs with the peer's release of tail: its reads are done. */
	u16 tail = smp_load_acquire(&q->ring->tail);
	u16 used = q->cursor - tail;

	if (used > (u32)q->mask + 1)
		return U32_MAX;
	return (u32)q->mask + 1 - used;
}

static void memif_tx_start_timer(struct memif_queue *q)
{
	q->timer_ns = MEMIF_TX_POLL_MIN;
	hrtimer_start(&q->timer, ns_to_ktime(q->timer_ns),
		      HRTIMER_MODE_REL_SOFT);
}

/**
 * memif_tx_timer() - poll a stopped queue for room
 * @timer: the queue's timer
 *
 * Return: whether to poll again.
 */
enum hrtimer_restart memif_tx_timer(struct hrtimer *timer)
{
	struct memif_queue *q = container_of(timer, struct memif_queue, timer);
	struct memif_dev *m = q->mdev;
	struct netdev_queue *txq = netdev_get_tx_queue(m->dev, q->idx);
	u32 free;

	if (!READ_ONCE(m->live))
		return HRTIMER_NORESTART;
	free = memif_tx_free(q);
	if (free == U32_MAX) {
		memif_ctrl_fault(m, "tail out of range on a C2S ring");
		return HRTIMER_NORESTART;
	}
	if (free >= memif_tx_max_slots(m)) {
		netif_tx_wake_queue(txq);
		return HRTIMER_NORESTART;
	}
	q->timer_ns = min_t(u64, q->timer_ns * 2, MEMIF_TX_POLL_MAX);
	hrtimer_forward_now(timer, ns_to_ktime(q->timer_ns));
	return HRTIMER_RESTART;
}

/**
 * memif_tx_kick_work() - signal the peer that a ring has new packets
 * @work: the queue's kick_work
 */
void memif_tx_kick_work(struct work_struct *work)
{
	struct memif_queue *q = container_of(work, struct memif_queue,
					     kick_work);

	memif_irq_signal(&q->irq);
}

static void memif_tx_kick(struct memif_queue *q)
{
	/* Order the head store before reading the peer's mask flag; the
	 * peer clears the flag and then re-reads head (memif-protocol 3.5).
	 */
	smp_mb();
	if (!(READ_ONCE(q->ring->flags) & MEMIF_RING_FLAG_MASK_INT))
		queue_work(system_highpri_wq, &q->kick_work);
}

static void memif_tx_copy(struct memif_queue *q, struct sk_buff *skb,
			  u32 bsize)
{
	u32 off = 0, len = skb->len;
	u16 slot = q->cursor;

	while (off < len) {
		u32 idx = slot & q->mask;
		u32 chunk = min(bsize, len - off);
		struct memif_desc *d = &q->ring->desc[idx];

		skb_copy_bits(skb, off, q->bufs + idx * bsize, chunk);
		off += chunk;
		/* Rewrite every field: the peer may have changed them. */
		WRITE_ONCE(d->region, 0);
		WRITE_ONCE(d->offset, q->buf_offset + idx * bsize);
		WRITE_ONCE(d->length, chunk);
		WRITE_ONCE(d->flags, off < len ? MEMIF_DESC_FLAG_NEXT : 0);
		slot++;
	}
	q->cursor = slot;
}

/**
 * memif_tx_xmit() - ndo_start_xmit
 * @skb: the frame
 * @dev: the memif device
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY when the ring has no room.
 */
netdev_tx_t memif_tx_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct memif_dev *m = netdev_priv(dev);
	u16 qid = skb_get_queue_mapping(skb);
	struct memif_queue *q = &m->txq[qid];
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qid);
	u32 bsize = m->cfg.buffer_size;
	u32 need, free, max;
	unsigned int len;

	/* Pairs with the release in memif_datapath_start(). */
	if (unlikely(!smp_load_acquire(&m->live) || qid >= READ_ONCE(m->n_tx)))
		goto drop;
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop;
	len = skb->len;
	need = DIV_ROUND_UP(len, bsize);
	if (unlikely(!len || len > MEMIF_MAX_FRAME || need > (u32)q->mask + 1))
		goto drop;

	free = memif_tx_free(q);
	if (unlikely(free == U32_MAX)) {
		memif_ctrl_fault(m, "tail out of range on a C2S ring");
		goto drop;
	}
	if (unlikely(free < need)) {
		netif_tx_stop_queue(txq);
		memif_tx_start_timer(q);
		return NETDEV_TX_BUSY;
	}

	memif_tx_copy(q, skb, bsize);
	/* Publish the frame: descriptors and data before head. */
	smp_store_release(&q->ring->head, q->cursor);
	memif_stats_add(&q->stats, 1, len, 0, 0);

	max = memif_tx_max_slots(m);
	if (free - need < max) {
		netif_tx_stop_queue(txq);
		/* The peer may have returned slots since we looked. */
		free = memif_tx_free(q);
		if (free != U32_MAX && free >= max)
			netif_tx_start_queue(txq);
		else
			memif_tx_start_timer(q);
	}
	if (!netdev_xmit_more() || netif_xmit_stopped(txq))
		memif_tx_kick(q);
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;

drop:
	memif_stats_add(&q->stats, 0, 0, 1, 0);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}
