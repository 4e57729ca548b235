// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: drain an rx ring in a NAPI poll (a client's S2C ring, a
 * server's C2S ring), copy each frame (one slot, or a chain) into an skb,
 * give the slots back to the peer and re-enable interrupts before
 * completing.  A client gives buffers back by moving head one ring ahead
 * of what it read; a server by moving tail.
 *
 * The ring is shared with the peer, which may change it at any time: each
 * descriptor field is read once into a local and checked before use.  A
 * client never follows a descriptor's region and offset: its own layout
 * says where its buffers are.  A server checks them against the regions.
 */
#include "memif.h"

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/virtio_net.h>

/* Frames up to this size go into one linear skb; larger ones (jumbo
 * frames, TSO super-frames from a kernel peer) get a head of
 * MEMIF_RX_HEAD bytes, for the headers, and page fragments.
 */
#define MEMIF_RX_LINEAR_MAX	(SKB_WITH_OVERHEAD(PAGE_SIZE) - NET_SKB_PAD - \
				 NET_IP_ALIGN)
#define MEMIF_RX_HEAD		256
/* Frames up to this size would get napi_alloc_skb()'s 1 kB fragment;
 * see memif_rx_alloc().
 */
#define MEMIF_RX_SMALL_MAX	(SKB_WITH_OVERHEAD(1024) - NET_SKB_PAD - \
				 NET_IP_ALIGN)

/* The peer's index of an rx ring: what it has published so far. */
static u16 memif_rx_peer_index(const struct memif_queue *q, bool server)
{
	if (server)	/* Pairs with the client's release of head. */
		return smp_load_acquire(&q->ring->head);
	/* Pairs with the server's release of tail: the slots are written. */
	return smp_load_acquire(q->tail);
}

/**
 * memif_rx_check() - look at the rx rings now and then, kick or not
 * @t: the link's rx_check timer, armed while the data path runs
 *
 * A receiver masks interrupts while it polls, then unmasks, issues a full
 * barrier and looks at the ring again.  VPP, libmemif and DPDK store their
 * index, then read the mask flag with no full barrier between: a store
 * still in a CPU's store buffer can miss our unmasking while our second
 * look misses the store.  The frame then waits for the peer's next kick,
 * which may never come (the reply to a ping).  So a timer looks at every
 * rx ring MEMIF_RX_CHECK_INTERVAL apart while connected: a frame lost so
 * is late by that much at most.  Not a deferrable one: an idle CPU, when
 * a frame waits for a kick, is what it is there for.
 */
void memif_rx_check(struct timer_list *t)
{
	struct memif_dev *m = from_timer(m, t, rx_check);
	bool server = memif_is_server(m);
	u16 i;

	/* Pairs with the release in memif_datapath_start(). */
	if (!smp_load_acquire(&m->live))
		return;
	for (i = 0; i < READ_ONCE(m->n_rx); i++) {
		struct memif_queue *q = &m->rxq[i];

		if (memif_rx_peer_index(q, server) != READ_ONCE(q->cursor))
			memif_rx_irq(q);
	}
	mod_timer(&m->rx_check, jiffies + MEMIF_RX_CHECK_INTERVAL);
}

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

/* Where slot @idx's data is, and its length; NULL if the slot is bad. */
static const u8 *memif_rx_buf(const struct memif_queue *q, u32 idx, u32 *len)
{
	const struct memif_desc *d = &q->desc[idx];
	const struct memif_dev *m = q->mdev;

	if (memif_is_server(m))
		return memif_desc_buf(m, d, len);
	*len = memif_valid_rx_len(d, NULL, 0, m->cfg.buffer_size);
	if (!*len)
		return NULL;
	return q->bufs + idx * m->cfg.buffer_size;
}

/* Frame length of the chain at @slot, or a negative errno: see
 * memif_valid_chain().
 */
static int memif_rx_chain(const struct memif_queue *q, u16 slot, u16 avail,
			  u16 *nslots)
{
	const struct memif_dev *m = q->mdev;

	return memif_valid_chain(q->desc, q->mask, slot, avail,
				 memif_is_server(m) ? m->regions : NULL,
				 m->n_regions, m->cfg.buffer_size, nslots);
}

/* An skb for a frame of @len bytes, its length set: linear if the frame
 * fits in a page, else a head of MEMIF_RX_HEAD bytes and page fragments.
 */
static struct sk_buff *memif_rx_alloc(struct memif_queue *q, u32 len)
{
	u32 head = len > MEMIF_RX_LINEAR_MAX ? MEMIF_RX_HEAD : len;
	struct page_frag *pf = &q->pfrag;
	struct sk_buff *skb;

