// SPDX-License-Identifier: GPL-2.0
/*
 * iproute2 link plugin for memif links: lets Debian's own ip(8) take the
 * memif options, so that no other tool is needed to create, change and
 * show a memif link:
 *
 *	ip link add m0 type memif role client socket /run/vpp/memif.sock id 0
 *	ip link set dev m0 type memif ring-size 2048	(while m0 is down)
 *	ip -d link show m0
 *	ip link help memif
 *
 * ip loads link_memif.so from $IP_LIB_DIR and uses memif_link_util; see
 * ip_abi.h.  The options are parsed by tools/common/memif_args.c, built
 * into the plugin, so ip and memifctl accept exactly the same words and
 * values and print the same messages for them.  The attributes are
 * documented in <linux/if_memif.h>.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/if_memif.h>
#include <linux/rtnetlink.h>

#include "ip_abi.h"
#include "memif_args.h"

#define __always_unused	__attribute__((unused))
#define __visible	__attribute__((visibility("default")))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * ip's request buffer (struct iplink_req) has 1024 bytes after the
 * ifinfomsg; like ip's own link types we bound the whole message by that.
 * The memif attributes take less than 300 bytes.
 */
#define REQ_MAX		1024

/* A socket path, peer names and reasons are shorter than this. */
#define STR_MAX		256

#define RING_SIZE_MIN	(1u << MEMIF_LOG2_RING_SIZE_MIN)
#define RING_SIZE_MAX	(1u << MEMIF_LOG2_RING_SIZE_MAX)
#define RING_SIZE_DEF	(1u << MEMIF_LOG2_RING_SIZE_DEFAULT)

static void print_usage(FILE *f)
{
	char min[24], max[24], def[24];

	fprintf(f,
		"Usage: ip link add [ NAME ] [ numtxqueues N numrxqueues N ] type memif\n"
		"                   [ role { client | server } ] [ socket SOCKET ] [ id ID ]\n"
		"                   [ secret SECRET ] [ mode { ethernet | ip } ]\n"
		"                   [ ring-size SLOTS ] [ buffer-size BYTES ]\n"
		"                   [ offloads { on | off } ] [ max-memory SIZE ]\n"
		"                   [ socket-uid USER ] [ socket-gid GROUP ]\n"
		"                   [ socket-mode MODE ]\n"
		"                   [ peer-uid USER ] [ peer-gid GROUP ]\n"
		"                   [ cacheline { 64 | 128 } ]\n"
		"       ip link set dev NAME type memif [ OPTION VALUE ]...\n"
		"\n"
		"Where: role     client (alias slave, the default) connects to the socket\n"
		"                and creates the shared memory; server (alias master)\n"
		"                listens on it and maps the client's memory\n"
		"       SOCKET   the control socket: an absolute path, or @NAME for an\n"
		"                abstract socket; at most %d bytes; default %s\n"
		"       ID       interface id for the handshake, 0-%u; default 0\n"
		"       SECRET   at most %d bytes; default none; \"\" removes it\n"
		"       mode     ethernet (the default) or ip: no link-layer header\n"
		"       SLOTS    descriptors per ring, a power of two, %u-%u; default %u\n"
		"       BYTES    bytes per packet buffer, %d-%d; default %d\n"
		"       offloads on (the default): offer and accept TSO and checksum\n"
		"                offload when the peer is a memif link; off: never\n"
		"       SIZE     the most shared memory one connection may map or\n"
		"                allocate, bytes with K, M, G or T (1K = 1024),\n"
		"                %s-%s; default %s\n"
		"       socket-uid, socket-gid, socket-mode: owner, group and\n"
		"                permissions of a server's socket file (a path);\n"
		"                default: whoever adds or last sets the link, mode %04o\n"
		"       peer-uid, peer-gid: the only effective user and group id\n"
		"                the peer may have, in either role; default: any\n"
		"       USER     a user name or number, or none to clear it\n"
		"       GROUP    a group name or number, or none to clear it\n"
		"       MODE     octal, at most 0777\n"
		"       cacheline the cache line ring headers are laid out for: a\n"
		"                client uses it, a server only when the client's\n"
		"                rings do not tell; default %d (this CPU's)\n"
		"       N        queues in each direction, 1-%d; default 1; only when\n"
		"                the link is created, and given before \"type memif\"\n"
		"\n"
		"\"ip link set\" changes the options it gives, and only those, while the\n"
		"link is down; the mode cannot be changed.\n",
		MEMIF_SOCKET_MAX, MEMIF_SOCKET_DEFAULT, UINT32_MAX,
		MEMIF_SECRET_MAX, RING_SIZE_MIN, RING_SIZE_MAX, RING_SIZE_DEF,
		MEMIF_BUFFER_SIZE_MIN, MEMIF_BUFFER_SIZE_MAX,
		MEMIF_BUFFER_SIZE_DEFAULT,
		memif_format_size(MEMIF_MAX_MEMORY_MIN, min, sizeof(min)),
		memif_format_size(MEMIF_MAX_MEMORY_MAX, max, sizeof(max)),
		memif_format_size(MEMIF_MAX_MEMORY_DEFAULT, def, sizeof(def)),
		MEMIF_SOCKET_MODE_DEFAULT, MEMIF_CACHELINE_DEFAULT,
		MEMIF_MAX_QUEUES);
}

