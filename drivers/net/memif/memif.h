/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memif: types shared by the driver's files, and their prototypes.
 */
#ifndef _MEMIF_H
#define _MEMIF_H

#include "compat.h"
#include "proto.h"
#include "validate.h"

#include <uapi/linux/if_memif.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/xdp.h>

struct bpf_prog;
struct cred;
struct eventfd_ctx;
struct file;
struct mem_cgroup;
struct memif_irqfd;
struct memif_listener;
struct page;
struct sock;
struct socket;

/* How long a handshake may take before either side gives up. */
#define MEMIF_HANDSHAKE_TIMEOUT	(5 * HZ)
/* How often a client retries while no server answers; after a handshake
 * that failed once the server took its INIT, it waits twice as long each
 * time, up to MEMIF_RETRY_MAX.
 */
#define MEMIF_RETRY_INTERVAL	HZ
#define MEMIF_RETRY_MAX		(16 * HZ)
/* Kick coalescing (ethtool -C): see memif_tx_flush(). */
#define MEMIF_TX_USECS_MAX	10000
#define MEMIF_TX_FRAMES_MAX	16384	/* the largest ring */
#define MEMIF_TX_USECS_DEFAULT	0
#define MEMIF_TX_FRAMES_DEFAULT	0

/* The ring layout a client uses, and a server assumes when it cannot tell
 * the client's: what VPP, libmemif and DPDK are built with for this CPU.
 */
#define MEMIF_CACHELINE_DEFAULT	(IS_ENABLED(CONFIG_ARM64) ? \
				 MEMIF_CACHELINE_128 : MEMIF_CACHELINE_64)
/* How often the rx rings are looked at besides kicks: see rx.c. */
#define MEMIF_RX_CHECK_INTERVAL	(HZ / 20)

/**
 * struct memif_cfg - a link's settings, changed only while it is down
 * @socket: control socket path; '@' starts an abstract name
 * @secret: NUL-terminated secret, empty for none
 * @max_memory: bytes of shared memory a connection may map or allocate
 * @id: interface id
 * @buffer_size: bytes per packet buffer
 * @socket_uid: owner of a server's socket file; INVALID_UID: its creator
 * @socket_gid: group of a server's socket file; INVALID_GID: its creator's
 * @peer_uid: the only effective uid a peer may have; INVALID_UID: any
 * @peer_gid: the only effective gid a peer may have; INVALID_GID: any
 * @socket_mode: permissions of a server's socket file
 * @cacheline: the ring layout's cache line (proto.h): a client's, or the
 *	one a server assumes when the client's rings do not tell
 * @queues_tx: rings a client announces, a server takes, for transmit: at
 *	most dev->num_tx_queues (ethtool -L)
 * @queues_rx: the same for receive
 * @role: enum memif_role
 * @mode: enum memif_mode
 * @log2_ring_size: configured ring size
 * @offloads: offer and accept the Linux extension's offloads (proto.h)
 */
struct memif_cfg {
	char socket[MEMIF_SOCKET_MAX + 1];
	char secret[MEMIF_SECRET_MAX + 1];
	u64 max_memory;
	u32 id;
	u32 buffer_size;
	kuid_t socket_uid;
	kgid_t socket_gid;
	kuid_t peer_uid;
	kgid_t peer_gid;
	u16 socket_mode;
	u16 cacheline;
	u16 queues_tx;
	u16 queues_rx;
	u8 role;
	u8 mode;
	u8 log2_ring_size;
	u8 offloads;
};

/**
 * struct memif_owner - on whose behalf a link acts: whoever created it or
 *	last changed its settings
 * @cred: their credentials: socket paths are bound, connected to and
 *	unlinked with them
 * @memcg: their memory cgroup, charged for the link's shared memory
 */
struct memif_owner {
	const struct cred *cred;
	struct mem_cgroup *memcg;
};

/**
 * struct memif_held - a client's region of an earlier connection that the
 *	peer still holds: its memory is still the owner's, and counts against
 *	max_memory until the peer lets go
 * @node: entry in memif_dev.held
 * @file: the region's shmem file
 * @size: its size
 */
struct memif_held {
	struct list_head node;
	struct file *file;
	u64 size;
};

/**
 * struct memif_sk_saved - a socket's own callbacks, while ours are in place
 * @data_ready: sk_data_ready
 * @state_change: sk_state_change
 */
