// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory regions.  A client creates its region as a shmem file,
 * which the peer maps through the fd passed in ADD_REGION; a server maps
 * the memfds a client passes.  Either way the kernel keeps a reference on
 * every page plus a kernel mapping of them: whatever the peer does to the
 * file (truncate, punch holes), the kernel only ever touches pages it
 * holds.
 */
#include "memif.h"

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
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

/* Take a reference on every page of @file and map them; 0 or -errno. */
static int memif_region_pin(struct memif_region *r, struct file *file,
			    u64 size)
{
	struct address_space *mapping = file->f_mapping;
	unsigned int i, npages = DIV_ROUND_UP_ULL(size, PAGE_SIZE);
	struct page **pages;
	int err;

	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < npages; i++) {
		pages[i] = shmem_read_mapping_page_gfp(mapping, i,
						       mapping_gfp_mask(mapping));
		if (IS_ERR(pages[i])) {
			err = PTR_ERR(pages[i]);
			goto err_put_pages;
		}
		cond_resched();	/* up to MEMIF_REGION_MAX / PAGE_SIZE pages */
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
	return 0;

err_put_pages:
	memif_region_put_pages(pages, i);
	kvfree(pages);
	return err;
}

/**
 * memif_region_create() - create a region for the peer to map
 * @r: the region, zeroed
 * @size: its size in bytes
 *
 * Return: 0 or a negative errno; on error @r holds nothing.
 */
int memif_region_create(struct memif_region *r, u64 size)
{
	struct file *file;
	int err;

	if (!size || size > MEMIF_REGION_MAX)
		return -EINVAL;
	file = shmem_file_setup("memif", size, VM_NORESERVE);
	if (IS_ERR(file))
		return PTR_ERR(file);
	err = memif_region_pin(r, file, size);
	if (err)
		fput(file);
	return err;
}

/**
 * memif_region_map() - map a region a client passed
 * @r: the region, zeroed
 * @file: the client's fd; a reference is taken on success
 * @size: the size the client announced, checked by memif_valid_add_region()
 *
 * Only shmem files (memfd, tmpfs) are accepted: the page cache helpers
 * used here must never see another kind of file (on hugetlbfs they BUG).
 *
 * Return: NULL, or why the region is refused.
 */
const char *memif_region_map(struct memif_region *r, struct file *file,
			     u64 size)
{
	struct inode *inode = file_inode(file);

	if (!S_ISREG(inode->i_mode))
		return "region fd is not a memfd";
	if (inode->i_sb->s_magic == HUGETLBFS_MAGIC)
		return "hugetlbfs regions are not supported";
	if (inode->i_sb->s_magic != TMPFS_MAGIC)
		return "region fd is not a memfd";
	if (i_size_read(inode) < size)
		return "region fd is smaller than announced";
	if (memif_region_pin(r, get_file(file), size)) {
		fput(file);
		return "cannot map region";
	}
	return NULL;
}

/**
 * memif_region_destroy() - unmap a region and drop what it holds
 * @r: the region; may be empty
 *
 * The peer may keep its own mapping; the pages live on until it lets go.
 */
void memif_region_destroy(struct memif_region *r)
{
	if (!r->file)
		return;
	vunmap(r->base);
	memif_region_put_pages(r->pages, r->npages);
	kvfree(r->pages);
	fput(r->file);
	memset(r, 0, sizeof(*r));
}
