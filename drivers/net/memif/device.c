// SPDX-License-Identifier: GPL-2.0
/*
 * The netdevice: ops, setup, queues, statistics, ethtool, and the pernet
 * hook that closes control sockets of a dying namespace.
 */
#include "memif.h"

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/virtio_net.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>
#ifdef MEMIF_HAVE_NETDEV_STAT_OPS
#include <net/netdev_queues.h>
#endif

static int memif_open(struct net_device *dev)
{
	memif_ctrl_start(netdev_priv(dev));
	return 0;
}

static int memif_stop(struct net_device *dev)
{
	memif_ctrl_stop(netdev_priv(dev));
	return 0;
}

/* Under RTNL, after ndo_stop: ctrl.c's rtnl_work, if it is queued, is
 * not waited for (it needs RTNL); it finds the device unregistered when it
 * runs, and drops the reference it holds.
 */
static void memif_uninit(struct net_device *dev)
{
	struct memif_dev *m = netdev_priv(dev);

	if (cancel_work(&m->rtnl_work))
		dev_put(dev);
}

static void memif_fetch_stats(struct memif_queue_stats *s, u64 *pkts,
			      u64 *bytes, u64 *drops, u64 *errors)
{
	u64 p, b, d, e;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		p = s->packets;
		b = s->bytes;
		d = s->drops;
		e = s->errors;
	} while (u64_stats_fetch_retry(&s->syncp, start));
	*pkts += p;
	*bytes += b;
	*drops += d;
	*errors += e;
}

static void memif_get_stats64(struct net_device *dev,
			      struct rtnl_link_stats64 *st)
{
	struct memif_dev *m = netdev_priv(dev);
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++)
		memif_fetch_stats(&m->txq[i].stats, &st->tx_packets,
				  &st->tx_bytes, &st->tx_dropped,
				  &st->tx_errors);
	for (i = 0; i < dev->num_rx_queues; i++)
		memif_fetch_stats(&m->rxq[i].stats, &st->rx_packets,
				  &st->rx_bytes, &st->rx_dropped,
				  &st->rx_errors);
}

/* Frames must fit in a page while an XDP program is attached (xdp.c). */
static int memif_change_mtu(struct net_device *dev, int mtu)
{
	struct memif_dev *m = netdev_priv(dev);

	if (rtnl_dereference(m->xdp_prog) && mtu > memif_xdp_max_mtu(dev)) {
		netdev_warn(dev, "MTU %d is too large while an XDP program is attached (at most %u)\n",
			    mtu, memif_xdp_max_mtu(dev));
		return -ERANGE;
	}
	WRITE_ONCE(dev->mtu, mtu);
	return 0;
}

static const struct net_device_ops memif_netdev_ops = {
	.ndo_uninit		= memif_uninit,
	.ndo_open		= memif_open,
	.ndo_stop		= memif_stop,
	.ndo_start_xmit		= memif_tx_xmit,
	.ndo_features_check	= memif_tx_features_check,
	.ndo_get_stats64	= memif_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= memif_change_mtu,
	.ndo_bpf		= memif_xdp_bpf,
	.ndo_xdp_xmit		= memif_xdp_xmit,
};

static void memif_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	/* No bus: the socket and id are in ip -d link show and memifctl. */
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, MEMIF_DRV_VERSION, sizeof(info->version));
}

/* Per queue: packets and bytes are the kernel's own per-queue statistics
 * where it has them (netdev_stat_ops, below), ethtool -S's else; drops
 * and errors, which they have no place for, are ethtool -S's.
 */
#ifdef MEMIF_HAVE_NETDEV_STAT_OPS
#define MEMIF_QUEUE_STATS_FIRST	2
#else
#define MEMIF_QUEUE_STATS_FIRST	0
#endif

static const char * const memif_queue_stat_names[] = {
#ifndef MEMIF_HAVE_NETDEV_STAT_OPS
	"packets", "bytes",
#endif
	"drops", "errors", "kicks",
};

#define MEMIF_QUEUE_STATS ARRAY_SIZE(memif_queue_stat_names)

/* Errors by cause, for the whole link: see struct memif_dev; then XDP's
 * counters, all queues together: see struct memif_xdp_stats.
 */
