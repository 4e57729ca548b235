/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memif: the kernel API differences between the kernels we build for
 * (Linux 6.1 and 6.12, see README.md), and only those.  Each wrapper has
 * the newer kernel's meaning.  The MEMIF_HAVE_* macros come from the
 * Makefile, which looks for the newer API in the kernel's headers.
 */
#ifndef _MEMIF_COMPAT_H
#define _MEMIF_COMPAT_H

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/mount.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/* Linux 6.3: the VFS takes a mount's idmap, not its user namespace.  What
 * @mnt maps ids with, for vfs_unlink() and notify_change(): a file on an
 * idmapped mount is changed as through that mount, as chown(2) does it.
 */
#ifdef MEMIF_HAVE_MNT_IDMAP
static inline struct mnt_idmap *memif_mnt_idmap(struct vfsmount *mnt)
{
	return mnt_idmap(mnt);
}
#else
static inline struct user_namespace *memif_mnt_idmap(struct vfsmount *mnt)
{
	return mnt_user_ns(mnt);
}
#endif

/* Linux 6.7: receive_fd() takes where to put the fd for the caller. */
static inline int memif_receive_fd(struct file *file, unsigned int o_flags)
{
#ifdef MEMIF_HAVE_RECEIVE_FD_UFD
	return receive_fd(file, NULL, o_flags);
#else
	return receive_fd(file, o_flags);
#endif
}

/* Linux 6.7: hugetlbfs files index their page cache in base pages, not in
 * huge pages.  The page cache index of huge page @i of a file.
 */
static inline pgoff_t memif_hugetlb_index(struct hstate *h, pgoff_t i)
{
#ifdef MEMIF_HAVE_HUGETLB_PAGE_INDEX
	return i << huge_page_order(h);
#else
	return i;
#endif
}

/* Linux 6.8: eventfd_signal() always adds one. */
static inline void memif_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef MEMIF_HAVE_EVENTFD_SIGNAL_ONE
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/* Make a socket af_unix created for a user (it holds a reference on its
 * namespace) hold what a kernel socket holds, as sk_alloc() would have
 * set it up with kern = 1.  Since "net: better track kernel sockets
 * lifetime" (6.15, in Debian's 6.12 too, with sk_net_refcnt_upgrade() as
 * the sign of it), a kernel socket holds a passive reference and its
 * tracker; before, nothing.
 */
static inline void memif_sk_net_as_kernel(struct sock *sk)
{
	struct net *net = sock_net(sk);

	sock_inuse_add(net, -1);
	sk->sk_net_refcnt = 0;
#ifdef MEMIF_HAVE_SK_NET_REFCNT_UPGRADE
	net_passive_inc(net);
	put_net_track(net, &sk->ns_tracker);
	__netns_tracker_alloc(net, &sk->ns_tracker, false, GFP_KERNEL);
#else
	put_net_track(net, &sk->ns_tracker);
#endif
}

/* Linux 6.3: a device announces the XDP actions it supports, and a
 * redirect to one that does not announce ndo_xdp_xmit fails.  Set before
 * the device is registered.
 */
static inline void memif_set_xdp_features(struct net_device *dev, bool on)
{
#ifdef MEMIF_HAVE_XDP_FEATURES
	dev->xdp_features = on ? NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
				 NETDEV_XDP_ACT_NDO_XMIT : 0;
#endif
}

#endif /* _MEMIF_COMPAT_H */
