// SPDX-License-Identifier: GPL-2.0
/*
 * Server side listening sockets.  All server links on the same socket
 * share one listener, as with VPP and libmemif: it exists while at least
 * one of them is up, and its socket file is removed with it.  An abstract
 * name is per network namespace: links born in different namespaces
 * have different listeners (see memif_socket_net()).
 *
 * A connection is the listener's until the client's INIT names an
 * interface id: the listener sends HELLO at once, then hands the
 * connection to the link with that id (memif_ctrl_accept()), or answers
 * with a DISCONNECT saying why not.  Clients that say nothing for
 * MEMIF_HANDSHAKE_TIMEOUT are dropped.
 *
 * A listener binds its socket with the credentials of the owner of the
 * link that created it, and gives a socket file the owner, group and mode
 * that link asks for.  Another link joins it only if its owner is the same
 * user, or one who may override file permissions, and asks for the same
 * owner, group and mode: it would otherwise serve clients that connected
 * to somebody else's socket.
 *
 * Locking: memif_listeners_lock protects the list of listeners and their
 * reference counts; each listener's lock protects its links and pending
 * connections.  Lock order: memif_listeners_lock, listener->lock, then a
 * link's lock.
 */
#include "memif.h"

#include <linux/cred.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/* Connections waiting for INIT, per listener. */
#define MEMIF_MAX_PENDING	64

struct memif_listener {
	struct list_head node;
	struct net *net;
	char path[MEMIF_SOCKET_MAX + 1];
	const struct cred *cred;
	kuid_t socket_uid;
	kgid_t socket_gid;
	u16 socket_mode;
	unsigned int refs;
	struct socket *sock;
	struct memif_sk_saved saved;
	struct mutex lock;		/* devs and pending */
	struct list_head devs;
	struct list_head pending;
	unsigned int n_pending;
	struct work_struct work;
	struct delayed_work timeout_work;
};

struct memif_pending {
	struct list_head node;
	struct socket *sock;
	struct memif_sk_saved saved;
	unsigned long deadline;
};

static LIST_HEAD(memif_listeners);
static DEFINE_MUTEX(memif_listeners_lock);	/* memif_listeners, refs */

