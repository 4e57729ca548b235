// SPDX-License-Identifier: GPL-2.0
/*
 * Ring interrupts.
 *
 * Each ring has one interrupt fd, created by the client and passed in
 * ADD_RING.  Peers use it as an eventfd: the transmitter of a ring writes
 * 8 bytes to it unless the receiver masked interrupts, and the receiver
 * polls it for EPOLLIN and reads 8 bytes.
 *
 * A module cannot create an eventfd (no kernel function that makes one is
 * exported), so a kernel client's interrupt fd is a file of our own, an
 * anonymous inode ("[memif-irq]") with an eventfd's semantics for the
 * peer: a 64-bit counter that a write adds to and a read takes and
 * clears, readable while it is not zero, always writable (a writer never
 * blocks: the counter stops short of overflowing).  It is nothing else:
 * no ioctl, no socket, no namespace to reach through it.  The price: while
 * a peer holds one, the module cannot be unloaded, as for tun's files.
 *
 * The file's state, struct memif_irqfd, outlives the file while links use
 * it.  A memif link that receives on the ring registers its queue there:
 * a kick then schedules that queue's NAPI directly instead of counting,
 * whether it comes from the peer's write(2) or from the other end being a
 * memif link too (a kernel server takes a kernel client's file and keeps
 * only its state, so that no file of ours pins the module between two
 * kernel links).
 *
 * A server takes what the client passed: a real eventfd (VPP, libmemif,
 * DPDK), signalled with eventfd_signal() and heard through an entry on its
 * wait queue as vhost and KVM's irqfd do; or one of our own files, as
 * above.  Nothing else: it never signals a socket on anybody's behalf.
 *
 * The wait-queue entry runs in the writer's context, a userspace peer's
 * write(2), with interrupts off: NAPI scheduled there would only run at
 * the next interrupt, a tick away.  So it raises an irq_work, whose
 * interrupt schedules NAPI and runs it on its way out, at once and on the
 * writer's CPU, as a NIC's interrupt would.  A write to our own file runs
 * NAPI as it enables bottom halves again, on the writer's CPU too.
 */
#include "memif.h"

#include <linux/anon_inodes.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/irq_work.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/**
 * struct memif_irqfd - the state of one of our interrupt files
 * @refs: the file's, and one per link ring using it
 * @wqh: the peer's readers and pollers; its lock protects @count and
 *	the setting of @rx
 * @count: kicks not read yet, as an eventfd's counter
 * @rx: the queue of a memif link that receives on the ring, if any: its
 *	kicks go there instead of to @count
 */
struct memif_irqfd {
	refcount_t refs;
	wait_queue_head_t wqh;
	u64 count;
	struct memif_queue __rcu *rx;
};

static void memif_irqfd_put(struct memif_irqfd *ifd)
{
	if (refcount_dec_and_test(&ifd->refs))
		kfree(ifd);
}

/* One kick, or @n from the peer; any context. */
static void memif_irqfd_kick(struct memif_irqfd *ifd, u64 n)
{
	struct memif_queue *q;
	unsigned long flags;

	rcu_read_lock();
	q = rcu_dereference(ifd->rx);
	if (q) {
		atomic64_inc(&q->kicks);
		memif_rx_irq(q);
	} else {
		spin_lock_irqsave(&ifd->wqh.lock, flags);
		ifd->count += min(n, ULLONG_MAX - 1 - ifd->count);
		wake_up_locked_poll(&ifd->wqh, EPOLLIN);
		spin_unlock_irqrestore(&ifd->wqh.lock, flags);
	}
	rcu_read_unlock();
}

