// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory regions.  A client creates its region as a shmem file,
 * which the peer maps through the fd passed in ADD_REGION; a server maps
 * the memfds a client passes, or hugetlbfs files.  Either way the kernel
 * keeps a reference on every page (every huge folio) plus a kernel mapping
 * of them: whatever the peer does to the file (truncate, punch holes), the
 * kernel only ever touches pages it holds.
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
 * mount, which is what memfd_create() makes), or hugetlbfs memory (a
 * MFD_HUGETLB memfd, or a file of a hugetlbfs mount: VPP's and DPDK's
 * zero-copy clients hand their hugepage buffer pools over so), that the
 * peer opened for reading and writing and did not seal against writing,
 * and that the security policy lets us receive.  The kernel writes what it
 * transmits into the peer's region, so a region must be one the peer could
 * write itself: an O_PATH or read-only fd of somebody else's file is
 * refused.
 *
 * Hugetlbfs files never meet the shmem helpers, which BUG on them: their
 * folios are looked up in the page cache and referenced as they are.  Only
 * huge folios the file has are taken, a hole refuses the region: the
 * kernel allocates no hugepage on the peer's behalf (those it has are
 * charged to it already).  memfd_pin_folios() (6.12) would allocate the
 * holes, and 6.1 has nothing else: the page cache lookup is the same on
 * both.
 */
#include "memif.h"

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
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
		struct folio *there;

		if (READ_ONCE(m->map_abort)) {
			err = -EINTR;
			goto err_put_pages;
		}
		/* Not there yet: allocated now, for the owner (NULL on 6.1,
		 * an ERR_PTR since 6.3).
		 */
		there = filemap_get_folio(mapping, i);
		if (IS_ERR_OR_NULL(there))
			r->allocated += PAGE_SIZE;
		else
			folio_put(there);
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
	r->n = npages;
	r->size = size;
	goto out;

err_put_pages:
	memif_region_put_pages(pages, i);
	kvfree(pages);
out:
	set_active_memcg(old_memcg);
	return err;
}

static void memif_region_put_folios(struct folio **folios, unsigned int n)
{
	while (n--)
		folio_put(folios[n]);
}

/* The huge folio of @file at huge page @i, referenced, or NULL for a hole
 * or a folio we must not touch.
 */
static struct folio *memif_region_huge_folio(struct file *file,
					     struct hstate *h, pgoff_t i)
{
	struct folio *folio;

	folio = filemap_get_folio(file->f_mapping, memif_hugetlb_index(h, i));
	/* NULL on 6.1, an ERR_PTR since 6.3 */
	if (IS_ERR_OR_NULL(folio))
		return NULL;
	if (folio_size(folio) != huge_page_size(h) ||
	    folio_test_hwpoison(folio)) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

/* memif_region_pin() for a hugetlbfs file: its folios as they are; 0,
 * -ENODATA for a hole, -EINTR when the link goes down meanwhile, or
 * another negative errno.
 */
static int memif_region_pin_huge(struct memif_dev *m, struct memif_region *r,
				 struct file *file, u64 size)
{
	struct hstate *h = hstate_file(file);
	unsigned int per = pages_per_huge_page(h);
	unsigned int i, j, n = DIV_ROUND_UP_ULL(size, huge_page_size(h));
	struct mem_cgroup *old_memcg;
	struct folio **folios;
	struct page **pages;
	int err = -ENOMEM;