/* One setting, as an attribute of the open IFLA_INFO_DATA in @n. */
static int put_attr(void *n, uint16_t type, const void *data, size_t len)
{
	return addattr_l(n, REQ_MAX, type, data, len);
}

static int memif_parse_opt(struct link_util *lu __always_unused, int argc,
			   char **argv, struct nlmsghdr *n)
{
	char err[STR_MAX];
	struct memif_args a;
	int i;

	/*
	 * "help" and "queues" are taken care of here, where the parser
	 * would find a keyword.  The number of queues is a top-level
	 * attribute, outside the IFLA_INFO_DATA a plugin writes into, and
	 * ip has its own keywords for it.
	 */
	for (i = 0; i < argc; i += 2) {
		if (!strcmp(argv[i], "help")) {
			print_usage(stderr);
			return -1;
		}
		if (!strcmp(argv[i], "queues")) {
			fprintf(stderr,
				"Error: memif: \"queues\" is for memifctl; with ip, give \"numtxqueues N numrxqueues N\" before \"type memif\".\n");
			return -1;
		}
	}
	if (memif_args_parse(argc, argv, &a, err, sizeof(err))) {
		fprintf(stderr, "Error: memif: %s.\n", err);
		return -1;
	}
	/* An empty secret is sent as it is: it removes the link's secret. */
	return memif_args_put(&a, put_attr, n);
}

/*
 * Attribute readers: true and the value if the attribute is there and
 * long enough.  The kernel sends what <linux/if_memif.h> says, but ip
 * hands over the attributes unchecked.
 */
static bool get_u8(struct rtattr *tb[], int type, unsigned int *v)
{
	if (!tb[type] || RTA_PAYLOAD(tb[type]) < sizeof(__u8))
		return false;
	*v = *(__u8 *)RTA_DATA(tb[type]);
	return true;
}

static bool get_u16(struct rtattr *tb[], int type, unsigned int *v)
{
	if (!tb[type] || RTA_PAYLOAD(tb[type]) < sizeof(__u16))
		return false;
	*v = *(__u16 *)RTA_DATA(tb[type]);
	return true;
}

static bool get_u32(struct rtattr *tb[], int type, unsigned int *v)
{
	if (!tb[type] || RTA_PAYLOAD(tb[type]) < sizeof(__u32))
		return false;
	*v = *(__u32 *)RTA_DATA(tb[type]);
	return true;
}

static bool get_u64(struct rtattr *tb[], int type, __u64 *v)
{
	if (!tb[type] || RTA_PAYLOAD(tb[type]) < sizeof(__u64))
		return false;
	/* only 4-byte aligned when the kernel added no IFLA_MEMIF_PAD */
	memcpy(v, RTA_DATA(tb[type]), sizeof(*v));
	return true;
}

/* A string attribute, NULL if absent or not NUL-terminated. */
static const char *get_str(struct rtattr *tb[], int type)
{
	const char *s;

	if (!tb[type])
		return NULL;
	s = RTA_DATA(tb[type]);
	if (!memchr(s, '\0', RTA_PAYLOAD(tb[type])))
		return NULL;
	return s;
}

/*
 * Length of the printable UTF-8 character at @s, 0 for a control
 * character (C0, DEL, C1) or a byte that does not start a well-formed
 * sequence.
 */
