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
 * Binding and unlinking a socket file look a path up, which takes as long
 * as the file systems on the way make it: neither happens under a lock
 * that ndo_stop (under RTNL) waits for.  A listener being created or taken
 * down stays on the list with no links, and a link that finds it so tries
 * again a moment later.  An abstract listener goes with its last link, at
 * once: its socket must not outlive the namespace, which does not wait.
 *
 * Locking: memif_listeners_lock protects the list of listeners, their
 * reference counts and the links' listener pointers; each listener's lock
 * protects its socket, links and pending connections.  Lock order:
 * memif_listeners_lock, listener->lock, then a link's lock.
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
	struct work_struct destroy_work;
};

struct memif_pending {
	struct list_head node;
	struct socket *sock;
	struct memif_sk_saved saved;
	unsigned long deadline;
	bool has_init;			/* init waits for a busy link */
	struct memif_msg init;
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
	 * what HELLO offers, would try again every 3 s forever.  Until a link
	 * has joined, clients wait in the backlog.
	 */
	if (list_empty(&l->devs))
		return;
	list_for_each_entry(m, &l->devs, listener_node) {
		/* Changed under the link's lock (ethtool -L): a HELLO sent
		 * meanwhile offers the old count, and the link refuses an
		 * INIT asking more than it takes now; the client retries.
		 */
		n_rx = min_t(u16, n_rx, data_race(m->cfg.queues_rx));
		/* Likewise. */
		n_tx = min_t(u16, n_tx, data_race(m->cfg.queues_tx));
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
		/* Not later than it is: it is set for the oldest client. */
		queue_delayed_work(memif_wq, &l->timeout_work,
				   MEMIF_HANDSHAKE_TIMEOUT);
	}
}

/* Hand a client to the link its INIT names: 0, -EAGAIN while that link
 * is busy, or another negative errno with @reason set.
 */
static int memif_listener_dispatch(struct memif_listener *l,
				   struct memif_pending *p,
				   const char **reason)
{
	const struct memif_msg *msg = &p->init;
	struct memif_dev *m;
	int err;

	*reason = "unexpected message";
	if (msg->type != MEMIF_MSG_INIT)
		return -EPROTO;
	*reason = "unmatched interface id";
	list_for_each_entry(m, &l->devs, listener_node) {
		if (m->cfg.id != msg->init.id)
			continue;
		memif_socket_unhook(p->sock, &p->saved);
		err = memif_ctrl_accept(m, p->sock, msg, reason);
		if (!err) {
			/* The link owns the socket now. */
			list_del(&p->node);
			l->n_pending--;
			kfree(p);
			return 0;
		}
		memif_socket_hook(p->sock, l, memif_listener_event, &p->saved);
		return err;
	}
	return -ENODEV;
}

static void memif_listener_work(struct work_struct *work)
{
	struct memif_listener *l = container_of(work, struct memif_listener,
						work);
	struct memif_pending *p, *tmp;
	bool busy = false;
	const char *reason;
	int ret;

	mutex_lock(&l->lock);
	if (!l->sock)
		goto out;
	memif_listener_accept(l);
	list_for_each_entry_safe(p, tmp, &l->pending, node) {
		if (!p->has_init) {
			ret = memif_socket_recv(p->sock, &p->init, NULL);
			if (ret == -EAGAIN)
				continue;
			if (ret <= 0) {
				memif_pending_close(l, p, ret ?
						    "malformed message" : NULL);
				continue;
			}
			p->has_init = true;
		}
		ret = memif_listener_dispatch(l, p, &reason);
		if (ret == -EAGAIN)
			busy = true;
		else if (ret)
			memif_pending_close(l, p, reason);
	}
	/* A link busy with its lock a moment; the client waits until its
	 * handshake times out.
	 */
	if (busy)
		mod_delayed_work(memif_wq, &l->timeout_work, HZ / 50);
out:
	mutex_unlock(&l->lock);
}

