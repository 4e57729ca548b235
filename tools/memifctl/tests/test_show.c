// SPDX-License-Identifier: GPL-2.0
/*
 * Test of memifctl's link parsing and output: fake RTM_NEWLINK messages go
 * through the dump callback and both output formats.  Usage:
 * test_show text|json; the output is compared with a file by run_show.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <linux/if_memif.h>

#include "../memifctl.h"

#define REQ_SIZE	4096

/* Reported only when set, with these values in struct fake. */
static const uint16_t id_attrs[4] = {
	IFLA_MEMIF_SOCKET_UID, IFLA_MEMIF_SOCKET_GID,
	IFLA_MEMIF_PEER_UID, IFLA_MEMIF_PEER_GID,
};

/* Puts IFLA_MEMIF_REGIONS and IFLA_MEMIF_RINGS, or whatever it wants. */
typedef void (*put_extra_t)(struct nlmsghdr *nlh);

struct fake {
	int ifindex;
	const char *name;
	const char *kind;
	bool up, carrier, data;
	uint8_t role, state, mode, log2_ring, has_secret;
	uint32_t id, bufsize;
	int offloads;			/* -1: not reported (older module) */
	uint64_t max_memory;		/* 0: not reported, nor socket_mode */
	uint16_t socket_mode;
	uint16_t cacheline;		/* 0: not reported */
	unsigned int ids;		/* bit i: id_attrs[i] reported (set) */
	uint32_t id_v[4];		/* their values */
	const char *socket, *peer_name, *peer_app, *disc;
	bool running;
	uint16_t s2c, c2s;
	uint8_t run_log2_ring, run_offloads;
	uint16_t run_cacheline;		/* 0: not reported */
	put_extra_t extra;
};

static void put_region(struct nlmsghdr *nlh, uint16_t index, uint64_t size)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, IFLA_MEMIF_REGION_ENTRY);

	mnl_attr_put_u16(nlh, IFLA_MEMIF_REGION_INDEX, index);
	mnl_attr_put_u64(nlh, IFLA_MEMIF_REGION_SIZE, size);
	mnl_attr_nest_end(nlh, e);
}

struct fake_ring {
	uint8_t dir, log2;
	uint16_t queue, region, head, tail, flags;
	int64_t bufsize;		/* -1: not reported (a server) */
	uint32_t offset;
};

static void put_ring(struct nlmsghdr *nlh, const struct fake_ring *r)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, IFLA_MEMIF_RING_ENTRY);

	mnl_attr_put_u8(nlh, IFLA_MEMIF_RING_DIR, r->dir);
	mnl_attr_put_u16(nlh, IFLA_MEMIF_RING_QUEUE, r->queue);
	mnl_attr_put_u8(nlh, IFLA_MEMIF_RING_LOG2_SIZE, r->log2);
	if (r->bufsize >= 0)
		mnl_attr_put_u32(nlh, IFLA_MEMIF_RING_BUFFER_SIZE,
				 (uint32_t)r->bufsize);
	mnl_attr_put_u16(nlh, IFLA_MEMIF_RING_REGION, r->region);
	mnl_attr_put_u32(nlh, IFLA_MEMIF_RING_OFFSET, r->offset);
	mnl_attr_put_u16(nlh, IFLA_MEMIF_RING_HEAD, r->head);
	mnl_attr_put_u16(nlh, IFLA_MEMIF_RING_TAIL, r->tail);
	mnl_attr_put_u16(nlh, IFLA_MEMIF_RING_FLAGS, r->flags);
	mnl_attr_nest_end(nlh, e);
}

/* A client connected to DPDK, which polls its C2S ring: one queue. */
static void extra_client(struct nlmsghdr *nlh)
{
	static const struct fake_ring rings[] = {
		{ .dir = MEMIF_RING_C2S, .log2 = 9, .bufsize = 2048,
		  .region = 0, .offset = 0, .head = 1057, .tail = 1050,
		  .flags = MEMIF_RING_FLAG_INT_MASKED },
		{ .dir = MEMIF_RING_S2C, .log2 = 9, .bufsize = 2048,
		  .region = 0, .offset = 8320, .head = 545, .tail = 33 },
	};
	struct nlattr *n;
	size_t i;

	n = mnl_attr_nest_start(nlh, IFLA_MEMIF_REGIONS);
	put_region(nlh, 0, 16640);
	put_region(nlh, 1, 2097152);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, IFLA_MEMIF_RINGS);
	for (i = 0; i < ARRAY_SIZE(rings); i++)
		put_ring(nlh, &rings[i]);
	mnl_attr_nest_end(nlh, n);
}

