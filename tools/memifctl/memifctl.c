// SPDX-License-Identifier: GPL-2.0
/*
 * memifctl: create, change, delete and show memif links.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <linux/if_memif.h>
#include <libmnl/libmnl.h>

#include "memif_args.h"
#include "nl.h"

#ifndef MEMIF_VERSION
#define MEMIF_VERSION "unknown"
#endif

#define EXIT_OK		0
#define EXIT_ERR	1
#define EXIT_USAGE	2

#define MEMIF_KIND	"memif"

/* Room for any request: the strings in it are at most ~150 bytes. */
#define REQ_SIZE	4096

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((aligned(x)))
#endif

/*
 * One entry of IFLA_MEMIF_REGIONS; like struct link_ring, it starts with
 * its "have" mask, which parse_list() fills in.
 */
struct link_region {
	uint32_t have;			/* 1 << IFLA_MEMIF_REGION_* received */
	uint16_t index;
	uint64_t size;
};

/* One entry of IFLA_MEMIF_RINGS. */
struct link_ring {
	uint32_t have;			/* 1 << IFLA_MEMIF_RING_* received */
	uint8_t dir, log2_size;
	uint16_t queue, region, head, tail, flags;
	uint32_t buffer_size, offset;
};

/* What a link dump tells about one link. */
struct link {
	int ifindex;
	unsigned int flags;		/* IFF_* */
	char *name;
	char *kind;			/* NULL: no IFLA_INFO_KIND */
	bool has_mtu, has_operstate, has_carrier, has_txq, has_rxq;
	uint32_t mtu;
	uint8_t operstate;
	uint8_t carrier;
	uint32_t txq, rxq;

	uint32_t have;			/* 1 << IFLA_MEMIF_* received */
	uint8_t role, mode, state, log2_ring_size, has_secret, offloads;
	uint8_t run_log2_ring_size, run_offloads;
	uint16_t s2c_rings, c2s_rings;
	uint32_t id, buffer_size;
	char *socket, *peer_name, *peer_app, *disc_reason;
	struct link_region *regions;
	struct link_ring *rings;
	size_t n_regions, n_rings;
};

struct link_list {
	struct link *v;
	size_t n, cap;
	bool memif_only;
};

/* Was attribute @attr received for @l (a link, region or ring)? */
#define HAVE(l, attr) (!!((l)->have & (1u << (attr))))

/* ------------------------------------------------------------------ */
/* Usage */

/* Continuation lines line up after "Usage: memifctl add ". */
static const char usage_add[] =
"memifctl add NAME [role client|server] [socket PATH] [id N] [secret S]\n"
"                    [mode ethernet|ip] [ring-size N] [buffer-size N]\n"
"                    [queues N] [offloads on|off]\n";
static const char usage_set[] =
"memifctl set NAME [role client|server] [socket PATH] [id N] [secret S]\n"
"                    [ring-size N] [buffer-size N] [offloads on|off]\n";
static const char usage_del[] = "memifctl del NAME\n";
static const char usage_show[] = "memifctl [-j|--json] show [NAME]\n";

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s       %s       %s       %s",
		usage_add, usage_set, usage_del, usage_show);
	fputs("       memifctl help | -h | --help | --version\n"
	      "\n"
	      "Create, change, delete and show memif links: network devices that\n"
	      "exchange packets through shared memory with VPP, DPDK, libmemif or\n"
	      "another memif link.\n"
	      "\n"
	      "Commands:\n"
	      "  add NAME ...   create a memif link; it starts down: bring it up with\n"
	      "                 ip link set dev NAME up\n"
	      "  set NAME ...   change the settings given, only while the link is down;\n"
	      "                 mode and queues cannot be changed\n"
	      "  del NAME       delete a memif link\n"
	      "  show [NAME]    all memif links, or NAME: settings, connection state,\n"
	      "                 the peer and why the last connection ended; while\n"
	      "                 connected, the shared memory regions and every ring\n"
	      "                 (direction, queue, size, head, tail, interrupt mode)\n"
	      "  help           print this help\n"
	      "\n"
	      "Options for add and set:\n"
	      "  role R         client (alias slave, the default) or server (alias\n"
	      "                 master)\n", f);
	fprintf(f,
		"  socket PATH    control socket, default %s;\n"
		"                 a leading '@' names an abstract socket\n"
		"  id N           interface id for the handshake, default 0\n"
		"  secret S       at most %d bytes, default none; \"\" is none, and\n"
		"                 with set removes the secret\n"
		"  mode M         ethernet (the default) or ip; add only\n"
		"  ring-size N    descriptors per ring, a power of two from %u to %u,\n"
		"                 default %u\n"
		"  buffer-size N  bytes per buffer, %d to %d, default %d\n"
		"  queues N       queues in each direction, 1 to %d, default 1;\n"
		"                 add only\n"
		"  offloads O     on (the default) or off: offer and accept TSO and\n"
		"                 checksum offload when the peer is a memif link\n",
		MEMIF_SOCKET_DEFAULT, MEMIF_SECRET_MAX,
		1u << MEMIF_LOG2_RING_SIZE_MIN, 1u << MEMIF_LOG2_RING_SIZE_MAX,
		1u << MEMIF_LOG2_RING_SIZE_DEFAULT, MEMIF_BUFFER_SIZE_MIN,
		MEMIF_BUFFER_SIZE_MAX, MEMIF_BUFFER_SIZE_DEFAULT,
		MEMIF_MAX_QUEUES);
	fputs("With add, what is not given takes the default; with set, it stays\n"
	      "as it is.  Numbers are decimal, or hexadecimal with a 0x prefix.\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json     show prints a JSON array, one object per link\n"
	      "  -h, --help     print this help\n"
	      "  --version      print the version\n"
	      "\n"
	      "Exit status: 0 success, 1 refused by the kernel or no such memif\n"
	      "link, 2 usage error.  Packet, drop and error counters per queue\n"
	      "and per cause: ethtool -S NAME.  See memifctl(8).\n", f);
}

