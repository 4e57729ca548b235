// SPDX-License-Identifier: GPL-2.0
/*
 * The control channel state machine, both roles.
 *
 * Everything runs in work items on memif_wq, serialized by the device's
 * lock: rx_work reads and handles messages (and faults the data path
 * reports), timer_work retries the connection (client) or the listening
 * socket (server) every second and ends handshakes that take too long.
 * Neither takes RTNL.  ndo_stop, which runs under RTNL, waits for rx_work,
 * and not for timer_work, which looks a path up without the lock: it
 * checks the link's generation when it is back.
 * What needs RTNL runs in a third, rtnl_work, which takes it as any other
 * caller does, then the device's lock: setting the real queue counts to
 * those of a new connection (and back), starting its data path, and
 * telling rtnetlink listeners of a state change.  Nobody waits for it
 * under RTNL: it holds a reference on the device while it is queued, and
 * does nothing once the device is unregistered.
 *
 * The link's operstate follows the connection, as RFC 2863 says a link
 * waiting for something outside itself should: DORMANT while the link is
 * up and waiting for a peer or in the handshake (carrier on, dormant),
 * UP when connected, DOWN when it is down.
 *
 * Handshake, in lock-step:
 *
 *   client                          server (listener.c, then here)
 *   connect                   ->    HELLO
 *   INIT                      ->    ACK (memif_ctrl_accept())
 *   ADD_REGION + memfd        ->    ACK      (each region; the client
 *                                             creates its region once
 *                                             INIT is taken)
 *   ADD_RING + eventfd        ->    ACK      (C2S rings, then S2C rings)
 *   CONNECT                   ->    CONNECTED: carrier on at both ends
 *
 * Any message that is malformed, unexpected or out of order ends the
 * connection with a DISCONNECT carrying the reason; so does a peer that
 * stalls.  Then the client tries again a second later.
 */
#include "memif.h"

#include <crypto/algapi.h>
#include <linux/etherdevice.h>
#include <linux/file.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#define MEMIF_REASON_HANGUP "peer hung up during the handshake"
#define MEMIF_REASON_NET_GONE "the namespace the link was created in is gone"

static void memif_set_reason(struct memif_dev *m, const char *who,
			     const char *reason)
{
	spin_lock_bh(&m->info_lock);
	snprintf(m->disc_reason, sizeof(m->disc_reason), "%s: %s", who, reason);
	spin_unlock_bh(&m->info_lock);
}

/* Have rtnl_work run soon; any context. */
static void memif_ctrl_rtnl_queue(struct memif_dev *m)
{
	dev_hold(m->dev);
	if (!queue_work(memif_wq, &m->rtnl_work))
		dev_put(m->dev);
}

/* Every change but to DOWN, which ndo_stop reports itself, is announced
 * to rtnetlink listeners (ip monitor link); the operstate's own changes
 * are announced by the link watch as well.
 */
static void memif_set_state(struct memif_dev *m, u8 state)
{
	if (m->state == state)
		return;
	WRITE_ONCE(m->state, state);
	if (state != MEMIF_STATE_DOWN) {
		WRITE_ONCE(m->notify_pending, true);
		memif_ctrl_rtnl_queue(m);
	}
}

static void memif_set_shm_visible(struct memif_dev *m, bool visible)
{
	spin_lock_bh(&m->info_lock);
	m->shm_visible = visible;
	spin_unlock_bh(&m->info_lock);
}

static void memif_datapath_start(struct memif_dev *m)
{
	u16 i;

	WRITE_ONCE(m->fault_reason, NULL);
	for (i = 0; i < m->n_rx; i++)
		memif_rx_start(&m->rxq[i]);
	for (i = 0; i < m->n_tx; i++)
		memif_tx_start(&m->txq[i]);
	for (i = 0; i < m->n_tx && memif_is_server(m); i++)
		/* Nothing sent yet; pairs with the client's acquire of tail. */
		smp_store_release(m->txq[i].tail, 0);
	/* Rings and cursors are set up before the data path may look. */
	smp_store_release(&m->live, true);
	for (i = 0; i < m->n_rx; i++)
		napi_enable(&m->rxq[i].napi);
	m->datapath_up = true;
	memif_set_shm_visible(m, true);
	netif_tx_wake_all_queues(m->dev);
	netif_dormant_off(m->dev);
	/* Frames may be waiting already, and no kick will come for them. */
	local_bh_disable();
	for (i = 0; i < m->n_rx; i++)
		napi_schedule(&m->rxq[i].napi);
	local_bh_enable();
	mod_timer(&m->rx_check, jiffies + MEMIF_RX_CHECK_INTERVAL);
}

/* Stop everything that touches shared memory.  Afterwards only the
 * interrupt callbacks may still run; memif_irq_destroy() waits for them.
 */
