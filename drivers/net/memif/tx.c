// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: copy each frame into free buffers of the tx ring (a client's
 * C2S ring, a server's S2C ring), chaining slots with MEMIF_DESC_FLAG_NEXT
 * when it is larger than one buffer, and publish whole frames with one
 * index store: head for a client, tail for a server.  A client's buffers
 * are its own layout's; a server fills the buffers the client's
 * descriptors point to, after checking them against the regions, and
 * writes only their length and flags.
 *
 * The peer never tells us when it returns slots (moves tail), so while a
 * queue is stopped for lack of room a timer polls for it, backing off
 * from MEMIF_TX_POLL_MIN to MEMIF_TX_POLL_MAX.
 *
 * Kicks are coalesced (ethtool -C tx-usecs, tx-frames): see
 * memif_tx_flush().
 */
#include "memif.h"

#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <linux/virtio_net.h>

#define MEMIF_TX_POLL_MIN	(10 * NSEC_PER_USEC)
#define MEMIF_TX_POLL_MAX	(2 * NSEC_PER_MSEC)

/* Bytes of the largest frame we may send: a TSO super-frame when the
 * peer takes virtio_net_hdrs, else one of the MTU.
 */
static u32 memif_tx_max_frame(const struct memif_queue *q)
{
	const struct memif_dev *m = q->mdev;

	if (READ_ONCE(m->tx_vnet))
		return MEMIF_MAX_FRAME;
	return READ_ONCE(m->dev->mtu) + m->dev->hard_header_len + VLAN_HLEN;
}

/**
 * memif_tx_start() - ready a tx ring of a new connection
 * @q: the queue, its ring placed
 *
 * A server fills the client's buffers, whose size it only learns from
 * the empty descriptors the client offers: the first one's length is
 * taken as the size of all, for the room a frame needs (what it finds on
 * each descriptor is checked as it is used).
 */
void memif_tx_start(struct memif_queue *q)
{
	const struct memif_dev *m = q->mdev;
	u32 len;

	if (!memif_is_server(m)) {
		q->bsize = m->cfg.buffer_size;
		return;
	}
	len = READ_ONCE(q->desc[0].length);
	q->bsize = clamp_t(u32, len, MEMIF_BUFFER_SIZE_MIN,
			   MEMIF_BUFFER_SIZE_MAX);
}

/* Slots the largest frame takes, or the whole ring if that is less:
 * larger frames are dropped, they never wait for room.
 */
static u32 memif_tx_max_slots(const struct memif_queue *q)
{
	return min_t(u32, DIV_ROUND_UP(memif_tx_max_frame(q), q->bsize),
		     (u32)q->mask + 1);
}

/* Free slots of a tx ring.  The peer's index more than a ring away from
 * ours is a lie, reported as U32_MAX.
 */
static u32 memif_tx_free(const struct memif_queue *q)
{
	u16 peer;
	u32 n;

	if (memif_is_server(q->mdev)) {
		/* Pairs with the client's release of head: slots refilled. */
		peer = smp_load_acquire(&q->ring->head);
		return memif_ring_distance(q->cursor, peer, q->mask);
	}
	/* Pairs with the server's release of tail: its reads are done. */
	peer = smp_load_acquire(q->tail);
	n = memif_ring_distance(peer, q->cursor, q->mask);
	return n == U32_MAX ? n : q->mask + 1 - n;
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
		memif_fault_ring(m, "index out of range on a tx ring");
		return HRTIMER_NORESTART;
	}
	if (free >= memif_tx_max_slots(q)) {
		netif_tx_wake_queue(txq);
		return HRTIMER_NORESTART;
	}
	q->timer_ns = min_t(u64, q->timer_ns * 2, MEMIF_TX_POLL_MAX);
	hrtimer_forward_now(timer, ns_to_ktime(q->timer_ns));
	return HRTIMER_RESTART;
}

/**
 * memif_tx_kick() - tell the peer a tx ring has new frames
 * @q: the queue, live
 *
 * Unless the peer masked its interrupts.  Any context.
 */