static size_t utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], cp, n, i;

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	/* a NUL ends the loop as a bad continuation byte */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < 0xa0 || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * Copy @str to @out with every control character and every byte that is
 * not valid UTF-8 replaced by '?'.  The kernel already does so with what
 * a peer sends, but neither a terminal nor a JSON parser should depend on
 * it: ip passes strings through to JSON as they are.
 */
static void sanitize(char *out, size_t outlen, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t o = 0, n;

	while (*s && o + 1 < outlen) {
		n = utf8_len(s);
		if (!n) {
			out[o++] = '?';
			s++;
			continue;
		}
		if (o + n >= outlen)
			break;
		memcpy(out + o, s, n);
		o += n;
		s += n;
	}
	out[o] = '\0';
}

/*
 * A free-form string: as it is in JSON; in text double-quoted when it is
 * empty or has blanks, quotes or backslashes, which peer names and
 * reasons usually do, so that the line still splits into words.
 */
static void print_str(const char *key, const char *label, const char *str)
{
	char clean[STR_MAX], text[2 * STR_MAX + 3];
	size_t o = 0;
	const char *s;

	sanitize(clean, sizeof(clean), str);
	print_color_string(PRINT_JSON, COLOR_NONE, key, NULL, clean);
	if (is_json_context())
		return;
	if (clean[0] && !strpbrk(clean, " \"\\")) {
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ", label);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ", clean);
		return;
	}
	text[o++] = '"';
	for (s = clean; *s; s++) {
		if (*s == '"' || *s == '\\')
			text[o++] = '\\';
		text[o++] = *s;
	}
	text[o++] = '"';
	text[o] = '\0';
	print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ", label);
	print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ", text);
}

/*
 * An enum by name, with @fmt the text format ("role %s "); "unknown(N)"
 * for a value newer than this plugin.
 */
static void print_name(const char *key, const char *fmt, const char *name,
		       unsigned int v)
{
	char buf[32];

	if (!name) {
		snprintf(buf, sizeof(buf), "unknown(%u)", v);
		name = buf;
	}
	print_color_string(PRINT_ANY, COLOR_NONE, key, fmt, name);
}

static void print_uint(const char *key, const char *fmt, unsigned int v)
{
	print_color_uint(PRINT_ANY, COLOR_NONE, key, fmt, v);
}

/*
 * memif_state_name() is prose ("waiting for peer"); ip's output wants one
 * word, the same in text and JSON.
 */
static const char *const state_words[] = {
	[MEMIF_STATE_DOWN] = "down",
	[MEMIF_STATE_WAITING] = "waiting",
	[MEMIF_STATE_HANDSHAKE] = "handshake",
	[MEMIF_STATE_CONNECTED] = "connected",
};

static const char *state_word(unsigned int state)
{
	if (state < ARRAY_SIZE(state_words))
		return state_words[state];
	return NULL;
}

/* The number of slots of a ring of 2^log2 slots. */
static unsigned int ring_slots(unsigned int log2)
{
	return log2 < 32 ? 1u << log2 : 0;
}

/*
 * One line, "memif role client socket /run/vpp/memif.sock id 0 ...", in
 * the order of the options of "ip link add", then the connection.  JSON
 * keys are the same words in snake_case; "secret" and "offloads" are
 * booleans there, and "run-offloads tx,rx" is two, "run_offloads_tx"
 * and "run_offloads_rx"; "max_memory" is a number of bytes ("1G" in
 * text), "socket_mode" a string of octal digits.  IFLA_MEMIF_REGIONS and
 * IFLA_MEMIF_RINGS are left to memifctl.
 */
