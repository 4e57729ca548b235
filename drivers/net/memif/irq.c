// SPDX-License-Identifier: GPL-2.0
/*
 * Ring interrupts.
 *
 * Each ring has one interrupt fd, created by the client and passed in
 * ADD_RING.  Peers use it as an eventfd: the transmitter of a ring writes
 * 8 bytes to it unless the receiver masked interrupts, and the receiver
 * polls it for EPOLLIN and reads 8 bytes.
 *
 * A module cannot create an eventfd, so a kernel client's fd is one end of
 * a SEQPACKET socket pair: the peer's writes arrive on our end as
 * messages, and our signals are messages the peer reads.  Both ends are
 * ordinary sockets, so the module can go away while a peer still holds
 * its end.
 *
 * A server takes what the client passed: a real eventfd (VPP, libmemif,
 * DPDK), signalled with eventfd_signal() and heard through an entry on its
 * wait queue as vhost and KVM's irqfd do; or an AF_UNIX socket such as a
 * kernel client's, used as the client uses its own end.
 *
 * The wait-queue entry runs in the writer's context, a userspace peer's
 * write(2), with interrupts off: NAPI scheduled there would only run at
 * the next interrupt, a tick away.  So it raises an irq_work, whose
 * interrupt schedules NAPI and runs it on its way out, at once and on the
 * writer's CPU, as a NIC's interrupt would.  A socket's callback needs no
 * such help: it drops its bottom-half lock on the way out, which runs NAPI.
 */
#include "memif.h"

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/irq_work.h>
#include <linux/net.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/net_namespace.h>
#include <net/sock.h>

static void memif_irq_event(struct sock *sk)
{
	struct memif_queue *q;

	read_lock_bh(&sk->sk_callback_lock);
	/* The message itself carries nothing: drop it. */
	skb_queue_purge(&sk->sk_receive_queue);
	q = sk->sk_user_data;
	if (q)
		memif_rx_irq(q);
	read_unlock_bh(&sk->sk_callback_lock);
}

/**
 * memif_irq_create() - create a ring's interrupt channel (client)
 * @irq: the channel, zeroed
 * @q: the queue a kick is for
 * @rx: whether kicks from the peer schedule @q's NAPI
 *
 * The peer's end is created in the initial network namespace and given an
 * autobound address, so that it can be neither bound nor connected
 * anywhere else: the peer can only talk to us through it.
 *
 * Return: 0 or a negative errno.
 */
int memif_irq_create(struct memif_irq *irq, struct memif_queue *q, bool rx)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct socket *ours, *theirs;
	struct file *file;
	int err;

	err = sock_create_kern(&init_net, AF_UNIX, SOCK_SEQPACKET, 0, &ours);
	if (err)
		return err;
	err = sock_create_kern(&init_net, AF_UNIX, SOCK_SEQPACKET, 0, &theirs);
	if (err)
		goto err_release_ours;
	err = kernel_bind(theirs, (struct sockaddr *)&sun,
			  offsetof(struct sockaddr_un, sun_path));
	if (err)
		goto err_release_theirs;
	err = ours->ops->socketpair(ours, theirs);
	if (err)
		goto err_release_theirs;
	/* On failure this releases @theirs. */
	file = sock_alloc_file(theirs, O_NONBLOCK, "[memif-irq]");
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_release_ours;
	}
	memif_socket_hook(ours, rx ? q : NULL, memif_irq_event, &irq->saved);
	irq->sock = ours;
	irq->own_sock = true;
	irq->file = file;
	irq->peer_end = theirs;
	return 0;

err_release_theirs:
	sock_release(theirs);
err_release_ours:
	sock_release(ours);
	return err;
}

/* The client signalled one of our rx rings: runs under its wait-queue lock. */
static int memif_irq_wake(wait_queue_entry_t *wait, unsigned int mode,
			  int sync, void *key)
{
	struct memif_irq *irq = container_of(wait, struct memif_irq, wait);
	u64 cnt;

	if (key_to_poll(key) & EPOLLIN) {
		eventfd_ctx_do_read(irq->efd, &cnt);
		irq_work_queue(&irq->work);
	}
	return 0;
}

static void memif_irq_work(struct irq_work *work)
{
	memif_rx_irq(container_of(work, struct memif_irq, work)->q);
}

static void memif_irq_queue_proc(struct file *file, wait_queue_head_t *wqh,
				 poll_table *pt)
{
	struct memif_irq *irq = container_of(pt, struct memif_irq, pt);

	irq->wqh = wqh;
	add_wait_queue(wqh, &irq->wait);
}

/**
 * memif_irq_attach() - use what a client passed as a ring's interrupt
 * @irq: the channel, zeroed
 * @file: the fd passed in ADD_RING
 * @q: the queue
 * @rx: whether the client signals it (a C2S ring) and we must listen
 *
 * Return: 0, -EINVAL if @file is neither an eventfd nor an AF_UNIX
 * datagram or connected seqpacket socket, -EBUSY for a socket somebody
 * (another ring of ours, say) already takes the callbacks of.
 */