static const char * const memif_link_stat_names[] = {
	"handshake_errors", "bad_descriptor_errors", "ring_overflow_errors",
	"xdp_pass", "xdp_drop", "xdp_tx", "xdp_tx_errors", "xdp_redirect",
	"xdp_redirect_errors", "xdp_aborted", "xdp_xmit", "xdp_xmit_errors",
};

#define MEMIF_XDP_STATS 9

#define MEMIF_LINK_STATS ARRAY_SIZE(memif_link_stat_names)

static int memif_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return MEMIF_LINK_STATS +
	       MEMIF_QUEUE_STATS * (dev->num_rx_queues + dev->num_tx_queues);
}

static void memif_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	unsigned int i, j;
	u8 *p = buf;

	if (sset != ETH_SS_STATS)
		return;
	/* What ethtool_puts() does, which 6.1 lacks. */
	for (j = 0; j < MEMIF_LINK_STATS; j++, p += ETH_GSTRING_LEN)
		strscpy(p, memif_link_stat_names[j], ETH_GSTRING_LEN);
	for (i = 0; i < dev->num_rx_queues; i++)
		for (j = 0; j < MEMIF_QUEUE_STATS; j++)
			ethtool_sprintf(&p, "rx_queue_%u_%s", i,
					memif_queue_stat_names[j]);
	for (i = 0; i < dev->num_tx_queues; i++)
		for (j = 0; j < MEMIF_QUEUE_STATS; j++)
			ethtool_sprintf(&p, "tx_queue_%u_%s", i,
					memif_queue_stat_names[j]);
}

static void memif_put_queue_stats(struct memif_queue *q, u64 **data)
{
	u64 v[MEMIF_QUEUE_STATS_FIRST + MEMIF_QUEUE_STATS] = {};

	memif_fetch_stats(&q->stats, &v[0], &v[1], &v[2], &v[3]);
	v[4] = atomic64_read(&q->kicks);
	memcpy(*data, v + MEMIF_QUEUE_STATS_FIRST,
	       MEMIF_QUEUE_STATS * sizeof(*v));
	*data += MEMIF_QUEUE_STATS;
}

/* Add @q's XDP counters to @v, in memif_link_stat_names' order. */
static void memif_add_xdp_stats(struct memif_queue *q, u64 *v)
{
	const struct memif_xdp_stats *s = &q->xdp_stats;
	u64 c[MEMIF_XDP_STATS];
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		c[0] = s->pass;
		c[1] = s->drop;
		c[2] = s->tx;
		c[3] = s->tx_errors;
		c[4] = s->redirect;
		c[5] = s->redirect_errors;
		c[6] = s->aborted;
		c[7] = s->xmit;
		c[8] = s->xmit_errors;
	} while (u64_stats_fetch_retry(&s->syncp, start));
	for (i = 0; i < MEMIF_XDP_STATS; i++)
		v[i] += c[i];
}

static void memif_get_ethtool_stats(struct net_device *dev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct memif_dev *m = netdev_priv(dev);
	u64 xdp[MEMIF_XDP_STATS] = {};
	unsigned int i;

	*data++ = atomic64_read(&m->handshake_errors);
	*data++ = atomic64_read(&m->bad_desc_errors);
	*data++ = atomic64_read(&m->ring_errors);
	for (i = 0; i < dev->num_rx_queues; i++)
		memif_add_xdp_stats(&m->rxq[i], xdp);
	for (i = 0; i < dev->num_tx_queues; i++)
		memif_add_xdp_stats(&m->txq[i], xdp);
	memcpy(data, xdp, sizeof(xdp));
	data += MEMIF_XDP_STATS;
	for (i = 0; i < dev->num_rx_queues; i++)
		memif_put_queue_stats(&m->rxq[i], &data);
	for (i = 0; i < dev->num_tx_queues; i++)
		memif_put_queue_stats(&m->txq[i], &data);
}

#ifdef MEMIF_HAVE_NETDEV_STAT_OPS
/* Linux 6.8: per-queue statistics (ip -s, the netdev netlink family's
 * qstats-get), of the queues the stack uses; what queues not in use now
 * counted is in the base, so that the sum never goes back.
 */
