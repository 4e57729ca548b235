/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ABI of Debian 12's ip (iproute2 6.1.0, /usr/sbin/ip) that a link
 * plugin relies on.
 *
 * For "ip link ... type KIND" and for printing a link of kind KIND, ip
 * dlopen()s $IP_LIB_DIR/link_KIND.so (IP_LIB_DIR defaults to the library
 * directory compiled into ip, /usr/lib/x86_64-linux-gnu/ip on Debian) and
 * looks up the data symbol KIND_link_util, a struct link_util.  The
 * functions below are not in a shared library: /usr/sbin/ip exports them
 * itself (see nm -D /usr/sbin/ip) and the dynamic linker binds the
 * plugin's references to them when it is loaded into ip.
 *
 * iproute2 installs no header for any of this, so the few pieces used
 * here are declared by hand, from the layout of iproute2 6.1.0.  Nothing
 * checks them against the running ip: another iproute2 version may lay
 * struct link_util out differently, and the plugin must then be rebuilt
 * against a matching declaration.
 */
#ifndef MEMIF_IP_ABI_H
#define MEMIF_IP_ABI_H

#include <stdbool.h>
#include <stdio.h>

#include <linux/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/*
 * struct link_util - what ip looks up in a link plugin
 * @next: ip's own list of loaded plugins; ip writes it, so the object
 *	must not be const
 * @id: the kind, as in IFLA_INFO_KIND
 * @maxattr: the highest attribute type inside IFLA_INFO_DATA; ip sizes
 *	the table passed to @print_opt with it
 * @parse_opt: called for "ip link add|set ... type KIND WORD..." with the
 *	words after the kind (only when there is at least one), while
 *	IFLA_INFO_DATA is open in the request @n: attributes added to @n land
 *	inside it.  Non-zero means failure: ip sends nothing and exits 1.
 * @print_opt: called for "ip -d link show" with IFLA_INFO_DATA split by
 *	type into a table of @maxattr + 1 entries, or NULL when the link has
 *	no IFLA_INFO_DATA.  In JSON mode ip has opened the object
 *	"info_data" around the call.  Output goes through the print_*
 *	functions below, which write to stdout whatever the FILE argument.
 * @print_xstats: IFLA_INFO_XSTATS for "ip -d -s link show"; may be NULL
 * @print_help: "ip link help KIND", with the words after KIND, to stdout
 * @parse_ifla_xstats, @print_ifla_xstats: "ip link xstats type KIND";
 *	may be NULL
 */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f,
			     struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/*
 * Where a print_color_*() call goes: PRINT_FP only in text mode,
 * PRINT_JSON only in JSON mode (-j), PRINT_ANY in both, as "KEY": VALUE
 * in JSON and through the printf format in text.
 */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

/* Only the "no colour" member is used; its value is 6 in ip's enum. */
enum color_attr {
	COLOR_NONE = 6,
};

/*
 * Appends an attribute to the request @n, whose total length may not
 * exceed @maxlen, with @alen bytes of @data; returns 0, or -1 after
 * printing an error when the attribute does not fit.
 */
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);

/*
 * In JSON mode these print "KEY": VALUE into the current object (VALUE
 * as given: no format); in text mode they printf(FMT, VALUE).  The return
 * value is what printf returned, 0 in JSON mode.
 */
int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);
int print_color_u64(enum output_type t, enum color_attr color,
		    const char *key, const char *fmt, __u64 value);
int print_color_bool(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, bool value);

/* True when ip was run with -j. */
bool is_json_context(void);

#endif /* MEMIF_IP_ABI_H */
