// SPDX-License-Identifier: GPL-2.0
/*
 * memifctl: the fields of a link, its regions and its rings, each with
 * the attribute it comes from, where link.c stores it, and how text.c and
 * json.c show it.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <linux/if.h>
#include <linux/if_link.h>

#include <linux/if_memif.h>

#include "memif_args.h"
#include "memifctl.h"

/* The rows of the tables below: where a value comes from, where it goes. */
#define HDR(m, t)	.src = SRC_HDR, .type = MNL_TYPE_##t, \
			.off = offsetof(struct link, m)
#define LINK(a, m, t)	.src = SRC_LINK, .attr = IFLA_##a, \
			.type = MNL_TYPE_##t, .off = offsetof(struct link, m)
#define DATA(a, m, t)	.src = SRC_DATA, .attr = IFLA_MEMIF_##a, \
			.type = MNL_TYPE_##t, .off = offsetof(struct link, m)
#define REGION(a, m, t)	.src = SRC_DATA, .attr = IFLA_MEMIF_REGION_##a, \
			.type = MNL_TYPE_##t, \
			.off = offsetof(struct link_region, m)
#define RING(a, m, t)	.src = SRC_DATA, .attr = IFLA_MEMIF_RING_##a, \
			.type = MNL_TYPE_##t, .off = offsetof(struct link_ring, m)
/* How they are shown, when not as a number or a string. */
#define NAME(fn)	.fmt = FMT_NAME, .name = fn
#define BIT(m, y, n)	.fmt = FMT_BIT, .mask = m, .yes = y, .no = n
#define BOOL(y, n)	BIT(~0u, y, n)
#define OPT(e)		.flags = FIELD_OPT, .end = e

static const char *const operstate_names[] = {
	/* RFC 2863 operational states, IF_OPER_* */
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
	"DORMANT", "UP",
};

static const char *operstate_name(unsigned int v)
{
	return v < ARRAY_SIZE(operstate_names) ? operstate_names[v] : NULL;
}

/* The text lines of a link. */
enum {
	L_NAME,		/* memif0: role client, state connected */
	L_IF,		/* the netdevice */
	L_SOCKET,
	L_SIZES,
	L_LIMITS,
	L_RUN,		/* negotiated: ..., while connected */
	L_PEER,
	L_DISC,
	__L_MAX
};