struct memif_sk_saved {
	void (*data_ready)(struct sock *sk);
	void (*state_change)(struct sock *sk);
};

/**
 * struct memif_irq - a ring's interrupt channel
 * @ifd: the state of one of our interrupt files: a client's own, or a
 *	kernel client's that it passed to us as server
 * @rx: our queue receives @ifd's kicks
 * @file: client: the file of @ifd, until it is sent
 * @efd: server: the client's eventfd
 * @wqh: server: its wait queue, while @wait is on it
 * @wait: server: wakes us when the client signals an rx ring
 * @pt: server: used once, to find @wqh
 * @work: server: schedules @q's NAPI for @wait
 * @q: server: the queue @wait kicks
 *
 * See irq.c.
 */
struct memif_irq {
	struct memif_irqfd *ifd;
	bool rx;
	struct file *file;
	struct eventfd_ctx *efd;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	poll_table pt;
	struct irq_work work;
	struct memif_queue *q;
};

/**
 * struct memif_queue_stats - per-queue counters
 * @packets: packets moved
 * @bytes: bytes moved
 * @drops: packets dropped (no room, too large, link down)
 * @errors: packets lost to bad descriptors from the peer
 * @syncp: protects the above on 32-bit
 */
struct memif_queue_stats {
	u64 packets;
	u64 bytes;
	u64 drops;
	u64 errors;
	struct u64_stats_sync syncp;
};

/**
 * struct memif_xdp_stats - a queue's XDP counters
 * @pass: rx: frames the program passed to the stack
 * @drop: rx: frames it dropped, or too large for it
 * @tx: rx: frames it sent back (XDP_TX)
 * @tx_errors: rx: frames it sent back that found no room
 * @redirect: rx: frames it redirected
 * @redirect_errors: rx: redirects that failed
 * @aborted: rx: XDP_ABORTED, and actions we do not know
 * @xmit: tx: frames redirected to us and sent
 * @xmit_errors: tx: frames redirected to us that found no room
 * @syncp: protects the above on 32-bit
 */
struct memif_xdp_stats {
	u64 pass;
	u64 drop;
	u64 tx;
	u64 tx_errors;
	u64 redirect;
	u64 redirect_errors;
	u64 aborted;
	u64 xmit;
	u64 xmit_errors;
	struct u64_stats_sync syncp;
};

/* What an rx poll that ran an XDP program has to finish. */
#define MEMIF_XDP_FLUSH	0x1	/* xdp_do_flush() */
#define MEMIF_XDP_KICK	0x2	/* kick the peer of the XDP_TX ring */

struct memif_dev;

/**
 * struct memif_queue - one ring as seen by this side
 * @mdev: the owning device
 * @ring: the ring header in shared memory; NULL while disconnected
 * @tail: the server's index in it, one cache line after @ring
 * @desc: its descriptors, two cache lines after @ring
 * @bufs: kernel address of this ring's first buffer (client)
 * @buf_offset: region offset of this ring's first buffer (client)
 * @mask: ring size - 1
 * @ring_region: region of @ring, for reports
 * @ring_offset: offset of @ring in it
 * @cursor: our own index: the next slot to fill (tx) or to read (rx); a
 *	client publishes it as head, a server as tail
 * @idx: queue index
 * @irq: interrupt channel
 * @napi: rx: NAPI context
 * @timer: tx: polls for room while the queue is stopped
 * @timer_ns: tx: current poll interval
 * @kick_timer: tx: the end of a kick coalescing window (see
 *	memif_tx_flush()), under the netdev queue's lock
 * @unkicked: tx: frames published since the last kick, under that lock
 *	(or with the data path stopped)
 * @kick_armed: tx: a coalescing window is open, as @unkicked
 * @bsize: tx: bytes per buffer of the ring (a client's own; a server's
 *	guess at the client's, see memif_tx_start())
 * @pfrag: rx: pages for the parts of large frames beyond the skb head
 * @xdp_rxq: rx: XDP's view of the queue
 * @stats: counters
 * @xdp_stats: XDP counters
 * @kicks: tx: kicks sent to the peer; rx: kicks taken from it, whether
 *	or not NAPI was already scheduled (ethtool -S "kicks"); any context
 */