	/* napi_alloc_skb() of 6.1 and 6.12 gives a head in this range a
	 * 1 kB page fragment: a 64 B frame costs a receiving socket 1280 B
	 * of its buffer, and a UDP socket with the default rmem is full
	 * after 166 of them.  netdev_alloc_skb() gives it a slab head (or,
	 * on 6.12 above 320 B, a fragment of its own size): a 64 B frame
	 * costs 768 B on 6.1, 960 B on 6.12; tap's from vhost-net cost
	 * 832 B.  (Kernels from 6.14 on no longer have the 1 kB fragment.)
	 */
	if (len <= MEMIF_RX_SMALL_MAX)
		skb = netdev_alloc_skb_ip_align(q->mdev->dev, len);
	else
		skb = napi_alloc_skb(&q->napi, head);
	if (unlikely(!skb))
		return NULL;
	skb_put(skb, head);
	for (len -= head; len; ) {
		u32 n;

		if (skb_shinfo(skb)->nr_frags == MAX_SKB_FRAGS ||
		    !skb_page_frag_refill(min_t(u32, len, PAGE_SIZE), pf,
					  GFP_ATOMIC)) {
			kfree_skb(skb);
			return NULL;
		}
		n = min(len, pf->size - pf->offset);
		get_page(pf->page);
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, pf->page,
				pf->offset, n, n);
		pf->offset += n;
		len -= n;
	}
	return skb;
}

/* Copy a chain whose total was @total when measured: to @dst if it is
 * not NULL, else into @skb, of that length.  0, or -EINVAL when the peer
 * changed the chain since.
 */
static int memif_rx_copy(struct memif_queue *q, u8 *dst, struct sk_buff *skb,
			 u16 slot, u16 n, u32 total)
{
	const u8 *buf;
	u32 len, off = 0;
	u16 i;

	if (!dst && !skb->data_len)
		dst = skb->data;
	for (i = 0; i < n; i++) {
		/* Read again: it may have changed since it was measured. */
		buf = memif_rx_buf(q, (slot + i) & q->mask, &len);
		if (!buf || len > total - off)
			return -EINVAL;
		if (dst)
			memcpy(dst + off, buf, len);
		else if (skb_store_bits(skb, off, buf, len))
			return -EINVAL;
		off += len;
	}
	return off == total ? 0 : -EINVAL;
}

/**
 * memif_rx_copy_linear() - copy a frame of an rx ring to a buffer
 * @q: the rx queue
 * @dst: where to, @total bytes
 * @slot: the frame's first slot
 * @n: the slots it takes
 * @total: its length, as memif_valid_chain() measured it
 *
 * Return: 0, or -EINVAL when the peer changed the chain since.
 */
int memif_rx_copy_linear(struct memif_queue *q, u8 *dst, u16 slot, u16 n,
			 u32 total)
{
	return memif_rx_copy(q, dst, NULL, slot, n, total);
}

/* The protocol of an IP mode frame, from its version nibble. */
static __be16 memif_rx_ip_proto(const struct sk_buff *skb, bool vnet)
{
	switch (skb->data[vnet ? sizeof(struct virtio_net_hdr) : 0] >> 4) {
	case 4:
		return htons(ETH_P_IP);
	case 6:
		return htons(ETH_P_IPV6);
	default:
		return 0;
	}
}

/* Take the virtio_net_hdr off the front of a frame and apply it: a TSO
 * super-frame, a checksum left to complete.  What the peer says is
 * checked as tun checks what userspace says, and more narrowly: a memif
 * link sends nothing but TCP super-frames, always with their checksum
 * to complete (the stack's TSO frames are CHECKSUM_PARTIAL).
 */
static bool memif_rx_vnet(struct sk_buff *skb)
{
	struct virtio_net_hdr vh;

	if (skb_copy_bits(skb, 0, &vh, sizeof(vh)))
		return false;
	switch (vh.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		break;
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_TCPV6:
		if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
			break;
		fallthrough;
	default:
		return false;
	}
	__skb_pull(skb, sizeof(vh));
	return !virtio_net_hdr_to_skb(skb, &vh, true);
}

/**
 * memif_rx_deliver() - hand a received frame to the stack
 * @q: the rx queue, in its NAPI poll
 * @skb: the frame, consumed
 *
 * Return: false if it is not a frame we can carry (it is dropped).
 */
bool memif_rx_deliver(struct memif_queue *q, struct sk_buff *skb)
{
	struct net_device *dev = q->mdev->dev;
	bool vnet = READ_ONCE(q->mdev->rx_vnet);

	if (q->mdev->cfg.mode == MEMIF_MODE_IP) {
		if (vnet && skb->len < sizeof(struct virtio_net_hdr) + 1)
			goto drop;
		skb->protocol = memif_rx_ip_proto(skb, vnet);
		if (!skb->protocol || (vnet && !memif_rx_vnet(skb)))
			goto drop;
		skb->dev = dev;
		skb_reset_mac_header(skb);
	} else {
		if (skb->len < (vnet ? sizeof(struct virtio_net_hdr) : 0) + ETH_HLEN)
			goto drop;
		/* The header's offsets count from the Ethernet header. */
		if (vnet && !memif_rx_vnet(skb))
			goto drop;
		skb->protocol = eth_type_trans(skb, dev);
	}
	napi_gro_receive(&q->napi, skb);
	return true;

drop:
	kfree_skb(skb);
	return false;
}