/*
 * A server with two queues: no buffer size, indexes that wrapped, flags
 * with bits unknown to memifctl, a region larger than 4 GiB.
 */
static void extra_server(struct nlmsghdr *nlh)
{
	static const struct fake_ring rings[] = {
		{ .dir = MEMIF_RING_C2S, .queue = 0, .log2 = 14, .bufsize = -1,
		  .region = 0, .offset = 0, .head = 3, .tail = 65533 },
		{ .dir = MEMIF_RING_C2S, .queue = 1, .log2 = 14, .bufsize = -1,
		  .region = 0, .offset = 262272, .head = 0, .tail = 0,
		  .flags = 0x8001 },
		{ .dir = MEMIF_RING_S2C, .queue = 0, .log2 = 14, .bufsize = -1,
		  .region = 0, .offset = 524544, .head = 65535, .tail = 65535,
		  .flags = 0x8000 },
		{ .dir = MEMIF_RING_S2C, .queue = 1, .log2 = 14, .bufsize = -1,
		  .region = 0, .offset = 786816, .head = 16384, .tail = 0 },
	};
	struct nlattr *n;
	size_t i;

	n = mnl_attr_nest_start(nlh, IFLA_MEMIF_REGIONS);
	put_region(nlh, 0, 1049088);
	put_region(nlh, 1, 8589934592ull);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, IFLA_MEMIF_RINGS);
	for (i = 0; i < ARRAY_SIZE(rings); i++)
		put_ring(nlh, &rings[i]);
	mnl_attr_nest_end(nlh, n);
}

/*
 * What a broken or newer kernel might send: entries of another type,
 * attributes of the wrong size, missing or unknown ones, an unknown
 * direction.  Whatever is invalid is shown as not reported.
 */
static void extra_odd(struct nlmsghdr *nlh)
{
	struct nlattr *n, *e;

	n = mnl_attr_nest_start(nlh, IFLA_MEMIF_REGIONS);
	e = mnl_attr_nest_start(nlh, IFLA_MEMIF_REGION_ENTRY);
	mnl_attr_put_u32(nlh, IFLA_MEMIF_REGION_INDEX, 2);	/* not u16 */
	mnl_attr_nest_end(nlh, e);
	mnl_attr_put_u32(nlh, IFLA_MEMIF_REGION_ENTRY + 1, 7);	/* ignored */
	e = mnl_attr_nest_start(nlh, IFLA_MEMIF_REGION_ENTRY);
	mnl_attr_put_u16(nlh, IFLA_MEMIF_REGION_INDEX, 3);
	mnl_attr_nest_end(nlh, e);
	mnl_attr_nest_end(nlh, n);

	n = mnl_attr_nest_start(nlh, IFLA_MEMIF_RINGS);
	e = mnl_attr_nest_start(nlh, IFLA_MEMIF_RING_ENTRY + 1); /* ignored */
	mnl_attr_put_u8(nlh, IFLA_MEMIF_RING_DIR, MEMIF_RING_C2S);
	mnl_attr_nest_end(nlh, e);
	e = mnl_attr_nest_start(nlh, IFLA_MEMIF_RING_ENTRY);
	mnl_attr_put_u8(nlh, IFLA_MEMIF_RING_DIR, 5);
	mnl_attr_put_u32(nlh, IFLA_MEMIF_RING_HEAD, 1);		/* not u16 */
	mnl_attr_put_u32(nlh, IFLA_MEMIF_RING_MAX + 1, 42);	/* future */
	mnl_attr_nest_end(nlh, e);
	e = mnl_attr_nest_start(nlh, IFLA_MEMIF_RING_ENTRY);
	mnl_attr_put_u8(nlh, IFLA_MEMIF_RING_DIR, MEMIF_RING_S2C);
	mnl_attr_put_u16(nlh, IFLA_MEMIF_RING_QUEUE, 0);
	mnl_attr_put_u8(nlh, IFLA_MEMIF_RING_LOG2_SIZE, 3);
	mnl_attr_nest_end(nlh, e);
	mnl_attr_nest_end(nlh, n);

	/* the last of two wins: a peer gid that is not a u32 */
	mnl_attr_put_u16(nlh, IFLA_MEMIF_PEER_GID, 7);
}

