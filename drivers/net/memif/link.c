// SPDX-License-Identifier: GPL-2.0
/*
 * rtnl_link_ops for kind "memif": validation with messages a user can act
 * on, creation, deletion, and the attributes `ip -d link show` reports.
 * The attributes are documented in include/uapi/linux/if_memif.h.
 */
#include "memif.h"

#include <linux/cred.h>
#include <linux/etherdevice.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

/* Attribute space of one entry of IFLA_MEMIF_REGIONS and IFLA_MEMIF_RINGS. */
#define MEMIF_REGION_ATTR_SIZE						\
	(nla_total_size(0) + nla_total_size(sizeof(u16)) +		\
	 nla_total_size_64bit(sizeof(u64)))
#define MEMIF_RING_ATTR_SIZE						\
	(nla_total_size(0) + 2 * nla_total_size(sizeof(u8)) +		\
	 5 * nla_total_size(sizeof(u16)) + 2 * nla_total_size(sizeof(u32)))

/* Every memif device, under RTNL. */
static LIST_HEAD(memif_devices);

/* Validation functions of the policy: each gives its own message. */

static int memif_validate_cacheline(const struct nlattr *attr,
				    struct netlink_ext_ack *extack)
{
	u16 cl = nla_get_u16(attr);

	if (cl == MEMIF_CACHELINE_64 || cl == MEMIF_CACHELINE_128)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "cacheline must be 64 or 128");
	return -EINVAL;
}

/* A path or an abstract name; who may name a path is memif_validate()'s
 * business, as it depends on the request.
 */
static int memif_validate_socket(const struct nlattr *attr,
				 struct netlink_ext_ack *extack)
{
	const char *path = nla_data(attr);
	size_t len = strlen(path);

	if (!len) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "socket path is empty");
		return -EINVAL;
	}
	if (len > MEMIF_SOCKET_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "socket path too long (at most 107 bytes)");
		return -ENAMETOOLONG;
	}
	if (path[0] == '@' && len == 1) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "abstract socket name after '@' is empty");
		return -EINVAL;
	}
	if (path[0] != '/' && path[0] != '@') {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "socket path must be absolute, or start with '@' for an abstract socket");
		return -EINVAL;
	}
	return 0;
}