void memif_tx_kick(struct memif_queue *q)
{
	/* Order the index store before reading the peer's mask flag; the
	 * peer clears the flag and then re-reads the index (memif-protocol
	 * 3.5).
	 */
	smp_mb();
	if (READ_ONCE(q->ring->flags) & MEMIF_RING_FLAG_MASK_INT)
		return;
	/* Counted first: the peer may count what it takes at once. */
	atomic64_inc(&q->kicks);
	memif_irq_signal(&q->irq);
}

/**
 * memif_tx_flush() - kick the peer for the frames published, now or soon
 * @q: the queue; its netdev queue locked by the caller
 * @now: kick now: the queue stopped, the peer has to drain it
 *
 * With tx-usecs 0 every batch of frames kicks.  Else a batch kicks at
 * once when no coalescing window is open, and opens one of tx-usecs; a
 * batch within it kicks only once tx-frames frames wait (if set), and
 * the window's end (memif_tx_kick_timer()) kicks for frames still
 * waiting and opens the next.  A peer that sleeps in interrupt mode
 * (VPP, libmemif) so wakes once per window, not once per batch, while
 * the first frame after a quiet moment goes at once.
 *
 * A kick is moved, never skipped: the ring has no event index telling
 * us the peer is still awake, and one that goes back to sleep just
 * after we looked would never see the frames.  A frame waits about
 * tx-usecs for its kick at most: the timer is a soft one, later under a
 * flood of soft interrupts, and a window already open keeps the length
 * it was opened with.  Frames XDP sends kick at once (xdp.c).
 */
static void memif_tx_flush(struct memif_queue *q, bool now)
{
	const struct memif_dev *m = q->mdev;
	u32 usecs = READ_ONCE(m->tx_usecs);
	u32 frames = READ_ONCE(m->tx_frames);

	if (!q->unkicked)
		return;
	if (now || !usecs || !q->kick_armed ||
	    (frames && q->unkicked >= frames)) {
		memif_tx_kick(q);
		q->unkicked = 0;
	}
	if (usecs && !q->kick_armed) {
		q->kick_armed = true;
		hrtimer_start(&q->kick_timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
	}
}

/**
 * memif_tx_kick_timer() - the end of a kick coalescing window
 * @timer: the queue's kick timer
 *
 * Kicks for the frames published in the window, and opens the next one
 * if there were any; else the next frame kicks at once.
 *
 * Return: whether a window follows.
 */
enum hrtimer_restart memif_tx_kick_timer(struct hrtimer *timer)
{
	struct memif_queue *q = container_of(timer, struct memif_queue,
					     kick_timer);
	struct memif_dev *m = q->mdev;
	struct netdev_queue *txq = netdev_get_tx_queue(m->dev, q->idx);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	u32 usecs = READ_ONCE(m->tx_usecs);

	__netif_tx_lock(txq, smp_processor_id());
	/* Not live: the ring is going away with the frames on it. */
	if (q->unkicked && READ_ONCE(m->live)) {
		memif_tx_kick(q);
		q->unkicked = 0;
		if (usecs) {
			hrtimer_forward_now(timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC));
			ret = HRTIMER_RESTART;
		}
	}
	if (ret == HRTIMER_NORESTART)
		q->kick_armed = false;
	__netif_tx_unlock(txq);
	return ret;
}

/**
 * struct memif_tx_src - a frame to send
 * @hdr: first, @hlen bytes of a header (a virtio_net_hdr), or nothing
 * @hlen: its length
 * @skb: then the frame, from an skb
 * @data: or from a buffer (XDP)
 * @len: the frame's length, the header's not included
 */
struct memif_tx_src {
	const void *hdr;
	u32 hlen;
	const struct sk_buff *skb;
	const void *data;
	u32 len;
};

/* Fill @chunk bytes of a buffer from byte @off of @src on. */
static void memif_tx_fill(u8 *buf, const struct memif_tx_src *src, u32 off,
			  u32 chunk)
{
	if (off < src->hlen) {
		u32 n = min(src->hlen - off, chunk);

		memcpy(buf, src->hdr + off, n);
		buf += n;
		off += n;
		chunk -= n;
	}
	if (!chunk)
		return;
	if (src->skb)
		skb_copy_bits(src->skb, off - src->hlen, buf, chunk);
	else
		memcpy(buf, src->data + off - src->hlen, chunk);
}

