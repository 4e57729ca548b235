// SPDX-License-Identifier: GPL-2.0
/*
 * Test of memifctl's link parsing and output: fake RTM_NEWLINK messages go
 * through the dump callback and both output formats.  Usage:
 * test_show text|json; the output is compared with a file by run_show.sh.
 */
#define main memifctl_main
#include "../memifctl.c"
#undef main

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
	const char *socket, *peer_name, *peer_app, *disc;
	bool running;
	uint16_t s2c, c2s;
	uint8_t run_log2_ring, run_offloads;
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
}

static const struct fake fakes[] = {
	{ .ifindex = 5, .name = "memif0", .kind = "memif", .up = true,
	  .carrier = true, .data = true, .role = MEMIF_ROLE_CLIENT,
	  .state = MEMIF_STATE_CONNECTED, .mode = MEMIF_MODE_ETHERNET,
	  .log2_ring = 10, .bufsize = 2048, .offloads = 1,
	  .socket = "/run/m1.sock", .peer_name = "net_memif0",
	  .peer_app = "DPDK 22.11.11", .disc = "peer: bye", .running = true,
	  .s2c = 1, .c2s = 1, .run_log2_ring = 9, .run_offloads = 0,
	  .extra = extra_client },
	{ .ifindex = 6, .name = "v0", .kind = "veth", .up = true },
	{ .ifindex = 7, .name = "memif1", .kind = "memif", .up = true,
	  .data = true, .role = MEMIF_ROLE_SERVER,
	  .state = MEMIF_STATE_WAITING, .mode = MEMIF_MODE_IP,
	  .log2_ring = 14, .bufsize = 65535, .has_secret = 1,
	  .offloads = 0, .id = 4294967295u, .socket = "@abstract \"sock\"",
	  .disc = "local: \"bad\" \\ \n\t\x01\x7f caf\xc3\xa9 \xff\xc3 \xed\xa0\x80 end" },
	{ .ifindex = 8, .name = "memif2", .kind = "memif" },
	{ .ifindex = 9, .name = "memif3", .kind = "memif", .data = true,
	  .role = 7, .state = 9, .mode = 5, .log2_ring = 3, .bufsize = 128,
	  .offloads = -1, .socket = "/s", .peer_app = "VPP 24.02\xc2\x9b[31m",
	  .extra = extra_odd },
	{ .ifindex = 10, .name = "memif4", .kind = "memif", .up = true,
	  .carrier = true, .data = true, .role = MEMIF_ROLE_SERVER,
	  .state = MEMIF_STATE_CONNECTED, .mode = MEMIF_MODE_ETHERNET,
	  .log2_ring = 10, .bufsize = 2048, .offloads = 1, .id = 1,
	  .socket = "/run/k.sock", .peer_name = "s0",
	  .peer_app = "Linux memif", .running = true, .s2c = 2, .c2s = 2,
	  .run_log2_ring = 14,
	  .run_offloads = MEMIF_OFFLOAD_TX | MEMIF_OFFLOAD_RX,
	  .extra = extra_server },
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
	  .run_offloads = MEMIF_OFFLOAD_TX },
	{ .ifindex = 12, .name = "memif6", .kind = "memif", .up = true,
	  .carrier = true, .data = true, .role = MEMIF_ROLE_SERVER,
	  .state = MEMIF_STATE_CONNECTED, .mode = MEMIF_MODE_ETHERNET,
	  .log2_ring = 10, .bufsize = 2048, .offloads = 1,
	  .socket = "@pair", .peer_name = "memif5", .peer_app = "Linux memif",
	  .running = true, .s2c = 1, .c2s = 1, .run_log2_ring = 10,
	  .run_offloads = MEMIF_OFFLOAD_RX | 0x80 },
};

static void feed(const struct fake *f, struct link_list *list)
{
	static char buf[REQ_SIZE] __aligned(8);
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;

	nlh = put_link_header(buf, RTM_NEWLINK, 0, f->ifindex);
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_flags =
		f->up ? IFF_UP : 0;
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
		}
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
	print_links(&list, !strcmp(argv[1], "json"));
	link_list_free(&list);
	return 0;
}
