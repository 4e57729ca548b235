// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory regions.  A client creates its region as a shmem file,
 * which the peer maps through the fd passed in ADD_REGION, and keeps a
 * reference on every page plus a kernel mapping of them: whatever the peer
 * does to the file (truncate, punch holes), the kernel only ever touches
 * pages it holds.
 */
#include "memif.h"

#include <linux/file.h>
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

/**
 * memif_region_create() - create a region for the peer to map
 * @r: the region, zeroed
 * @size: its size in bytes
 *
 * Return: 0 or a negative errno; on error @r holds nothing.
 */
int memif_region_create(struct memif_region *r, u64 size)
{
	struct address_space *mapping;
	unsigned int i, npages;
	struct page **pages;
	struct file *file;
	int err;

	if (!size || size > (u64)U32_MAX + 1)
		return -EINVAL;
	npages = DIV_ROUND_UP_ULL(size, PAGE_SIZE);

	file = shmem_file_setup("memif", size, VM_NORESERVE);
	if (IS_ERR(file))
		return PTR_ERR(file);
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		err = -ENOMEM;
		goto err_fput;
	}
	mapping = file->f_mapping;
	for (i = 0; i < npages; i++) {
		pages[i] = shmem_read_mapping_page_gfp(mapping, i,
						       mapping_gfp_mask(mapping));
		if (IS_ERR(pages[i])) {
			err = PTR_ERR(pages[i]);
			goto err_put_pages;
		}
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
err_fput:
	fput(file);
	return err;
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