static const struct fake fakes[] = {
	{ .ifindex = 5, .name = "memif0", .kind = "memif", .up = true,
	  .carrier = true, .data = true, .role = MEMIF_ROLE_CLIENT,
	  .state = MEMIF_STATE_CONNECTED, .mode = MEMIF_MODE_ETHERNET,
	  .log2_ring = 10, .bufsize = 2048, .offloads = 1,
	  .socket = "/run/m1.sock", .peer_name = "net_memif0",
	  .peer_app = "DPDK 22.11.11", .disc = "peer: bye", .running = true,
	  .s2c = 1, .c2s = 1, .run_log2_ring = 9, .run_offloads = 0,
	  .max_memory = 1ull << 30, .socket_mode = 0755, .cacheline = 64,
	  .run_cacheline = 64, .extra = extra_client },
	{ .ifindex = 6, .name = "v0", .kind = "veth", .up = true },
	{ .ifindex = 7, .name = "memif1", .kind = "memif", .up = true,
	  .data = true, .role = MEMIF_ROLE_SERVER,
	  .state = MEMIF_STATE_WAITING, .mode = MEMIF_MODE_IP,
	  .log2_ring = 14, .bufsize = 65535, .has_secret = 1,
	  .offloads = 0, .id = 4294967295u, .socket = "@abstract \"sock\"",
	  /* a server's socket for group 110, peers of user 1000 only */
	  .max_memory = 512ull << 20, .socket_mode = 0660, .ids = 0xf,
	  .cacheline = 128,
	  .id_v = { 0, 110, 1000, 1000 },
	  .disc = "local: \"bad\" \\ \n\t\x01\x7f caf\xc3\xa9 \xff\xc3 \xed\xa0\x80 end" },
	{ .ifindex = 8, .name = "memif2", .kind = "memif" },
	{ .ifindex = 9, .name = "memif3", .kind = "memif", .data = true,
	  .role = 7, .state = 9, .mode = 5, .log2_ring = 3, .bufsize = 128,
	  .offloads = -1, .socket = "/s", .peer_app = "VPP 24.02\xc2\x9b[31m",
	  .max_memory = 100000000, .socket_mode = 0, .ids = 0xa,
	  .id_v = { 0, 65534, 0, 4294967294u }, .extra = extra_odd },
	{ .ifindex = 10, .name = "memif4", .kind = "memif", .up = true,
	  .carrier = true, .data = true, .role = MEMIF_ROLE_SERVER,
	  .state = MEMIF_STATE_CONNECTED, .mode = MEMIF_MODE_ETHERNET,
	  .log2_ring = 10, .bufsize = 2048, .offloads = 1, .id = 1,
	  .socket = "/run/k.sock", .peer_name = "s0",
	  .peer_app = "Linux memif", .running = true, .s2c = 2, .c2s = 2,
	  .run_log2_ring = 14,
	  .run_offloads = MEMIF_OFFLOAD_TX | MEMIF_OFFLOAD_RX,
	  .max_memory = 64ull << 30, .socket_mode = 0700, .ids = 0x4,
	  .cacheline = 64, .run_cacheline = 128,
	  .id_v = { 0, 0, 1000, 0 }, .extra = extra_server },
	/*
	 * Two memif links, one with offloads off: only the frames towards
	 * the one with offloads on carry the header.  A bit unknown to
	 * memifctl is left out.
	 */
	{ .ifindex = 11, .name = "memif5", .kind = "memif", .up = true,
	  .carrier = true, .data = true, .role = MEMIF_ROLE_CLIENT,
	  .state = MEMIF_STATE_CONNECTED, .mode = MEMIF_MODE_ETHERNET,
	  .log2_ring = 10, .bufsize = 2048, .offloads = 1,
	  .socket = "@pair", .peer_name = "memif6", .peer_app = "Linux memif",
	  .running = true, .s2c = 1, .c2s = 1, .run_log2_ring = 10,
	  .run_offloads = MEMIF_OFFLOAD_TX, .max_memory = 1536 << 10,
	  .socket_mode = 0755 },
	{ .ifindex = 12, .name = "memif6", .kind = "memif", .up = true,
	  .carrier = true, .data = true, .role = MEMIF_ROLE_SERVER,
	  .state = MEMIF_STATE_CONNECTED, .mode = MEMIF_MODE_ETHERNET,
	  .log2_ring = 10, .bufsize = 2048, .offloads = 1,
	  .socket = "@pair", .peer_name = "memif5", .peer_app = "Linux memif",
	  .running = true, .s2c = 1, .c2s = 1, .run_log2_ring = 10,
	  .run_offloads = MEMIF_OFFLOAD_RX | 0x80, .max_memory = 1ull << 30,
	  .socket_mode = 0755 },
};