int memif_irq_attach(struct memif_irq *irq, struct file *file,
		     struct memif_queue *q, bool rx)
{
	struct eventfd_ctx *efd = eventfd_ctx_fileget(file);
	struct socket *sock;

	if (!IS_ERR(efd)) {
		irq->efd = efd;
		irq->q = q;
		if (rx) {
			/* In hard interrupt context on PREEMPT_RT too,
			 * where NAPI runs on its way out.
			 */
			irq->work = IRQ_WORK_INIT_HARD(memif_irq_work);
			init_waitqueue_func_entry(&irq->wait, memif_irq_wake);
			init_poll_funcptr(&irq->pt, memif_irq_queue_proc);
			vfs_poll(file, &irq->pt);
		}
		return 0;
	}
	sock = sock_from_file(file);
	if (!sock || sock->sk->sk_family != AF_UNIX ||
	    (sock->type != SOCK_SEQPACKET && sock->type != SOCK_DGRAM))
		return -EINVAL;
	/* A SEQPACKET socket must be connected, which it then stays: on a
	 * listening one each message our callback drops would be a pending
	 * connection, whose socket only the listener can free.
	 */
	if (sock->type == SOCK_SEQPACKET &&
	    READ_ONCE(sock->sk->sk_state) != TCP_ESTABLISHED)
		return -EINVAL;
	if (memif_socket_hook(sock, rx ? q : NULL, memif_irq_event,
			      &irq->saved))
		return -EBUSY;
	irq->sock = sock;
	irq->file = get_file(file);
	return 0;
}

/**
 * memif_irq_destroy() - release a ring's interrupt channel
 * @irq: the channel; may be empty
 *
 * Once this returns no callback runs for it.
 */
void memif_irq_destroy(struct memif_irq *irq)
{
	u64 cnt;

	if (irq->sock) {
		memif_socket_unhook(irq->sock, &irq->saved);
		if (irq->own_sock)
			sock_release(irq->sock);
		fput(irq->file);
	}
	if (irq->efd) {
		if (irq->wqh) {
			eventfd_ctx_remove_wait_queue(irq->efd, &irq->wait, &cnt);
			irq_work_sync(&irq->work);
		}
		eventfd_ctx_put(irq->efd);
	}
	memset(irq, 0, sizeof(*irq));
}

/**
 * memif_irq_can_signal_atomic() - whether memif_irq_signal() may be called
 * from any context
 * @irq: the channel
 *
 * Return: true for an eventfd; false for a socket, which may sleep.
 */
bool memif_irq_can_signal_atomic(const struct memif_irq *irq)
{
	return irq->efd;
}

/* The socket at the other end of @irq's, when that cannot change: the
 * other end of a client's own pair, or the peer of a SEQPACKET socket a
 * client passed, which holds a reference on it.
 */
static struct sock *memif_irq_other_sk(const struct memif_irq *irq)
{
	if (irq->peer_end)
		return irq->peer_end->sk;
	if (irq->sock && irq->sock->type == SOCK_SEQPACKET)
		return READ_ONCE(unix_peer(irq->sock->sk));
	return NULL;
}

/**
 * memif_irq_signal_direct() - kick a peer that is a memif link too
 * @irq: the ring's channel
 *
 * When the other end of the channel's socket is a memif link's, whose
 * callback would take our message and only kick its queue, kick that
 * queue here instead: its NAPI then runs when we enable bottom halves,
 * as a veth peer's does, where a message would have to be sent from a
 * work item.  Not with interrupts off (netpoll): bottom halves cannot be
 * enabled there, and the caller sends a message instead.
 *
 * Return: true if the peer is a memif link (and nothing is to be sent).
 */
bool memif_irq_signal_direct(struct memif_irq *irq)
{
	struct sock *sk = memif_irq_other_sk(irq);
	struct memif_queue *q = NULL;
	bool ours;

	if (!sk || irqs_disabled() || in_hardirq())
		return false;
	read_lock_bh(&sk->sk_callback_lock);
	ours = sk->sk_data_ready == memif_irq_event;
	if (ours)
		q = sk->sk_user_data;
	if (q)
		memif_rx_irq(q);
	read_unlock_bh(&sk->sk_callback_lock);
	return ours;
}

/**
 * memif_irq_signal() - kick the peer
 * @irq: the ring's channel
 *
 * At most one kick is pending at a time on our own socket pair, as with
 * an eventfd counter.  May sleep unless memif_irq_can_signal_atomic().
 */
void memif_irq_signal(struct memif_irq *irq)
{
	u64 one = 1;
	struct kvec iov = { .iov_base = &one, .iov_len = sizeof(one) };
	struct msghdr mh = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };

	if (irq->efd) {
		memif_eventfd_signal(irq->efd);
		return;
	}
	if (irq->peer_end) {
		struct sk_buff_head *rq = &irq->peer_end->sk->sk_receive_queue;
		bool pending;

		/* Under the lock: the peer dequeues, then reads the index. */
		spin_lock_bh(&rq->lock);
		pending = !skb_queue_empty(rq);
		spin_unlock_bh(&rq->lock);
		if (pending)
			return;
	}
	kernel_sendmsg(irq->sock, &mh, &iov, 1, sizeof(one));
}
