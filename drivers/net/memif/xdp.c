// SPDX-License-Identifier: GPL-2.0
/*
 * Native XDP.
 *
 * A frame on an rx ring lies in memory the peer may rewrite at any time,
 * with no room around it: the program runs on a copy, made into a page
 * fragment with XDP_PACKET_HEADROOM in front and room for an skb's shared
 * info behind, before any skb exists.  XDP_PASS builds the skb around that
 * copy, XDP_TX copies the frame onto the tx ring of the same index,
 * XDP_REDIRECT hands the fragment on.  Redirected frames reach a memif
 * link through memif_xdp_xmit() and are copied onto a tx ring too.
 *
 * Frames must fit in one page: a program is refused while the MTU is
 * larger, and the MTU cannot grow past that while one is attached.  Two
 * memif links may have agreed to send each other TSO super-frames and
 * partial checksums (proto.h), which no program could make sense of:
 * attaching the first program to a link that takes them ends the
 * connection, and the next one is made without.
 */
#include "memif.h"

#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <net/xdp.h>

/* Room of a page fragment for the frame itself. */
#define MEMIF_XDP_MAX_FRAME \
	(SKB_WITH_OVERHEAD(PAGE_SIZE) - XDP_PACKET_HEADROOM)

/**
 * memif_xdp_max_mtu() - the largest MTU a program can be attached with
 * @dev: the memif device
 *
 * Return: bytes.
 */
unsigned int memif_xdp_max_mtu(const struct net_device *dev)
{
	return MEMIF_XDP_MAX_FRAME - dev->hard_header_len - VLAN_HLEN;
}

static void memif_xdp_count(struct memif_queue *q, u64 *counter)
{
	u64_stats_update_begin(&q->xdp_stats.syncp);
	(*counter)++;
	u64_stats_update_end(&q->xdp_stats.syncp);
}

/**
 * memif_xdp_rx() - run the program on a frame of an rx ring
 * @q: the rx queue, in its NAPI poll
 * @prog: the program
 * @slot: the frame's first slot
 * @n: the slots it takes
 * @len: its length, as memif_valid_chain() measured it
 * @state: what the poll has to finish: MEMIF_XDP_FLUSH, MEMIF_XDP_KICK
 *
 * Return: 0 when the frame was taken (counted by its action), -ENOMEM
 * when there was no memory for the copy, -EMSGSIZE when it is too large
 * for a program (larger than the MTU allows), -EINVAL when the peer
 * changed the chain since it was measured.
 */
