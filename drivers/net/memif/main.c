// SPDX-License-Identifier: GPL-2.0
/*
 * memif: a netdevice that exchanges packets with a peer process (VPP,
 * libmemif, DPDK) through shared memory, speaking FD.io's memif protocol.
 */
#include "memif.h"

#include <linux/module.h>
#include <net/rtnetlink.h>

struct workqueue_struct *memif_wq;

static int __init memif_init(void)
{
	int err;

	memif_proto_build_checks();
	memif_wq = alloc_workqueue("memif", WQ_UNBOUND, 0);
	if (!memif_wq)
		return -ENOMEM;
	err = memif_device_register_pernet();
	if (err)
		goto err_destroy_wq;
	err = memif_link_register();
	if (err)
		goto err_unregister_pernet;
	pr_info("memif " MEMIF_DRV_VERSION " loaded\n");
	return 0;

err_unregister_pernet:
	memif_device_unregister_pernet();
err_destroy_wq:
	destroy_workqueue(memif_wq);
	return err;
}

static void __exit memif_exit(void)
{
	memif_link_unregister();
	memif_device_unregister_pernet();
	/* Listeners are taken down in work items that close their sockets:
	 * until then clients may queue work, which a draining queue refuses.
	 */
	flush_workqueue(memif_wq);
	destroy_workqueue(memif_wq);
}

module_init(memif_init);
module_exit(memif_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memif shared memory packet interface");
MODULE_AUTHOR("memif for Linux developers");
MODULE_VERSION(MEMIF_DRV_VERSION);
MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);