/* Copy @src into the ring from our cursor on, using at most @free slots.
 * Return: the slots used, 0 if the frame does not fit, -EINVAL when a
 * client's descriptor is bad.  Nothing is published.
 */
static int memif_tx_copy(struct memif_queue *q, const struct memif_tx_src *src,
			 u32 free)
{
	bool server = memif_is_server(q->mdev);
	u32 bsize = q->mdev->cfg.buffer_size;
	u32 off = 0, len = src->hlen + src->len, n = 0;

	while (off < len) {
		u32 idx = (u16)(q->cursor + n) & q->mask;
		struct memif_desc *d = &q->desc[idx];
		u32 chunk, cap = bsize;
		u8 *buf;

		if (n == free)
			return 0;
		if (server) {
			/* The client's empty buffer: its length is the room. */
			buf = memif_desc_buf(q->mdev, d, &cap);
			if (!buf)
				return -EINVAL;
		} else {
			buf = q->bufs + idx * bsize;
			/* Rewrite every field: the peer may have changed them. */
			WRITE_ONCE(d->region, 0);
			WRITE_ONCE(d->offset, q->buf_offset + idx * bsize);
		}
		chunk = min(cap, len - off);
		memif_tx_fill(buf, src, off, chunk);
		off += chunk;
		WRITE_ONCE(d->length, chunk);
		WRITE_ONCE(d->flags, off < len ? MEMIF_DESC_FLAG_NEXT : 0);
		n++;
	}
	return n;
}

/* Publish our cursor: descriptors and data before the index. */
static void memif_tx_publish(struct memif_queue *q)
{
	if (memif_is_server(q->mdev))	/* Pairs with the client's acquire. */
		smp_store_release(q->tail, q->cursor);
	else				/* Pairs with the server's acquire. */
		smp_store_release(&q->ring->head, q->cursor);
}

/**
 * memif_tx_frame() - send a frame from a buffer (XDP)
 * @q: the tx queue; its netdev queue locked by the caller
 * @data: the frame
 * @len: its length
 *
 * The caller kicks the peer once it is done.
 *
 * Return: 0 when sent, -ENETDOWN while disconnected, -ENOSPC when the ring
 * has no room, -EINVAL when the peer broke the ring (a fault is reported).
 */
int memif_tx_frame(struct memif_queue *q, const void *data, u32 len)
{
	struct memif_dev *m = q->mdev;
	struct virtio_net_hdr vh = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };
	struct memif_tx_src src = { .hdr = &vh, .data = data, .len = len };
	u32 free;
	int n;

	/* Pairs with the release in memif_datapath_start(). */
	if (unlikely(!smp_load_acquire(&m->live) || q->idx >= READ_ONCE(m->n_tx)))
		return -ENETDOWN;
	if (READ_ONCE(m->tx_vnet))
		src.hlen = sizeof(vh);
	free = memif_tx_free(q);
	if (unlikely(free == U32_MAX)) {
		memif_fault_ring(m, "index out of range on a tx ring");
		return -EINVAL;
	}
	n = memif_tx_copy(q, &src, free);
	if (unlikely(n < 0)) {
		memif_fault_desc(m, 1, "bad descriptor on a tx ring");
		return -EINVAL;
	}
	if (!n) {
		memif_stats_add(&q->stats, 0, 0, 1, 0);
		return -ENOSPC;
	}
	q->cursor += n;
	memif_tx_publish(q);
	memif_stats_add(&q->stats, 1, len, 0, 0);
	return 0;
}

/**
 * memif_tx_features_check() - ndo_features_check
 * @skb: a frame on its way to memif_tx_xmit()
 * @dev: the memif device
 * @features: what the stack would leave to us
 *
 * Checksums and TSO travel to the peer in a virtio_net_hdr: without one,
 * the stack completes them before the frame reaches us.  A TSO frame
 * must also fit in the ring.
 *
 * Return: @features, less what this frame cannot have offloaded.
 */