static void memif_datapath_stop(struct memif_dev *m)
{
	u16 i;

	if (!m->datapath_up)
		return;
	netif_dormant_on(m->dev);
	WRITE_ONCE(m->live, false);
	/* Waits for running transmits; none starts after it, and the tx
	 * timers, which may wake a queue, see live false once the grace
	 * period is over: only then are they and the kicks cancelled.
	 */
	netif_tx_disable(m->dev);
	for (i = 0; i < m->n_rx; i++) {
		napi_disable(&m->rxq[i].napi);
		memif_rx_stop(&m->rxq[i]);
	}
	/* Sees live false: it does not arm itself again. */
	del_timer_sync(&m->rx_check);
	synchronize_net();
	for (i = 0; i < m->n_tx; i++) {
		hrtimer_cancel(&m->txq[i].timer);
		hrtimer_cancel(&m->txq[i].kick_timer);
		m->txq[i].unkicked = 0;
		m->txq[i].kick_armed = false;
	}
	m->datapath_up = false;
	/* Up and waiting again: what the stack sends meanwhile is dropped
	 * (ndo_start_xmit), not kept for a connection to come.
	 */
	if (m->running)
		netif_tx_wake_all_queues(m->dev);
}

static void memif_free_queues_irq(struct memif_queue *qs, u16 n)
{
	u16 i;

	for (i = 0; i < n; i++) {
		memif_irq_destroy(&qs[i].irq);
		qs[i].ring = NULL;
	}
}

/* End the connection, if any, and release what it held.  @reason is
 * recorded as ours (and sent to the peer if @tell); a NULL @reason keeps
 * the one already recorded.
 */
static void memif_disconnect(struct memif_dev *m, const char *reason,
			     bool tell)
{
	bool was_connected = m->state == MEMIF_STATE_CONNECTED;
	bool server = memif_is_server(m);

	if (reason)
		memif_set_reason(m, "local", reason);
	memif_set_shm_visible(m, false);
	memif_datapath_stop(m);
	if (m->sock) {
		if (tell && reason)
			memif_socket_send_disconnect(m->sock, reason);
		memif_socket_release(m);
	}
	memif_free_queues_irq(m->txq, m->dev->num_tx_queues);
	memif_free_queues_irq(m->rxq, m->dev->num_rx_queues);
	/* The real queue counts go back to the configured ones, and the
	 * peer's neighbour entries go.
	 */
	if (was_connected) {
		WRITE_ONCE(m->peer_gone, true);
		memif_ctrl_rtnl_queue(m);
	}
	m->start_pending = false;
	/* A client whose INIT the server took, to fail later, waits longer
	 * each time: a server that takes regions and hangs up costs it one
	 * per attempt.
	 */
	if (m->init_taken && !was_connected)
		m->retry = min(m->retry * 2, MEMIF_RETRY_MAX);
	else
		m->retry = MEMIF_RETRY_INTERVAL;
	m->init_taken = false;
	while (m->n_regions)
		memif_region_destroy(&m->regions[--m->n_regions], &m->held);
	if (server && m->running && !list_empty(&m->held))
		queue_delayed_work(memif_wq, &m->timer_work,
				   MEMIF_RETRY_INTERVAL);
	WRITE_ONCE(m->n_tx, 0);
	WRITE_ONCE(m->n_rx, 0);
	WRITE_ONCE(m->run_log2, 0);
	WRITE_ONCE(m->run_cacheline, 0);
	m->peer_ext = false;
	WRITE_ONCE(m->tx_vnet, false);
	WRITE_ONCE(m->rx_vnet, false);
	m->msgs_sent = 0;
	m->msgs_total = 0;
	spin_lock_bh(&m->info_lock);
	m->peer_name[0] = '\0';
	m->peer_app[0] = '\0';
	spin_unlock_bh(&m->info_lock);
	if (was_connected)
		netdev_info(m->dev, "disconnected: %s\n", m->disc_reason);
	if (m->running) {
		memif_set_state(m, MEMIF_STATE_WAITING);
		if (!server)
			mod_delayed_work(memif_wq, &m->timer_work, m->retry);
	} else {
		memif_set_state(m, MEMIF_STATE_DOWN);
	}
}

/* The peer misbehaved: say so and end the connection. */
static void memif_peer_fault(struct memif_dev *m, const char *reason)
{
	net_info_ratelimited("%s: %s\n", m->dev->name, reason);
	memif_disconnect(m, reason, true);
}

/* The control channel failed on the peer's account: count it too.  The
 * data path counts its own faults by cause.
 */
static void memif_proto_error(struct memif_dev *m, const char *reason)
{
	atomic64_inc(&m->handshake_errors);
	memif_peer_fault(m, reason);
}

/* Whether to ask the peer for frames with a virtio_net_hdr in front:
 * not for an XDP program, which could not make sense of them (xdp.c).
 */
static bool memif_want_rx_offloads(const struct memif_dev *m)
{
	return m->cfg.offloads && !rcu_access_pointer(m->xdp_prog);
}

/* The server took our INIT: now the region and the interrupt channels.
 * Not before: a client the server refuses retries every second, and
 * would allocate and clear a whole region each time for nothing.
 */
static const char *memif_client_prepare(struct memif_dev *m)
{
	u64 size = memif_ring_region_size(m->n_tx, m->n_rx, m->run_log2,
					  m->cfg.buffer_size, m->run_cacheline);
	int err;
	u16 i;

	/* What the peer still holds of earlier connections is ours too. */
	if (memif_region_held(&m->held) + size > m->cfg.max_memory)
		return "max-memory reached: the peer still holds earlier regions";
	err = memif_region_create(m, &m->regions[0], size);
	if (err == -EINTR)
		return "interface down";
	if (err)
		return "cannot allocate shared memory";
	m->n_regions = 1;
	memif_ring_client_layout(m);
	for (i = 0; i < m->n_tx; i++)
		if (memif_irq_create(&m->txq[i].irq, &m->txq[i], false))
			return "cannot create interrupt channels";
	for (i = 0; i < m->n_rx; i++)
		if (memif_irq_create(&m->rxq[i].irq, &m->rxq[i], true))
			return "cannot create interrupt channels";
	return NULL;
}