static ssize_t memif_irqfd_read(struct file *file, char __user *buf,
				size_t len, loff_t *ppos)
{
	struct memif_irqfd *ifd = file->private_data;
	u64 cnt;
	int err;

	if (len < sizeof(cnt))
		return -EINVAL;
	spin_lock_irq(&ifd->wqh.lock);
	if (!ifd->count && (file->f_flags & O_NONBLOCK)) {
		spin_unlock_irq(&ifd->wqh.lock);
		return -EAGAIN;
	}
	err = wait_event_interruptible_locked_irq(ifd->wqh, ifd->count);
	cnt = ifd->count;
	if (!err)
		ifd->count = 0;
	spin_unlock_irq(&ifd->wqh.lock);
	if (err)
		return err;
	return put_user(cnt, (u64 __user *)buf) ? -EFAULT : sizeof(cnt);
}

static ssize_t memif_irqfd_write(struct file *file, const char __user *buf,
				 size_t len, loff_t *ppos)
{
	struct memif_irqfd *ifd = file->private_data;
	u64 n;

	if (len < sizeof(n))
		return -EINVAL;
	if (get_user(n, (const u64 __user *)buf))
		return -EFAULT;
	if (n == ULLONG_MAX)
		return -EINVAL;
	/* A link's NAPI runs as bottom halves are enabled again. */
	local_bh_disable();
	memif_irqfd_kick(ifd, n);
	local_bh_enable();
	return sizeof(n);
}

static __poll_t memif_irqfd_poll(struct file *file, poll_table *pt)
{
	struct memif_irqfd *ifd = file->private_data;

	/* poll_wait() takes the lock a kick takes: a kick that found no
	 * waiter has already counted, and is seen here.
	 */
	poll_wait(file, &ifd->wqh, pt);
	return EPOLLOUT | EPOLLWRNORM |
	       (READ_ONCE(ifd->count) ? EPOLLIN | EPOLLRDNORM : 0);
}

static int memif_irqfd_release(struct inode *inode, struct file *file)
{
	memif_irqfd_put(file->private_data);
	return 0;
}

static void memif_irqfd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct memif_irqfd *ifd = file->private_data;

	seq_printf(m, "memif-irq-count:\t%llu\n", READ_ONCE(ifd->count));
}

static const struct file_operations memif_irqfd_fops = {
	.owner		= THIS_MODULE,
	.read		= memif_irqfd_read,
	.write		= memif_irqfd_write,
	.poll		= memif_irqfd_poll,
	.release	= memif_irqfd_release,
	.show_fdinfo	= memif_irqfd_show_fdinfo,
	.llseek		= noop_llseek,
};

/* Make @q the receiver of @ifd's kicks; -EBUSY if it has one. */
static int memif_irqfd_listen(struct memif_irqfd *ifd, struct memif_queue *q)
{
	int err = 0;

	spin_lock_irq(&ifd->wqh.lock);
	if (rcu_access_pointer(ifd->rx))
		err = -EBUSY;
	else
		rcu_assign_pointer(ifd->rx, q);
	spin_unlock_irq(&ifd->wqh.lock);
	return err;
}

/**
 * memif_irq_create() - create a ring's interrupt file (client)
 * @irq: the channel, zeroed
 * @q: the queue a kick is for
 * @rx: whether kicks from the peer schedule @q's NAPI
 *
 * Return: 0 or a negative errno.
 */
int memif_irq_create(struct memif_irq *irq, struct memif_queue *q, bool rx)
{
	struct memif_irqfd *ifd;
	struct file *file;

	ifd = kzalloc(sizeof(*ifd), GFP_KERNEL_ACCOUNT);
	if (!ifd)
		return -ENOMEM;
	init_waitqueue_head(&ifd->wqh);
	if (rx)
		RCU_INIT_POINTER(ifd->rx, q);
	/* As eventfd(0, EFD_NONBLOCK) would make it, which peers expect. */
	file = anon_inode_getfile("[memif-irq]", &memif_irqfd_fops, ifd,
				  O_RDWR | O_NONBLOCK);
	if (IS_ERR(file)) {
		kfree(ifd);
		return PTR_ERR(file);
	}
	refcount_set(&ifd->refs, 2);	/* the file's and ours */
	irq->ifd = ifd;
	irq->rx = rx;
	irq->file = file;
	return 0;
}