netdev_features_t memif_tx_features_check(struct sk_buff *skb,
					  struct net_device *dev,
					  netdev_features_t features)
{
	struct memif_dev *m = netdev_priv(dev);
	u16 qid = skb_get_queue_mapping(skb);

	if (!READ_ONCE(m->tx_vnet))
		return features & ~(NETIF_F_CSUM_MASK | NETIF_F_GSO_MASK);
	/* A TSO frame too large for the ring or for a chain is dropped. */
	if (skb_is_gso(skb) &&
	    (skb->len + sizeof(struct virtio_net_hdr) > MEMIF_MAX_FRAME ||
	     (qid < READ_ONCE(m->n_tx) &&
	      DIV_ROUND_UP(skb->len + sizeof(struct virtio_net_hdr),
			   READ_ONCE(m->txq[qid].bsize)) >
	      (u32)m->txq[qid].mask + 1)))
		return features & ~NETIF_F_GSO_MASK;
	return features;
}

/**
 * memif_tx_xmit() - ndo_start_xmit
 * @skb: the frame
 * @dev: the memif device
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t memif_tx_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct memif_dev *m = netdev_priv(dev);
	u16 qid = skb_get_queue_mapping(skb);
	struct memif_queue *q = &m->txq[qid];
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qid);
	struct virtio_net_hdr vh;
	struct memif_tx_src src = { .hdr = &vh, .skb = skb };
	u32 free, max;
	unsigned int len;
	int n;

	/* Pairs with the release in memif_datapath_start(). */
	if (unlikely(!smp_load_acquire(&m->live) || qid >= READ_ONCE(m->n_tx)))
		goto drop;
	if (READ_ONCE(m->tx_vnet)) {
		/* Only TCP is offered as TSO: nothing else can fail here. */
		if (unlikely(virtio_net_hdr_from_skb(skb, &vh, true, false, 0)))
			goto drop;
		src.hlen = sizeof(vh);
	} else if (unlikely(skb_is_gso(skb))) {
		/* Checked for a connection that ended since. */
		goto drop;
	} else if (skb->ip_summed == CHECKSUM_PARTIAL &&
		   skb_checksum_help(skb)) {
		goto drop;
	}
	len = skb->len;
	src.len = len;
	if (unlikely(!len || src.hlen + len > MEMIF_MAX_FRAME))
		goto drop;

	free = memif_tx_free(q);
	if (unlikely(free == U32_MAX)) {
		memif_fault_ring(m, "index out of range on a tx ring");
		goto drop;
	}
	n = memif_tx_copy(q, &src, free);
	if (unlikely(n < 0)) {
		memif_fault_desc(m, 1, "bad descriptor on a tx ring");
		goto drop;
	}
	if (unlikely(!n)) {
		/* The queue stops while there is room for the largest frame
		 * (below), so this is a server whose client's buffers are
		 * smaller than its first one said (memif_tx_start()), or a
		 * frame even an empty ring cannot hold: dropped, as the
		 * stack expects of a driver, not handed back.
		 */
		if (free != (u32)q->mask + 1) {
			netif_tx_stop_queue(txq);
			memif_tx_start_timer(q);
		}
		goto drop;
	}
	q->cursor += n;
	memif_tx_publish(q);
	q->unkicked++;
	memif_stats_add(&q->stats, 1, len, 0, 0);

	max = memif_tx_max_slots(q);
	if (free - n < max) {
		netif_tx_stop_queue(txq);
		/* The peer may have returned slots since we looked. */
		free = memif_tx_free(q);
		if (free != U32_MAX && free >= max)
			netif_tx_start_queue(txq);
		else
			memif_tx_start_timer(q);
	}
	if (!netdev_xmit_more() || netif_xmit_stopped(txq))
		memif_tx_flush(q, netif_xmit_stopped(txq));
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;

drop:
	memif_stats_add(&q->stats, 0, 0, 1, 0);
	dev_kfree_skb_any(skb);
	/* Pairs with the release in memif_datapath_start(): ring is set.
	 * The stack's real queue count is the connection's (ctrl.c), so qid
	 * is in range but for a frame racing a connection's end.  Frames
	 * published with xmit_more wait for a kick, which a stopped queue
	 * makes the last chance for.
	 */
	if (smp_load_acquire(&m->live) && qid < READ_ONCE(m->n_tx) &&
	    (!netdev_xmit_more() || netif_xmit_stopped(txq)))
		memif_tx_flush(q, netif_xmit_stopped(txq));
	return NETDEV_TX_OK;
}