/* Compose and send handshake message number m->msgs_sent. */
static const char *memif_client_send_next(struct memif_dev *m)
{
	struct memif_msg msg = {};
	struct file *file = NULL;
	unsigned int k = m->msgs_sent;
	const char *reason;
	struct memif_queue *q;
	int err;

	if (k == 0) {
		msg.type = MEMIF_MSG_INIT;
		msg.init.version = MEMIF_VERSION;
		msg.init.id = m->cfg.id;
		msg.init.mode = m->cfg.mode;
		strscpy(msg.init.secret, m->cfg.secret,
			sizeof(msg.init.secret));
		memif_ctrl_app_name(msg.init.name, sizeof(msg.init.name));
		/* Offloads off: a plain memif peer, whatever the server. */
		m->peer_ext = m->peer_ext && m->cfg.offloads;
		if (m->peer_ext) {
			WRITE_ONCE(m->rx_vnet, memif_want_rx_offloads(m));
			memif_ext_put(&msg, m->rx_vnet ? MEMIF_EXT_VNET_HDR : 0);
		}
	} else if (k == 1) {
		reason = memif_client_prepare(m);
		if (reason)
			return reason;
		msg.type = MEMIF_MSG_ADD_REGION;
		msg.add_region.index = 0;
		msg.add_region.size = m->regions[0].size;
		file = m->regions[0].file;
	} else if (k < 2U + m->n_tx + m->n_rx) {
		bool c2s = k - 2 < m->n_tx;

		q = c2s ? &m->txq[k - 2] : &m->rxq[k - 2 - m->n_tx];
		msg.type = MEMIF_MSG_ADD_RING;
		msg.add_ring.flags = c2s ? MEMIF_MSG_ADD_RING_FLAG_C2S : 0;
		msg.add_ring.index = q->idx;
		msg.add_ring.region = 0;
		msg.add_ring.offset = q->ring_offset;
		msg.add_ring.log2_ring_size = m->run_log2;
		file = q->irq.file;
	} else {
		q = NULL;
		msg.type = MEMIF_MSG_CONNECT;
		strscpy(msg.connect.if_name, m->dev->name,
			sizeof(msg.connect.if_name));
	}
	err = memif_socket_send(m->sock, &msg, file);
	if (err)
		return "cannot send on the control channel";
	if (msg.type == MEMIF_MSG_ADD_RING)
		memif_irq_sent(&q->irq);
	m->msgs_sent++;
	return NULL;
}

static const char *memif_client_hello(struct memif_dev *m,
				      const struct memif_msg *msg)
{
	const struct memif_msg_hello *h = &msg->hello;
	u32 features;
	struct memif_geometry want = {
		.n_c2s = m->cfg.queues_tx,
		.n_s2c = m->cfg.queues_rx,
		.log2_ring_size = m->cfg.log2_ring_size,
	}, run;
	const char *reason;

	reason = memif_valid_hello(h, &want, &run);
	if (reason)
		return reason;

	spin_lock_bh(&m->info_lock);
	memif_copy_name(m->peer_app, h->name, sizeof(h->name));
	spin_unlock_bh(&m->info_lock);

	WRITE_ONCE(m->n_tx, run.n_c2s);
	WRITE_ONCE(m->n_rx, run.n_s2c);
	WRITE_ONCE(m->run_log2, run.log2_ring_size);
	WRITE_ONCE(m->run_cacheline, m->cfg.cacheline);
	m->peer_ext = memif_ext_get(msg, &features) &&
		      (features & MEMIF_EXT_VNET_HDR);
	m->msgs_total = 3 + m->n_tx + m->n_rx;
	return memif_client_send_next(m);
}

/* The handshake is complete (memif_connected()): under RTNL and the
 * device's lock, answer CONNECT (a server), give the stack the queues the
 * connection has, and start the data path.
 */
static void memif_ctrl_finish(struct memif_dev *m)
{
	struct memif_msg msg = { .type = MEMIF_MSG_CONNECTED };
	struct net_device *dev = m->dev;

	m->start_pending = false;
	if (memif_is_server(m)) {
		strscpy(msg.connect.if_name, dev->name,
			sizeof(msg.connect.if_name));
		if (m->peer_ext) {
			WRITE_ONCE(m->rx_vnet, memif_want_rx_offloads(m));
			memif_ext_put(&msg, m->rx_vnet ? MEMIF_EXT_VNET_HDR : 0);
		}
		if (memif_socket_send(m->sock, &msg, NULL)) {
			memif_proto_error(m, "cannot send on the control channel");
			return;
		}
	}
	/* Frames queued above them are dropped, as the rings are gone. */
	if (netif_set_real_num_tx_queues(dev, m->n_tx) ||
	    netif_set_real_num_rx_queues(dev, m->n_rx)) {
		memif_disconnect(m, "cannot set the queue counts", true);
		return;
	}
	memif_datapath_start(m);
	memif_set_state(m, MEMIF_STATE_CONNECTED);
	netdev_info(dev, "connected to %s (%s): %u tx, %u rx rings of %u slots\n",
		    m->peer_name, m->peer_app, m->n_tx, m->n_rx,
		    1U << m->run_log2);
}