/* In the order of JSON's keys; text has its lines. */
static const struct field link_field_v[] = {
	{ "name", "", L_NAME, LINK(IFNAME, name, STRING) },
	{ "ifindex", "  ifindex ", L_IF, HDR(ifindex, U32) },
	{ "mtu", " mtu ", L_IF, LINK(MTU, mtu, U32) },
	{ "admin_up", " admin ", L_IF, HDR(flags, U32),
	  BIT(IFF_UP, "up", "down") },
	{ "operstate", " operstate ", L_IF, LINK(OPERSTATE, operstate, U8),
	  NAME(operstate_name) },
	{ "carrier", " carrier ", L_IF, LINK(CARRIER, carrier, U8),
	  BOOL("on", "off") },
	{ "role", ": role ", L_NAME, DATA(ROLE, role, U8),
	  NAME(memif_role_name) },
	{ "state", ", state ", L_NAME, DATA(STATE, state, U8),
	  NAME(memif_state_name) },
	{ "socket", "  socket ", L_SOCKET, DATA(SOCKET, socket, STRING) },
	{ "id", " id ", L_SOCKET, DATA(ID, id, U32) },
	{ "mode", " mode ", L_SOCKET, DATA(MODE, mode, U8),
	  NAME(memif_mode_name) },
	{ "ring_size", "  ring-size ", L_SIZES,
	  DATA(LOG2_RING_SIZE, log2_ring_size, U8), .fmt = FMT_LOG2 },
	{ "buffer_size", " buffer-size ", L_SIZES,
	  DATA(BUFFER_SIZE, buffer_size, U32) },
	{ "num_tx_queues", " queues ", L_SIZES,
	  LINK(NUM_TX_QUEUES, txq, U32) },
	{ "num_rx_queues", "/", L_SIZES, LINK(NUM_RX_QUEUES, rxq, U32) },
	{ "has_secret", " secret ", L_SIZES, DATA(HAS_SECRET, has_secret, U8),
	  BOOL("yes", "no") },
	{ "offloads", " offloads ", L_SIZES, DATA(OFFLOADS, offloads, U8),
	  BOOL("on", "off") },
	{ "max_memory", "  max-memory ", L_LIMITS,
	  DATA(MAX_MEMORY, max_memory, U64), .fmt = FMT_SIZE },
	{ "socket_mode", " socket-mode ", L_LIMITS,
	  DATA(SOCKET_MODE, socket_mode, U16), .fmt = FMT_MODE },
	{ "cacheline", " cacheline ", L_LIMITS,
	  DATA(CACHELINE, cacheline, U16) },
	{ "socket_uid", " socket-uid ", L_LIMITS,
	  DATA(SOCKET_UID, socket_uid, U32), OPT(NULL) },
	{ "socket_gid", " socket-gid ", L_LIMITS,
	  DATA(SOCKET_GID, socket_gid, U32), OPT(NULL) },
	{ "peer_uid", " peer-uid ", L_LIMITS, DATA(PEER_UID, peer_uid, U32),
	  OPT(NULL) },
	{ "peer_gid", " peer-gid ", L_LIMITS, DATA(PEER_GID, peer_gid, U32),
	  OPT(NULL) },
	{ "peer_name", "  peer ", L_PEER, DATA(PEER_NAME, peer_name, STRING) },
	{ "peer_app", " (", L_PEER, DATA(PEER_APP, peer_app, STRING),
	  OPT(")") },
	{ "disc_reason", "  last disconnect: ", L_DISC,
	  DATA(DISC_REASON, disc_reason, STRING), .flags = FIELD_NONEMPTY },
	{ "s2c_rings", "  negotiated: s2c-rings ", L_RUN,
	  DATA(NUM_S2C_RINGS, s2c_rings, U16) },
	{ "c2s_rings", " c2s-rings ", L_RUN,
	  DATA(NUM_C2S_RINGS, c2s_rings, U16) },
	{ "run_ring_size", " ring-size ", L_RUN,
	  DATA(RUN_LOG2_RING_SIZE, run_log2_ring_size, U8), .fmt = FMT_LOG2 },
	{ "run_cacheline", " cacheline ", L_RUN,
	  DATA(RUN_CACHELINE, run_cacheline, U16) },
	/* which frames carry a virtio_net_hdr: two keys in JSON, one in text */
	{ "run_offloads_tx", NULL, L_RUN, DATA(RUN_OFFLOADS, run_offloads, U8),
	  BIT(MEMIF_OFFLOAD_TX, NULL, NULL) },
	{ "run_offloads_rx", NULL, L_RUN, DATA(RUN_OFFLOADS, run_offloads, U8),
	  BIT(MEMIF_OFFLOAD_RX, NULL, NULL) },
	{ NULL, " offloads ", L_RUN, DATA(RUN_OFFLOADS, run_offloads, U8),
	  .fmt = FMT_OFFLOADS },
};

const struct field_table link_fields = {
	.v = link_field_v,
	.n = ARRAY_SIZE(link_field_v),
	.size = sizeof(struct link),
	.lines = __L_MAX,
	.cond_lines = 1u << L_RUN | 1u << L_PEER | 1u << L_DISC,
};

/* "    0: size 16512" */
static const struct field region_field_v[] = {
	{ "index", "    ", 0, REGION(INDEX, index, U16) },
	{ "size", ": size ", 0, REGION(SIZE, size, U64) },
};

const struct field_table region_fields = {
	.v = region_field_v,
	.n = ARRAY_SIZE(region_field_v),
	.size = sizeof(struct link_region),
	.lines = 1,
};

/*
 *     c2s queue 0 (tx): size 1024 buffer-size 2048 region 0 offset 0
 *       head 1057 tail 33 flags 0x1 (polling)
 *
 * buffer-size only where the kernel knows it (a client).
 */
static const struct field ring_field_v[] = {
	{ "dir", "    ", 0, RING(DIR, dir, U8), NAME(memif_ring_dir_name) },
	{ "queue", " queue ", 0, RING(QUEUE, queue, U16) },
	{ "tx", " (", 0, RING(DIR, dir, U8), .fmt = FMT_TX, .yes = "tx",
	  .no = "rx", OPT(")") },
	{ "size", ": size ", 0, RING(LOG2_SIZE, log2_size, U8),
	  .fmt = FMT_LOG2 },
	{ "buffer_size", " buffer-size ", 0,
	  RING(BUFFER_SIZE, buffer_size, U32), OPT(NULL) },
	{ "region", " region ", 0, RING(REGION, region, U16) },
	{ "offset", " offset ", 0, RING(OFFSET, offset, U32) },
	{ "head", "      head ", 1, RING(HEAD, head, U16) },
	{ "tail", " tail ", 1, RING(TAIL, tail, U16) },
	{ "flags", " flags ", 1, RING(FLAGS, flags, U16), .fmt = FMT_HEX },
	{ "interrupt_mode", " (", 1, RING(FLAGS, flags, U16),
	  .fmt = FMT_INT_MODE, OPT(")") },
};