/* A uid or a gid: MEMIF_ID_NONE, or one the requester's namespace maps. */
static int memif_validate_uid(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	u32 id = nla_get_u32(attr);

	if (id == MEMIF_ID_NONE || uid_valid(make_kuid(current_user_ns(), id)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "uid not mapped in the user namespace");
	return -EINVAL;
}

static int memif_validate_gid(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	u32 id = nla_get_u32(attr);

	if (id == MEMIF_ID_NONE || gid_valid(make_kgid(current_user_ns(), id)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "gid not mapped in the user namespace");
	return -EINVAL;
}

/* Not const: 6.1's policy points to them without. */
static struct netlink_range_validation memif_max_memory_range = {
	.min = MEMIF_MAX_MEMORY_MIN,
	.max = MEMIF_MAX_MEMORY_MAX,
};

static struct netlink_range_validation memif_buffer_size_range = {
	.min = MEMIF_BUFFER_SIZE_MIN,
	.max = MEMIF_BUFFER_SIZE_MAX,
};

/* Every value is checked here, by the netlink core, with its messages;
 * memif_validate() checks what depends on more than one attribute or on
 * who asks.  What a dump reports cannot be set.
 */
static const struct nla_policy memif_policy[IFLA_MEMIF_MAX + 1] = {
	[IFLA_MEMIF_UNSPEC]		= { .strict_start_type =
						    IFLA_MEMIF_PAD },
	[IFLA_MEMIF_ROLE]		= NLA_POLICY_MAX(NLA_U8,
							 __MEMIF_ROLE_MAX - 1),
	[IFLA_MEMIF_SOCKET]		=
		NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, memif_validate_socket),
	[IFLA_MEMIF_ID]			= { .type = NLA_U32 },
	[IFLA_MEMIF_SECRET]		= { .type = NLA_NUL_STRING,
					    .len = MEMIF_SECRET_MAX },
	[IFLA_MEMIF_MODE]		= NLA_POLICY_MAX(NLA_U8,
							 __MEMIF_MODE_MAX - 1),
	[IFLA_MEMIF_LOG2_RING_SIZE]	=
		NLA_POLICY_RANGE(NLA_U8, MEMIF_LOG2_RING_SIZE_MIN,
				 MEMIF_LOG2_RING_SIZE_MAX),
	[IFLA_MEMIF_BUFFER_SIZE]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &memif_buffer_size_range),
	[IFLA_MEMIF_STATE]		= { .type = NLA_REJECT },
	[IFLA_MEMIF_HAS_SECRET]		= { .type = NLA_REJECT },
	[IFLA_MEMIF_PEER_NAME]		= { .type = NLA_REJECT },
	[IFLA_MEMIF_PEER_APP]		= { .type = NLA_REJECT },
	[IFLA_MEMIF_DISC_REASON]	= { .type = NLA_REJECT },
	[IFLA_MEMIF_NUM_S2C_RINGS]	= { .type = NLA_REJECT },
	[IFLA_MEMIF_NUM_C2S_RINGS]	= { .type = NLA_REJECT },
	[IFLA_MEMIF_RUN_LOG2_RING_SIZE]	= { .type = NLA_REJECT },
	[IFLA_MEMIF_REGIONS]		= { .type = NLA_REJECT },
	[IFLA_MEMIF_RINGS]		= { .type = NLA_REJECT },
	[IFLA_MEMIF_OFFLOADS]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_MEMIF_RUN_OFFLOADS]	= { .type = NLA_REJECT },
	[IFLA_MEMIF_PAD]		= { .type = NLA_REJECT },
	[IFLA_MEMIF_MAX_MEMORY]		=
		NLA_POLICY_FULL_RANGE(NLA_U64, &memif_max_memory_range),
	[IFLA_MEMIF_SOCKET_UID]		=
		NLA_POLICY_VALIDATE_FN(NLA_U32, memif_validate_uid),
	[IFLA_MEMIF_SOCKET_GID]		=
		NLA_POLICY_VALIDATE_FN(NLA_U32, memif_validate_gid),
	[IFLA_MEMIF_SOCKET_MODE]	= NLA_POLICY_MAX(NLA_U16, 0777),
	[IFLA_MEMIF_PEER_UID]		=
		NLA_POLICY_VALIDATE_FN(NLA_U32, memif_validate_uid),
	[IFLA_MEMIF_PEER_GID]		=
		NLA_POLICY_VALIDATE_FN(NLA_U32, memif_validate_gid),
	[IFLA_MEMIF_CACHELINE]		=
		NLA_POLICY_VALIDATE_FN(NLA_U16, memif_validate_cacheline),
	[IFLA_MEMIF_RUN_CACHELINE]	= { .type = NLA_REJECT },
};

/* A path is resolved by the kernel in the initial mount namespace (see
 * socket.c): only the initial namespace's admin may name one.
 */
static int memif_validate_socket_perm(const char *path,
				      const struct nlattr *attr,
				      struct netlink_ext_ack *extack)
{
	if (path[0] == '@' || capable(CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "a socket path needs CAP_NET_ADMIN in the initial user namespace; use an abstract socket (@name)");
	return -EPERM;
}

static int memif_validate_queues(struct nlattr *attr, u32 *n,
				 struct netlink_ext_ack *extack)
{
	if (!attr)
		return 0;
	*n = nla_get_u32(attr);
	if (*n > MEMIF_MAX_QUEUES) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a memif link has at most 255 queues per direction");
		return -EINVAL;
	}
	return 0;
}

/* A link's buffer size and ring geometry; @battr is the attribute @bsize
 * came from, if any, for the message.
 */
static int memif_link_check_sizes(u32 ntx, u32 nrx, u8 log2, u32 bsize,
				  u32 cacheline, u64 max_memory,
				  const struct nlattr *battr,
				  struct netlink_ext_ack *extack)
{
	u64 size = memif_ring_region_size(ntx, nrx, log2, bsize, cacheline);