struct memif_queue {
	struct memif_dev *mdev;
	struct memif_ring *ring;
	u16 *tail;
	struct memif_desc *desc;
	u8 *bufs;
	u32 buf_offset;
	u16 mask;
	u16 cursor;
	u16 idx;
	u16 ring_region;
	u32 ring_offset;
	struct memif_irq irq;
	struct napi_struct napi;
	struct hrtimer timer;
	u64 timer_ns;
	struct hrtimer kick_timer;
	u32 unkicked;
	bool kick_armed;
	u32 bsize;
	struct page_frag pfrag;
	struct xdp_rxq_info xdp_rxq;
	struct memif_queue_stats stats;
	struct memif_xdp_stats xdp_stats;
	atomic64_t kicks;
};

/**
 * struct memif_dev - private data of a memif netdevice
 * @dev: the netdevice
 * @cfg: settings
 * @owner: on whose behalf it acts (changed with @cfg)
 * @list: entry in memif_devices, under RTNL
 * @creating_net: namespace the link was created in; the control socket
 *	lives there.  No reference is held: cleared by the pernet pre_exit
 * @txq: transmit rings (C2S for a client), dev->num_tx_queues of them;
 *	dev->real_num_tx_queues is the number in use while connected, the
 *	configured one (cfg.queues_tx) else
 * @rxq: receive rings (S2C for a client), dev->num_rx_queues of them
 * @map_abort: set before the lock is taken to take the link down or to
 *	end its connection: a mapping under way stops (region.c)
 * @lock: serializes the control channel: everything below up to @info_lock
 * @running: the link is up and should be connected
 * @gen: counts the times the link went down, lost its namespace or got
 *	new settings: work that ran without the lock (a path lookup) checks
 *	it is still current
 * @state: enum memif_state
 * @sock: control socket
 * @sk_saved: its own callbacks
 * @rx_work: reads and handles control messages, handles faults
 * @timer_work: connect retries and the handshake timeout
 * @deadline: when the running handshake times out
 * @msgs_sent: handshake messages the client has sent so far
 * @msgs_total: handshake messages the client will send
 * @retry: client: how long to wait before the next attempt
 * @init_taken: client: the server acknowledged our INIT
 * @held: regions of earlier connections (or refused once mapped) the
 *	peer still holds, where the kernel allocated pages of them
 * @regions: the shared memory: a client's one region, or a server's
 *	mappings of the client's regions
 * @n_regions: regions in use
 * @listener: server: the listening socket this device is attached to
 * @listener_node: server: entry in the listener's list of devices
 * @datapath_up: NAPI enabled and queues started
 * @live: the data path may touch shared memory (read locklessly)
 * @rx_check: looks at the rx rings now and then while @live: see rx.c
 * @tx_usecs: kick coalescing, ethtool's tx-usecs: the longest a frame
 *	waits for its kick; 0 kicks at the end of every batch (tx.c)
 * @tx_frames: ethtool's tx-frames: kick once this many frames wait,
 *	0 for no such bound
 * @n_tx: rings in use for transmit
 * @n_rx: rings in use for receive
 * @run_log2: negotiated log2 ring size
 * @run_cacheline: the ring layout in use: see struct memif_cfg
 * @peer_ext: the peer speaks the Linux extension (proto.h)
 * @tx_vnet: frames we send start with a virtio_net_hdr
 * @rx_vnet: frames we receive start with one
 * @xdp_prog: the XDP program, if any (RCU, changed under RTNL)
 * @fault_reason: set when the data path finds the peer misbehaving: why
 * @xdp_reconnect: set when an XDP program is attached: the connection
 *	ends if it brings frames with offloads
 * @info_lock: protects @peer_name, @peer_app, @disc_reason, @shm_visible
 * @shm_visible: @regions and the rings may be read for a report: set once
 *	connected, cleared before anything is unmapped
 * @peer_name: peer's interface name
 * @peer_app: peer's application name
 * @disc_reason: why the last connection ended
 * @rtnl_work: what needs RTNL: see ctrl.c
 * @notify_pending: a state change is to be announced by @rtnl_work
 * @peer_gone: a connection ended: @rtnl_work has the stack forget the
 *	peer's neighbour entries
 * @start_pending: the handshake is complete, @rtnl_work starts the data
 *	path
 * @handshake_errors: control channel errors on the peer's account:
 *	refused or failed handshakes, malformed messages
 * @bad_desc_errors: bad descriptors or chains the peer put on a ring
 * @ring_errors: ring indexes the peer moved past the ring's size
 */