/* Print "memifctl: MSG", a usage line and return EXIT_USAGE. */
static int __printf(2, 3)
usage_error(const char *cmd_usage, const char *fmt, ...)
{
	va_list ap;

	fputs("memifctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd_usage)
		fprintf(stderr, "Usage: %s", cmd_usage);
	fputs("Try 'memifctl --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static int __printf(1, 2) error(const char *fmt, ...)
{
	va_list ap;

	fputs("memifctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERR;
}

/* "memifctl: <strerror>[: <extack message>]" */
static int nl_error(const struct nl *nl, int err)
{
	if (nl->ext_msg[0])
		return error("%s: %s", strerror(-err), nl->ext_msg);
	return error("%s", strerror(-err));
}

static void nl_warning(const struct nl *nl)
{
	if (nl->ext_msg[0])
		fprintf(stderr, "memifctl: warning: %s\n", nl->ext_msg);
}

/* The kernel's dev_valid_name(). */
static bool valid_ifname(const char *s)
{
	size_t len = strlen(s);

	if (!len || len >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Parsing RTM_NEWLINK */

struct attr_tb {
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_tb_cb(const struct nlattr *attr, void *data)
{
	const struct attr_tb *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

static void parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			 unsigned int max)
{
	struct attr_tb t = { .tb = tb, .max = max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_nested(nest, attr_tb_cb, &t);
}

/* @attr, if it is present and valid as @type; else NULL. */
static const struct nlattr *valid(const struct nlattr *attr,
				  enum mnl_attr_data_type type)
{
	if (!attr || mnl_attr_validate(attr, type) < 0)
		return NULL;
	return attr;
}

static bool get_u8(const struct nlattr *attr, uint8_t *v)
{
	if (!valid(attr, MNL_TYPE_U8))
		return false;
	*v = mnl_attr_get_u8(attr);
	return true;
}

static bool get_u32(const struct nlattr *attr, uint32_t *v)
{
	if (!valid(attr, MNL_TYPE_U32))
		return false;
	*v = mnl_attr_get_u32(attr);
	return true;
}

/* A copy of a string attribute; trusts no NUL termination. */
static int attr_strdup(const struct nlattr *attr, char **s)
{
	*s = strndup(mnl_attr_get_payload(attr),
		     mnl_attr_get_payload_len(attr));
	return *s ? 0 : -1;
}

static const enum mnl_attr_data_type memif_attr_type[IFLA_MEMIF_MAX + 1] = {
	[IFLA_MEMIF_ROLE] = MNL_TYPE_U8,
	[IFLA_MEMIF_SOCKET] = MNL_TYPE_STRING,
	[IFLA_MEMIF_ID] = MNL_TYPE_U32,
	[IFLA_MEMIF_MODE] = MNL_TYPE_U8,
	[IFLA_MEMIF_LOG2_RING_SIZE] = MNL_TYPE_U8,
	[IFLA_MEMIF_BUFFER_SIZE] = MNL_TYPE_U32,
	[IFLA_MEMIF_STATE] = MNL_TYPE_U8,
	[IFLA_MEMIF_HAS_SECRET] = MNL_TYPE_U8,
	[IFLA_MEMIF_PEER_NAME] = MNL_TYPE_STRING,
	[IFLA_MEMIF_PEER_APP] = MNL_TYPE_STRING,
	[IFLA_MEMIF_DISC_REASON] = MNL_TYPE_STRING,
	[IFLA_MEMIF_NUM_S2C_RINGS] = MNL_TYPE_U16,
	[IFLA_MEMIF_NUM_C2S_RINGS] = MNL_TYPE_U16,
	[IFLA_MEMIF_RUN_LOG2_RING_SIZE] = MNL_TYPE_U8,
	[IFLA_MEMIF_REGIONS] = MNL_TYPE_NESTED,
	[IFLA_MEMIF_RINGS] = MNL_TYPE_NESTED,
	[IFLA_MEMIF_OFFLOADS] = MNL_TYPE_U8,
	[IFLA_MEMIF_RUN_OFFLOADS] = MNL_TYPE_U8,
};

static const enum mnl_attr_data_type
region_attr_type[IFLA_MEMIF_REGION_MAX + 1] = {
	[IFLA_MEMIF_REGION_INDEX] = MNL_TYPE_U16,
	[IFLA_MEMIF_REGION_SIZE] = MNL_TYPE_U64,
};

static const enum mnl_attr_data_type
ring_attr_type[IFLA_MEMIF_RING_MAX + 1] = {
	[IFLA_MEMIF_RING_DIR] = MNL_TYPE_U8,
	[IFLA_MEMIF_RING_QUEUE] = MNL_TYPE_U16,
	[IFLA_MEMIF_RING_LOG2_SIZE] = MNL_TYPE_U8,
	[IFLA_MEMIF_RING_BUFFER_SIZE] = MNL_TYPE_U32,
	[IFLA_MEMIF_RING_REGION] = MNL_TYPE_U16,
	[IFLA_MEMIF_RING_OFFSET] = MNL_TYPE_U32,
	[IFLA_MEMIF_RING_HEAD] = MNL_TYPE_U16,
	[IFLA_MEMIF_RING_TAIL] = MNL_TYPE_U16,
	[IFLA_MEMIF_RING_FLAGS] = MNL_TYPE_U16,
};

/* Number of entries of type @type directly inside @nest. */
static size_t count_entries(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;
	size_t n = 0;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			n++;
	return n;
}

/*
 * The valid attributes of one entry of IFLA_MEMIF_REGIONS or _RINGS in
 * @tb (of @max + 1 slots); returns the bit mask of those found.  Others,
 * from a newer kernel or malformed, are left out.
 */
static uint32_t parse_entry(const struct nlattr *entry,
			    const enum mnl_attr_data_type *types,
			    unsigned int max, const struct nlattr **tb)
{
	uint32_t have = 0;
	unsigned int i;

	parse_nested(entry, tb, max);
	for (i = 1; i <= max; i++) {
		if (types[i] != MNL_TYPE_UNSPEC && valid(tb[i], types[i]))
			have |= 1u << i;
		else
			tb[i] = NULL;
	}
	return have;
}

/* Both lists: the type of an entry, and its attribute slots. */
#define ENTRY_TYPE	IFLA_MEMIF_RING_ENTRY
#define ENTRY_ATTR_MAX	IFLA_MEMIF_RING_MAX
_Static_assert(IFLA_MEMIF_REGION_ENTRY == ENTRY_TYPE &&
	       IFLA_MEMIF_REGION_MAX <= ENTRY_ATTR_MAX,
	       "one parser for both lists");

static void fill_region(void *elem, const struct nlattr **tb)
{
	struct link_region *r = elem;

	if (tb[IFLA_MEMIF_REGION_INDEX])
		r->index = mnl_attr_get_u16(tb[IFLA_MEMIF_REGION_INDEX]);
	if (tb[IFLA_MEMIF_REGION_SIZE])
		r->size = mnl_attr_get_u64(tb[IFLA_MEMIF_REGION_SIZE]);
}

static void fill_ring(void *elem, const struct nlattr **tb)
{
	struct link_ring *r = elem;

	if (tb[IFLA_MEMIF_RING_DIR])
		r->dir = mnl_attr_get_u8(tb[IFLA_MEMIF_RING_DIR]);
	if (tb[IFLA_MEMIF_RING_QUEUE])
		r->queue = mnl_attr_get_u16(tb[IFLA_MEMIF_RING_QUEUE]);
	if (tb[IFLA_MEMIF_RING_LOG2_SIZE])
		r->log2_size = mnl_attr_get_u8(tb[IFLA_MEMIF_RING_LOG2_SIZE]);
	if (tb[IFLA_MEMIF_RING_BUFFER_SIZE])
		r->buffer_size =
			mnl_attr_get_u32(tb[IFLA_MEMIF_RING_BUFFER_SIZE]);
	if (tb[IFLA_MEMIF_RING_REGION])
		r->region = mnl_attr_get_u16(tb[IFLA_MEMIF_RING_REGION]);
	if (tb[IFLA_MEMIF_RING_OFFSET])
		r->offset = mnl_attr_get_u32(tb[IFLA_MEMIF_RING_OFFSET]);
	if (tb[IFLA_MEMIF_RING_HEAD])
		r->head = mnl_attr_get_u16(tb[IFLA_MEMIF_RING_HEAD]);
	if (tb[IFLA_MEMIF_RING_TAIL])
		r->tail = mnl_attr_get_u16(tb[IFLA_MEMIF_RING_TAIL]);
	if (tb[IFLA_MEMIF_RING_FLAGS])
		r->flags = mnl_attr_get_u16(tb[IFLA_MEMIF_RING_FLAGS]);
}

/*
 * The entries of IFLA_MEMIF_REGIONS or IFLA_MEMIF_RINGS (@nest), as a new
 * array in *@arr of *@n elements of @size bytes, each starting with its
 * "have" mask: @types and @max describe an entry's attributes, @fill sets
 * an element from them.  Returns -1 when out of memory.
 */
static int parse_list(const struct nlattr *nest,
		      const enum mnl_attr_data_type *types, unsigned int max,
		      size_t size, void **arr, size_t *n,
		      void (*fill)(void *elem, const struct nlattr **tb))
{
	const struct nlattr *tb[ENTRY_ATTR_MAX + 1];
	const struct nlattr *entry;
	char *elem;

	free(*arr);
	*n = 0;
	*arr = calloc(count_entries(nest, ENTRY_TYPE) + 1, size);
	if (!*arr)
		return -1;
	mnl_attr_for_each_nested(entry, nest) {
		if (mnl_attr_get_type(entry) != ENTRY_TYPE ||
		    !valid(entry, MNL_TYPE_NESTED))
			continue;
		elem = (char *)*arr + (*n)++ * size;
		*(uint32_t *)elem = parse_entry(entry, types, max, tb);
		fill(elem, tb);
	}
	return 0;
}

static int parse_regions(const struct nlattr *nest, struct link *l)
{
	return parse_list(nest, region_attr_type, IFLA_MEMIF_REGION_MAX,
			  sizeof(*l->regions), (void **)&l->regions,
			  &l->n_regions, fill_region);
}

static int parse_rings(const struct nlattr *nest, struct link *l)
{
	return parse_list(nest, ring_attr_type, IFLA_MEMIF_RING_MAX,
			  sizeof(*l->rings), (void **)&l->rings, &l->n_rings,
			  fill_ring);
}

static int parse_memif_data(const struct nlattr *nest, struct link *l)
{
	const struct nlattr *tb[IFLA_MEMIF_MAX + 1];
	const struct nlattr *a;
	unsigned int i;

	parse_nested(nest, tb, IFLA_MEMIF_MAX);
	for (i = 1; i <= IFLA_MEMIF_MAX; i++) {
		/* IFLA_MEMIF_SECRET is write-only: never shown */
		if (memif_attr_type[i] == MNL_TYPE_UNSPEC)
			continue;
		a = valid(tb[i], memif_attr_type[i]);
		if (!a)
			continue;
		switch (i) {
		case IFLA_MEMIF_ROLE:
			l->role = mnl_attr_get_u8(a);
			break;
		case IFLA_MEMIF_SOCKET:
			if (attr_strdup(a, &l->socket))
				return -1;
			break;
		case IFLA_MEMIF_ID:
			l->id = mnl_attr_get_u32(a);
			break;
		case IFLA_MEMIF_MODE:
			l->mode = mnl_attr_get_u8(a);
			break;
		case IFLA_MEMIF_LOG2_RING_SIZE:
			l->log2_ring_size = mnl_attr_get_u8(a);
			break;
		case IFLA_MEMIF_BUFFER_SIZE:
			l->buffer_size = mnl_attr_get_u32(a);
			break;
		case IFLA_MEMIF_STATE:
			l->state = mnl_attr_get_u8(a);
			break;
		case IFLA_MEMIF_HAS_SECRET:
			l->has_secret = mnl_attr_get_u8(a);
			break;
		case IFLA_MEMIF_PEER_NAME:
			if (attr_strdup(a, &l->peer_name))
				return -1;
			break;
		case IFLA_MEMIF_PEER_APP:
			if (attr_strdup(a, &l->peer_app))
				return -1;
			break;
		case IFLA_MEMIF_DISC_REASON:
			if (attr_strdup(a, &l->disc_reason))
				return -1;
			break;
		case IFLA_MEMIF_NUM_S2C_RINGS:
			l->s2c_rings = mnl_attr_get_u16(a);
			break;
		case IFLA_MEMIF_NUM_C2S_RINGS:
			l->c2s_rings = mnl_attr_get_u16(a);
			break;
		case IFLA_MEMIF_RUN_LOG2_RING_SIZE:
			l->run_log2_ring_size = mnl_attr_get_u8(a);
			break;
		case IFLA_MEMIF_REGIONS:
			if (parse_regions(a, l))
				return -1;
			break;
		case IFLA_MEMIF_RINGS:
			if (parse_rings(a, l))
				return -1;
			break;
		case IFLA_MEMIF_OFFLOADS:
			l->offloads = mnl_attr_get_u8(a);
			break;
		case IFLA_MEMIF_RUN_OFFLOADS:
			l->run_offloads = mnl_attr_get_u8(a);
			break;
		}
		l->have |= 1u << i;
	}
	return 0;
}

static void link_free(struct link *l)
{
	free(l->name);
	free(l->kind);
	free(l->socket);
	free(l->peer_name);
	free(l->peer_app);
	free(l->disc_reason);
	free(l->regions);
	free(l->rings);
}

static void link_list_free(struct link_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		link_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
	list->cap = 0;
}

static int parse_link(const struct nlmsghdr *nlh, struct link *l)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	const struct nlattr *li[IFLA_INFO_MAX + 1];
	struct attr_tb t = { .tb = tb, .max = IFLA_MAX };
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	l->ifindex = ifm->ifi_index;
	l->flags = ifm->ifi_flags;
	mnl_attr_parse(nlh, sizeof(*ifm), attr_tb_cb, &t);

	a = valid(tb[IFLA_IFNAME], MNL_TYPE_STRING);
	if (a && attr_strdup(a, &l->name))
		return -1;
	l->has_mtu = get_u32(tb[IFLA_MTU], &l->mtu);
	l->has_operstate = get_u8(tb[IFLA_OPERSTATE], &l->operstate);
	l->has_carrier = get_u8(tb[IFLA_CARRIER], &l->carrier);
	l->has_txq = get_u32(tb[IFLA_NUM_TX_QUEUES], &l->txq);
	l->has_rxq = get_u32(tb[IFLA_NUM_RX_QUEUES], &l->rxq);

	if (!valid(tb[IFLA_LINKINFO], MNL_TYPE_NESTED))
		return 0;
	parse_nested(tb[IFLA_LINKINFO], li, IFLA_INFO_MAX);
	a = valid(li[IFLA_INFO_KIND], MNL_TYPE_STRING);
	if (a && attr_strdup(a, &l->kind))
		return -1;
	if (l->kind && !strcmp(l->kind, MEMIF_KIND) &&
	    valid(li[IFLA_INFO_DATA], MNL_TYPE_NESTED))
		return parse_memif_data(li[IFLA_INFO_DATA], l);
	return 0;
}

static bool is_memif(const struct link *l)
{
	return l->kind && !strcmp(l->kind, MEMIF_KIND);
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_list *list = data;
	struct link l = { 0 };

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return MNL_CB_OK;

	if (parse_link(nlh, &l))
		goto nomem;
	if (!l.name || (list->memif_only && !is_memif(&l))) {
		link_free(&l);
		return MNL_CB_OK;
	}
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 8;
		struct link *v = realloc(list->v, cap * sizeof(*v));

		if (!v)
			goto nomem;
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = l;
	return MNL_CB_OK;

nomem:
	link_free(&l);
	errno = ENOMEM;
	return MNL_CB_ERROR;
}

/* ------------------------------------------------------------------ */
/* Requests */

static struct nlmsghdr *put_link_header(char *buf, uint16_t type,
					uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return nlh;
}

/*
 * Look up one link by name into @list (memif or not).  Returns 0, or
 * -errno with an error message printed (exit status EXIT_ERR).
 */
static int get_link(struct nl *nl, const char *name, struct link_list *list)
{
	char buf[REQ_SIZE] __aligned(8);
	struct nlmsghdr *nlh;
	int err;

	nlh = put_link_header(buf, RTM_GETLINK, NLM_F_ACK, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	list->memif_only = false;
	err = nl_talk(nl, nlh, link_cb, list);
	if (err == -ENODEV)
		error("device \"%s\" does not exist", name);
	else if (err)
		nl_error(nl, err);
	else if (list->n != 1)
		error("no answer for device \"%s\"", name);
	else
		return 0;
	return err ? err : -ENODEV;
}

static int not_memif(const struct link *l, const char *name)
{
	if (l->kind)
		return error("%s is not a memif device (kind %s)", name,
			     l->kind);
	return error("%s is not a memif device", name);
}

/* IFLA_INFO_DATA with the memif settings of @a, queues aside. */
static void put_memif_data(struct nlmsghdr *nlh, const struct memif_args *a)
{
	struct nlattr *data;

	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (a->set & MEMIF_ARG_ROLE)
		mnl_attr_put_u8(nlh, IFLA_MEMIF_ROLE, a->role);
	if (a->set & MEMIF_ARG_SOCKET)
		mnl_attr_put_strz(nlh, IFLA_MEMIF_SOCKET, a->socket);
	if (a->set & MEMIF_ARG_ID)
		mnl_attr_put_u32(nlh, IFLA_MEMIF_ID, a->id);
	if (a->set & MEMIF_ARG_SECRET)
		mnl_attr_put_strz(nlh, IFLA_MEMIF_SECRET, a->secret);
	if (a->set & MEMIF_ARG_MODE)
		mnl_attr_put_u8(nlh, IFLA_MEMIF_MODE, a->mode);
	if (a->set & MEMIF_ARG_RING_SIZE)
		mnl_attr_put_u8(nlh, IFLA_MEMIF_LOG2_RING_SIZE,
				a->log2_ring_size);
	if (a->set & MEMIF_ARG_BUFFER_SIZE)
		mnl_attr_put_u32(nlh, IFLA_MEMIF_BUFFER_SIZE, a->buffer_size);
	if (a->set & MEMIF_ARG_OFFLOADS)
		mnl_attr_put_u8(nlh, IFLA_MEMIF_OFFLOADS, a->offloads);
	mnl_attr_nest_end(nlh, data);
}

static int cmd_add(const char *name, int argc, char **argv)
{
	char buf[REQ_SIZE] __aligned(8);
	struct nlattr *linkinfo;
	struct memif_args a;
	struct nlmsghdr *nlh;
	char msg[256];
	struct nl nl;
	int err;

	if (!valid_ifname(name))
		return usage_error(usage_add, "invalid interface name \"%s\"",
				   name);
	if (memif_args_parse(argc, argv, &a, msg, sizeof(msg)))
		return usage_error(usage_add, "%s", msg);

	nlh = put_link_header(buf, RTM_NEWLINK,
			      NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (a.set & MEMIF_ARG_QUEUES) {
		mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, a.queues);
		mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, a.queues);
	}
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, MEMIF_KIND);
	if (a.set & ~MEMIF_ARG_QUEUES)
		put_memif_data(nlh, &a);
	mnl_attr_nest_end(nlh, linkinfo);

	err = nl_open(&nl);
	if (err)
		return error("cannot open rtnetlink socket: %s",
			     strerror(-err));
	err = nl_talk(&nl, nlh, NULL, NULL);
	if (err == -EEXIST && !nl.ext_msg[0] && if_nametoindex(name)) {
		error("%s: device \"%s\" already exists", strerror(-err),
		      name);
		nl_close(&nl);
		return EXIT_ERR;
	}
	if (err) {
		nl_error(&nl, err);
		if (err == -EOPNOTSUPP &&
		    (!nl.ext_msg[0] ||
		     !strcmp(nl.ext_msg, "Unknown device type")))
			error("is the memif module loaded? (modprobe memif)");
		nl_close(&nl);
		return EXIT_ERR;
	}
	nl_warning(&nl);
	nl_close(&nl);
	return EXIT_OK;
}

/*
 * Change the settings of an existing memif link: RTM_NEWLINK on its
 * ifindex, without NLM_F_CREATE, with the settings given and no others.
 * The kernel takes them only while the link is down and never changes
 * its mode; its message says why it refused.
 */
/*
 * Open rtnetlink in @nl and look @name up into @list: it must be a memif
 * link.  Returns 0, or -1 after saying why, with @nl closed and @list
 * freed.
 */
static int find_memif(struct nl *nl, const char *name, struct link_list *list)
{
	int err;

	err = nl_open(nl);
	if (err) {
		error("cannot open rtnetlink socket: %s", strerror(-err));
		return -1;
	}
	if (get_link(nl, name, list))
		goto fail;
	if (!is_memif(&list->v[0])) {
		not_memif(&list->v[0], name);
		goto fail;
	}
	return 0;
fail:
	link_list_free(list);
	nl_close(nl);
	return -1;
}

/* Send @nlh, a request about the link @name; say why it failed, if so. */
static int talk_link(struct nl *nl, struct nlmsghdr *nlh, const char *name)
{
	int err = nl_talk(nl, nlh, NULL, NULL);

	if (err == -ENODEV)
		error("device \"%s\" does not exist", name);
	else if (err)
		nl_error(nl, err);
	return err;
}

static int cmd_set(const char *name, int argc, char **argv)
{
	char buf[REQ_SIZE] __aligned(8);
	struct link_list list = { 0 };
	struct nlattr *linkinfo;
	struct memif_args a;
	struct nlmsghdr *nlh;
	int ret = EXIT_ERR;
	char msg[256];
	struct nl nl;
	int err;

	if (!valid_ifname(name))
		return usage_error(usage_set, "invalid interface name \"%s\"",
				   name);
	if (memif_args_parse(argc, argv, &a, msg, sizeof(msg)))
		return usage_error(usage_set, "%s", msg);
	/* The device's queues are allocated once, when it is created. */
	if (a.set & MEMIF_ARG_QUEUES)
		return usage_error(usage_set,
				   "queues cannot be changed: delete the link and add it again");
	if (!a.set)
		return usage_error(usage_set, "nothing to change");
	if (find_memif(&nl, name, &list))
		return EXIT_ERR;

	/* By index: change the very link that was checked. */
	nlh = put_link_header(buf, RTM_NEWLINK, NLM_F_ACK, list.v[0].ifindex);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, MEMIF_KIND);
	put_memif_data(nlh, &a);
	mnl_attr_nest_end(nlh, linkinfo);

	err = talk_link(&nl, nlh, name);
	if (err) {
		/* Hints for kernels that say no more than the errno. */
		if (err == -EBUSY && !nl.ext_msg[0])
			error("bring the link down first: ip link set dev %s down",
			      name);
		else if (err == -EOPNOTSUPP && !nl.ext_msg[0])
			error("this memif module cannot change a link: delete it and add it again");
		goto out;
	}
	nl_warning(&nl);
	ret = EXIT_OK;
out:
	link_list_free(&list);
	nl_close(&nl);
	return ret;
}

static int cmd_del(const char *name)
{
	char buf[REQ_SIZE] __aligned(8);
	struct link_list list = { 0 };
	struct nlmsghdr *nlh;
	int ret = EXIT_ERR;
	struct nl nl;

	if (!valid_ifname(name))
		return usage_error(usage_del, "invalid interface name \"%s\"",
				   name);
	if (find_memif(&nl, name, &list))
		return EXIT_ERR;

	/* By index: delete the very link that was checked. */
	nlh = put_link_header(buf, RTM_DELLINK, NLM_F_ACK, list.v[0].ifindex);
	if (talk_link(&nl, nlh, name))
		goto out;
	nl_warning(&nl);
	ret = EXIT_OK;
out:
	link_list_free(&list);
	nl_close(&nl);
	return ret;
}

/* All memif links, in a fresh dump; returns 0 or -errno. */
static int dump_memif_links(struct link_list *list)
{
	char buf[REQ_SIZE] __aligned(8);
	struct nlmsghdr *nlh;
	struct nl nl;
	int err;

	err = nl_open(&nl);
	if (err) {
		error("cannot open rtnetlink socket: %s", strerror(-err));
		return err;
	}
	nlh = put_link_header(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	/*
	 * With a filter mask, the kernel sizes each dump message for the
	 * largest link; without, to NLMSG_GOODSIZE, and newer kernels (6.12)
	 * trim their buffer to that: a link with hundreds of rings would not
	 * fit.  Statistics are not shown, so skip them.
	 */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	list->memif_only = true;
	err = nl_talk(&nl, nlh, link_cb, list);
	if (err && err != -EINTR)
		nl_error(&nl, err);
	nl_close(&nl);
	return err;
}

/* ------------------------------------------------------------------ */
/* Output */

static const char *const operstate_names[] = {
	/* RFC 2863 operational states, IF_OPER_* */
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
	"DORMANT", "UP",
};

/* @name, or "unknown(N)" in @buf when NULL */
static const char *name_or_num(const char *name, unsigned int v, char *buf,
			       size_t len)
{
	if (name)
		return name;
	snprintf(buf, len, "unknown(%u)", v);
	return buf;
}

static const char *operstate_str(const struct link *l, char *buf, size_t len)
{
	if (!l->has_operstate)
		return NULL;
	return name_or_num(l->operstate < ARRAY_SIZE(operstate_names) ?
			   operstate_names[l->operstate] : NULL,
			   l->operstate, buf, len);
}

static const char *role_str(const struct link *l, char *buf, size_t len)
{
	if (!HAVE(l, IFLA_MEMIF_ROLE))
		return NULL;
	return name_or_num(memif_role_name(l->role), l->role, buf, len);
}

static const char *state_str(const struct link *l, char *buf, size_t len)
{
	if (!HAVE(l, IFLA_MEMIF_STATE))
		return NULL;
	return name_or_num(memif_state_name(l->state), l->state, buf, len);
}

static const char *mode_str(const struct link *l, char *buf, size_t len)
{
	if (!HAVE(l, IFLA_MEMIF_MODE))
		return NULL;
	return name_or_num(memif_mode_name(l->mode), l->mode, buf, len);
}

/* Whose frames carry a virtio_net_hdr while connected: "tx,rx", ... */
static const char *run_offloads_str(const struct link *l)
{
	if (!HAVE(l, IFLA_MEMIF_RUN_OFFLOADS))
		return NULL;
	return memif_run_offloads_name(l->run_offloads);
}

/* 1 << log2 for a ring size attribute, 0 if out of range */
static unsigned long ring_size(uint8_t log2)
{
	return log2 < 32 ? 1ul << log2 : 0;
}

static const char *ring_dir_str(const struct link_ring *r, char *buf,
				size_t len)
{
	if (!HAVE(r, IFLA_MEMIF_RING_DIR))
		return NULL;
	return name_or_num(memif_ring_dir_name(r->dir), r->dir, buf, len);
}

/*
 * Does link @l transmit on ring @r?  1 yes, 0 no (it receives), -1 not
 * known.  A client transmits on C2S rings, a server on S2C rings.
 */
static int ring_is_tx(const struct link *l, const struct link_ring *r)
{
	if (!HAVE(l, IFLA_MEMIF_ROLE) || l->role >= __MEMIF_ROLE_MAX ||
	    !HAVE(r, IFLA_MEMIF_RING_DIR) || r->dir >= __MEMIF_RING_DIR_MAX)
		return -1;
	return (l->role == MEMIF_ROLE_CLIENT) == (r->dir == MEMIF_RING_C2S);
}

/*
 * The interrupt mode the receiver of ring @r asked for: with
 * MEMIF_RING_FLAG_INT_MASKED it polls and the sender need not signal it.
 */
static const char *ring_int_mode(const struct link_ring *r)
{
	if (!HAVE(r, IFLA_MEMIF_RING_FLAGS))
		return NULL;
	return r->flags & MEMIF_RING_FLAG_INT_MASKED ? "polling" : "interrupt";
}

/* Length of the valid UTF-8 sequence at @s, 0 if there is none. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * Strings from the peer are untrusted: control characters (C0, DEL, C1)
 * and bytes that are not UTF-8 are printed as \xNN, and so is '\\'.
 */
static void put_safe(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	if (!s) {
		putchar('?');
		return;
	}
	while (*s) {
		if (*s < 0x80) {
			if (*s < 0x20 || *s == 0x7f || *s == '\\')
				printf("\\x%02x", *s);
			else
				putchar(*s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (n && !(s[0] == 0xc2 && s[1] < 0xa0)) {
			fwrite(s, 1, n, stdout);
			s += n;
		} else {
			printf("\\x%02x", *s++);
		}
	}
}

static void put_num(const char *label, bool have, unsigned long long v)
{
	if (have)
		printf("%s%llu", label, v);
	else
		printf("%s?", label);
}

static void put_str(const char *label, const char *s)
{
	fputs(label, stdout);
	put_safe(s);
}

/*
 *   regions:
 *     0: size 16512
 */
static void print_regions_text(const struct link *l)
{
	const struct link_region *r;
	size_t i;

	if (!l->n_regions)
		return;
	puts("  regions:");
	for (i = 0; i < l->n_regions; i++) {
		r = &l->regions[i];
		put_num("    ", HAVE(r, IFLA_MEMIF_REGION_INDEX), r->index);
		put_num(": size ", HAVE(r, IFLA_MEMIF_REGION_SIZE), r->size);
		putchar('\n');
	}
}

/*
 *   rings:
 *     c2s queue 0 (tx): size 1024 buffer-size 2048 region 0 offset 0
 *       head 1057 tail 33 flags 0x1 (polling)
 *
 * buffer-size only where the kernel knows it (a client).
 */
static void print_rings_text(const struct link *l)
{
	const struct link_ring *r;
	char buf[32];
	size_t i;
	int tx;

	if (!l->n_rings)
		return;
	puts("  rings:");
	for (i = 0; i < l->n_rings; i++) {
		r = &l->rings[i];
		put_str("    ", ring_dir_str(r, buf, sizeof(buf)));
		put_num(" queue ", HAVE(r, IFLA_MEMIF_RING_QUEUE), r->queue);
		tx = ring_is_tx(l, r);
		if (tx >= 0)
			fputs(tx ? " (tx)" : " (rx)", stdout);
		put_num(": size ", HAVE(r, IFLA_MEMIF_RING_LOG2_SIZE),
			ring_size(r->log2_size));
		if (HAVE(r, IFLA_MEMIF_RING_BUFFER_SIZE))
			put_num(" buffer-size ", true, r->buffer_size);
		put_num(" region ", HAVE(r, IFLA_MEMIF_RING_REGION), r->region);
		put_num(" offset ", HAVE(r, IFLA_MEMIF_RING_OFFSET), r->offset);
		putchar('\n');
		put_num("      head ", HAVE(r, IFLA_MEMIF_RING_HEAD), r->head);
		put_num(" tail ", HAVE(r, IFLA_MEMIF_RING_TAIL), r->tail);
		if (HAVE(r, IFLA_MEMIF_RING_FLAGS))
			printf(" flags 0x%x (%s)", r->flags, ring_int_mode(r));
		else
			fputs(" flags ?", stdout);
		putchar('\n');
	}
}

static void print_link_text(const struct link *l)
{
	char b1[32], b2[32];

	put_safe(l->name);
	put_str(": role ", role_str(l, b1, sizeof(b1)));
	put_str(", state ", state_str(l, b2, sizeof(b2)));
	putchar('\n');

	printf("  ifindex %d", l->ifindex);
	put_num(" mtu ", l->has_mtu, l->mtu);
	printf(" admin %s", l->flags & IFF_UP ? "up" : "down");
	put_str(" operstate ", operstate_str(l, b1, sizeof(b1)));
	put_str(" carrier ", !l->has_carrier ? NULL :
				 l->carrier ? "on" : "off");
	putchar('\n');

	put_str("  socket ", l->socket);
	put_num(" id ", HAVE(l, IFLA_MEMIF_ID), l->id);
	put_str(" mode ", mode_str(l, b1, sizeof(b1)));
	putchar('\n');

	put_num("  ring-size ", HAVE(l, IFLA_MEMIF_LOG2_RING_SIZE),
		ring_size(l->log2_ring_size));
	put_num(" buffer-size ", HAVE(l, IFLA_MEMIF_BUFFER_SIZE),
		l->buffer_size);
	put_num(" queues ", l->has_txq, l->txq);
	put_num("/", l->has_rxq, l->rxq);
	put_str(" secret ", !HAVE(l, IFLA_MEMIF_HAS_SECRET) ? NULL :
				l->has_secret ? "yes" : "no");
	put_str(" offloads ", !HAVE(l, IFLA_MEMIF_OFFLOADS) ? NULL :
				  l->offloads ? "on" : "off");
	putchar('\n');

	if (HAVE(l, IFLA_MEMIF_NUM_S2C_RINGS) ||
	    HAVE(l, IFLA_MEMIF_NUM_C2S_RINGS) ||
	    HAVE(l, IFLA_MEMIF_RUN_LOG2_RING_SIZE) ||
	    HAVE(l, IFLA_MEMIF_RUN_OFFLOADS)) {
		put_num("  negotiated: s2c-rings ",
			HAVE(l, IFLA_MEMIF_NUM_S2C_RINGS), l->s2c_rings);
		put_num(" c2s-rings ", HAVE(l, IFLA_MEMIF_NUM_C2S_RINGS),
			l->c2s_rings);
		put_num(" ring-size ", HAVE(l, IFLA_MEMIF_RUN_LOG2_RING_SIZE),
			ring_size(l->run_log2_ring_size));
		put_str(" offloads ", run_offloads_str(l));
		putchar('\n');
	}
	if (l->peer_name || l->peer_app) {
		put_str("  peer ", l->peer_name);
		if (l->peer_app)
			put_str(" (", l->peer_app);
		fputs(l->peer_app ? ")\n" : "\n", stdout);
	}
	if (l->disc_reason && l->disc_reason[0]) {
		put_str("  last disconnect: ", l->disc_reason);
		putchar('\n');
	}
	print_regions_text(l);
	print_rings_text(l);
}

/* A JSON string; invalid UTF-8 becomes U+FFFD, controls are escaped. */
static void json_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	putchar('"');
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\b':
			fputs("\\b", stdout);
			break;
		case '\f':
			fputs("\\f", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				printf("\\u%04x", *s);
			} else if (*s < 0x80) {
				putchar(*s);
			} else {
				n = utf8_len(s);
				if (!n) {
					fputs("\\ufffd", stdout);
					break;
				}
				if (s[0] == 0xc2 && s[1] < 0xa0)
					printf("\\u%04x", s[1]);	/* C1 */
				else
					fwrite(s, 1, n, stdout);
				s += n;
				continue;
			}
		}
		s++;
	}
	putchar('"');
}

struct json_obj {
	bool first;
};

static void json_key(struct json_obj *o, const char *key)
{
	printf("%s\"%s\":", o->first ? "" : ",", key);
	o->first = false;
}

static void json_str(struct json_obj *o, const char *key, const char *val)
{
	json_key(o, key);
	if (val)
		json_string(val);
	else
		fputs("null", stdout);
}

static void json_num(struct json_obj *o, const char *key, bool have,
		     unsigned long long v)
{
	json_key(o, key);
	if (have)
		printf("%llu", v);
	else
		fputs("null", stdout);
}

static void json_bool(struct json_obj *o, const char *key, bool have, bool v)
{
	json_key(o, key);
	fputs(!have ? "null" : v ? "true" : "false", stdout);
}

static void print_regions_json(const struct link *l)
{
	const struct link_region *r;
	struct json_obj o;
	size_t i;

	putchar('[');
	for (i = 0; i < l->n_regions; i++) {
		r = &l->regions[i];
		o.first = true;
		fputs(i ? ",{" : "{", stdout);
		json_num(&o, "index", HAVE(r, IFLA_MEMIF_REGION_INDEX),
			 r->index);
		json_num(&o, "size", HAVE(r, IFLA_MEMIF_REGION_SIZE), r->size);
		putchar('}');
	}
	putchar(']');
}

static void print_rings_json(const struct link *l)
{
	const struct link_ring *r;
	struct json_obj o;
	char buf[32];
	size_t i;
	int tx;

	putchar('[');
	for (i = 0; i < l->n_rings; i++) {
		r = &l->rings[i];
		o.first = true;
		tx = ring_is_tx(l, r);
		fputs(i ? ",{" : "{", stdout);
		json_str(&o, "dir", ring_dir_str(r, buf, sizeof(buf)));
		json_num(&o, "queue", HAVE(r, IFLA_MEMIF_RING_QUEUE), r->queue);
		json_bool(&o, "tx", tx >= 0, tx > 0);
		json_num(&o, "size", HAVE(r, IFLA_MEMIF_RING_LOG2_SIZE),
			 ring_size(r->log2_size));
		json_num(&o, "buffer_size",
			 HAVE(r, IFLA_MEMIF_RING_BUFFER_SIZE), r->buffer_size);
		json_num(&o, "region", HAVE(r, IFLA_MEMIF_RING_REGION),
			 r->region);
		json_num(&o, "offset", HAVE(r, IFLA_MEMIF_RING_OFFSET),
			 r->offset);
		json_num(&o, "head", HAVE(r, IFLA_MEMIF_RING_HEAD), r->head);
		json_num(&o, "tail", HAVE(r, IFLA_MEMIF_RING_TAIL), r->tail);
		json_num(&o, "flags", HAVE(r, IFLA_MEMIF_RING_FLAGS), r->flags);
		json_str(&o, "interrupt_mode", ring_int_mode(r));
		putchar('}');
	}
	putchar(']');
}

static void print_link_json(const struct link *l)
{
	struct json_obj o = { .first = true };
	char buf[32];

	putchar('{');
	json_str(&o, "name", l->name);
	json_num(&o, "ifindex", true, l->ifindex);
	json_num(&o, "mtu", l->has_mtu, l->mtu);
	json_bool(&o, "admin_up", true, l->flags & IFF_UP);
	json_str(&o, "operstate", operstate_str(l, buf, sizeof(buf)));
	json_bool(&o, "carrier", l->has_carrier, l->carrier);
	json_str(&o, "role", role_str(l, buf, sizeof(buf)));
	json_str(&o, "state", state_str(l, buf, sizeof(buf)));
	json_str(&o, "socket", l->socket);
	json_num(&o, "id", HAVE(l, IFLA_MEMIF_ID), l->id);
	json_str(&o, "mode", mode_str(l, buf, sizeof(buf)));
	json_num(&o, "ring_size", HAVE(l, IFLA_MEMIF_LOG2_RING_SIZE),
		 ring_size(l->log2_ring_size));
	json_num(&o, "buffer_size", HAVE(l, IFLA_MEMIF_BUFFER_SIZE),
		 l->buffer_size);
	json_num(&o, "num_tx_queues", l->has_txq, l->txq);
	json_num(&o, "num_rx_queues", l->has_rxq, l->rxq);
	json_bool(&o, "has_secret", HAVE(l, IFLA_MEMIF_HAS_SECRET),
		  l->has_secret);
	json_bool(&o, "offloads", HAVE(l, IFLA_MEMIF_OFFLOADS), l->offloads);
	json_str(&o, "peer_name", l->peer_name);
	json_str(&o, "peer_app", l->peer_app);
	json_str(&o, "disc_reason", l->disc_reason);
	json_num(&o, "s2c_rings", HAVE(l, IFLA_MEMIF_NUM_S2C_RINGS),
		 l->s2c_rings);
	json_num(&o, "c2s_rings", HAVE(l, IFLA_MEMIF_NUM_C2S_RINGS),
		 l->c2s_rings);
	json_num(&o, "run_ring_size", HAVE(l, IFLA_MEMIF_RUN_LOG2_RING_SIZE),
		 ring_size(l->run_log2_ring_size));
	json_bool(&o, "run_offloads_tx", HAVE(l, IFLA_MEMIF_RUN_OFFLOADS),
		  l->run_offloads & MEMIF_OFFLOAD_TX);
	json_bool(&o, "run_offloads_rx", HAVE(l, IFLA_MEMIF_RUN_OFFLOADS),
		  l->run_offloads & MEMIF_OFFLOAD_RX);
	/* Arrays even when empty: a script can always iterate over them. */
	json_key(&o, "regions");
	print_regions_json(l);
	json_key(&o, "rings");
	print_rings_json(l);
	putchar('}');
}

static void print_links(const struct link_list *list, bool json)
{
	size_t i;

	if (json)
		putchar('[');
	for (i = 0; i < list->n; i++) {
		if (json) {
			if (i)
				putchar(',');
			print_link_json(&list->v[i]);
		} else {
			print_link_text(&list->v[i]);
		}
	}
	if (json)
		puts("]");
}

static int cmd_show(const char *name, bool json)
{
	struct link_list list = { 0 };
	int ret = EXIT_ERR;
	struct nl nl;
	int err, tries;

	if (name) {
		if (!valid_ifname(name))
			return usage_error(usage_show,
					   "invalid interface name \"%s\"",
					   name);
		err = nl_open(&nl);
		if (err)
			return error("cannot open rtnetlink socket: %s",
				     strerror(-err));
		err = get_link(&nl, name, &list);
		nl_close(&nl);
		if (err)
			goto out;
		if (!is_memif(&list.v[0])) {
			not_memif(&list.v[0], name);
			goto out;
		}
	} else {
		/* A dump interrupted by a change is redone. */
		for (tries = 0; ; tries++) {
			err = dump_memif_links(&list);
			if (err != -EINTR)
				break;
			link_list_free(&list);
			if (tries == 4) {
				error("link dump interrupted too often");
				goto out;
			}
		}
		if (err)
			goto out;
	}

	print_links(&list, json);
	if (fflush(stdout) || ferror(stdout)) {
		error("write error: %s", strerror(errno));
		goto out;
	}
	ret = EXIT_OK;
out:
	link_list_free(&list);
	return ret;
}

/* ------------------------------------------------------------------ */

static bool is_json_opt(const char *s)
{
	return !strcmp(s, "-j") || !strcmp(s, "--json");
}

int main(int argc, char **argv)
{
	const char *cmd, *name = NULL;
	bool json = false;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (is_json_opt(opt)) {
			json = true;
			continue;
		}
		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage(stdout);
			return EXIT_OK;
		}
		if (!strcmp(opt, "--version")) {
			printf("memifctl %s\n", MEMIF_VERSION);
			return EXIT_OK;
		}
		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		return usage_error(NULL, "unknown option \"%s\"", opt);
	}
	if (i >= argc)
		return usage_error(NULL, "missing command");
	cmd = argv[i++];

	if (!strcmp(cmd, "add")) {
		if (i >= argc)
			return usage_error(usage_add, "missing NAME");
		return cmd_add(argv[i], argc - i - 1, argv + i + 1);
	}
	if (!strcmp(cmd, "set")) {
		if (i >= argc)
			return usage_error(usage_set, "missing NAME");
		return cmd_set(argv[i], argc - i - 1, argv + i + 1);
	}
	if (!strcmp(cmd, "del") || !strcmp(cmd, "delete")) {
		if (i >= argc)
			return usage_error(usage_del, "missing NAME");
		if (i + 1 < argc)
			return usage_error(usage_del,
					   "unexpected argument \"%s\"",
					   argv[i + 1]);
		return cmd_del(argv[i]);
	}
	if (!strcmp(cmd, "show")) {
		for (; i < argc; i++) {
			if (is_json_opt(argv[i]))
				json = true;
			else if (!name)
				name = argv[i];
			else
				return usage_error(usage_show,
						   "unexpected argument \"%s\"",
						   argv[i]);
		}
		return cmd_show(name, json);
	}
	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	return usage_error(NULL, "unknown command \"%s\"", cmd);
}
