/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memifctl: what a link dump tells about a link (link.c), and the table
 * of its fields that says where each attribute goes and how it is shown
 * (fields.c), as text (text.c) and as JSON (json.c).
 */
#ifndef MEMIFCTL_H
#define MEMIFCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((aligned(x)))
#endif

#define MEMIF_KIND	"memif"

/*
 * Where a field comes from.  Links, regions and rings all start with
 * have[], one mask per source: bit N of have[SRC_LINK] says that
 * attribute N (an IFLA_*) was received and valid, and so on.  Every
 * attribute read is below 64.
 */
enum field_src {
	SRC_HDR,	/* struct ifinfomsg: always there */
	SRC_LINK,	/* an IFLA_* attribute */
	SRC_DATA,	/* IFLA_MEMIF_*; in a region or ring, the entry's own */
	__SRC_MAX
};

#define HAVE(o, src, attr) (!!((o)->have[src] & (1ull << (attr))))

/* One entry of IFLA_MEMIF_REGIONS. */
struct link_region {
	uint64_t have[__SRC_MAX];
	uint16_t index;
	uint64_t size;
};

/* One entry of IFLA_MEMIF_RINGS. */
struct link_ring {
	uint64_t have[__SRC_MAX];
	uint8_t dir, log2_size;
	uint16_t queue, region, head, tail, flags;
	uint32_t buffer_size, offset;
};

/* What a link dump tells about one link. */
struct link {
	uint64_t have[__SRC_MAX];
	/* SRC_HDR */
	uint32_t ifindex;
	uint32_t flags;			/* IFF_* */
	/* SRC_LINK */
	char *name;
	uint32_t mtu, txq, rxq;
	uint8_t operstate, carrier;
	char *kind;			/* IFLA_INFO_KIND, NULL if none */
	/* SRC_DATA */
	uint8_t role, mode, state, log2_ring_size, has_secret, offloads;
	uint8_t run_log2_ring_size, run_offloads;
	uint16_t s2c_rings, c2s_rings, socket_mode;
	uint16_t cacheline, run_cacheline;
	uint32_t id, buffer_size;
	uint32_t socket_uid, socket_gid, peer_uid, peer_gid;
	uint64_t max_memory;
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

/* How a number is shown, in text and in JSON; a string is shown as is. */
enum field_fmt {
	FMT_NUM,	/* a number */
	FMT_HEX,	/* a number, 0x-prefixed hexadecimal in text */
	FMT_LOG2,	/* 1 << the value */
	FMT_SIZE,	/* bytes, as "1G", "512M" in text when exact */
	FMT_MODE,	/* permissions: "0755", a string in JSON too */
	FMT_NAME,	/* an enum: ->name(value), or "unknown(N)" */
	FMT_BIT,	/* value & ->mask: ->yes or ->no; a boolean in JSON */
	FMT_OFFLOADS,	/* IFLA_MEMIF_RUN_OFFLOADS as "tx,rx", ... */
	FMT_INT_MODE,	/* ring flags: "polling" or "interrupt" */
	FMT_TX,		/* does the link send on the ring: ->yes or ->no */
};

/* Text: left out when not reported, rather than shown as "?". */
#define FIELD_OPT	0x1
/* Text: an empty string counts as not reported. */
#define FIELD_NONEMPTY	0x2

/*
 * struct field - one field of a link, region or ring
 * @json: its key in JSON; NULL: not in JSON
 * @label: what text output prints before it; NULL: not in text
 * @line: the text line it is on: text prints the lines in order, and
 *	the fields of a line in the order of the table, which is JSON's
 * @end: what text output prints after it, or NULL
 * @flags: FIELD_*
 * @src: enum field_src
 * @fmt: enum field_fmt, for a number
 * @attr: the attribute (SRC_LINK, SRC_DATA); several fields can show the
 *	same one
 * @type: the attribute's enum mnl_attr_data_type, MNL_TYPE_U8 to _U64 or
 *	MNL_TYPE_STRING, and how the value is stored: uint8_t to uint64_t,
 *	char * (a copy)
 * @off: where the value is stored: offsetof() in the link, region or ring
 * @mask: FMT_BIT
 * @name: FMT_NAME
 * @yes, @no: FMT_BIT, FMT_TX: the text for true and false
 */
struct field {
	const char *json;
	const char *label;
	uint8_t line;
	const char *end;
	uint8_t flags;
	uint8_t src;
	uint8_t fmt;
	uint16_t attr;
	uint16_t type;
	uint16_t off;
	uint32_t mask;
	const char *(*name)(unsigned int v);
	const char *yes, *no;
};

/*
 * struct field_table - the fields of a link, a region or a ring
 * @v, @n: the fields
 * @size: of the object (struct link, ...)
 * @lines: of text per object
 * @cond_lines: bit N set: text line N is printed only if a field on it
 *	is reported (non-empty for FIELD_NONEMPTY)
 */
struct field_table {
	const struct field *v;
	size_t n;
	size_t size;
	unsigned int lines;
	unsigned int cond_lines;
};

extern const struct field_table link_fields, region_fields, ring_fields;

/* A field's value, as field_value() finds it. */
struct field_val {
	enum { VAL_NONE, VAL_NUM, VAL_BOOL, VAL_STR } type;
	uint64_t num;			/* VAL_NUM; VAL_BOOL 0 or 1 */
	const char *str;		/* VAL_STR */
	char buf[32];
};

/*
 * field_value - the value of field @f of @obj, a link or a region or
 * ring of link @l; VAL_NONE when it was not reported
 */
void field_value(const struct field *f, const void *obj,
		 const struct link *l, struct field_val *v);
/* Is it shown in text: reported, and not "" with FIELD_NONEMPTY? */
bool field_shown(const struct field *f, const struct field_val *v);

/*
 * utf8_char - the UTF-8 character at @s, which is not at its NUL: its
 * length, with its code point in *@cp; 0 for a byte that does not start
 * a well-formed sequence (overlong, a surrogate, beyond U+10FFFF, cut).
 */
size_t utf8_char(const char *s, uint32_t *cp);

/* link.c: the dump callback for nl_talk(), with a struct link_list. */
int link_cb(const struct nlmsghdr *nlh, void *data);
bool is_memif(const struct link *l);
void link_list_free(struct link_list *list);

/* text.c, json.c: to stdout; print_links_json() -1 when out of memory */
void print_links_text(const struct link_list *list);
int print_links_json(const struct link_list *list);

#endif /* MEMIFCTL_H */