	old_memcg = set_active_memcg(m->owner.memcg);
	folios = kvmalloc_array(n, sizeof(*folios), GFP_KERNEL_ACCOUNT);
	pages = kvmalloc_array((size_t)n * per, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT);
	if (!folios || !pages)
		goto err_free;
	for (i = 0; i < n; i++) {
		if (READ_ONCE(m->map_abort)) {
			err = -EINTR;
			goto err_put_folios;
		}
		folios[i] = memif_region_huge_folio(file, h, i);
		if (!folios[i]) {
			err = -ENODATA;
			goto err_put_folios;
		}
		for (j = 0; j < per; j++)
			pages[i * per + j] = folio_page(folios[i], j);
		cond_resched();
	}
	r->base = vmap(pages, (size_t)n * per, VM_MAP, PAGE_KERNEL);
	if (!r->base)
		goto err_put_folios;
	/* The mapping keeps no pointer to the array. */
	kvfree(pages);
	r->file = file;
	r->folios = folios;
	r->n = n;
	r->size = size;
	set_active_memcg(old_memcg);
	return 0;

err_put_folios:
	memif_region_put_folios(folios, i);
err_free:
	kvfree(pages);
	kvfree(folios);
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

/* Whether @file is hugetlbfs memory (a MFD_HUGETLB memfd or a file on a
 * hugetlbfs mount).
 */
static bool memif_region_is_huge(struct file *file)
{
	return file_inode(file)->i_sb->s_magic == HUGETLBFS_MAGIC;
}

/* Whether the memfd (shmem or hugetlbfs) @file may not be written. */
static bool memif_region_sealed(struct file *file)
{
	struct inode *inode = file_inode(file);
	unsigned int seals = memif_region_is_huge(file) ?
			     READ_ONCE(HUGETLBFS_I(inode)->seals) :
			     READ_ONCE(SHMEM_I(inode)->seals);

	return seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) ||
	       IS_IMMUTABLE(inode) || IS_APPEND(inode);
}

/* Why a file a client passed is no region, or NULL. */
static const char *memif_region_refuse(struct file *file, u64 size,
				       const struct cred *cred)
{
	struct inode *inode = file_inode(file);

	if (!S_ISREG(inode->i_mode))
		return "region fd is not a memfd";
	/* memfd_create() makes its files on the kernel's internal tmpfs
	 * mount; a file of a tmpfs mounted anywhere is somebody's file.
	 */
	if (!memif_region_is_huge(file) &&
	    (inode->i_sb->s_magic != TMPFS_MAGIC ||
	     !(file->f_path.mnt->mnt_flags & MNT_INTERNAL)))
		return "region fd is not a memfd";
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE))
		return "region fd is not open for reading and writing";
	if (memif_region_sealed(file))
		return "region memfd is sealed against writing";
	if (i_size_read(inode) < size)
		return "region fd is smaller than announced";
	if (memif_socket_receive_check(file, cred))
		return "region fd refused by the security policy";
	return NULL;
}

/* Keep @file on @held if the kernel allocated @allocated bytes of it and
 * somebody else still holds it; the same file again (a client passing its
 * memfd to each connection) is counted once.
 */
static void memif_region_hold(struct list_head *held, struct file *file,
			      u64 allocated)
{
	struct memif_held *h;

	if (!allocated || file_count(file) <= 1)
		return;
	list_for_each_entry(h, held, node) {
		if (h->file == file) {
			h->size = max(h->size, allocated);
			return;
		}
	}
	h = kmalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return;
	h->file = get_file(file);
	h->size = allocated;
	list_add_tail(&h->node, held);
}

/**
 * memif_region_map() - map a region a client passed
 * @m: the server link, whose owner is charged for pages faulted in
 * @r: the region, zeroed
 * @file: the client's fd; a reference is taken on success
 * @size: the size the client announced, checked by memif_valid_add_region()
 *	and against the link's max_memory
 *
 * Only memfds and hugetlbfs files are accepted (see above).  Once mapped,
 * the peer cannot seal the memfd against writing any more: the pages we
 * hold make F_SEAL_WRITE fail with EBUSY.
 *
 * Return: NULL, or why the region is refused.
 */
const char *memif_region_map(struct memif_dev *m, struct memif_region *r,
			     struct file *file, u64 size)
{
	const char *reason = memif_region_refuse(file, size, m->owner.cred);
	int err;

	if (reason)
		return reason;
	if (memif_region_is_huge(file))
		err = memif_region_pin_huge(m, r, get_file(file), size);
	else
		err = memif_region_pin(m, r, get_file(file), size);
	/* Sealed between the check and the pages taken?  From now on the
	 * references we hold make F_SEAL_WRITE fail.
	 */
	if (!err && memif_region_sealed(file)) {
		memif_region_destroy(r, &m->held);
		return "region memfd is sealed against writing";
	}
	if (!err)
		return NULL;
	/* What was faulted in before it failed is not held: a memory
	 * cgroup's limit failed it, or the link went down, or the peer
	 * truncated the file, which freed the pages.
	 */
	r->allocated = 0;
	fput(file);
	switch (err) {
	case -EINTR:
		return "interface down";
	case -ENODATA:
		return "hugetlbfs region has holes";
	case -ENOMEM:
		return "cannot map region: out of memory";
	default:
		return "cannot map region";
	}
}

/**
 * memif_region_destroy() - unmap a region and drop what it holds
 * @r: the region; may be empty
 * @held: where to keep the file if somebody else still holds it and the
 *	kernel allocated some of it (a client's own region; the pages a
 *	server faulted in of a client's memfd): that is still the owner's
 *	memory, counted against max_memory until the peer lets go; or NULL
 *	to drop it regardless
 *
 * The peer may keep its own mapping; the pages live on until it lets go.
 */
void memif_region_destroy(struct memif_region *r, struct list_head *held)
{
	if (!r->file)
		return;
	vunmap(r->base);
	if (r->folios) {
		memif_region_put_folios(r->folios, r->n);
		kvfree(r->folios);
	} else {
		memif_region_put_pages(r->pages, r->n);
		kvfree(r->pages);
	}
	if (held)
		memif_region_hold(held, r->file, r->allocated);
	fput(r->file);
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