	if (bsize < MEMIF_BUFFER_SIZE_MIN || bsize > MEMIF_BUFFER_SIZE_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, battr,
				    "buffer size must be between 128 and 65535 bytes");
		return -EINVAL;
	}
	if (size > (u64)U32_MAX + 1) {
		NL_SET_ERR_MSG(extack,
			       "queues x ring size x buffer size need more than the 4 GiB a memif region can address");
		return -EINVAL;
	}
	if (size > max_memory) {
		NL_SET_ERR_MSG(extack,
			       "queues x ring size x buffer size need more shared memory than max-memory allows");
		return -EINVAL;
	}
	return 0;
}

/* Called for new links and for changes to existing ones, after the
 * policy: who may name a socket path, the address and the queues.  The
 * geometry is checked where the link's settings are known: a change
 * leaves out what stays.
 */
static int memif_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	u8 mode = MEMIF_MODE_ETHERNET;
	u32 ntx = 1, nrx = 1;
	struct nlattr *a;
	int err;

	err = memif_validate_queues(tb[IFLA_NUM_TX_QUEUES], &ntx, extack);
	if (!err)
		err = memif_validate_queues(tb[IFLA_NUM_RX_QUEUES], &nrx, extack);
	if (err)
		return err;
	if (data) {
		a = data[IFLA_MEMIF_SOCKET];
		if (a) {
			err = memif_validate_socket_perm(nla_data(a), a, extack);
			if (err)
				return err;
		}
		if (data[IFLA_MEMIF_MODE])
			mode = nla_get_u8(data[IFLA_MEMIF_MODE]);
	}
	a = tb[IFLA_ADDRESS];
	if (a && mode == MEMIF_MODE_IP) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "an ip mode link has no MAC address");
		return -EINVAL;
	}
	if (a && (nla_len(a) != ETH_ALEN || !is_valid_ether_addr(nla_data(a)))) {
		NL_SET_ERR_MSG_ATTR(extack, a, "invalid Ethernet address");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/* Set what @data gives, leave the rest. */
static void memif_apply_cfg(struct memif_cfg *cfg, struct nlattr *data[])
{
	if (!data)
		return;
	if (data[IFLA_MEMIF_ROLE])
		cfg->role = nla_get_u8(data[IFLA_MEMIF_ROLE]);
	if (data[IFLA_MEMIF_SOCKET])
		nla_strscpy(cfg->socket, data[IFLA_MEMIF_SOCKET],
			    sizeof(cfg->socket));
	if (data[IFLA_MEMIF_SECRET])
		nla_strscpy(cfg->secret, data[IFLA_MEMIF_SECRET],
			    sizeof(cfg->secret));
	if (data[IFLA_MEMIF_ID])
		cfg->id = nla_get_u32(data[IFLA_MEMIF_ID]);
	if (data[IFLA_MEMIF_MODE])
		cfg->mode = nla_get_u8(data[IFLA_MEMIF_MODE]);
	if (data[IFLA_MEMIF_LOG2_RING_SIZE])
		cfg->log2_ring_size = nla_get_u8(data[IFLA_MEMIF_LOG2_RING_SIZE]);
	if (data[IFLA_MEMIF_BUFFER_SIZE])
		cfg->buffer_size = nla_get_u32(data[IFLA_MEMIF_BUFFER_SIZE]);
	if (data[IFLA_MEMIF_OFFLOADS])
		cfg->offloads = nla_get_u8(data[IFLA_MEMIF_OFFLOADS]);
	if (data[IFLA_MEMIF_MAX_MEMORY])
		cfg->max_memory = nla_get_u64(data[IFLA_MEMIF_MAX_MEMORY]);
	if (data[IFLA_MEMIF_CACHELINE])
		cfg->cacheline = nla_get_u16(data[IFLA_MEMIF_CACHELINE]);
	if (data[IFLA_MEMIF_SOCKET_MODE])
		cfg->socket_mode = nla_get_u16(data[IFLA_MEMIF_SOCKET_MODE]);
	/* Checked by memif_validate_ids(): MEMIF_ID_NONE makes them invalid. */
	if (data[IFLA_MEMIF_SOCKET_UID])
		cfg->socket_uid = make_kuid(current_user_ns(),
					    nla_get_u32(data[IFLA_MEMIF_SOCKET_UID]));
	if (data[IFLA_MEMIF_SOCKET_GID])
		cfg->socket_gid = make_kgid(current_user_ns(),
					    nla_get_u32(data[IFLA_MEMIF_SOCKET_GID]));
	if (data[IFLA_MEMIF_PEER_UID])
		cfg->peer_uid = make_kuid(current_user_ns(),
					  nla_get_u32(data[IFLA_MEMIF_PEER_UID]));
	if (data[IFLA_MEMIF_PEER_GID])
		cfg->peer_gid = make_kgid(current_user_ns(),
					  nla_get_u32(data[IFLA_MEMIF_PEER_GID]));
}

static void memif_parse_cfg(struct memif_cfg *cfg, struct nlattr *data[])
{
	strscpy(cfg->socket, MEMIF_SOCKET_DEFAULT, sizeof(cfg->socket));
	cfg->secret[0] = '\0';
	cfg->id = 0;
	cfg->buffer_size = MEMIF_BUFFER_SIZE_DEFAULT;
	cfg->role = MEMIF_ROLE_CLIENT;
	cfg->mode = MEMIF_MODE_ETHERNET;
	cfg->log2_ring_size = MEMIF_LOG2_RING_SIZE_DEFAULT;
	cfg->offloads = 1;
	cfg->max_memory = MEMIF_MAX_MEMORY_DEFAULT;
	cfg->cacheline = MEMIF_CACHELINE_DEFAULT;
	cfg->socket_uid = INVALID_UID;
	cfg->socket_gid = INVALID_GID;
	cfg->socket_mode = MEMIF_SOCKET_MODE_DEFAULT;
	cfg->peer_uid = INVALID_UID;
	cfg->peer_gid = INVALID_GID;
	memif_apply_cfg(cfg, data);
}

/* Whoever runs this (ip link add, ip link set, ethtool) is the link's
 * owner now: see struct memif_owner.
 */
static void memif_owner_get(struct memif_owner *owner)
{
	owner->cred = get_current_cred();
	owner->memcg = get_mem_cgroup_from_mm(current->mm);
}

static void memif_owner_put(struct memif_owner *owner)
{
	mem_cgroup_put(owner->memcg);
	put_cred(owner->cred);
}

static void memif_destruct(struct net_device *dev)
{
	struct memif_dev *m = netdev_priv(dev);

	/* ndo_stop does not wait for a connect or a bind under way (a path
	 * lookup, ctrl.c); here, outside RTNL, nothing is left to run.
	 */
	cancel_delayed_work_sync(&m->timer_work);
	cancel_work_sync(&m->rx_work);
	memif_device_free_queues(m);
	memif_region_forget_held(&m->held);
	memif_owner_put(&m->owner);
}

static int memif_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct memif_dev *m = netdev_priv(dev);
	int err;

	if ((!data || !data[IFLA_MEMIF_SOCKET]) &&
	    memif_validate_socket_perm(MEMIF_SOCKET_DEFAULT, NULL, extack))
		return -EPERM;
	m->dev = dev;
	memif_parse_cfg(&m->cfg, data);
	m->cfg.queues_tx = dev->num_tx_queues;
	m->cfg.queues_rx = dev->num_rx_queues;
	err = memif_link_check_sizes(m->cfg.queues_tx, m->cfg.queues_rx,
				     m->cfg.log2_ring_size, m->cfg.buffer_size,
				     m->cfg.cacheline, m->cfg.max_memory,
				     data ? data[IFLA_MEMIF_BUFFER_SIZE] : NULL,
				     extack);
	if (err)
		return err;
	memif_owner_get(&m->owner);
	if (m->cfg.mode == MEMIF_MODE_IP)
		memif_device_set_ip_mode(dev);
	memif_ctrl_init(m);
	/* No reference: the pernet pre_exit hook clears it. */
	rcu_assign_pointer(m->creating_net, src_net);

	err = memif_device_init_queues(m);
	if (err)
		goto err_put_owner;
	err = register_netdevice(dev);
	if (err) {
		memif_device_free_queues(m);
		goto err_put_owner;
	}
	/* From here on the destructor owns the queues. */
	dev->priv_destructor = memif_destruct;
	netif_carrier_off(dev);
	list_add(&m->list, &memif_devices);
	netdev_dbg(dev, "Interface created\n");
	return 0;

err_put_owner:
	memif_owner_put(&m->owner);
	return err;
}