static void feed(const struct fake *f, struct link_list *list)
{
	static char buf[REQ_SIZE] __aligned(8);
	struct nlattr *linkinfo, *data;
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	size_t i;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = f->ifindex;
	ifm->ifi_flags = f->up ? IFF_UP : 0;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, f->name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 2);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, f->carrier ? 6 : 2);
	mnl_attr_put_u8(nlh, IFLA_CARRIER, f->carrier);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, f->kind);
	if (f->data) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put_u8(nlh, IFLA_MEMIF_ROLE, f->role);
		mnl_attr_put_strz(nlh, IFLA_MEMIF_SOCKET, f->socket);
		mnl_attr_put_u32(nlh, IFLA_MEMIF_ID, f->id);
		mnl_attr_put_u8(nlh, IFLA_MEMIF_MODE, f->mode);
		mnl_attr_put_u8(nlh, IFLA_MEMIF_LOG2_RING_SIZE, f->log2_ring);
		mnl_attr_put_u32(nlh, IFLA_MEMIF_BUFFER_SIZE, f->bufsize);
		mnl_attr_put_u8(nlh, IFLA_MEMIF_STATE, f->state);
		mnl_attr_put_u8(nlh, IFLA_MEMIF_HAS_SECRET, f->has_secret);
		if (f->offloads >= 0)
			mnl_attr_put_u8(nlh, IFLA_MEMIF_OFFLOADS,
					(uint8_t)f->offloads);
		if (f->peer_name)
			mnl_attr_put_strz(nlh, IFLA_MEMIF_PEER_NAME,
					  f->peer_name);
		if (f->peer_app)
			mnl_attr_put_strz(nlh, IFLA_MEMIF_PEER_APP,
					  f->peer_app);
		if (f->disc)
			mnl_attr_put_strz(nlh, IFLA_MEMIF_DISC_REASON,
					  f->disc);
		if (f->running) {
			mnl_attr_put_u16(nlh, IFLA_MEMIF_NUM_S2C_RINGS,
					 f->s2c);
			mnl_attr_put_u16(nlh, IFLA_MEMIF_NUM_C2S_RINGS,
					 f->c2s);
			mnl_attr_put_u8(nlh, IFLA_MEMIF_RUN_LOG2_RING_SIZE,
					f->run_log2_ring);
			mnl_attr_put_u8(nlh, IFLA_MEMIF_RUN_OFFLOADS,
					f->run_offloads);
			if (f->run_cacheline)
				mnl_attr_put_u16(nlh, IFLA_MEMIF_RUN_CACHELINE,
						 f->run_cacheline);
		}
		if (f->max_memory) {
			/* as the kernel aligns it: the padding is ignored */
			if ((nlh->nlmsg_len + MNL_ATTR_HDRLEN) % 8)
				mnl_attr_put(nlh, IFLA_MEMIF_PAD, 0, NULL);
			mnl_attr_put_u64(nlh, IFLA_MEMIF_MAX_MEMORY,
					 f->max_memory);
			mnl_attr_put_u16(nlh, IFLA_MEMIF_SOCKET_MODE,
					 f->socket_mode);
		}
		if (f->cacheline)
			mnl_attr_put_u16(nlh, IFLA_MEMIF_CACHELINE,
					 f->cacheline);
		for (i = 0; i < ARRAY_SIZE(id_attrs); i++)
			if (f->ids & 1u << i)
				mnl_attr_put_u32(nlh, id_attrs[i], f->id_v[i]);
		if (f->extra)
			f->extra(nlh);
		/* an attribute from the future is ignored */
		mnl_attr_put_u32(nlh, IFLA_MEMIF_MAX + 1, 42);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, linkinfo);

	if (link_cb(nlh, list) != MNL_CB_OK) {
		fprintf(stderr, "test_show: link_cb failed\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct link_list list = { .memif_only = true };
	size_t i;

	if (argc != 2 || (strcmp(argv[1], "text") && strcmp(argv[1], "json"))) {
		fprintf(stderr, "usage: test_show text|json\n");
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(fakes); i++)
		feed(&fakes[i], &list);
	if (!strcmp(argv[1], "json")) {
		if (print_links_json(&list)) {
			fprintf(stderr, "test_show: out of memory\n");
			return 1;
		}
	} else {
		print_links_text(&list);
	}
	link_list_free(&list);
	return 0;
}