static void memif_qstats_rx(struct net_device *dev, int idx,
			    struct netdev_queue_stats_rx *st)
{
	struct memif_dev *m = netdev_priv(dev);
	u64 p = 0, b = 0, d = 0, e = 0;

	memif_fetch_stats(&m->rxq[idx].stats, &p, &b, &d, &e);
	st->packets = p;
	st->bytes = b;
}

static void memif_qstats_tx(struct net_device *dev, int idx,
			    struct netdev_queue_stats_tx *st)
{
	struct memif_dev *m = netdev_priv(dev);
	u64 p = 0, b = 0, d = 0, e = 0;

	memif_fetch_stats(&m->txq[idx].stats, &p, &b, &d, &e);
	st->packets = p;
	st->bytes = b;
}

static void memif_qstats_base(struct net_device *dev,
			      struct netdev_queue_stats_rx *rx,
			      struct netdev_queue_stats_tx *tx)
{
	struct memif_dev *m = netdev_priv(dev);
	u64 rp = 0, rb = 0, tp = 0, tb = 0, d = 0, e = 0;
	unsigned int i;

	for (i = dev->real_num_rx_queues; i < dev->num_rx_queues; i++)
		memif_fetch_stats(&m->rxq[i].stats, &rp, &rb, &d, &e);
	for (i = dev->real_num_tx_queues; i < dev->num_tx_queues; i++)
		memif_fetch_stats(&m->txq[i].stats, &tp, &tb, &d, &e);
	rx->packets = rp;
	rx->bytes = rb;
	tx->packets = tp;
	tx->bytes = tb;
}

static const struct netdev_stat_ops memif_stat_ops = {
	.get_queue_stats_rx	= memif_qstats_rx,
	.get_queue_stats_tx	= memif_qstats_tx,
	.get_base_stats		= memif_qstats_base,
};
#endif

/* Maximum: the queues the link was created with; current: the queues the
 * stack uses, those of the connection, else those a connection would
 * have at most (ethtool -L).
 */
static void memif_get_channels(struct net_device *dev,
			       struct ethtool_channels *ch)
{
	ch->max_rx = dev->num_rx_queues;
	ch->max_tx = dev->num_tx_queues;
	ch->rx_count = dev->real_num_rx_queues;
	ch->tx_count = dev->real_num_tx_queues;
}

/* ethtool -L rx N tx N: the rings a client announces (or a server takes)
 * at most; a connection ends and the next one is made with them.  ethtool
 * passes what memif_get_channels() showed for a count not given: that
 * count stays as configured (connected, the peer may have given fewer).
 */
static int memif_set_channels(struct net_device *dev,
			      struct ethtool_channels *ch)
{
	struct memif_dev *m = netdev_priv(dev);
	struct memif_cfg cfg = m->cfg;

	if (ch->combined_count || ch->other_count || !ch->rx_count ||
	    !ch->tx_count)
		return -EINVAL;
	if (ch->rx_count != dev->real_num_rx_queues)
		cfg.queues_rx = ch->rx_count;
	if (ch->tx_count != dev->real_num_tx_queues)
		cfg.queues_tx = ch->tx_count;
	if (cfg.queues_rx == m->cfg.queues_rx &&
	    cfg.queues_tx == m->cfg.queues_tx)
		return 0;
	return memif_link_reconfigure(dev, &cfg, NULL, NULL);
}

/* One ring size serves both directions: the configured one, which
 * ethtool passes back for what a change does not give.  The one in use
 * (a server's client decides it) is run-ring-size in ip -d link show.
 */
static void memif_get_ringparam(struct net_device *dev,
				struct ethtool_ringparam *ring,
				struct kernel_ethtool_ringparam *kring,
				struct netlink_ext_ack *extack)
{
	struct memif_dev *m = netdev_priv(dev);

	ring->rx_max_pending = 1U << MEMIF_LOG2_RING_SIZE_MAX;
	ring->tx_max_pending = 1U << MEMIF_LOG2_RING_SIZE_MAX;
	ring->rx_pending = 1U << m->cfg.log2_ring_size;
	ring->tx_pending = 1U << m->cfg.log2_ring_size;
	kring->rx_buf_len = m->cfg.buffer_size;
}