static void memif_listener_timeout(struct work_struct *work)
{
	struct memif_listener *l = container_of(to_delayed_work(work),
						struct memif_listener,
						timeout_work);
	struct memif_pending *p, *tmp;

	bool retry = false, any = false;
	unsigned long next = 0;

	mutex_lock(&l->lock);
	list_for_each_entry_safe(p, tmp, &l->pending, node) {
		if (time_after_eq(jiffies, p->deadline)) {
			memif_pending_close(l, p, "handshake timed out");
			continue;
		}
		retry |= p->has_init;
		if (!any || time_before(p->deadline, next))
			next = p->deadline;
		any = true;
	}
	if (any)
		mod_delayed_work(memif_wq, &l->timeout_work,
				 time_after(next, jiffies) ? next - jiffies : 0);
	if (retry)
		queue_work(memif_wq, &l->work);
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

static void memif_listener_destroy_work(struct work_struct *work);

static struct memif_listener *memif_listener_alloc(struct net *net,
						   const struct memif_cfg *cfg,
						   const struct cred *cred)
{
	struct memif_listener *l;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return NULL;
	l->net = net;
	strscpy(l->path, cfg->socket, sizeof(l->path));
	l->cred = get_cred(cred);
	l->socket_uid = cfg->socket_uid;
	l->socket_gid = cfg->socket_gid;
	l->socket_mode = cfg->socket_mode;
	mutex_init(&l->lock);
	INIT_LIST_HEAD(&l->devs);
	INIT_LIST_HEAD(&l->pending);
	INIT_WORK(&l->work, memif_listener_work);
	INIT_DELAYED_WORK(&l->timeout_work, memif_listener_timeout);
	INIT_WORK(&l->destroy_work, memif_listener_destroy_work);
	return l;
}

/* Close the socket, remove its file and drop the clients waiting.  @l has
 * no links left and takes no new ones; it is still on the list.
 */
static void memif_listener_close(struct memif_listener *l)
{
	struct memif_pending *p, *tmp;
	struct socket *sock;

	mutex_lock(&l->lock);
	sock = l->sock;
	l->sock = NULL;
	list_for_each_entry_safe(p, tmp, &l->pending, node)
		memif_pending_close(l, p, "interface deleted");
	mutex_unlock(&l->lock);
	if (sock)
		memif_socket_unlisten(sock, l->path, l->cred, &l->saved);
	cancel_work_sync(&l->work);
	cancel_delayed_work_sync(&l->timeout_work);
}

/* Take @l off the list, closed, and free it; under memif_listeners_lock. */
static void __memif_listener_free(struct memif_listener *l)
{
	list_del(&l->node);
	put_cred(l->cred);
	kfree(l);
}

static void memif_listener_free(struct memif_listener *l)
{
	mutex_lock(&memif_listeners_lock);
	__memif_listener_free(l);
	mutex_unlock(&memif_listeners_lock);
}

/* A socket file is unlinked here, where nobody waits for the lookup. */
static void memif_listener_destroy_work(struct work_struct *work)
{
	struct memif_listener *l = container_of(work, struct memif_listener,
						destroy_work);

	memif_listener_close(l);
	memif_listener_free(l);
}

/* NULL if a link with @cfg, owned by @cred, may serve clients of @l,
 * created by another link, or why not.
 */
static const char *memif_listener_may_join(const struct memif_listener *l,
					   const struct memif_cfg *cfg,
					   const struct cred *cred)
{
	const struct cred *old;
	bool ok;

	if (!uid_eq(l->socket_uid, cfg->socket_uid) ||
	    !gid_eq(l->socket_gid, cfg->socket_gid) ||
	    l->socket_mode != cfg->socket_mode)
		return "the socket is served with another owner, group or mode";
	if (uid_eq(l->cred->fsuid, cred->fsuid))
		return NULL;
	old = override_creds(cred);
	ok = capable(CAP_DAC_OVERRIDE);
	revert_creds(old);
	return ok ? NULL : "another user's links serve the socket";
}

/* Add @m to @l, if it is still the link that asked (@gen) and no other
 * link on the socket has its id, and look for clients that came before.
 * Under memif_listeners_lock.
 */
static int memif_listener_join(struct memif_listener *l, struct memif_dev *m,
			       unsigned int gen)
{
	struct memif_dev *o;
	int err = 0;

	mutex_lock(&l->lock);
	mutex_lock(&m->lock);
	/* ndo_stop may have come and gone while the socket was bound: it
	 * found no listener to leave, so this one must not be joined.
	 */
	if (!m->running || m->gen != gen)
		err = -ESTALE;
	list_for_each_entry(o, &l->devs, listener_node)
		if (!err && o->cfg.id == m->cfg.id)
			err = -EADDRINUSE;
	if (!err) {
		list_add(&m->listener_node, &l->devs);
		l->refs++;
		WRITE_ONCE(m->listener, l);
		/* Taking @l down cancels it. */
		queue_work(memif_wq, &l->work);
	}
	mutex_unlock(&m->lock);
	mutex_unlock(&l->lock);
	return err;
}

/**
 * memif_listener_attach() - listen for clients of a server link
 * @m: a server link that is up, not attached, not holding its lock
 * @gen: the generation of @m (&memif_dev.gen) that wants to listen
 * @refused: set to why, when the links already serving the socket are not
 *	ones @m may join (see above)
 *
 * Creates the listener for the link's socket, or joins the existing one.
 * The socket is bound with no lock held that ndo_stop takes.
 *
 * Return: 0, -EADDRINUSE if another link on the socket has the same id or
 * somebody else listens there, -EPERM with @refused set, -EAGAIN if the
 * listener is being created or taken down by another link, -ESTALE if @m
 * went down (or down and up) meanwhile, -ENONET if the namespace the link
 * was created in is gone, another negative errno otherwise.
 */
int memif_listener_attach(struct memif_dev *m, unsigned int gen,
			  const char **refused)
{
	const struct cred *cred;
	struct memif_listener *l;
	struct net *net, *lnet;
	struct memif_cfg *cfg;
	struct socket *sock;
	int err;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	/* What the link asks for now: its settings and owner may change
	 * (changelink, ethtool) while the socket is bound.
	 */
	mutex_lock(&m->lock);
	if (!m->running || m->gen != gen) {
		mutex_unlock(&m->lock);
		kfree(cfg);
		return -ESTALE;
	}
	*cfg = m->cfg;
	cred = get_cred(m->owner.cred);
	rcu_read_lock();
	net = rcu_dereference(m->creating_net);
	net = net ? maybe_get_net(net) : NULL;
	rcu_read_unlock();
	mutex_unlock(&m->lock);
	err = -ENONET;
	if (!net)
		goto out_cfg;

	mutex_lock(&memif_listeners_lock);
	lnet = memif_socket_net(cfg->socket, net);
	l = memif_listener_find(lnet, cfg->socket);
	if (l) {
		*refused = l->refs ? memif_listener_may_join(l, cfg, cred) : NULL;
		if (!l->refs)
			err = -EAGAIN;
		else if (*refused)
			err = -EPERM;
		else
			err = memif_listener_join(l, m, gen);
		mutex_unlock(&memif_listeners_lock);
		goto out;
	}
	/* On the list with no links: others wait until it is bound. */
	l = memif_listener_alloc(lnet, cfg, cred);
	if (!l) {
		mutex_unlock(&memif_listeners_lock);
		err = -ENOMEM;
		goto out;
	}
	list_add(&l->node, &memif_listeners);
	mutex_unlock(&memif_listeners_lock);

	sock = memif_socket_listen(lnet, cfg, cred, l, memif_listener_event,
				   &l->saved);
	if (IS_ERR(sock)) {
		err = PTR_ERR(sock);
		memif_listener_free(l);
		goto out;
	}
	mutex_lock(&l->lock);
	l->sock = sock;
	mutex_unlock(&l->lock);

	mutex_lock(&memif_listeners_lock);
	err = memif_listener_join(l, m, gen);
	mutex_unlock(&memif_listeners_lock);
	if (err) {
		memif_listener_close(l);
		memif_listener_free(l);
	}
out:
	put_net(net);
out_cfg:
	put_cred(cred);
	kfree(cfg);
	return err;
}

/**
 * memif_listener_detach() - stop taking clients for a server link
 * @m: the link, not holding its lock; may be detached already
 *
 * Once this returns no client is handed to @m.  The last link of a
 * listener takes it down: an abstract one at once, one with a socket file
 * in the background.
 */
void memif_listener_detach(struct memif_dev *m)
{
	struct memif_listener *l;

	mutex_lock(&memif_listeners_lock);
	l = m->listener;
	if (!l)
		goto out;
	mutex_lock(&l->lock);
	list_del(&m->listener_node);
	WRITE_ONCE(m->listener, NULL);
	mutex_unlock(&l->lock);
	if (--l->refs)
		goto out;
	if (l->path[0] == '@') {
		/* Its namespace may be on its way out (pre_exit). */
		memif_listener_close(l);
		__memif_listener_free(l);
	} else {
		queue_work(memif_wq, &l->destroy_work);
	}
out:
	mutex_unlock(&memif_listeners_lock);
}