/* Back to the queue counts of the settings, while not connected. */
static void memif_ctrl_idle_queues(struct memif_dev *m)
{
	struct net_device *dev = m->dev;

	if (netif_set_real_num_tx_queues(dev, m->cfg.queues_tx) ||
	    netif_set_real_num_rx_queues(dev, m->cfg.queues_rx))
		netdev_warn(dev, "cannot set the queue counts\n");
}

/* The peer is gone, and the next one may have another address (a VPP
 * restarted with a new MAC): its neighbour entries must go, as when a
 * carrier is lost.  The link stays DORMANT, which needs the carrier on: it
 * is off just long enough for the stack to hear of it.  On NETDEV_CHANGE
 * with no carrier, ARP and neighbour discovery evict the entries as their
 * evict_nocarrier settings say.  Under RTNL, the link up.
 */
static void memif_ctrl_peer_gone(struct net_device *dev)
{
	netif_carrier_off(dev);
	netdev_state_change(dev);
	netif_carrier_on(dev);
}

static void memif_ctrl_rtnl_work(struct work_struct *work)
{
	struct memif_dev *m = container_of(work, struct memif_dev, rtnl_work);
	struct net_device *dev = m->dev;

again:
	rtnl_lock();
	/* Unregistered meanwhile: nothing of it may be touched but here. */
	if (dev->reg_state != NETREG_REGISTERED)
		goto out;
	/* The old peer's entries go before a new connection starts. */
	if (xchg(&m->peer_gone, false) && netif_running(dev))
		memif_ctrl_peer_gone(dev);
	/* Our lock may be held for long (a region being mapped, up to
	 * max-memory of it): wait for it without RTNL, then start over.
	 */
	if (!mutex_trylock(&m->lock)) {
		rtnl_unlock();
		mutex_lock(&m->lock);
		mutex_unlock(&m->lock);
		goto again;
	}
	if (m->start_pending)
		memif_ctrl_finish(m);
	else if (!m->datapath_up)
		memif_ctrl_idle_queues(m);
	mutex_unlock(&m->lock);
	if (xchg(&m->notify_pending, false))
		netdev_state_change(dev);
out:
	rtnl_unlock();
	dev_put(dev);
}

/* CONNECTED (client) or CONNECT (server): the handshake is complete,
 * rtnl_work starts the data path.
 */
static const char *memif_connected(struct memif_dev *m,
				   const struct memif_msg *in)
{
	const struct memif_msg_connect *c = &in->connect;
	u32 features;

	if (!m->n_rx || !m->n_tx)
		return "no rings";
	if (memif_is_server(m)) {
		const char *reason = memif_ring_server_layout(m);

		if (reason)
			return reason;
	}
	if (!memif_ring_cookies_ok(m))
		return "wrong ring cookie";
	spin_lock_bh(&m->info_lock);
	memif_copy_name(m->peer_name, c->if_name, sizeof(c->if_name));
	spin_unlock_bh(&m->info_lock);
	if (memif_is_server(m)) {
		/* CONNECTED goes with the data path's start. */
	} else if (m->peer_ext && memif_ext_get(in, &features)) {
		WRITE_ONCE(m->tx_vnet, features & MEMIF_EXT_VNET_HDR);
	} else {
		/* The server took our INIT as a plain memif peer's. */
		WRITE_ONCE(m->rx_vnet, false);
	}
	m->start_pending = true;
	memif_ctrl_rtnl_queue(m);
	return NULL;
}

static void memif_peer_disconnect(struct memif_dev *m,
				  const struct memif_msg_disconnect *d)
{
	char reason[MEMIF_REASON_LEN];

	memif_copy_name(reason, d->string, sizeof(d->string));
	memif_set_reason(m, "peer", reason);
	net_info_ratelimited("%s: peer disconnected: %s\n", m->dev->name,
			     reason);
	memif_disconnect(m, NULL, false);
}

/* Handle one message; return the reason to disconnect, or NULL. */
static const char *memif_client_handle(struct memif_dev *m,
				       const struct memif_msg *msg)
{
	/* Once the handshake is complete (start_pending, then connected),
	 * every message but DISCONNECT is unexpected: all were sent and
	 * acknowledged, and CONNECTED came.
	 */
	switch (msg->type) {
	case MEMIF_MSG_HELLO:
		if (m->state != MEMIF_STATE_HANDSHAKE || m->msgs_total)
			return "unexpected HELLO";
		return memif_client_hello(m, msg);
	case MEMIF_MSG_ACK:
		if (!m->msgs_sent || m->msgs_sent >= m->msgs_total)
			return "unexpected ACK";
		m->init_taken = true;
		return memif_client_send_next(m);
	case MEMIF_MSG_CONNECTED:
		if (m->state != MEMIF_STATE_HANDSHAKE || !m->msgs_total ||
		    m->msgs_sent != m->msgs_total || m->start_pending)
			return "unexpected CONNECTED";
		return memif_connected(m, msg);
	case MEMIF_MSG_DISCONNECT:
		memif_peer_disconnect(m, &msg->disconnect);
		return NULL;
	default:
		return "unexpected message type";
	}
}