static int memif_set_ringparam(struct net_device *dev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct memif_dev *m = netdev_priv(dev);
	u32 shown = 1U << m->cfg.log2_ring_size;
	u32 rx = ring->rx_pending, tx = ring->tx_pending, size;
	struct memif_cfg cfg = m->cfg;

	/* ethtool passes what memif_get_ringparam() showed for what was
	 * not given.
	 */
	if (rx != shown && tx != shown && rx != tx) {
		NL_SET_ERR_MSG(extack,
			       "memif uses one ring size for both directions: rx and tx must be equal");
		return -EINVAL;
	}
	size = rx != shown ? rx : tx;
	if (size != shown) {
		if (size < 1U << MEMIF_LOG2_RING_SIZE_MIN ||
		    !is_power_of_2(size)) {
			NL_SET_ERR_MSG(extack,
				       "ring size must be a power of two between 2 and 16384");
			return -EINVAL;
		}
		cfg.log2_ring_size = ilog2(size);
	}
	if (kring->rx_buf_len)
		cfg.buffer_size = kring->rx_buf_len;
	if (cfg.log2_ring_size == m->cfg.log2_ring_size &&
	    cfg.buffer_size == m->cfg.buffer_size)
		return 0;
	return memif_link_reconfigure(dev, &cfg, NULL, extack);
}

/* Kick coalescing: see memif_tx_flush().  Applies from the next batch; a
 * window already open keeps its length.  tx-frames counts only while
 * tx-usecs is set, and a ring smaller than it kicks when it fills.
 */
static int memif_get_coalesce(struct net_device *dev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct memif_dev *m = netdev_priv(dev);

	ec->tx_coalesce_usecs = READ_ONCE(m->tx_usecs);
	ec->tx_max_coalesced_frames = READ_ONCE(m->tx_frames);
	return 0;
}

static int memif_set_coalesce(struct net_device *dev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct memif_dev *m = netdev_priv(dev);

	static_assert(MEMIF_TX_FRAMES_MAX == 1U << MEMIF_LOG2_RING_SIZE_MAX);

	if (ec->tx_coalesce_usecs > MEMIF_TX_USECS_MAX) {
		NL_SET_ERR_MSG(extack, "tx-usecs is at most "
			       __stringify(MEMIF_TX_USECS_MAX));
		return -EINVAL;
	}
	if (ec->tx_max_coalesced_frames > MEMIF_TX_FRAMES_MAX) {
		NL_SET_ERR_MSG(extack, "tx-frames is at most "
			       __stringify(MEMIF_TX_FRAMES_MAX));
		return -EINVAL;
	}
	WRITE_ONCE(m->tx_usecs, ec->tx_coalesce_usecs);
	WRITE_ONCE(m->tx_frames, ec->tx_max_coalesced_frames);
	return 0;
}

static const struct ethtool_ops memif_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_TX_USECS |
				     ETHTOOL_COALESCE_TX_MAX_FRAMES,
	.supported_ring_params	= ETHTOOL_RING_USE_RX_BUF_LEN,
	.get_drvinfo		= memif_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= memif_get_sset_count,
	.get_strings		= memif_get_strings,
	.get_ethtool_stats	= memif_get_ethtool_stats,
	.get_channels		= memif_get_channels,
	.set_channels		= memif_set_channels,
	.get_ringparam		= memif_get_ringparam,
	.set_ringparam		= memif_set_ringparam,
	.get_coalesce		= memif_get_coalesce,
	.set_coalesce		= memif_set_coalesce,
};

/* Checksums and TSO are left to the peer when it takes virtio_net_hdrs
 * (proto.h), else done by the stack: see memif_tx_features_check().
 */
#define MEMIF_FEATURES (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
			NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN)

/**
 * memif_device_setup() - rtnl_link_ops.setup: an Ethernet-like device
 * @dev: the new device
 */