int memif_xdp_rx(struct memif_queue *q, struct bpf_prog *prog, u16 slot,
		 u16 n, u32 len, unsigned int *state)
{
	u32 truesize = SKB_DATA_ALIGN(XDP_PACKET_HEADROOM + len) +
		       SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct memif_dev *m = q->mdev;
	struct memif_queue *tq;
	struct netdev_queue *nq;
	struct xdp_buff xdp;
	struct sk_buff *skb;
	u32 act, metasize;
	u16 ntx;
	void *buf;
	bool ok;

	if (len > MEMIF_XDP_MAX_FRAME)
		return -EMSGSIZE;
	buf = napi_alloc_frag(truesize);
	if (unlikely(!buf))
		return -ENOMEM;
	if (memif_rx_copy_linear(q, buf + XDP_PACKET_HEADROOM, slot, n, len)) {
		skb_free_frag(buf);
		return -EINVAL;
	}
	xdp_init_buff(&xdp, truesize, &q->xdp_rxq);
	xdp_prepare_buff(&xdp, buf, XDP_PACKET_HEADROOM, len, true);

	act = bpf_prog_run_xdp(prog, &xdp);
	switch (act) {
	case XDP_PASS:
		metasize = xdp.data - xdp.data_meta;
		skb = napi_build_skb(buf, truesize);
		if (unlikely(!skb))
			break;
		skb_reserve(skb, xdp.data - buf);
		__skb_put(skb, xdp.data_end - xdp.data);
		if (metasize)
			skb_metadata_set(skb, metasize);
		memif_xdp_count(q, &q->xdp_stats.pass);
		memif_rx_deliver(q, skb);
		return 0;
	case XDP_TX:
		ntx = READ_ONCE(m->n_tx);
		tq = &m->txq[q->idx % ntx];
		nq = netdev_get_tx_queue(m->dev, tq->idx);
		__netif_tx_lock(nq, smp_processor_id());
		ok = !memif_tx_frame(tq, xdp.data, xdp.data_end - xdp.data);
		__netif_tx_unlock(nq);
		skb_free_frag(buf);
		if (!ok) {
			trace_xdp_exception(m->dev, prog, act);
			memif_xdp_count(q, &q->xdp_stats.tx_errors);
			return 0;
		}
		memif_xdp_count(q, &q->xdp_stats.tx);
		*state |= MEMIF_XDP_KICK;
		return 0;
	case XDP_REDIRECT:
		if (xdp_do_redirect(m->dev, &xdp, prog)) {
			skb_free_frag(buf);
			memif_xdp_count(q, &q->xdp_stats.redirect_errors);
			return 0;
		}
		memif_xdp_count(q, &q->xdp_stats.redirect);
		*state |= MEMIF_XDP_FLUSH;
		return 0;
	default:
		bpf_warn_invalid_xdp_action(m->dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(m->dev, prog, act);
		memif_xdp_count(q, &q->xdp_stats.aborted);
		skb_free_frag(buf);
		return 0;
	case XDP_DROP:
		memif_xdp_count(q, &q->xdp_stats.drop);
		skb_free_frag(buf);
		return 0;
	}
	skb_free_frag(buf);
	return -ENOMEM;
}

/**
 * memif_xdp_rx_done() - what a poll that ran the program has to finish
 * @q: the rx queue
 * @state: MEMIF_XDP_* bits memif_xdp_rx() set
 */
void memif_xdp_rx_done(struct memif_queue *q, unsigned int state)
{
	struct memif_dev *m = q->mdev;

	if (state & MEMIF_XDP_FLUSH)
		xdp_do_flush();
	if (state & MEMIF_XDP_KICK)
		memif_tx_kick(&m->txq[q->idx % READ_ONCE(m->n_tx)]);
}

/**
 * memif_xdp_xmit() - ndo_xdp_xmit: frames redirected to us
 * @dev: the memif device
 * @n: number of @frames
 * @frames: the frames
 * @flags: XDP_XMIT_FLUSH to kick the peer now
 *
 * Each frame sent is copied onto a tx ring and returned; the caller
 * returns the rest.
 *
 * Return: frames sent, or a negative errno.
 */
int memif_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		   u32 flags)
{
	struct memif_dev *m = netdev_priv(dev);
	unsigned int cpu = smp_processor_id();
	struct netdev_queue *nq;
	struct memif_queue *q;
	int i, sent = 0;
	u16 ntx;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	if (unlikely(m->cfg.mode != MEMIF_MODE_ETHERNET))
		return -EOPNOTSUPP;
	/* Pairs with the release in memif_datapath_start(). */
	if (unlikely(!smp_load_acquire(&m->live)))
		return -ENETDOWN;
	ntx = READ_ONCE(m->n_tx);
	if (unlikely(!ntx))
		return -ENETDOWN;
	q = &m->txq[cpu % ntx];
	nq = netdev_get_tx_queue(dev, q->idx);
	__netif_tx_lock(nq, cpu);
	for (i = 0; i < n; i++) {
		/* Only the linear part would be copied; 6.12 never asks
		 * (no NETDEV_XDP_ACT_NDO_XMIT_SG), 6.1 may.
		 */
		if (unlikely(xdp_frame_has_frags(frames[i])) ||
		    memif_tx_frame(q, frames[i]->data, frames[i]->len))
			break;
		xdp_return_frame(frames[i]);
		sent++;
	}
	/* CPUs share tx rings: the counters too, under the queue's lock. */
	u64_stats_update_begin(&q->xdp_stats.syncp);
	q->xdp_stats.xmit += sent;
	q->xdp_stats.xmit_errors += n - sent;
	u64_stats_update_end(&q->xdp_stats.syncp);
	__netif_tx_unlock(nq);
	if (sent && (flags & XDP_XMIT_FLUSH))
		memif_tx_kick(q);
	return sent;
}

/* Attach, replace or remove the program (under RTNL). */
static int memif_xdp_set(struct net_device *dev, struct bpf_prog *prog,
			 struct netlink_ext_ack *extack)
{
	struct memif_dev *m = netdev_priv(dev);
	struct bpf_prog *old = rtnl_dereference(m->xdp_prog);

	if (prog && m->cfg.mode != MEMIF_MODE_ETHERNET) {
		NL_SET_ERR_MSG_MOD(extack,
				   "native XDP needs an ethernet mode link (use xdpgeneric)");
		return -EOPNOTSUPP;
	}
	if (prog && dev->mtu > memif_xdp_max_mtu(dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "MTU too large for native XDP: a frame must fit in a page (MTU 3502 with 4 KiB pages)");
		return -ERANGE;
	}
	rcu_assign_pointer(m->xdp_prog, prog);
	if (old)
		bpf_prog_put(old);
	else if (prog)
		memif_ctrl_xdp_attached(m);
	return 0;
}

/**
 * memif_xdp_bpf() - ndo_bpf
 * @dev: the memif device
 * @bpf: the command
 *
 * Return: 0 or a negative errno.
 */
int memif_xdp_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return memif_xdp_set(dev, bpf->prog, bpf->extack);
	default:
		return -EINVAL;
	}
}

/**
 * memif_xdp_init_queue() - register an rx queue's XDP memory model
 * @q: the queue, its NAPI added
 *
 * Return: 0 or a negative errno.
 */
int memif_xdp_init_queue(struct memif_queue *q)
{
	int err;

	u64_stats_init(&q->xdp_stats.syncp);
	err = xdp_rxq_info_reg(&q->xdp_rxq, q->mdev->dev, q->idx,
			       q->napi.napi_id);
	if (err)
		return err;
	/* The copies are page fragments, freed as such wherever they go. */
	err = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (err)
		xdp_rxq_info_unreg(&q->xdp_rxq);
	return err;
}

/**
 * memif_xdp_free_queue() - undo memif_xdp_init_queue()
 * @q: the queue
 */
void memif_xdp_free_queue(struct memif_queue *q)
{
	if (xdp_rxq_info_is_reg(&q->xdp_rxq))
		xdp_rxq_info_unreg(&q->xdp_rxq);
}