static const char *memif_send_ack(struct memif_dev *m)
{
	struct memif_msg msg = { .type = MEMIF_MSG_ACK };

	if (memif_socket_send(m->sock, &msg, NULL))
		return "cannot send on the control channel";
	return NULL;
}

static const char *memif_server_add_region(struct memif_dev *m,
					   const struct memif_msg_add_region *ar,
					   struct file *file)
{
	const char *reason;
	u64 total = ar->size;
	u16 i;

	reason = memif_valid_add_region(ar, file, m->n_regions);
	if (reason)
		return reason;
	for (i = 0; i < m->n_regions; i++)
		total += m->regions[i].size;
	if (total > m->cfg.max_memory)
		return "regions exceed the link's max-memory";
	/* What earlier clients still hold of pages we faulted in for them
	 * is the owner's too.
	 */
	if (memif_region_held(&m->held) + total > m->cfg.max_memory)
		return "max-memory reached: earlier clients still hold regions";
	reason = memif_region_map(m, &m->regions[ar->index], file, ar->size);
	if (reason)
		return reason;
	m->n_regions++;
	return memif_send_ack(m);
}

static const char *memif_server_add_ring(struct memif_dev *m,
					 const struct memif_msg_add_ring *ar,
					 struct file *file)
{
	bool c2s = ar->flags & MEMIF_MSG_ADD_RING_FLAG_C2S;
	u16 n = c2s ? m->n_rx : m->n_tx;
	struct memif_queue *q;
	const char *reason;

	reason = memif_valid_add_ring(ar, file, n, c2s ? m->cfg.queues_rx :
				      m->cfg.queues_tx);
	if (reason)
		return reason;
	q = c2s ? &m->rxq[n] : &m->txq[n];
	reason = memif_ring_server_place(m, q, ar);
	if (reason)
		return reason;
	switch (memif_irq_attach(&q->irq, file, q, c2s)) {
	case 0:
		break;
	case -EBUSY:
		q->ring = NULL;
		return "ring interrupt fd already in use";
	case -EACCES:
		q->ring = NULL;
		return "ring interrupt fd refused by the security policy";
	default:
		q->ring = NULL;
		return "ring interrupt fd is not an eventfd";
	}
	if (c2s)
		WRITE_ONCE(m->n_rx, n + 1);
	else
		WRITE_ONCE(m->n_tx, n + 1);
	if (!m->run_log2)
		WRITE_ONCE(m->run_log2, ar->log2_ring_size);
	return memif_send_ack(m);
}

/* Handle one message as a server; return the reason to disconnect, or NULL. */
static const char *memif_server_handle(struct memif_dev *m,
				       const struct memif_msg *msg,
				       struct file *file)
{
	if (file && msg->type != MEMIF_MSG_ADD_REGION &&
	    msg->type != MEMIF_MSG_ADD_RING)
		return "unexpected file descriptor";
	if (msg->type != MEMIF_MSG_DISCONNECT &&
	    (m->state != MEMIF_STATE_HANDSHAKE || m->start_pending))
		return "unexpected message";
	switch (msg->type) {
	case MEMIF_MSG_ADD_REGION:
		return memif_server_add_region(m, &msg->add_region, file);
	case MEMIF_MSG_ADD_RING:
		return memif_server_add_ring(m, &msg->add_ring, file);
	case MEMIF_MSG_CONNECT:
		return memif_connected(m, msg);
	case MEMIF_MSG_DISCONNECT:
		memif_peer_disconnect(m, &msg->disconnect);
		return NULL;
	default:
		return "unexpected message";
	}
}

/* Constant-time check of a client's secret against ours. */
static bool memif_secret_ok(const struct memif_dev *m, const u8 *theirs)
{
	u8 a[MEMIF_SECRET_LEN] = {}, b[MEMIF_SECRET_LEN] = {};

	strscpy(a, m->cfg.secret, sizeof(a));
	memcpy(b, theirs, strnlen(theirs, sizeof(b) - 1));
	return !crypto_memneq(a, b, sizeof(a));
}

/**
 * memif_ctrl_accept() - take over a client's connection after its INIT
 * @m: the server link whose id the INIT names
 * @sock: the connection, not hooked to anybody
 * @msg: the client's INIT
 * @reason: set to why the client is refused
 *
 * Return: 0 when @m owns @sock now and has acknowledged the INIT,
 * -EAGAIN when @m is busy (the caller tries again later), another negative
 * errno with @reason set when the client is refused (the caller closes
 * @sock).
 */