static void memif_listener_event(struct sock *sk)
{
	struct memif_listener *l;

	read_lock_bh(&sk->sk_callback_lock);
	/* Only while the socket is still ours: see memif_socket_event(). */
	l = sk->sk_data_ready == memif_listener_event ? sk->sk_user_data : NULL;
	if (l)
		queue_work(memif_wq, &l->work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void memif_pending_close(struct memif_listener *l,
				struct memif_pending *p, const char *reason)
{
	memif_socket_unhook(p->sock, &p->saved);
	if (reason) {
		memif_socket_send_disconnect(p->sock, reason);
		net_info_ratelimited("%s: refused a client: %s\n",
				     l->path, reason);
	}
	kernel_sock_shutdown(p->sock, SHUT_RDWR);
	sock_release(p->sock);
	list_del(&p->node);
	l->n_pending--;
	kfree(p);
}

static void memif_listener_hello(struct socket *sock, u16 n_rx, u16 n_tx)
{
	struct memif_msg msg = { .type = MEMIF_MSG_HELLO };

	memif_ctrl_app_name(msg.hello.name, sizeof(msg.hello.name));
	msg.hello.min_version = MEMIF_VERSION;
	msg.hello.max_version = MEMIF_VERSION;
	msg.hello.max_region = MEMIF_MAX_REGIONS - 1;
	msg.hello.max_c2s_ring = n_rx - 1;
	msg.hello.max_s2c_ring = n_tx - 1;
	msg.hello.max_log2_ring_size = MEMIF_LOG2_RING_SIZE_MAX;
	/* Which link the client wants is not known yet: what its INIT asks
	 * for is checked against that link's settings.
	 */
	memif_ext_put(&msg, MEMIF_EXT_VNET_HDR);
	memif_socket_send(sock, &msg, NULL);
}

static void memif_listener_accept(struct memif_listener *l)
{
	u16 n_rx = MEMIF_MAX_QUEUES, n_tx = MEMIF_MAX_QUEUES;
	struct memif_pending *p;
	struct memif_dev *m;
	struct socket *sock;

	/* Which link the client wants is not known before its INIT: offer
	 * the rings every link on this socket takes.  Offering more, a link
	 * with fewer would refuse the rest, and VPP's client, which takes
	 * what HELLO offers, would try again every 3 s forever.
	 */
	list_for_each_entry(m, &l->devs, listener_node) {
		n_rx = min_t(u16, n_rx, m->dev->num_rx_queues);
		n_tx = min_t(u16, n_tx, m->dev->num_tx_queues);
	}
	while (!kernel_accept(l->sock, &sock, O_NONBLOCK)) {
		p = l->n_pending < MEMIF_MAX_PENDING ?
		    kzalloc(sizeof(*p), GFP_KERNEL) : NULL;
		if (!p) {
			net_info_ratelimited("%s: too many clients waiting\n",
					     l->path);
			sock_release(sock);
			continue;
		}
		if (l->path[0] == '@')
			memif_socket_forget_net(sock);
		p->sock = sock;
		p->deadline = jiffies + MEMIF_HANDSHAKE_TIMEOUT;
		list_add_tail(&p->node, &l->pending);
		l->n_pending++;
		memif_socket_hook(sock, l, memif_listener_event, &p->saved);
		memif_listener_hello(sock, n_rx, n_tx);
		mod_delayed_work(memif_wq, &l->timeout_work,
				 MEMIF_HANDSHAKE_TIMEOUT);
	}
}

/* Hand a client to the link its INIT names; NULL or why not. */
static const char *memif_listener_dispatch(struct memif_listener *l,
					   struct memif_pending *p,
					   const struct memif_msg *msg)
{
	const char *reason = "unmatched interface id";
	struct memif_dev *m;

	if (msg->type != MEMIF_MSG_INIT)
		return "unexpected message";
	list_for_each_entry(m, &l->devs, listener_node) {
		if (m->cfg.id != msg->init.id)
			continue;
		memif_socket_unhook(p->sock, &p->saved);
		if (!memif_ctrl_accept(m, p->sock, msg, &reason)) {
			/* The link owns the socket now. */
			list_del(&p->node);
			l->n_pending--;
			kfree(p);
			return NULL;
		}
		memif_socket_hook(p->sock, l, memif_listener_event, &p->saved);
		break;
	}
	return reason;
}

static void memif_listener_work(struct work_struct *work)
{
	struct memif_listener *l = container_of(work, struct memif_listener,
						work);
	struct memif_pending *p, *tmp;
	struct memif_msg msg;
	const char *reason;
	int ret;

	mutex_lock(&l->lock);
	if (!l->sock)
		goto out;
	memif_listener_accept(l);
	list_for_each_entry_safe(p, tmp, &l->pending, node) {
		ret = memif_socket_recv(p->sock, &msg, NULL);
		if (ret == -EAGAIN)
			continue;
		if (ret <= 0) {
			memif_pending_close(l, p, ret ? "malformed message" :
					    NULL);
			continue;
		}
		reason = memif_listener_dispatch(l, p, &msg);
		if (reason)
			memif_pending_close(l, p, reason);
	}
out:
	mutex_unlock(&l->lock);
}

static void memif_listener_timeout(struct work_struct *work)
{
	struct memif_listener *l = container_of(to_delayed_work(work),
						struct memif_listener,
						timeout_work);
	struct memif_pending *p, *tmp;

	mutex_lock(&l->lock);
	list_for_each_entry_safe(p, tmp, &l->pending, node) {
		if (time_after_eq(jiffies, p->deadline))
			memif_pending_close(l, p, "handshake timed out");
		else
			mod_delayed_work(memif_wq, &l->timeout_work,
					 p->deadline - jiffies);
	}
	mutex_unlock(&l->lock);
}

static struct memif_listener *memif_listener_find(struct net *net,
						  const char *path)
{
	struct memif_listener *l;

	/* Abstract listeners live in the namespace of the links they
	 * serve, which were all born there: the pernet pre_exit hook
	 * detaches them all, and the listener and the connections it
	 * accepted go with the last one.  Path listeners live in the
	 * initial namespace, shared by links from anywhere.
	 */
	list_for_each_entry(l, &memif_listeners, node)
		if (l->net == net && !strcmp(l->path, path))
			return l;
	return NULL;
}

static struct memif_listener *memif_listener_create(struct net *net,
						    const struct memif_dev *m)
{
	struct memif_listener *l;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return ERR_PTR(-ENOMEM);
	l->net = net;
	strscpy(l->path, m->cfg.socket, sizeof(l->path));
	l->socket_uid = m->cfg.socket_uid;
	l->socket_gid = m->cfg.socket_gid;
	l->socket_mode = m->cfg.socket_mode;
	mutex_init(&l->lock);
	INIT_LIST_HEAD(&l->devs);
	INIT_LIST_HEAD(&l->pending);
	INIT_WORK(&l->work, memif_listener_work);
	INIT_DELAYED_WORK(&l->timeout_work, memif_listener_timeout);
	l->sock = memif_socket_listen(net, &m->cfg, m->owner.cred, l,
				      memif_listener_event, &l->saved);
	if (IS_ERR(l->sock)) {
		int err = PTR_ERR(l->sock);

		kfree(l);
		return ERR_PTR(err);
	}
	l->cred = get_cred(m->owner.cred);
	list_add(&l->node, &memif_listeners);
	return l;
}

static void memif_listener_destroy(struct memif_listener *l)
{
	struct memif_pending *p, *tmp;

	list_del(&l->node);
	mutex_lock(&l->lock);
	memif_socket_unlisten(l->sock, l->path, l->cred, &l->saved);
	l->sock = NULL;
	list_for_each_entry_safe(p, tmp, &l->pending, node)
		memif_pending_close(l, p, "interface deleted");
	mutex_unlock(&l->lock);
	cancel_work_sync(&l->work);
	cancel_delayed_work_sync(&l->timeout_work);
	put_cred(l->cred);
	kfree(l);
}

/* NULL if @m may serve clients of @l, created by another link, or why not. */
static const char *memif_listener_may_join(const struct memif_listener *l,
					   const struct memif_dev *m)
{
	const struct cred *old;
	bool ok;

	if (!uid_eq(l->socket_uid, m->cfg.socket_uid) ||
	    !gid_eq(l->socket_gid, m->cfg.socket_gid) ||
	    l->socket_mode != m->cfg.socket_mode)
		return "the socket is served with another owner, group or mode";
	if (uid_eq(l->cred->fsuid, m->owner.cred->fsuid))
		return NULL;
	old = override_creds(m->owner.cred);
	ok = capable(CAP_DAC_OVERRIDE);
	revert_creds(old);
	return ok ? NULL : "another user's links serve the socket";
}

/**
 * memif_listener_attach() - listen for clients of a server link
 * @m: a server link that is up, not attached, not holding its lock
 * @refused: set to why, when the links already serving the socket are not
 *	ones @m may join (see above)
 *
 * Creates the listener for the link's socket, or joins the existing one.
 *
 * Return: 0, -EADDRINUSE if another link on the socket has the same id or
 * somebody else listens there, -EPERM with @refused set, -ENONET if the
 * namespace the link was created in is gone, another negative errno
 * otherwise.
 */
int memif_listener_attach(struct memif_dev *m, const char **refused)
{
	struct memif_listener *l;
	struct net *net, *lnet;
	struct memif_dev *o;
	int err = 0;

	rcu_read_lock();
	net = rcu_dereference(m->creating_net);
	net = net ? maybe_get_net(net) : NULL;
	rcu_read_unlock();
	if (!net)
		return -ENONET;

	mutex_lock(&memif_listeners_lock);
	lnet = memif_socket_net(m->cfg.socket, net);
	l = memif_listener_find(lnet, m->cfg.socket);
	if (l) {
		*refused = memif_listener_may_join(l, m);
		if (*refused) {
			err = -EPERM;
			goto out;
		}
	} else {
		l = memif_listener_create(lnet, m);
		if (IS_ERR(l)) {
			err = PTR_ERR(l);
			goto out;
		}
	}
	mutex_lock(&l->lock);
	list_for_each_entry(o, &l->devs, listener_node)
		if (o->cfg.id == m->cfg.id)
			err = -EADDRINUSE;
	if (!err) {
		list_add(&m->listener_node, &l->devs);
		l->refs++;
		m->listener = l;
	}
	mutex_unlock(&l->lock);
	if (!l->refs)
		memif_listener_destroy(l);
out:
	mutex_unlock(&memif_listeners_lock);
	put_net(net);
	return err;
}

/**
 * memif_listener_detach() - stop taking clients for a server link
 * @m: the link, not holding its lock; may be detached already
 *
 * Once this returns no client is handed to @m.  The last link of a
 * listener takes it down.
 */
void memif_listener_detach(struct memif_dev *m)
{
	struct memif_listener *l = m->listener;

	if (!l)
		return;
	mutex_lock(&memif_listeners_lock);
	mutex_lock(&l->lock);
	list_del(&m->listener_node);
	m->listener = NULL;
	mutex_unlock(&l->lock);
	if (!--l->refs)
		memif_listener_destroy(l);
	mutex_unlock(&memif_listeners_lock);
}
