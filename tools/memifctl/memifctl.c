// SPDX-License-Identifier: GPL-2.0
/*
 * memifctl: create, change, delete and show memif links.  The commands
 * and their requests are here; link.c parses link dumps, text.c and
 * json.c show them.
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
#include "memifctl.h"
#include "nl.h"

#ifndef MEMIF_VERSION
#define MEMIF_VERSION "unknown"
#endif

#define EXIT_OK		0
#define EXIT_ERR	1
#define EXIT_USAGE	2

/* Room for any request: the strings in it are at most ~150 bytes. */
#define REQ_SIZE	4096

/* ------------------------------------------------------------------ */
/* Usage */

/* Continuation lines line up after "Usage: memifctl add ". */
static const char usage_add[] =
"memifctl add NAME [role client|server] [socket PATH] [id N] [secret S]\n"
"                    [mode ethernet|ip] [ring-size N] [buffer-size N]\n"
"                    [queues N] [offloads on|off] [max-memory BYTES]\n"
"                    [socket-uid UID] [socket-gid GID] [socket-mode MODE]\n"
"                    [peer-uid UID] [peer-gid GID] [cacheline 64|128]\n";
static const char usage_set[] =
"memifctl set NAME [role client|server] [socket PATH] [id N] [secret S]\n"
"                    [ring-size N] [buffer-size N] [offloads on|off]\n"
"                    [max-memory BYTES] [socket-uid UID] [socket-gid GID]\n"
"                    [socket-mode MODE] [peer-uid UID] [peer-gid GID]\n"
"                    [cacheline 64|128]\n";
static const char usage_del[] = "memifctl del NAME\n";
static const char usage_show[] = "memifctl [-j|--json] show [NAME]\n";

static void usage(FILE *f)
{
	char min[24], max[24], def[24];

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
	fprintf(f,
		"  max-memory B   the most shared memory one connection may map or\n"
		"                 allocate, %s to %s with K, M, G or T (1K = 1024),\n"
		"                 default %s\n"
		"  socket-uid U   owner of a server's socket file (a path): a user\n"
		"                 name or number, or none (the default: whoever adds\n"
		"                 the link or last sets it)\n"
		"  socket-gid G   group of the socket file: a group name or number,\n"
		"                 or none (the default: their group)\n"
		"  socket-mode M  permissions of the socket file, octal, at most 0777,\n"
		"                 default %04o; a peer needs write permission\n"
		"  peer-uid U     the only effective user id a peer may have, either\n"
		"                 role: a user name or number, or none (the default:\n"
		"                 any)\n"
		"  peer-gid G     the only effective group id a peer may have: a\n"
		"                 group name or number, or none (the default: any)\n"
		"  cacheline C    64 or 128: the cache line ring headers are laid\n"
		"                 out for; a client uses it, a server only when the\n"
		"                 client's rings do not tell; default %d (this CPU's)\n",
		memif_format_size(MEMIF_MAX_MEMORY_MIN, min, sizeof(min)),
		memif_format_size(MEMIF_MAX_MEMORY_MAX, max, sizeof(max)),
		memif_format_size(MEMIF_MAX_MEMORY_DEFAULT, def, sizeof(def)),
		MEMIF_SOCKET_MODE_DEFAULT, MEMIF_CACHELINE_DEFAULT);
	fputs("With add, what is not given takes the default; with set, it stays\n"
	      "as it is.  Numbers are decimal, or hexadecimal with a 0x prefix;\n"
	      "user and group ids are decimal, socket-mode is octal.\n"
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

/* REQ_SIZE is room enough for all the settings. */
static int put_attr(void *nlh, uint16_t type, const void *data, size_t len)
{
	mnl_attr_put(nlh, type, len, data);
	return 0;
}

/* IFLA_INFO_DATA with the memif settings of @a, queues aside. */
static void put_memif_data(struct nlmsghdr *nlh, const struct memif_args *a)
{
	struct nlattr *data;

	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	memif_args_put(a, put_attr, nlh);
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

/*
 * Change the settings of an existing memif link: RTM_NEWLINK on its
 * ifindex, without NLM_F_CREATE, with the settings given and no others.
 * The kernel takes them only while the link is down and never changes
 * its mode; its message says why it refused.
 */
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

	if (json)
		err = print_links_json(&list);
	else
		print_links_text(&list);
	if (err) {
		error("out of memory");
		goto out;
	}
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
