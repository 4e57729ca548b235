// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory regions.  A client creates its region as a shmem file,
 * which the peer maps through the fd passed in ADD_REGION; a server maps
 * the memfds a client passes.  Either way the kernel keeps a reference on
 * every page plus a kernel mapping of them: whatever the peer does to the
 * file (truncate, punch holes), the kernel only ever touches pages it
 * holds.
 *
 * Whose memory it is: a page the kernel allocates or faults in for a
 * link is charged to the memory cgroup of whoever created (or last
 * configured) the link, as if that process had touched it, never to the
 * kworker doing the work; the link's max_memory bounds what a peer can
 * make it map or allocate, and is checked before anything is.  A mapping
 * stops as soon as the link is taken down (memif_dev.map_abort), so that
 * a peer announcing large regions cannot hold ip link set down, which
 * waits under RTNL, for the time of the mapping.
 *
 * What a server takes: a memfd (a file of the kernel's internal tmpfs
 * mount, which is what memfd_create() makes) that the peer opened for
 * reading and writing and did not seal against writing, and that the
 * security policy lets us receive.  The kernel writes what it transmits
 * into the peer's region, so a region must be one the peer could write
 * itself: an O_PATH or read-only fd of somebody else's file is refused.
 */
#include "memif.h"

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

static void memif_region_put_pages(struct page **pages, unsigned int n)
{
	while (n--) {
		set_page_dirty_lock(pages[n]);
		put_page(pages[n]);
	}
}

/* Take a reference on every page of @file and map them, the pages
 * faulted in charged to @m's owner; 0, -EINTR when the link goes down
 * meanwhile, or another negative errno.
 */
static int memif_region_pin(struct memif_dev *m, struct memif_region *r,
			    struct file *file, u64 size)
{
	struct address_space *mapping = file->f_mapping;
	unsigned int i, npages = DIV_ROUND_UP_ULL(size, PAGE_SIZE);
	/* Past the memory cgroup's limit the charge fails, rather than
	 * waking its OOM killer on the owner's processes.
	 */
	gfp_t gfp = mapping_gfp_mask(mapping) | __GFP_RETRY_MAYFAIL |
		    __GFP_NOWARN;
	struct mem_cgroup *old_memcg;
	struct page **pages;
	int err = 0;

	old_memcg = set_active_memcg(m->owner.memcg);
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < npages; i++) {
		if (READ_ONCE(m->map_abort)) {
			err = -EINTR;
			goto err_put_pages;
		}
		pages[i] = shmem_read_mapping_page_gfp(mapping, i, gfp);
		if (IS_ERR(pages[i])) {
			err = PTR_ERR(pages[i]);
			goto err_put_pages;
		}
		cond_resched();	/* up to max_memory / PAGE_SIZE pages */
	}
	r->base = vmap(pages, npages, VM_MAP, PAGE_KERNEL);
	if (!r->base) {
		err = -ENOMEM;
		goto err_put_pages;
	}
	r->file = file;
	r->pages = pages;
	r->npages = npages;
	r->size = size;
	goto out;

err_put_pages:
	memif_region_put_pages(pages, i);
	kvfree(pages);
out:
	set_active_memcg(old_memcg);
	return err;
}

/**
 * memif_region_create() - create a client's region for the peer to map
 * @m: the link, whose owner is charged for the memory
 * @r: the region, zeroed
 * @size: its size in bytes, checked against the link's max_memory
 *
 * Return: 0, -EINTR when the link went down meanwhile, or another
 * negative errno; on error @r holds nothing.
 */
int memif_region_create(struct memif_dev *m, struct memif_region *r, u64 size)
{
	struct file *file;
	int err;

	if (!size || size > MEMIF_REGION_MAX)
		return -EINVAL;
	file = shmem_file_setup("memif", size, VM_NORESERVE);
	if (IS_ERR(file))
		return PTR_ERR(file);
	err = memif_region_pin(m, r, file, size);
	if (err)
		fput(file);
	return err;
}