int memif_ctrl_accept(struct memif_dev *m, struct socket *sock,
		      const struct memif_msg *msg, const char **reason)
{
	const struct memif_msg_init *init = &msg->init;
	int err = -EPERM;
	u32 features;

	/* The listener's lock is held, which another link's ndo_stop may
	 * wait for under RTNL: never wait here for a link that is busy (its
	 * lock is held for as long as it maps a client's regions).
	 */
	if (!mutex_trylock(&m->lock))
		return -EAGAIN;
	if (!m->running || m->sock) {
		*reason = m->sock ? "already connected" : "interface down";
		err = -EBUSY;
		goto out;
	}
	/* Before the secret is even looked at. */
	*reason = memif_socket_peer_ok(sock, m->cfg.peer_uid, m->cfg.peer_gid) ?
		  NULL : "client credentials refused";
	if (!*reason)
		*reason = memif_valid_init(init, m->cfg.mode, m->cfg.secret[0]);
	if (!*reason && m->cfg.secret[0] && !memif_secret_ok(m, init->secret))
		*reason = "incorrect secret";
	if (*reason) {
		atomic64_inc(&m->handshake_errors);
		memif_set_reason(m, "local", *reason);
		goto out;
	}
	err = 0;
	m->sock = sock;
	memif_socket_adopt(m);
	/* Our HELLO offered the extension: the client may take it, unless
	 * this link has offloads off: then it is a plain memif peer, and
	 * our CONNECTED tells it so.
	 */
	m->peer_ext = memif_ext_get(msg, &features) && m->cfg.offloads;
	WRITE_ONCE(m->tx_vnet, m->peer_ext && (features & MEMIF_EXT_VNET_HDR));
	spin_lock_bh(&m->info_lock);
	memif_copy_name(m->peer_app, init->name, sizeof(init->name));
	spin_unlock_bh(&m->info_lock);
	memif_set_state(m, MEMIF_STATE_HANDSHAKE);
	m->deadline = jiffies + MEMIF_HANDSHAKE_TIMEOUT;
	mod_delayed_work(memif_wq, &m->timer_work, MEMIF_HANDSHAKE_TIMEOUT);
	*reason = memif_send_ack(m);
	if (*reason) {
		memif_socket_unhook(sock, &m->sk_saved);
		m->sock = NULL;
		memif_set_state(m, MEMIF_STATE_WAITING);
		err = -EIO;
		goto out;
	}
	queue_work(memif_wq, &m->rx_work);
out:
	mutex_unlock(&m->lock);
	return err;
}

static void memif_ctrl_rx_work(struct work_struct *work)
{
	struct memif_dev *m = container_of(work, struct memif_dev, rx_work);
	bool server = memif_is_server(m);
	struct file *file = NULL;
	const char *reason;
	struct memif_msg msg;
	int ret;

	mutex_lock(&m->lock);
	if (!m->running)
		goto out;
	reason = xchg(&m->fault_reason, NULL);
	if (reason && m->datapath_up) {
		memif_peer_fault(m, reason);
		goto out;
	}
	if (xchg(&m->xdp_reconnect, false) && m->rx_vnet && m->sock) {
		memif_disconnect(m, "XDP attached: reconnecting without offloads",
				 true);
		goto out;
	}
	while (m->sock) {
		ret = memif_socket_recv(m->sock, &msg, server ? &file : NULL);
		if (ret == -EAGAIN)
			break;
		if (ret == 0 && m->state == MEMIF_STATE_HANDSHAKE) {
			/* Killed or broken: either way it is counted. */
			atomic64_inc(&m->handshake_errors);
			net_info_ratelimited("%s: %s\n", m->dev->name,
					     MEMIF_REASON_HANGUP);
			memif_disconnect(m, MEMIF_REASON_HANGUP, false);
			break;
		}
		if (ret == 0) {
			memif_disconnect(m, "peer closed the control channel",
					 false);
			break;
		}
		if (ret < 0) {
			memif_proto_error(m, ret == -EPROTO ?
					  "unexpected file descriptor" :
					  ret == -EBADMSG ? "malformed message" :
					  "control channel error");
			break;
		}
		if (server) {
			reason = memif_server_handle(m, &msg, file);
			if (file)
				fput(file);
		} else {
			reason = memif_client_handle(m, &msg);
		}
		/* Not the peer's fault: the link is going down, and whoever
		 * stopped the mapping disconnects it.
		 */
		if (reason && READ_ONCE(m->map_abort))
			break;
		if (reason) {
			memif_proto_error(m, reason);
			break;
		}
	}
out:
	mutex_unlock(&m->lock);
}

/* Connect to the server, our lock not held: a path is looked up, which
 * takes as long as the file systems on its way make it, and ndo_stop,
 * under RTNL, must not wait for that.  What it finds is used if the link
 * is still where it was (@gen) when we come back.
 */
