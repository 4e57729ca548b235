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
#include <linux/fs.h>

/* Linux 6.3: vfs_unlink() takes the mount's idmap, not a user namespace. */
static inline int memif_vfs_unlink(struct inode *dir, struct dentry *dentry)
{
#ifdef MEMIF_HAVE_MNT_IDMAP
	return vfs_unlink(&nop_mnt_idmap, dir, dentry, NULL);
#else
	return vfs_unlink(&init_user_ns, dir, dentry, NULL);
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

#endif /* _MEMIF_COMPAT_H */