/* Give consumed slots back.  A client resets their capacity (the peer wrote
 * lengths into them) and publishes head one ring ahead of its cursor; a
 * server publishes its cursor as tail.
 */
static void memif_rx_refill(struct memif_queue *q, u16 from)
{
	u32 bsize = q->mdev->cfg.buffer_size;
	u16 slot;

	if (memif_is_server(q->mdev)) {
		/* Our reads of the buffers are done before the peer reuses them. */
		smp_store_release(q->tail, q->cursor);
		return;
	}
	for (slot = from; slot != q->cursor; slot++) {
		struct memif_desc *d = &q->desc[slot & q->mask];

		WRITE_ONCE(d->length, bsize);
		WRITE_ONCE(d->flags, 0);
	}
	/* Our reads of the buffers are done before the peer may reuse them. */
	smp_store_release(&q->ring->head, (u16)(q->cursor + q->mask + 1));
}

/**
 * memif_rx_start() - ready an rx ring of a new connection
 * @q: the queue, its cursor at the start
 *
 * Turns interrupts on and hands the peer what it may use: a client every
 * buffer, a server an empty ring (tail at the cursor).
 */
void memif_rx_start(struct memif_queue *q)
{
	WRITE_ONCE(q->ring->flags, 0);
	memif_rx_refill(q, q->cursor);
}

/**
 * memif_rx_stop() - release what an rx ring kept between polls
 * @q: the queue, its NAPI disabled
 */
void memif_rx_stop(struct memif_queue *q)
{
	if (q->pfrag.page) {
		put_page(q->pfrag.page);
		q->pfrag.page = NULL;
	}
}

/**
 * memif_rx_poll() - NAPI poll of one rx ring
 * @napi: the queue's NAPI context
 * @budget: at most this many frames
 *
 * Return: frames received.
 */
int memif_rx_poll(struct napi_struct *napi, int budget)
{
	struct memif_queue *q = container_of(napi, struct memif_queue, napi);
	struct memif_dev *m = q->mdev;
	bool server = memif_is_server(m);
	u64 pkts = 0, bytes = 0, drops = 0, errors = 0;
	unsigned int xdp_state = 0;
	u16 start = q->cursor;
	struct bpf_prog *prog;
	u32 avail;
	int done = 0;

	/* The peer wrote over the ring header: nothing in it can be trusted. */
	if (unlikely(READ_ONCE(q->ring->cookie) != MEMIF_COOKIE)) {
		memif_fault_ring(m, "ring cookie overwritten");
		napi_complete_done(napi, 0);
		return 0;
	}
	avail = memif_ring_distance(q->cursor, memif_rx_peer_index(q, server),
				    q->mask);
	if (unlikely(avail == U32_MAX)) {
		memif_fault_ring(m, "index out of range on an rx ring");
		avail = 0;
	}

	rcu_read_lock();
	prog = rcu_dereference(m->xdp_prog);
	while (done < budget && avail) {
		struct sk_buff *skb;
		u16 n = 0;
		int len;

		len = memif_rx_chain(q, q->cursor, avail, &n);
		if (unlikely(len == -EAGAIN)) {
			/* Peers publish whole chains with one index store:
			 * waiting for the rest would spin NAPI forever.
			 */
			memif_fault_desc(m, 1, "incomplete chain on an rx ring");
			break;
		}
		done++;
		if (len < 0) {
			/* Skip the slots measured, up to the bad one. */
			errors++;
			goto next;
		}
		if (prog) {
			/* Frames with offloads until the next connection. */
			if (unlikely(READ_ONCE(m->rx_vnet)))
				len = -ENOMEM;
			else
				len = memif_xdp_rx(q, prog, q->cursor, n, len,
						   &xdp_state) ?: len;
			if (len == -EINVAL) {
				errors++;
			} else if (len < 0) {
				drops++;
			} else {
				pkts++;
				bytes += len;
			}
			goto next;
		}
		skb = memif_rx_alloc(q, len);
		if (unlikely(!skb)) {
			drops++;
			goto next;
		}
		if (memif_rx_copy(q, NULL, skb, q->cursor, n, len)) {
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
	if (xdp_state)
		memif_xdp_rx_done(q, xdp_state);
	rcu_read_unlock();
	if (q->cursor != start)
		memif_rx_refill(q, start);
	if (unlikely(errors))
		memif_fault_desc(m, errors, "bad descriptor on an rx ring");
	memif_stats_add(&q->stats, pkts, bytes, drops, errors);

	if (done < budget && napi_complete_done(napi, done) &&
	    !READ_ONCE(m->fault_reason)) {
		WRITE_ONCE(q->ring->flags, 0);
		/* Unmask, then look again: the peer stores its index, then
		 * reads the flag, so a frame published before it saw the
		 * flag clear is ours to find here.
		 */
		smp_mb();
		if (memif_rx_peer_index(q, server) != q->cursor)
			memif_rx_irq(q);
	}
	return done;
}