const struct field_table ring_fields = {
	.v = ring_field_v,
	.n = ARRAY_SIZE(ring_field_v),
	.size = sizeof(struct link_ring),
	.lines = 2,
};

/*
 * Does link @l transmit on ring @r?  1 yes, 0 no (it receives), -1 not
 * known.  A client transmits on C2S rings, a server on S2C rings.
 */
static int ring_is_tx(const struct link *l, const struct link_ring *r)
{
	if (!HAVE(l, SRC_DATA, IFLA_MEMIF_ROLE) || l->role >= __MEMIF_ROLE_MAX ||
	    !HAVE(r, SRC_DATA, IFLA_MEMIF_RING_DIR) ||
	    r->dir >= __MEMIF_RING_DIR_MAX)
		return -1;
	return (l->role == MEMIF_ROLE_CLIENT) == (r->dir == MEMIF_RING_C2S);
}

static uint64_t field_num(const struct field *f, const void *obj)
{
	const char *p = (const char *)obj + f->off;

	switch (f->type) {
	case MNL_TYPE_U8:
		return *(const uint8_t *)p;
	case MNL_TYPE_U16:
		return *(const uint16_t *)p;
	case MNL_TYPE_U32:
		return *(const uint32_t *)p;
	default:
		return *(const uint64_t *)p;
	}
}

static void set_str(struct field_val *v, const char *s)
{
	v->type = VAL_STR;
	v->str = s;
}

static void set_bool(struct field_val *v, bool b)
{
	v->type = VAL_BOOL;
	v->num = b;
}

void field_value(const struct field *f, const void *obj,
		 const struct link *l, struct field_val *v)
{
	const uint64_t *have = obj;	/* the objects start with have[] */
	uint64_t n;
	int tx;

	v->type = VAL_NONE;
	if (f->src != SRC_HDR && !(have[f->src] & 1ull << f->attr))
		return;
	if (f->type == MNL_TYPE_STRING) {
		set_str(v, *(char *const *)((const char *)obj + f->off));
		return;
	}
	n = field_num(f, obj);
	v->type = VAL_NUM;
	v->num = n;
	switch (f->fmt) {
	case FMT_NUM:
	case FMT_HEX:
	case FMT_SIZE:
		break;
	case FMT_LOG2:
		v->num = n < 32 ? 1ull << n : 0;
		break;
	case FMT_MODE:
		snprintf(v->buf, sizeof(v->buf), "%04llo",
			 (unsigned long long)n);
		set_str(v, v->buf);
		break;
	case FMT_NAME:
		set_str(v, f->name(n));
		if (!v->str) {
			snprintf(v->buf, sizeof(v->buf), "unknown(%llu)",
				 (unsigned long long)n);
			v->str = v->buf;
		}
		break;
	case FMT_BIT:
		set_bool(v, n & f->mask);
		break;
	case FMT_OFFLOADS:
		set_str(v, memif_run_offloads_name(n));
		break;
	case FMT_INT_MODE:
		/* the receiver polls and need not be signalled */
		set_str(v, n & MEMIF_RING_FLAG_INT_MASKED ? "polling" :
			"interrupt");
		break;
	case FMT_TX:
		tx = ring_is_tx(l, obj);
		if (tx < 0)
			v->type = VAL_NONE;
		else
			set_bool(v, tx);
		break;
	}
}

bool field_shown(const struct field *f, const struct field_val *v)
{
	if (v->type == VAL_NONE)
		return false;
	return !(f->flags & FIELD_NONEMPTY) || v->type != VAL_STR ||
	       v->str[0];
}

/*
 * The C library decodes UTF-8, in the C.UTF-8 locale whatever the
 * user's: it refuses overlong forms, surrogates and cut sequences.
 * Without that locale every byte above 0x7f counts as malformed.
 */
size_t utf8_char(const char *s, uint32_t *cp)
{
	static locale_t utf8;
	static bool tried;
	locale_t old;
	mbstate_t st;
	wchar_t wc;
	size_t n;

	if (!(*s & 0x80)) {
		*cp = (unsigned char)*s;
		return 1;
	}
	if (!tried) {
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		tried = true;
	}
	if (!utf8)
		return 0;
	memset(&st, 0, sizeof(st));
	old = uselocale(utf8);
	n = mbrtowc(&wc, s, strnlen(s, MB_LEN_MAX), &st);
	uselocale(old);
	if (n == (size_t)-1 || n == (size_t)-2 || (uint32_t)wc > 0x10ffff)
		return 0;
	*cp = (uint32_t)wc;
	return n;
}