/**
 * memif_link_reconfigure() - give a link new settings
 * @dev: the link, under RTNL
 * @cfg: its settings, changed
 * @battr: the attribute a new buffer size came from, if any
 * @extack: where to say why not
 *
 * Only to sizes a link can be created with.  A connection of a link that
 * is up ends first (the data path reads the settings), and the next one
 * is made with them: a client connects again a second later, a server
 * takes the client's next attempt.  Whoever changes them becomes the
 * link's owner.
 *
 * Return: 0 or -EINVAL.
 */
int memif_link_reconfigure(struct net_device *dev,
			   const struct memif_cfg *cfg,
			   const struct nlattr *battr,
			   struct netlink_ext_ack *extack)
{
	struct memif_dev *m = netdev_priv(dev);
	struct memif_owner owner;
	int err;

	err = memif_link_check_sizes(cfg->queues_tx, cfg->queues_rx,
				     cfg->log2_ring_size, cfg->buffer_size,
				     cfg->cacheline, cfg->max_memory, battr,
				     extack);
	if (err)
		return err;
	memif_owner_get(&owner);
	memif_ctrl_reconfigure(m, cfg, &owner);
	memif_owner_put(&owner);
	return 0;
}

/* A link handed to another namespace is administered there, but its
 * socket is resolved where it was created: which socket it uses, who may
 * connect to it, and whether it listens or connects, is changed only by
 * somebody who could have created it with that socket.  A path needs the
 * initial namespace's admin (checked by memif_validate_socket() for a new
 * path); an abstract name needs CAP_NET_ADMIN over the namespace it is
 * resolved in.
 */
