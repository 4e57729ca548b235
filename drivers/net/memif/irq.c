// SPDX-License-Identifier: GPL-2.0
/*
 * Ring interrupts, client side.
 *
 * Each ring has one interrupt fd, created by the client and passed in
 * ADD_RING.  Peers use it as an eventfd: the transmitter of a ring writes
 * 8 bytes to it unless the receiver masked interrupts, and the receiver
 * polls it for EPOLLIN and reads 8 bytes.  A module cannot create an
 * eventfd, so the fd is one end of a SEQPACKET socket pair: the peer's
 * writes arrive on our end as messages, and our signals are messages the
 * peer reads.  Both ends are ordinary sockets, so the module can go away
 * while a peer still holds its end.
 */
#include "memif.h"

#include <linux/file.h>
#include <linux/net.h>
#include <linux/un.h>
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
 * memif_irq_create() - create a ring's interrupt channel
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
	irq->ours = ours;
	irq->theirs = file;
	return 0;

err_release_theirs:
	sock_release(theirs);
err_release_ours:
	sock_release(ours);
	return err;
}

/**
 * memif_irq_destroy() - close our end and drop our reference to the peer's
 * @irq: the channel; may be empty
 */
void memif_irq_destroy(struct memif_irq *irq)
{
	if (!irq->ours)
		return;
	memif_socket_unhook(irq->ours, &irq->saved);
	sock_release(irq->ours);
	fput(irq->theirs);
	irq->ours = NULL;
	irq->theirs = NULL;
}

/**
 * memif_irq_signal() - kick the peer
 * @irq: the ring's channel
 *
 * At most one kick is pending at a time, as with an eventfd counter.
 * May sleep.
 */
void memif_irq_signal(struct memif_irq *irq)
{
	struct socket *theirs = irq->theirs->private_data;
	u64 one = 1;
	struct kvec iov = { .iov_base = &one, .iov_len = sizeof(one) };
	struct msghdr mh = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };

	if (!skb_queue_empty_lockless(&theirs->sk->sk_receive_queue))
		return;
	kernel_sendmsg(irq->ours, &mh, &iov, 1, sizeof(one));
}