struct memif_dev {
	struct net_device *dev;
	struct memif_cfg cfg;
	struct memif_owner owner;
	struct list_head list;
	struct net __rcu *creating_net;
	struct memif_queue *txq;
	struct memif_queue *rxq;
	bool map_abort;

	struct mutex lock;		/* the control channel state below */
	bool running;
	unsigned int gen;
	u8 state;
	struct socket *sock;
	struct memif_sk_saved sk_saved;
	struct work_struct rx_work;
	struct delayed_work timer_work;
	unsigned long deadline;
	unsigned int msgs_sent;
	unsigned int msgs_total;
	unsigned long retry;
	bool init_taken;
	struct list_head held;
	struct memif_region regions[MEMIF_MAX_REGIONS];
	u16 n_regions;
	struct memif_listener *listener;
	struct list_head listener_node;
	bool datapath_up;

	bool live;
	struct timer_list rx_check;
	u32 tx_usecs;
	u32 tx_frames;
	u16 n_tx;
	u16 n_rx;
	u8 run_log2;
	u16 run_cacheline;
	bool peer_ext;
	bool tx_vnet;
	bool rx_vnet;
	struct bpf_prog __rcu *xdp_prog;
	const char *fault_reason;
	bool xdp_reconnect;

	spinlock_t info_lock;	/* peer names, disc_reason, shm_visible */
	bool shm_visible;
	char peer_name[MEMIF_NAME_LEN];
	char peer_app[MEMIF_NAME_LEN];
	char disc_reason[MEMIF_REASON_LEN + 8];
	struct work_struct rtnl_work;
	bool notify_pending;
	bool peer_gone;
	bool start_pending;
	atomic64_t handshake_errors;
	atomic64_t bad_desc_errors;
	atomic64_t ring_errors;
};

extern struct workqueue_struct *memif_wq;

/* device.c */
void memif_device_setup(struct net_device *dev);
int memif_device_init_queues(struct memif_dev *m);
void memif_device_free_queues(struct memif_dev *m);
void memif_device_set_ip_mode(struct net_device *dev);
int memif_device_register_pernet(void);
void memif_device_unregister_pernet(void);

/* link.c */
int memif_link_register(void);
void memif_link_unregister(void);
struct list_head *memif_link_list(void);
int memif_link_reconfigure(struct net_device *dev,
			   const struct memif_cfg *cfg,
			   const struct nlattr *battr,
			   struct netlink_ext_ack *extack);

static inline bool memif_is_server(const struct memif_dev *m)
{
	return m->cfg.role == MEMIF_ROLE_SERVER;
}

/* A server's view of a client's descriptor: see memif_valid_desc(). */
static inline u8 *memif_desc_buf(const struct memif_dev *m,
				 const struct memif_desc *d, u32 *len)
{
	return memif_valid_desc(m->regions, m->n_regions, d, len);
}

/* ctrl.c */
void memif_ctrl_app_name(char *name, size_t len);
void memif_ctrl_init(struct memif_dev *m);
int memif_ctrl_accept(struct memif_dev *m, struct socket *sock,
		      const struct memif_msg *init, const char **reason);
void memif_ctrl_start(struct memif_dev *m);
void memif_ctrl_stop(struct memif_dev *m);
void memif_ctrl_reconfigure(struct memif_dev *m, const struct memif_cfg *cfg,
			    struct memif_owner *owner);
void memif_ctrl_forget_net(struct memif_dev *m);
void memif_ctrl_fault(struct memif_dev *m, const char *reason);
void memif_ctrl_xdp_attached(struct memif_dev *m);

/* The peer put @n bad descriptors (or a broken chain) on a ring. */
static inline void memif_fault_desc(struct memif_dev *m, unsigned int n,
				    const char *reason)
{
	atomic64_add(n, &m->bad_desc_errors);
	memif_ctrl_fault(m, reason);
}

/* The peer moved a ring index past the ring's size, or broke its cookie. */
static inline void memif_fault_ring(struct memif_dev *m, const char *reason)
{
	atomic64_inc(&m->ring_errors);
	memif_ctrl_fault(m, reason);
}

/* socket.c */
struct socket *memif_socket_connect(struct net *net, const char *path,
				    const struct cred *cred);
bool memif_socket_peer_ok(struct socket *sock, kuid_t uid, kgid_t gid);
int memif_socket_receive_check(struct file *file, const struct cred *cred);
int memif_socket_hook(struct socket *sock, void *owner,
		      void (*cb)(struct sock *sk), struct memif_sk_saved *saved);