static int memif_changelink_socket_perm(struct memif_dev *m,
					const struct memif_cfg *cfg,
					struct nlattr *data[],
					struct netlink_ext_ack *extack)
{
	const struct memif_cfg *old = &m->cfg;
	struct nlattr *a = data[IFLA_MEMIF_SOCKET] ?: data[IFLA_MEMIF_ROLE] ?:
			   data[IFLA_MEMIF_SOCKET_UID] ?:
			   data[IFLA_MEMIF_SOCKET_GID] ?:
			   data[IFLA_MEMIF_SOCKET_MODE] ?:
			   data[IFLA_MEMIF_PEER_UID] ?: data[IFLA_MEMIF_PEER_GID];
	struct net *net;
	bool ok;

	if (cfg->role == old->role && !strcmp(cfg->socket, old->socket) &&
	    uid_eq(cfg->socket_uid, old->socket_uid) &&
	    gid_eq(cfg->socket_gid, old->socket_gid) &&
	    cfg->socket_mode == old->socket_mode &&
	    uid_eq(cfg->peer_uid, old->peer_uid) &&
	    gid_eq(cfg->peer_gid, old->peer_gid))
		return 0;
	if (cfg->socket[0] != '@')
		return memif_validate_socket_perm(cfg->socket, a, extack);
	rcu_read_lock();
	net = rcu_dereference(m->creating_net);
	ok = net && ns_capable(net->user_ns, CAP_NET_ADMIN);
	rcu_read_unlock();
	if (ok)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, a,
			    "changing the socket, its permissions, the peer's credentials or the role needs CAP_NET_ADMIN in the namespace the link was created in");
	return -EPERM;
}