static void memif_print_opt(struct link_util *lu __always_unused,
			    FILE *f __always_unused, struct rtattr *tb[])
{
	const char *s;
	unsigned int v;
	char buf[24];
	__u64 v64;

	if (!tb)
		return;
	if (get_u8(tb, IFLA_MEMIF_ROLE, &v))
		print_name("role", "role %s ", memif_role_name(v), v);
	s = get_str(tb, IFLA_MEMIF_SOCKET);
	if (s)
		print_str("socket", "socket", s);
	if (get_u32(tb, IFLA_MEMIF_ID, &v))
		print_uint("id", "id %u ", v);
	if (get_u8(tb, IFLA_MEMIF_MODE, &v))
		print_name("mode", "mode %s ", memif_mode_name(v), v);
	if (get_u8(tb, IFLA_MEMIF_LOG2_RING_SIZE, &v))
		print_uint("ring_size", "ring-size %u ", ring_slots(v));
	if (get_u32(tb, IFLA_MEMIF_BUFFER_SIZE, &v))
		print_uint("buffer_size", "buffer-size %u ", v);
	/* The secret itself is never dumped, only whether there is one. */
	if (get_u8(tb, IFLA_MEMIF_HAS_SECRET, &v)) {
		print_color_bool(PRINT_JSON, COLOR_NONE, "secret", NULL, v);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "secret %s ",
				   v ? "yes" : "no");
	}
	if (get_u8(tb, IFLA_MEMIF_OFFLOADS, &v)) {
		print_color_bool(PRINT_JSON, COLOR_NONE, "offloads", NULL, v);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "offloads %s ",
				   v ? "on" : "off");
	}
	if (get_u64(tb, IFLA_MEMIF_MAX_MEMORY, &v64)) {
		print_color_u64(PRINT_JSON, COLOR_NONE, "max_memory", NULL, v64);
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "max-memory %s ",
				   memif_format_size(v64, buf, sizeof(buf)));
	}
	if (get_u16(tb, IFLA_MEMIF_SOCKET_MODE, &v)) {
		snprintf(buf, sizeof(buf), "%04o", v);
		print_color_string(PRINT_ANY, COLOR_NONE, "socket_mode",
				   "socket-mode %s ", buf);
	}
	if (get_u16(tb, IFLA_MEMIF_CACHELINE, &v))
		print_uint("cacheline", "cacheline %u ", v);
	/* Reported only when set. */
	if (get_u32(tb, IFLA_MEMIF_SOCKET_UID, &v))
		print_uint("socket_uid", "socket-uid %u ", v);
	if (get_u32(tb, IFLA_MEMIF_SOCKET_GID, &v))
		print_uint("socket_gid", "socket-gid %u ", v);
	if (get_u32(tb, IFLA_MEMIF_PEER_UID, &v))
		print_uint("peer_uid", "peer-uid %u ", v);
	if (get_u32(tb, IFLA_MEMIF_PEER_GID, &v))
		print_uint("peer_gid", "peer-gid %u ", v);
	if (get_u8(tb, IFLA_MEMIF_STATE, &v))
		print_name("state", "state %s ", state_word(v), v);
	s = get_str(tb, IFLA_MEMIF_PEER_NAME);
	if (s)
		print_str("peer_name", "peer-name", s);
	s = get_str(tb, IFLA_MEMIF_PEER_APP);
	if (s)
		print_str("peer_app", "peer-app", s);
	if (get_u16(tb, IFLA_MEMIF_NUM_C2S_RINGS, &v))
		print_uint("c2s_rings", "c2s-rings %u ", v);
	if (get_u16(tb, IFLA_MEMIF_NUM_S2C_RINGS, &v))
		print_uint("s2c_rings", "s2c-rings %u ", v);
	if (get_u8(tb, IFLA_MEMIF_RUN_LOG2_RING_SIZE, &v))
		print_uint("run_ring_size", "run-ring-size %u ", ring_slots(v));
	if (get_u16(tb, IFLA_MEMIF_RUN_CACHELINE, &v))
		print_uint("run_cacheline", "run-cacheline %u ", v);
	/* Whose frames carry a virtio_net_hdr, while connected. */
	if (get_u8(tb, IFLA_MEMIF_RUN_OFFLOADS, &v)) {
		print_color_bool(PRINT_JSON, COLOR_NONE, "run_offloads_tx", NULL,
				 v & MEMIF_OFFLOAD_TX);
		print_color_bool(PRINT_JSON, COLOR_NONE, "run_offloads_rx", NULL,
				 v & MEMIF_OFFLOAD_RX);
		print_color_string(PRINT_FP, COLOR_NONE, NULL,
				   "run-offloads %s ",
				   memif_run_offloads_name(v));
	}
	s = get_str(tb, IFLA_MEMIF_DISC_REASON);
	if (s)
		print_str("disc_reason", "disc-reason", s);
}

static void memif_print_help(struct link_util *lu __always_unused,
			     int argc __always_unused,
			     char **argv __always_unused, FILE *f)
{
	print_usage(f);
}

/* ip links it into its list of plugins: not const. */
__visible struct link_util memif_link_util = {
	.id		= "memif",
	.maxattr	= IFLA_MEMIF_MAX,
	.parse_opt	= memif_parse_opt,
	.print_opt	= memif_print_opt,
	.print_help	= memif_print_help,
};