void memif_socket_unhook(struct socket *sock, const struct memif_sk_saved *saved);
void memif_socket_release(struct memif_dev *m);
void memif_socket_adopt(struct memif_dev *m);
struct net *memif_socket_net(const char *path, struct net *birth);
void memif_socket_forget_net(struct socket *sock);
int memif_socket_send(struct socket *sock, const struct memif_msg *msg,
		      struct file *file);
int memif_socket_send_disconnect(struct socket *sock, const char *reason);
int memif_socket_recv(struct socket *sock, struct memif_msg *msg,
		      struct file **file);
struct socket *memif_socket_listen(struct net *net, const struct memif_cfg *cfg,
				   const struct cred *cred, void *owner,
				   void (*cb)(struct sock *sk),
				   struct memif_sk_saved *saved);
void memif_socket_unlisten(struct socket *sock, const char *path,
			   const struct cred *cred,
			   const struct memif_sk_saved *saved);

/* listener.c */
int memif_listener_attach(struct memif_dev *m, unsigned int gen,
			  const char **refused);
void memif_listener_detach(struct memif_dev *m);

/* region.c */
int memif_region_create(struct memif_dev *m, struct memif_region *r, u64 size);
const char *memif_region_map(struct memif_dev *m, struct memif_region *r,
			     struct file *file, u64 size);
void memif_region_destroy(struct memif_region *r, struct list_head *held);
u64 memif_region_held(struct list_head *held);
void memif_region_forget_held(struct list_head *held);

/* irq.c */
int memif_irq_create(struct memif_irq *irq, struct memif_queue *q, bool rx);
void memif_irq_sent(struct memif_irq *irq);
void memif_irq_destroy(struct memif_irq *irq);
void memif_irq_signal(struct memif_irq *irq);
int memif_irq_attach(struct memif_irq *irq, struct file *file,
		     struct memif_queue *q, bool rx);

/* ring.c */
void memif_ring_client_layout(struct memif_dev *m);
const char *memif_ring_server_place(struct memif_dev *m, struct memif_queue *q,
				    const struct memif_msg_add_ring *ar);
const char *memif_ring_server_layout(struct memif_dev *m);
bool memif_ring_cookies_ok(struct memif_dev *m);

/* rx.c */
int memif_rx_poll(struct napi_struct *napi, int budget);
void memif_rx_check(struct timer_list *t);
void memif_rx_irq(struct memif_queue *q);
void memif_rx_start(struct memif_queue *q);
void memif_rx_stop(struct memif_queue *q);
int memif_rx_copy_linear(struct memif_queue *q, u8 *dst, u16 slot, u16 n,
			 u32 total);
bool memif_rx_deliver(struct memif_queue *q, struct sk_buff *skb);

/* tx.c */
netdev_tx_t memif_tx_xmit(struct sk_buff *skb, struct net_device *dev);
netdev_features_t memif_tx_features_check(struct sk_buff *skb,
					  struct net_device *dev,
					  netdev_features_t features);
int memif_tx_frame(struct memif_queue *q, const void *data, u32 len);
void memif_tx_start(struct memif_queue *q);
void memif_tx_kick(struct memif_queue *q);
enum hrtimer_restart memif_tx_kick_timer(struct hrtimer *timer);

/* xdp.c */
unsigned int memif_xdp_max_mtu(const struct net_device *dev);
int memif_xdp_rx(struct memif_queue *q, struct bpf_prog *prog, u16 slot,
		 u16 n, u32 len, unsigned int *state);
void memif_xdp_rx_done(struct memif_queue *q, unsigned int state);
int memif_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		   u32 flags);
int memif_xdp_bpf(struct net_device *dev, struct netdev_bpf *bpf);
int memif_xdp_init_queue(struct memif_queue *q);
void memif_xdp_free_queue(struct memif_queue *q);
enum hrtimer_restart memif_tx_timer(struct hrtimer *timer);

/* stats */
static inline void memif_stats_add(struct memif_queue_stats *s, u64 pkts,
				   u64 bytes, u64 drops, u64 errors)
{
	u64_stats_update_begin(&s->syncp);
	s->packets += pkts;
	s->bytes += bytes;
	s->drops += drops;
	s->errors += errors;
	u64_stats_update_end(&s->syncp);
}

#endif /* _MEMIF_H */