/* The mode fixed the device type at creation. */
static int memif_changelink(struct net_device *dev, struct nlattr *tb[],
			    struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	struct memif_dev *m = netdev_priv(dev);
	struct memif_cfg cfg = m->cfg;
	int err;

	if (!data)
		return 0;
	if (data[IFLA_MEMIF_MODE] &&
	    nla_get_u8(data[IFLA_MEMIF_MODE]) != m->cfg.mode) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MEMIF_MODE],
				    "the mode of a memif link cannot be changed: delete the link and create it again");
		return -EOPNOTSUPP;
	}
	/* ethtool -G and -L reconnect; the memif settings, which include
	 * the socket and the role, wait for the link to be down.
	 */
	if (netif_running(dev)) {
		NL_SET_ERR_MSG(extack,
			       "memif settings can only be changed while the interface is down");
		return -EBUSY;
	}
	memif_apply_cfg(&cfg, data);
	err = memif_changelink_socket_perm(m, &cfg, data, extack);
	if (err)
		return err;
	return memif_link_reconfigure(dev, &cfg, data[IFLA_MEMIF_BUFFER_SIZE],
				      extack);
}

static void memif_dellink(struct net_device *dev, struct list_head *head)
{
	struct memif_dev *m = netdev_priv(dev);

	list_del(&m->list);
	netdev_dbg(dev, "Interface destroyed\n");
	unregister_netdevice_queue(dev, head);
}

static size_t memif_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u8)) +		/* ROLE */
	       nla_total_size(MEMIF_SOCKET_MAX + 1) +	/* SOCKET */
	       nla_total_size(sizeof(u32)) +		/* ID */
	       nla_total_size(sizeof(u8)) +		/* MODE */
	       nla_total_size(sizeof(u8)) +		/* LOG2_RING_SIZE */
	       nla_total_size(sizeof(u32)) +		/* BUFFER_SIZE */
	       nla_total_size(sizeof(u8)) +		/* STATE */
	       nla_total_size(sizeof(u8)) +		/* HAS_SECRET */
	       nla_total_size(MEMIF_NAME_LEN) +		/* PEER_NAME */
	       nla_total_size(MEMIF_NAME_LEN) +		/* PEER_APP */
	       nla_total_size(MEMIF_REASON_LEN + 8) +	/* DISC_REASON */
	       nla_total_size(sizeof(u16)) +		/* NUM_S2C_RINGS */
	       nla_total_size(sizeof(u16)) +		/* NUM_C2S_RINGS */
	       nla_total_size(sizeof(u8)) +		/* RUN_LOG2_RING_SIZE */
	       nla_total_size(sizeof(u8)) +		/* OFFLOADS */
	       nla_total_size(sizeof(u8)) +		/* RUN_OFFLOADS */
	       nla_total_size_64bit(sizeof(u64)) +	/* MAX_MEMORY */
	       4 * nla_total_size(sizeof(u32)) +	/* SOCKET_, PEER_UID, _GID */
	       nla_total_size(sizeof(u16)) +		/* SOCKET_MODE */
	       2 * nla_total_size(sizeof(u16)) +	/* CACHELINE, RUN_ */
	       nla_total_size(0) +			/* REGIONS */
	       MEMIF_MAX_REGIONS * MEMIF_REGION_ATTR_SIZE +
	       nla_total_size(0) +			/* RINGS */
	       (dev->num_tx_queues + dev->num_rx_queues) *
	       MEMIF_RING_ATTR_SIZE;
}