/**
 * memif_irq_sent() - the peer has the interrupt file now
 * @irq: a client's channel, its file passed in ADD_RING
 *
 * Keep only the file's state: whether the peer keeps the file is its
 * business, and a file of ours held by one of our links would pin the
 * module.
 */
void memif_irq_sent(struct memif_irq *irq)
{
	if (irq->file) {
		fput(irq->file);
		irq->file = NULL;
	}
}

/* The client signalled one of our rx rings: runs under its wait-queue lock. */
static int memif_irq_wake(wait_queue_entry_t *wait, unsigned int mode,
			  int sync, void *key)
{
	struct memif_irq *irq = container_of(wait, struct memif_irq, wait);
	u64 cnt;

	if (key_to_poll(key) & EPOLLIN) {
		eventfd_ctx_do_read(irq->efd, &cnt);
		atomic64_inc(&irq->q->kicks);
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
 * Return: 0, -EINVAL if @file is neither an eventfd nor one of our
 * interrupt files opened for reading and writing, -EBUSY for one of ours
 * another ring already listens on, -EACCES if the security policy does
 * not let us receive it.
 */
int memif_irq_attach(struct memif_irq *irq, struct file *file,
		     struct memif_queue *q, bool rx)
{
	struct eventfd_ctx *efd;
	struct memif_irqfd *ifd;
	int err;

	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE))
		return -EINVAL;
	if (file->f_op == &memif_irqfd_fops) {
		ifd = file->private_data;
		if (memif_socket_receive_check(file, q->mdev->owner.cred))
			return -EACCES;
		if (rx) {
			err = memif_irqfd_listen(ifd, q);
			if (err)
				return err;
		}
		refcount_inc(&ifd->refs);
		irq->ifd = ifd;
		irq->rx = rx;
		return 0;
	}
	efd = eventfd_ctx_fileget(file);
	if (IS_ERR(efd))
		return -EINVAL;
	if (memif_socket_receive_check(file, q->mdev->owner.cred)) {
		eventfd_ctx_put(efd);
		return -EACCES;
	}
	irq->efd = efd;
	irq->q = q;
	if (rx) {
		/* In hard interrupt context on PREEMPT_RT too, where NAPI
		 * runs on its way out.
		 */
		irq->work = IRQ_WORK_INIT_HARD(memif_irq_work);
		init_waitqueue_func_entry(&irq->wait, memif_irq_wake);
		init_poll_funcptr(&irq->pt, memif_irq_queue_proc);
		vfs_poll(file, &irq->pt);
	}
	return 0;
}

/**
 * memif_irq_destroy() - release a ring's interrupt channel
 * @irq: the channel; may be empty
 *
 * Once this returns no eventfd callback runs for it.  A kick through one
 * of our files may still be on its way to the queue: the caller waits
 * for an RCU grace period before the queue goes away.
 */
void memif_irq_destroy(struct memif_irq *irq)
{
	u64 cnt;

	if (irq->ifd) {
		if (irq->rx) {
			spin_lock_irq(&irq->ifd->wqh.lock);
			RCU_INIT_POINTER(irq->ifd->rx, NULL);
			spin_unlock_irq(&irq->ifd->wqh.lock);
		}
		memif_irq_sent(irq);
		memif_irqfd_put(irq->ifd);
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
 * memif_irq_signal() - kick the peer
 * @irq: the ring's channel
 *
 * Any context.  A memif link at the other end has its NAPI scheduled at
 * once, to run when bottom halves are enabled again.
 */
void memif_irq_signal(struct memif_irq *irq)
{
	if (irq->efd)
		memif_eventfd_signal(irq->efd);
	else if (irq->ifd)
		memif_irqfd_kick(irq->ifd, 1);
}