static void memif_client_connect(struct memif_dev *m, unsigned int gen)
{
	char path[MEMIF_SOCKET_MAX + 1];
	const struct cred *cred;
	struct socket *sock;
	struct net *net;
	char why[64];

	mutex_lock(&m->lock);
	rcu_read_lock();
	net = rcu_dereference(m->creating_net);
	net = net ? maybe_get_net(net) : NULL;
	rcu_read_unlock();
	if (!net) {
		memif_set_reason(m, "local", MEMIF_REASON_NET_GONE);
		mutex_unlock(&m->lock);
		return;
	}
	strscpy(path, m->cfg.socket, sizeof(path));
	cred = get_cred(m->owner.cred);
	mutex_unlock(&m->lock);

	sock = memif_socket_connect(memif_socket_net(path, net), path, cred);
	put_cred(cred);
	put_net(net);

	mutex_lock(&m->lock);
	if (!m->running || m->gen != gen || m->state != MEMIF_STATE_WAITING) {
		if (!IS_ERR(sock))
			sock_release(sock);
		goto out;
	}
	if (IS_ERR(sock)) {
		snprintf(why, sizeof(why), "cannot connect: %pe", sock);
		memif_set_reason(m, "local", why);
		/* Whoever made us back off is gone. */
		m->retry = MEMIF_RETRY_INTERVAL;
		mod_delayed_work(memif_wq, &m->timer_work, m->retry);
		goto out;
	}
	m->sock = sock;
	memif_socket_adopt(m);
	/* Whoever answers on the socket gets our secret and our traffic. */
	if (!memif_socket_peer_ok(sock, m->cfg.peer_uid, m->cfg.peer_gid)) {
		memif_proto_error(m, "server credentials refused");
		goto out;
	}
	memif_set_state(m, MEMIF_STATE_HANDSHAKE);
	m->deadline = jiffies + MEMIF_HANDSHAKE_TIMEOUT;
	mod_delayed_work(memif_wq, &m->timer_work, MEMIF_HANDSHAKE_TIMEOUT);
	/* HELLO may have arrived before our callbacks were in place. */
	queue_work(memif_wq, &m->rx_work);
out:
	mutex_unlock(&m->lock);
}

/* A server listens as long as it is up; retry when that fails. */
static void memif_server_listen(struct memif_dev *m, unsigned int gen)
{
	const char *refused = NULL;
	char why[MEMIF_REASON_LEN];
	int err;

	if (READ_ONCE(m->listener))
		return;
	err = memif_listener_attach(m, gen, &refused);
	if (!err)
		return;
	if (refused)
		snprintf(why, sizeof(why), "cannot listen: %s", refused);
	else
		snprintf(why, sizeof(why), "cannot listen: %pe", ERR_PTR(err));
	mutex_lock(&m->lock);
	/* Or the link went down (and maybe up) meanwhile: nothing to do. */
	if (!m->running || m->gen != gen)
		goto out;
	if (err == -EAGAIN) {
		/* Another link is creating or taking down the listener. */
		mod_delayed_work(memif_wq, &m->timer_work, HZ / 10);
	} else if (err == -ENONET) {
		memif_set_reason(m, "local", MEMIF_REASON_NET_GONE);
	} else {
		memif_set_reason(m, "local", why);
		mod_delayed_work(memif_wq, &m->timer_work,
				 MEMIF_RETRY_INTERVAL);
	}
out:
	mutex_unlock(&m->lock);
}

static void memif_ctrl_timer_work(struct work_struct *work)
{
	struct memif_dev *m = container_of(to_delayed_work(work),
					   struct memif_dev, timer_work);
	bool listen = false, connect = false;
	unsigned int gen;

	mutex_lock(&m->lock);
	if (!m->running)
		goto out;
	gen = m->gen;
	switch (m->state) {
	case MEMIF_STATE_WAITING:
		if (memif_is_server(m))
			listen = true;
		else
			connect = true;
		break;
	case MEMIF_STATE_HANDSHAKE:
		/* Complete, and waiting for rtnl_work: not the peer's doing. */
		if (!m->start_pending && time_after_eq(jiffies, m->deadline))
			memif_proto_error(m, "handshake timed out");
		break;
	}
	/* A server's list of regions a client still holds (max-memory
	 * counts them): forget, every second, those it let go of.
	 */
	if (memif_is_server(m) && !list_empty(&m->held)) {
		memif_region_held(&m->held);
		if (!list_empty(&m->held))
			queue_delayed_work(memif_wq, &m->timer_work,
					   MEMIF_RETRY_INTERVAL);
	}
out:
	mutex_unlock(&m->lock);
	/* Outside our lock: the listener's lock comes first, and a path
	 * may take long to look up.
	 */
	if (listen)
		memif_server_listen(m, gen);
	if (connect)
		memif_client_connect(m, gen);
}

/* Take the link's lock for RTNL's sake: a region being mapped under it
 * stops at once, rather than when it is complete (region.c).
 */
static void memif_ctrl_lock_abort(struct memif_dev *m)
{
	WRITE_ONCE(m->map_abort, true);
	mutex_lock(&m->lock);
	WRITE_ONCE(m->map_abort, false);
}

/**
 * memif_ctrl_app_name() - our application name, as HELLO and INIT give it
 * @name: where to put it
 * @len: its size, more than 6: a long kernel release is cut
 */
void memif_ctrl_app_name(char *name, size_t len)
{
	static const char prefix[] = "Linux ";

	memcpy(name, prefix, sizeof(prefix) - 1);
	strscpy(name + sizeof(prefix) - 1, init_utsname()->release,
		len - (sizeof(prefix) - 1));
}

/**
 * memif_ctrl_init() - set up a new device's control channel state
 * @m: the device
 */
void memif_ctrl_init(struct memif_dev *m)
{
	mutex_init(&m->lock);
	INIT_LIST_HEAD(&m->held);
	m->retry = MEMIF_RETRY_INTERVAL;
	spin_lock_init(&m->info_lock);
	INIT_WORK(&m->rx_work, memif_ctrl_rx_work);
	INIT_DELAYED_WORK(&m->timer_work, memif_ctrl_timer_work);
	INIT_WORK(&m->rtnl_work, memif_ctrl_rtnl_work);
	timer_setup(&m->rx_check, memif_rx_check, 0);
	m->state = MEMIF_STATE_DOWN;
}