static int memif_fill_regions(struct sk_buff *skb, const struct memif_dev *m)
{
	struct nlattr *list, *e;
	u16 i;

	list = nla_nest_start(skb, IFLA_MEMIF_REGIONS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < m->n_regions; i++) {
		e = nla_nest_start(skb, IFLA_MEMIF_REGION_ENTRY);
		if (!e || nla_put_u16(skb, IFLA_MEMIF_REGION_INDEX, i) ||
		    nla_put_u64_64bit(skb, IFLA_MEMIF_REGION_SIZE,
				      m->regions[i].size,
				      IFLA_MEMIF_REGION_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, e);
	}
	nla_nest_end(skb, list);
	return 0;
}

/* Head, tail and flags are the peer's to change: a snapshot. */
static int memif_fill_ring(struct sk_buff *skb, const struct memif_dev *m,
			   const struct memif_queue *q, u8 dir)
{
	const struct memif_ring *ring = q->ring;
	struct nlattr *e;

	e = nla_nest_start(skb, IFLA_MEMIF_RING_ENTRY);
	if (!e || nla_put_u8(skb, IFLA_MEMIF_RING_DIR, dir) ||
	    nla_put_u16(skb, IFLA_MEMIF_RING_QUEUE, q->idx) ||
	    nla_put_u8(skb, IFLA_MEMIF_RING_LOG2_SIZE, ilog2(q->mask + 1)) ||
	    (!memif_is_server(m) &&
	     nla_put_u32(skb, IFLA_MEMIF_RING_BUFFER_SIZE, m->cfg.buffer_size)) ||
	    nla_put_u16(skb, IFLA_MEMIF_RING_REGION, q->ring_region) ||
	    nla_put_u32(skb, IFLA_MEMIF_RING_OFFSET, q->ring_offset) ||
	    nla_put_u16(skb, IFLA_MEMIF_RING_HEAD, READ_ONCE(ring->head)) ||
	    nla_put_u16(skb, IFLA_MEMIF_RING_TAIL, READ_ONCE(*q->tail)) ||
	    nla_put_u16(skb, IFLA_MEMIF_RING_FLAGS,
			READ_ONCE(ring->flags) & MEMIF_RING_FLAG_MASK_INT ?
			MEMIF_RING_FLAG_INT_MASKED : 0))
		return -EMSGSIZE;
	nla_nest_end(skb, e);
	return 0;
}

static int memif_fill_rings(struct sk_buff *skb, const struct memif_dev *m)
{
	bool server = memif_is_server(m);
	const struct memif_queue *c2s = server ? m->rxq : m->txq;
	const struct memif_queue *s2c = server ? m->txq : m->rxq;
	u16 n_c2s = server ? m->n_rx : m->n_tx;
	u16 n_s2c = server ? m->n_tx : m->n_rx;
	struct nlattr *list;
	u16 i;

	list = nla_nest_start(skb, IFLA_MEMIF_RINGS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < n_c2s; i++)
		if (memif_fill_ring(skb, m, &c2s[i], MEMIF_RING_C2S))
			return -EMSGSIZE;
	for (i = 0; i < n_s2c; i++)
		if (memif_fill_ring(skb, m, &s2c[i], MEMIF_RING_S2C))
			return -EMSGSIZE;
	nla_nest_end(skb, list);
	return 0;
}

/* The shared memory, if connected; the lock keeps it mapped meanwhile. */
static int memif_fill_shm(struct sk_buff *skb, struct memif_dev *m)
{
	int err = 0;

	spin_lock_bh(&m->info_lock);
	if (m->shm_visible) {
		err = memif_fill_regions(skb, m);
		if (!err)
			err = memif_fill_rings(skb, m);
	}
	spin_unlock_bh(&m->info_lock);
	return err;
}

/* A uid or gid setting, if set, as the reader's user namespace sees it. */
static int memif_put_uid(struct sk_buff *skb, int type, kuid_t uid)
{
	return uid_valid(uid) ?
	       nla_put_u32(skb, type, from_kuid_munged(current_user_ns(), uid)) :
	       0;
}

static int memif_put_gid(struct sk_buff *skb, int type, kgid_t gid)
{
	return gid_valid(gid) ?
	       nla_put_u32(skb, type, from_kgid_munged(current_user_ns(), gid)) :
	       0;
}

static int memif_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct memif_dev *m = netdev_priv(dev);
	char name[MEMIF_NAME_LEN], app[MEMIF_NAME_LEN];
	char reason[sizeof(m->disc_reason)];
	u8 state = READ_ONCE(m->state);
	const struct memif_cfg *cfg = &m->cfg;
	u16 c2s = READ_ONCE(m->n_tx), s2c = READ_ONCE(m->n_rx);

	spin_lock_bh(&m->info_lock);
	strscpy(name, m->peer_name, sizeof(name));
	strscpy(app, m->peer_app, sizeof(app));
	strscpy(reason, m->disc_reason, sizeof(reason));
	spin_unlock_bh(&m->info_lock);

	if (nla_put_u8(skb, IFLA_MEMIF_ROLE, cfg->role) ||
	    nla_put_string(skb, IFLA_MEMIF_SOCKET, cfg->socket) ||
	    nla_put_u32(skb, IFLA_MEMIF_ID, cfg->id) ||
	    nla_put_u8(skb, IFLA_MEMIF_MODE, cfg->mode) ||
	    nla_put_u8(skb, IFLA_MEMIF_LOG2_RING_SIZE, cfg->log2_ring_size) ||
	    nla_put_u32(skb, IFLA_MEMIF_BUFFER_SIZE, cfg->buffer_size) ||
	    nla_put_u8(skb, IFLA_MEMIF_STATE, state) ||
	    nla_put_u8(skb, IFLA_MEMIF_HAS_SECRET, !!cfg->secret[0]) ||
	    nla_put_u8(skb, IFLA_MEMIF_OFFLOADS, cfg->offloads) ||
	    nla_put_u64_64bit(skb, IFLA_MEMIF_MAX_MEMORY, cfg->max_memory,
			      IFLA_MEMIF_PAD) ||
	    nla_put_u16(skb, IFLA_MEMIF_SOCKET_MODE, cfg->socket_mode) ||
	    nla_put_u16(skb, IFLA_MEMIF_CACHELINE, cfg->cacheline) ||
	    memif_put_uid(skb, IFLA_MEMIF_SOCKET_UID, cfg->socket_uid) ||
	    memif_put_gid(skb, IFLA_MEMIF_SOCKET_GID, cfg->socket_gid) ||
	    memif_put_uid(skb, IFLA_MEMIF_PEER_UID, cfg->peer_uid) ||
	    memif_put_gid(skb, IFLA_MEMIF_PEER_GID, cfg->peer_gid))
		return -EMSGSIZE;
	if ((name[0] && nla_put_string(skb, IFLA_MEMIF_PEER_NAME, name)) ||
	    (app[0] && nla_put_string(skb, IFLA_MEMIF_PEER_APP, app)) ||
	    (reason[0] && nla_put_string(skb, IFLA_MEMIF_DISC_REASON, reason)))
		return -EMSGSIZE;
	/* A client transmits on C2S rings, a server on S2C rings. */
	if (memif_is_server(m))
		swap(c2s, s2c);
	if (state == MEMIF_STATE_CONNECTED &&
	    (nla_put_u16(skb, IFLA_MEMIF_NUM_S2C_RINGS, s2c) ||
	     nla_put_u16(skb, IFLA_MEMIF_NUM_C2S_RINGS, c2s) ||
	     nla_put_u8(skb, IFLA_MEMIF_RUN_LOG2_RING_SIZE,
			READ_ONCE(m->run_log2)) ||
	     nla_put_u16(skb, IFLA_MEMIF_RUN_CACHELINE,
			 READ_ONCE(m->run_cacheline)) ||
	     nla_put_u8(skb, IFLA_MEMIF_RUN_OFFLOADS,
			(READ_ONCE(m->tx_vnet) ? MEMIF_OFFLOAD_TX : 0) |
			(READ_ONCE(m->rx_vnet) ? MEMIF_OFFLOAD_RX : 0))))
		return -EMSGSIZE;
	return memif_fill_shm(skb, m);
}

static struct rtnl_link_ops memif_link_ops __read_mostly = {
	.kind		= KBUILD_MODNAME,
	.priv_size	= sizeof(struct memif_dev),
	.setup		= memif_device_setup,
	.maxtype	= IFLA_MEMIF_MAX,
	.policy		= memif_policy,
	.validate	= memif_validate,
	.newlink	= memif_newlink,
	.changelink	= memif_changelink,
	.dellink	= memif_dellink,
	.get_size	= memif_get_size,
	.fill_info	= memif_fill_info,
};

/**
 * memif_link_list() - every memif device
 *
 * Return: the list, to be walked under RTNL.
 */
struct list_head *memif_link_list(void)
{
	return &memif_devices;
}

/**
 * memif_link_register() - register link kind "memif"
 *
 * Return: 0 or a negative errno.
 */
int memif_link_register(void)
{
	return rtnl_link_register(&memif_link_ops);
}

/**
 * memif_link_unregister() - unregister it, deleting every memif device
 */
void memif_link_unregister(void)
{
	rtnl_link_unregister(&memif_link_ops);
}