/* Why a file a client passed is no region, or NULL. */
static const char *memif_region_refuse(struct file *file, u64 size)
{
	struct inode *inode = file_inode(file);

	if (!S_ISREG(inode->i_mode))
		return "region fd is not a memfd";
	if (inode->i_sb->s_magic == HUGETLBFS_MAGIC)
		return "hugetlbfs regions are not supported";
	/* memfd_create() makes its files on the kernel's internal tmpfs
	 * mount; a file of a tmpfs mounted anywhere is somebody's file.
	 */
	if (inode->i_sb->s_magic != TMPFS_MAGIC ||
	    !(file->f_path.mnt->mnt_flags & MNT_INTERNAL))
		return "region fd is not a memfd";
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE))
		return "region fd is not open for reading and writing";
	if (READ_ONCE(SHMEM_I(inode)->seals) &
	    (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) ||
	    IS_IMMUTABLE(inode) || IS_APPEND(inode))
		return "region memfd is sealed against writing";
	if (i_size_read(inode) < size)
		return "region fd is smaller than announced";
	if (memif_socket_receive_check(file))
		return "region fd refused by the security policy";
	return NULL;
}

/**
 * memif_region_map() - map a region a client passed
 * @m: the server link, whose owner is charged for pages faulted in
 * @r: the region, zeroed
 * @file: the client's fd; a reference is taken on success
 * @size: the size the client announced, checked by memif_valid_add_region()
 *	and against the link's max_memory
 *
 * Only memfds are accepted (see above): the page cache helpers used here
 * must never see another kind of file (on hugetlbfs they BUG).  Once
 * mapped, the peer cannot seal the memfd against writing any more: the
 * pages we hold make F_SEAL_WRITE fail with EBUSY.
 *
 * Return: NULL, or why the region is refused.
 */
const char *memif_region_map(struct memif_dev *m, struct memif_region *r,
			     struct file *file, u64 size)
{
	const char *reason = memif_region_refuse(file, size);
	int err;

	if (reason)
		return reason;
	err = memif_region_pin(m, r, get_file(file), size);
	if (!err)
		return NULL;
	fput(file);
	if (err == -EINTR)
		return "interface down";
	return err == -ENOMEM ? "cannot map region: out of memory" :
	       "cannot map region";
}

/**
 * memif_region_destroy() - unmap a region and drop what it holds
 * @r: the region; may be empty
 * @held: where to keep the file if somebody else still holds it (a
 *	client's own region, which the peer may keep: it is still the
 *	owner's memory), or NULL to drop it regardless
 *
 * The peer may keep its own mapping; the pages live on until it lets go.
 */
void memif_region_destroy(struct memif_region *r, struct list_head *held)
{
	struct memif_held *h;

	if (!r->file)
		return;
	vunmap(r->base);
	memif_region_put_pages(r->pages, r->npages);
	kvfree(r->pages);
	h = held && file_count(r->file) > 1 ?
	    kmalloc(sizeof(*h), GFP_KERNEL) : NULL;
	if (h) {
		h->file = r->file;
		h->size = r->size;
		list_add_tail(&h->node, held);
	} else {
		fput(r->file);
	}
	memset(r, 0, sizeof(*r));
}

/**
 * memif_region_held() - the memory of earlier regions a peer still holds
 * @held: the list memif_region_destroy() kept them on
 *
 * Forgets (and lets go of) those nobody else holds any more.
 *
 * Return: the size of the others, in bytes.
 */
u64 memif_region_held(struct list_head *held)
{
	struct memif_held *h, *tmp;
	u64 bytes = 0;

	list_for_each_entry_safe(h, tmp, held, node) {
		if (file_count(h->file) > 1) {
			bytes += h->size;
			continue;
		}
		list_del(&h->node);
		fput(h->file);
		kfree(h);
	}
	return bytes;
}

/**
 * memif_region_forget_held() - let go of every earlier region
 * @held: the list memif_region_destroy() kept them on
 */
void memif_region_forget_held(struct list_head *held)
{
	struct memif_held *h, *tmp;

	list_for_each_entry_safe(h, tmp, held, node) {
		list_del(&h->node);
		fput(h->file);
		kfree(h);
	}
}