void memif_device_setup(struct net_device *dev)
{
	struct memif_dev *m = netdev_priv(dev);

	ether_setup(dev);
	m->tx_usecs = MEMIF_TX_USECS_DEFAULT;
	m->tx_frames = MEMIF_TX_FRAMES_DEFAULT;
	dev->netdev_ops = &memif_netdev_ops;
	dev->ethtool_ops = &memif_ethtool_ops;
#ifdef MEMIF_HAVE_NETDEV_STAT_OPS
	dev->stat_ops = &memif_stat_ops;
#endif
	dev->needs_free_netdev = true;
	dev->features |= MEMIF_FEATURES;
	dev->hw_features |= MEMIF_FEATURES;
	dev->vlan_features |= MEMIF_FEATURES;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = MEMIF_MAX_FRAME - VLAN_ETH_HLEN -
		       sizeof(struct virtio_net_hdr);
	netif_set_tso_max_size(dev, MEMIF_MAX_FRAME -
			       sizeof(struct virtio_net_hdr));
	memif_set_xdp_features(dev, true);
	eth_hw_addr_random(dev);
}

/**
 * memif_device_set_ip_mode() - make a device carry bare IP packets
 * @dev: a device fresh from memif_device_setup()
 */
void memif_device_set_ip_mode(struct net_device *dev)
{
	dev->header_ops = NULL;
	dev->type = ARPHRD_NONE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->max_mtu = MEMIF_MAX_FRAME - sizeof(struct virtio_net_hdr);
	memif_set_xdp_features(dev, false);
}

/**
 * memif_device_init_queues() - allocate the queues of a new device
 * @m: the device, not yet registered
 *
 * Return: 0 or -ENOMEM.
 */
int memif_device_init_queues(struct memif_dev *m)
{
	struct net_device *dev = m->dev;
	unsigned int i;

	m->txq = kcalloc(dev->num_tx_queues, sizeof(*m->txq), GFP_KERNEL);
	m->rxq = kcalloc(dev->num_rx_queues, sizeof(*m->rxq), GFP_KERNEL);
	if (!m->txq || !m->rxq) {
		kfree(m->txq);
		kfree(m->rxq);
		return -ENOMEM;
	}
	for (i = 0; i < dev->num_tx_queues; i++) {
		struct memif_queue *q = &m->txq[i];

		q->mdev = m;
		q->idx = i;
		/* Never 0: ndo_features_check divides by it (tx.c). */
		q->bsize = m->cfg.buffer_size;
		hrtimer_init(&q->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
		q->timer.function = memif_tx_timer;
		hrtimer_init(&q->kick_timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_SOFT);
		q->kick_timer.function = memif_tx_kick_timer;
		u64_stats_init(&q->stats.syncp);
		u64_stats_init(&q->xdp_stats.syncp);
	}
	for (i = 0; i < dev->num_rx_queues; i++) {
		struct memif_queue *q = &m->rxq[i];
		int err;

		q->mdev = m;
		q->idx = i;
		netif_napi_add(dev, &q->napi, memif_rx_poll);
		u64_stats_init(&q->stats.syncp);
		err = memif_xdp_init_queue(q);
		if (err) {
			memif_device_free_queues(m);
			return err;
		}
	}
	return 0;
}

/**
 * memif_device_free_queues() - undo memif_device_init_queues()
 * @m: the device, disconnected
 */
void memif_device_free_queues(struct memif_dev *m)
{
	unsigned int i;

	for (i = 0; i < m->dev->num_rx_queues; i++) {
		memif_xdp_free_queue(&m->rxq[i]);
		if (m->rxq[i].mdev)
			__netif_napi_del(&m->rxq[i].napi);
	}
	synchronize_net();
	kfree(m->txq);
	kfree(m->rxq);
}

static void __net_exit memif_pernet_pre_exit(struct net *net)
{
	struct memif_dev *m;

	rtnl_lock();
	list_for_each_entry(m, memif_link_list(), list) {
		if (rcu_access_pointer(m->creating_net) != net)
			continue;
		RCU_INIT_POINTER(m->creating_net, NULL);
		memif_ctrl_forget_net(m);
	}
	rtnl_unlock();
}

static struct pernet_operations memif_pernet_ops = {
	.pre_exit = memif_pernet_pre_exit,
};

/**
 * memif_device_register_pernet() - hook namespace teardown
 *
 * Return: 0 or a negative errno.
 */
int memif_device_register_pernet(void)
{
	return register_pernet_device(&memif_pernet_ops);
}

/**
 * memif_device_unregister_pernet() - undo memif_device_register_pernet()
 */
void memif_device_unregister_pernet(void)
{
	unregister_pernet_device(&memif_pernet_ops);
}