/**
 * memif_ctrl_start() - start connecting (ndo_open)
 * @m: the device
 */
void memif_ctrl_start(struct memif_dev *m)
{
	/* Up, and waiting for a peer: DORMANT. */
	netif_dormant_on(m->dev);
	netif_carrier_on(m->dev);
	mutex_lock(&m->lock);
	m->running = true;
	WRITE_ONCE(m->xdp_reconnect, false);
	memif_set_state(m, MEMIF_STATE_WAITING);
	mod_delayed_work(memif_wq, &m->timer_work, 0);
	mutex_unlock(&m->lock);
}

/**
 * memif_ctrl_stop() - disconnect and stop trying (ndo_stop)
 * @m: the device
 *
 * Once this returns, nothing of the connection is left.  A connect or a
 * listener's bind under way (a path lookup) is not waited for: it lets go
 * of what it finds when it is back.
 */
void memif_ctrl_stop(struct memif_dev *m)
{
	memif_ctrl_lock_abort(m);
	m->running = false;
	m->gen++;
	mutex_unlock(&m->lock);
	/* timer_work may be looking a path up (connect, bind): it is not
	 * waited for; it finds the link down (or a new generation of it)
	 * when it is back, and lets go of what it got.  The listener takes
	 * no client for us after this.
	 */
	cancel_delayed_work(&m->timer_work);
	memif_listener_detach(m);
	memif_ctrl_lock_abort(m);
	memif_disconnect(m, m->sock ? "interface down" : NULL, true);
	m->retry = MEMIF_RETRY_INTERVAL;
	/* Down, a server takes no region: what clients still hold of the
	 * earlier ones need not be counted, nor kept alive by us.
	 */
	if (memif_is_server(m))
		memif_region_forget_held(&m->held);
	/* Under RTNL already: ethtool -l shows what the next connection
	 * asks for as soon as the link is down.
	 */
	memif_ctrl_idle_queues(m);
	mutex_unlock(&m->lock);
	netif_carrier_off(m->dev);
	cancel_work_sync(&m->rx_work);
	cancel_delayed_work(&m->timer_work);
}

/**
 * memif_ctrl_reconfigure() - give a link new settings and a new owner
 * @m: the device, under RTNL
 * @cfg: the settings
 * @owner: the owner; set to the old one, for the caller to put
 *
 * A connection ends first: the data path reads the settings.  A client
 * connects again a second later.
 */
void memif_ctrl_reconfigure(struct memif_dev *m, const struct memif_cfg *cfg,
			    struct memif_owner *owner)
{
	bool had_sock;

	memif_ctrl_lock_abort(m);
	had_sock = m->sock;
	if (had_sock)
		memif_disconnect(m, "settings changed: reconnecting", true);
	m->cfg = *cfg;
	swap(m->owner, *owner);
	/* A connect or a listener's join under way started with the old
	 * settings and owner: it lets go of what it gets, and starts again.
	 */
	m->gen++;
	if (!had_sock && m->running && m->state == MEMIF_STATE_WAITING)
		mod_delayed_work(memif_wq, &m->timer_work, 0);
	/* What a connection would use, and what the stack sees meanwhile. */
	memif_ctrl_idle_queues(m);
	mutex_unlock(&m->lock);
}

/**
 * memif_ctrl_forget_net() - the creating namespace is going away
 * @m: a device created in it; its creating_net is already cleared
 *
 * Closes the control socket, which lives in that namespace.  The device
 * itself may live on in another namespace, but cannot connect again.
 */
void memif_ctrl_forget_net(struct memif_dev *m)
{
	memif_ctrl_lock_abort(m);
	m->gen++;
	mutex_unlock(&m->lock);
	cancel_delayed_work(&m->timer_work);
	memif_listener_detach(m);
	memif_ctrl_lock_abort(m);
	/* Says why, whether connected or not; no retry succeeds now. */
	memif_disconnect(m, MEMIF_REASON_NET_GONE, true);
	mutex_unlock(&m->lock);
}

/**
 * memif_ctrl_xdp_attached() - a link got its first XDP program
 * @m: the device
 *
 * If the peer sends it frames with offloads, the connection ends and the
 * next one is made without (a client connects again after
 * MEMIF_RETRY_INTERVAL).
 */
void memif_ctrl_xdp_attached(struct memif_dev *m)
{
	/* A link that is down has no connection: ndo_open clears the flag. */
	if (!netif_running(m->dev))
		return;
	WRITE_ONCE(m->xdp_reconnect, true);
	queue_work(memif_wq, &m->rx_work);
}

/**
 * memif_ctrl_fault() - the data path found the peer misbehaving
 * @m: the device
 * @reason: a static string, sent to the peer in the DISCONNECT
 *
 * Any context.  The first fault of a connection wins.
 */
void memif_ctrl_fault(struct memif_dev *m, const char *reason)
{
	if (cmpxchg(&m->fault_reason, NULL, reason))
		return;
	queue_work(memif_wq, &m->rx_work);
}
