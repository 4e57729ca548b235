// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of tools/common/memif_args.c, the memif option parser.
 */
#include <stdio.h>
#include <string.h>

#include "memif_args.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_WORDS 20

#define A10 "aaaaaaaaaa"
#define SOCK107 "/" A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 "aaaaaa"
#define SOCK108 SOCK107 "a"

/* The message for a bad user or group id */
#define ID_ERR(kw, what, got) \
	kw " must be a " what " name, an integer between 0 and 4294967294" \
	" or none (got \"" got "\")"

struct tcase {
	const char *argv[MAX_WORDS];
	int ret;
	struct memif_args want;		/* ret 0: .set and the fields set */
	const char *err;		/* ret -1: the message, exactly */
};

static const struct tcase cases[] = {
	/* nothing given: nothing set */
	{ .argv = { NULL }, .ret = 0, .want = { .set = 0 } },
	/* everything */
	{ .argv = { "role", "server", "socket", "/run/m1.sock", "id", "7",
		    "secret", "s3cret", "mode", "ip", "ring-size", "256",
		    "buffer-size", "4096", "queues", "4", "offloads", "on",
		    NULL },
	  .ret = 0,
	  .want = { .set = MEMIF_ARG_ROLE | MEMIF_ARG_SOCKET | MEMIF_ARG_ID |
			   MEMIF_ARG_SECRET | MEMIF_ARG_MODE |
			   MEMIF_ARG_RING_SIZE | MEMIF_ARG_BUFFER_SIZE |
			   MEMIF_ARG_QUEUES | MEMIF_ARG_OFFLOADS,
		    .role = MEMIF_ROLE_SERVER, .socket = "/run/m1.sock",
		    .id = 7, .secret = "s3cret", .mode = MEMIF_MODE_IP,
		    .log2_ring_size = 8, .buffer_size = 4096, .queues = 4,
		    .offloads = 1 } },
	/* role synonyms */
	{ .argv = { "role", "client", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_ROLE, .role = MEMIF_ROLE_CLIENT } },
	{ .argv = { "role", "slave", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_ROLE, .role = MEMIF_ROLE_CLIENT } },
	{ .argv = { "role", "master", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_ROLE, .role = MEMIF_ROLE_SERVER } },
	{ .argv = { "role", "Server", NULL }, .ret = -1,
	  .err = "role must be client or server (got \"Server\")" },
	/* modes */
	{ .argv = { "mode", "ethernet", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_MODE, .mode = MEMIF_MODE_ETHERNET } },
	{ .argv = { "mode", "punt", NULL }, .ret = -1,
	  .err = "mode must be ethernet or ip (got \"punt\")" },
	/* ring sizes: powers of two 2..16384 */
	{ .argv = { "ring-size", "2", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_RING_SIZE, .log2_ring_size = 1 } },
	{ .argv = { "ring-size", "1024", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_RING_SIZE, .log2_ring_size = 10 } },
	{ .argv = { "ring-size", "16384", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_RING_SIZE, .log2_ring_size = 14 } },
	{ .argv = { "ring-size", "0x400", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_RING_SIZE, .log2_ring_size = 10 } },
	{ .argv = { "ring-size", "1000", NULL }, .ret = -1,
	  .err = "ring-size must be a power of two between 2 and 16384 (got \"1000\")" },
	{ .argv = { "ring-size", "1", NULL }, .ret = -1,
	  .err = "ring-size must be a power of two between 2 and 16384 (got \"1\")" },
	{ .argv = { "ring-size", "0", NULL }, .ret = -1,
	  .err = "ring-size must be a power of two between 2 and 16384 (got \"0\")" },
	{ .argv = { "ring-size", "32768", NULL }, .ret = -1,
	  .err = "ring-size must be a power of two between 2 and 16384 (got \"32768\")" },
	{ .argv = { "ring-size", "4294967296", NULL }, .ret = -1,
	  .err = "ring-size must be a power of two between 2 and 16384 (got \"4294967296\")" },
	{ .argv = { "ring-size", "-1024", NULL }, .ret = -1,
	  .err = "ring-size must be a power of two between 2 and 16384 (got \"-1024\")" },
	{ .argv = { "ring-size", "1k", NULL }, .ret = -1,
	  .err = "ring-size must be a power of two between 2 and 16384 (got \"1k\")" },
	/* buffer sizes */
	{ .argv = { "buffer-size", "128", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_BUFFER_SIZE, .buffer_size = 128 } },
	{ .argv = { "buffer-size", "65535", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_BUFFER_SIZE, .buffer_size = 65535 } },
	{ .argv = { "buffer-size", "127", NULL }, .ret = -1,
	  .err = "buffer-size must be between 128 and 65535 (got \"127\")" },
	{ .argv = { "buffer-size", "65536", NULL }, .ret = -1,
	  .err = "buffer-size must be between 128 and 65535 (got \"65536\")" },
	/* ids: the whole u32 range, decimal or hex */
	{ .argv = { "id", "0", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_ID, .id = 0 } },
	{ .argv = { "id", "4294967295", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_ID, .id = 4294967295u } },
	{ .argv = { "id", "0xffffffff", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_ID, .id = 4294967295u } },
	{ .argv = { "id", "010", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_ID, .id = 10 } },
	{ .argv = { "id", "4294967296", NULL }, .ret = -1,
	  .err = "id must be an integer between 0 and 4294967295 (got \"4294967296\")" },
	{ .argv = { "id", "", NULL }, .ret = -1,
	  .err = "id must be an integer between 0 and 4294967295 (got \"\")" },
	{ .argv = { "id", " 1", NULL }, .ret = -1,
	  .err = "id must be an integer between 0 and 4294967295 (got \" 1\")" },
	{ .argv = { "id", "+1", NULL }, .ret = -1,
	  .err = "id must be an integer between 0 and 4294967295 (got \"+1\")" },
	{ .argv = { "id", "0x", NULL }, .ret = -1,
	  .err = "id must be an integer between 0 and 4294967295 (got \"0x\")" },
	{ .argv = { "id", "0x0x1", NULL }, .ret = -1,
	  .err = "id must be an integer between 0 and 4294967295 (got \"0x0x1\")" },
	{ .argv = { "id", "1 ", NULL }, .ret = -1,
	  .err = "id must be an integer between 0 and 4294967295 (got \"1 \")" },
	/* queues */
	{ .argv = { "queues", "1", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_QUEUES, .queues = 1 } },
	{ .argv = { "queues", "255", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_QUEUES, .queues = 255 } },
	{ .argv = { "queues", "0", NULL }, .ret = -1,
	  .err = "queues must be between 1 and 255 (got \"0\")" },
	{ .argv = { "queues", "256", NULL }, .ret = -1,
	  .err = "queues must be between 1 and 255 (got \"256\")" },
	/* offloads: on or off, nothing else */
	{ .argv = { "offloads", "on", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_OFFLOADS, .offloads = 1 } },
	{ .argv = { "offloads", "off", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_OFFLOADS, .offloads = 0 } },
	{ .argv = { "offloads", "off", "ring-size", "64", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_OFFLOADS | MEMIF_ARG_RING_SIZE,
		    .offloads = 0, .log2_ring_size = 6 } },
	{ .argv = { "offloads", "1", NULL }, .ret = -1,
	  .err = "offloads must be on or off (got \"1\")" },
	{ .argv = { "offloads", "ON", NULL }, .ret = -1,
	  .err = "offloads must be on or off (got \"ON\")" },
	{ .argv = { "offloads", "yes", NULL }, .ret = -1,
	  .err = "offloads must be on or off (got \"yes\")" },
	{ .argv = { "offloads", "", NULL }, .ret = -1,
	  .err = "offloads must be on or off (got \"\")" },
	{ .argv = { "offloads", NULL }, .ret = -1,
	  .err = "missing value after \"offloads\"" },
	{ .argv = { "offloads", "on", "offloads", "off", NULL }, .ret = -1,
	  .err = "\"offloads\" given more than once" },
	/* sockets: '@' kept, length limit */
	{ .argv = { "socket", "@memif-abstract", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET, .socket = "@memif-abstract" } },
	{ .argv = { "socket", "run/m1.sock", NULL }, .ret = -1,
	  .err = "socket must be an absolute path or @name (got \"run/m1.sock\")" },
	{ .argv = { "socket", "./m1.sock", NULL }, .ret = -1,
	  .err = "socket must be an absolute path or @name (got \"./m1.sock\")" },
	{ .argv = { "socket", "@", NULL }, .ret = -1,
	  .err = "socket: the abstract name after '@' is empty" },
	{ .argv = { "socket", "@@", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET, .socket = "@@" } },
	{ .argv = { "socket", "", NULL }, .ret = -1,
	  .err = "socket must be 1 to 107 bytes long (got 0)" },
	{ .argv = { "socket", SOCK107, NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET, .socket = SOCK107 } },
	{ .argv = { "socket", SOCK108, NULL }, .ret = -1,
	  .err = "socket must be 1 to 107 bytes long (got 108)" },
	/* secrets */
	{ .argv = { "secret", "12345678901234567890123", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SECRET,
		    .secret = "12345678901234567890123" } },
	{ .argv = { "secret", "123456789012345678901234", NULL }, .ret = -1,
	  .err = "secret must be at most 23 bytes long (got 24)" },
	/* "": no secret; given, so that a change removes the secret */
	{ .argv = { "secret", "", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SECRET, .secret = "" } },
	{ .argv = { "secret", "", "id", "3", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SECRET | MEMIF_ARG_ID, .id = 3 } },
	{ .argv = { "secret", "", "secret", "x", NULL }, .ret = -1,
	  .err = "\"secret\" given more than once" },
	/* max-memory: bytes, K, M, G, T in any case, 1M to 64G */
	{ .argv = { "max-memory", "1G", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_MAX_MEMORY, .max_memory = 1ull << 30 } },
	{ .argv = { "max-memory", "512m", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_MAX_MEMORY, .max_memory = 512 << 20 } },
	{ .argv = { "max-memory", "1024K", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_MAX_MEMORY, .max_memory = 1 << 20 } },
	{ .argv = { "max-memory", "1048576", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_MAX_MEMORY, .max_memory = 1 << 20 } },
	{ .argv = { "max-memory", "0x10M", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_MAX_MEMORY, .max_memory = 16 << 20 } },
	{ .argv = { "max-memory", "64g", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_MAX_MEMORY, .max_memory = 64ull << 30 } },
	{ .argv = { "max-memory", "68719476736", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_MAX_MEMORY, .max_memory = 64ull << 30 } },
	{ .argv = { "max-memory", "1048575", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"1048575\")" },
	{ .argv = { "max-memory", "1023k", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"1023k\")" },
	{ .argv = { "max-memory", "65537M", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"65537M\")" },
	{ .argv = { "max-memory", "1T", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"1T\")" },
	{ .argv = { "max-memory", "0", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"0\")" },
	{ .argv = { "max-memory", "x", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"x\")" },
	{ .argv = { "max-memory", "", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"\")" },
	{ .argv = { "max-memory", "G", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"G\")" },
	{ .argv = { "max-memory", "1GB", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"1GB\")" },
	{ .argv = { "max-memory", "1.5G", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"1.5G\")" },
	{ .argv = { "max-memory", "-1G", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"-1G\")" },
	{ .argv = { "max-memory", " 1G", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \" 1G\")" },
	{ .argv = { "max-memory", "17179869184T", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"17179869184T\")" },
	{ .argv = { "max-memory", "18446744073709551616", NULL }, .ret = -1,
	  .err = "max-memory must be between 1M and 64G (got \"18446744073709551616\")" },
	/* user and group ids: decimal, a name, or none */
	{ .argv = { "socket-uid", "1000", "socket-gid", "0", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET_UID | MEMIF_ARG_SOCKET_GID,
		    .socket_uid = 1000, .socket_gid = 0 } },
	{ .argv = { "socket-uid", "root", "socket-gid", "root", NULL },
	  .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET_UID | MEMIF_ARG_SOCKET_GID,
		    .socket_uid = 0, .socket_gid = 0 } },
	{ .argv = { "socket-uid", "none", "socket-gid", "none", NULL },
	  .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET_UID | MEMIF_ARG_SOCKET_GID,
		    .socket_uid = MEMIF_ID_NONE,
		    .socket_gid = MEMIF_ID_NONE } },
	{ .argv = { "peer-uid", "4294967294", "peer-gid", "007", NULL },
	  .ret = 0,
	  .want = { .set = MEMIF_ARG_PEER_UID | MEMIF_ARG_PEER_GID,
		    .peer_uid = 4294967294u, .peer_gid = 7 } },
	{ .argv = { "peer-uid", "root", "peer-gid", "root", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_PEER_UID | MEMIF_ARG_PEER_GID,
		    .peer_uid = 0, .peer_gid = 0 } },
	{ .argv = { "peer-uid", "none", "peer-gid", "none", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_PEER_UID | MEMIF_ARG_PEER_GID,
		    .peer_uid = MEMIF_ID_NONE, .peer_gid = MEMIF_ID_NONE } },
	{ .argv = { "socket-uid", "4294967295", NULL }, .ret = -1,
	  .err = ID_ERR("socket-uid", "user", "4294967295") },
	{ .argv = { "socket-uid", "", NULL }, .ret = -1,
	  .err = ID_ERR("socket-uid", "user", "") },
	{ .argv = { "socket-uid", "memif-no-such-user", NULL }, .ret = -1,
	  .err = "socket-uid: no such user \"memif-no-such-user\"" },
	{ .argv = { "socket-uid", "0x10", NULL }, .ret = -1,
	  .err = "socket-uid: no such user \"0x10\"" },
	{ .argv = { "socket-uid", "None", NULL }, .ret = -1,
	  .err = "socket-uid: no such user \"None\"" },
	{ .argv = { "socket-gid", "99999999999", NULL }, .ret = -1,
	  .err = ID_ERR("socket-gid", "group", "99999999999") },
	{ .argv = { "socket-gid", "memif-no-such-group", NULL }, .ret = -1,
	  .err = "socket-gid: no such group \"memif-no-such-group\"" },
	{ .argv = { "peer-uid", "-1", NULL }, .ret = -1,
	  .err = "peer-uid: no such user \"-1\"" },
	{ .argv = { "peer-gid", "4294967295", NULL }, .ret = -1,
	  .err = ID_ERR("peer-gid", "group", "4294967295") },
	{ .argv = { "peer-gid", "memif-no-such-group", NULL }, .ret = -1,
	  .err = "peer-gid: no such group \"memif-no-such-group\"" },
	/* cacheline: 64 or 128 */
	{ .argv = { "cacheline", "64", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_CACHELINE, .cacheline = 64 } },
	{ .argv = { "cacheline", "128", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_CACHELINE, .cacheline = 128 } },
	{ .argv = { "cacheline", "32", NULL }, .ret = -1,
	  .err = "cacheline must be 64 or 128 (got \"32\")" },
	{ .argv = { "cacheline", "0x40", NULL }, .ret = -1,
	  .err = "cacheline must be 64 or 128 (got \"0x40\")" },
	/* socket-mode: octal, at most 0777 */
	{ .argv = { "socket-mode", "0660", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET_MODE, .socket_mode = 0660 } },
	{ .argv = { "socket-mode", "660", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET_MODE, .socket_mode = 0660 } },
	{ .argv = { "socket-mode", "0777", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET_MODE, .socket_mode = 0777 } },
	{ .argv = { "socket-mode", "0", NULL }, .ret = 0,
	  .want = { .set = MEMIF_ARG_SOCKET_MODE, .socket_mode = 0 } },
	{ .argv = { "socket-mode", "1777", NULL }, .ret = -1,
	  .err = "socket-mode must be an octal number between 0 and 0777 (got \"1777\")" },
	{ .argv = { "socket-mode", "0778", NULL }, .ret = -1,
	  .err = "socket-mode must be an octal number between 0 and 0777 (got \"0778\")" },
	{ .argv = { "socket-mode", "0x1ff", NULL }, .ret = -1,
	  .err = "socket-mode must be an octal number between 0 and 0777 (got \"0x1ff\")" },
	{ .argv = { "socket-mode", "u+rw", NULL }, .ret = -1,
	  .err = "socket-mode must be an octal number between 0 and 0777 (got \"u+rw\")" },
	{ .argv = { "socket-mode", "", NULL }, .ret = -1,
	  .err = "socket-mode must be an octal number between 0 and 0777 (got \"\")" },
	{ .argv = { "socket-mode", "-660", NULL }, .ret = -1,
	  .err = "socket-mode must be an octal number between 0 and 0777 (got \"-660\")" },
	{ .argv = { "socket-mode", "0660", "socket-mode", "0600", NULL },
	  .ret = -1, .err = "\"socket-mode\" given more than once" },
	/* structure errors */
	{ .argv = { "type", "memif", NULL }, .ret = -1,
	  .err = "unknown option \"type\"" },
	{ .argv = { "role", NULL }, .ret = -1,
	  .err = "missing value after \"role\"" },
	{ .argv = { "id", "1", "ring-size", NULL }, .ret = -1,
	  .err = "missing value after \"ring-size\"" },
	{ .argv = { "id", "1", "id", "2", NULL }, .ret = -1,
	  .err = "\"id\" given more than once" },
	{ .argv = { "role", "slave", "role", "client", NULL }, .ret = -1,
	  .err = "\"role\" given more than once" },
	{ .argv = { "ring_size", "16", NULL }, .ret = -1,
	  .err = "unknown option \"ring_size\"" },
};

static int failures;

#define CHECK(cond, fmt, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL case %zu: " fmt "\n", i, ##__VA_ARGS__); \
			failures++;					\
		}							\
	} while (0)

static void run_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct tcase *c = &cases[i];
		const struct memif_args *w = &c->want;
		struct memif_args a;
		char err[256] = "";
		int argc = 0;
		int ret;

		while (c->argv[argc])
			argc++;
		memset(&a, 0xa5, sizeof(a));
		ret = memif_args_parse(argc, (char *const *)c->argv, &a, err,
				       sizeof(err));
		CHECK(ret == c->ret, "returned %d, want %d (err \"%s\")", ret,
		      c->ret, err);
		if (ret != c->ret)
			continue;
		if (ret) {
			CHECK(!strcmp(err, c->err), "message \"%s\", want \"%s\"",
			      err, c->err);
			continue;
		}
		CHECK(a.set == w->set, "set %#x, want %#x", a.set, w->set);
		CHECK(a.role == w->role, "role %u", a.role);
		CHECK(a.mode == w->mode, "mode %u", a.mode);
		CHECK(a.log2_ring_size == w->log2_ring_size,
		      "log2_ring_size %u", a.log2_ring_size);
		CHECK(a.id == w->id, "id %u", a.id);
		CHECK(a.buffer_size == w->buffer_size, "buffer_size %u",
		      a.buffer_size);
		CHECK(a.queues == w->queues, "queues %u", a.queues);
		CHECK(a.offloads == w->offloads, "offloads %u", a.offloads);
		CHECK(!strcmp(a.socket, w->socket), "socket \"%s\"", a.socket);
		CHECK(!strcmp(a.secret, w->secret), "secret \"%s\"", a.secret);
		CHECK(a.max_memory == w->max_memory, "max_memory %llu",
		      (unsigned long long)a.max_memory);
		CHECK(a.socket_uid == w->socket_uid, "socket_uid %u",
		      a.socket_uid);
		CHECK(a.socket_gid == w->socket_gid, "socket_gid %u",
		      a.socket_gid);
		CHECK(a.socket_mode == w->socket_mode, "socket_mode %o",
		      a.socket_mode);
		CHECK(a.cacheline == w->cacheline, "cacheline %u",
		      a.cacheline);
		CHECK(a.peer_uid == w->peer_uid, "peer_uid %u", a.peer_uid);
		CHECK(a.peer_gid == w->peer_gid, "peer_gid %u", a.peer_gid);
	}
}

struct put_rec {
	size_t n;
	struct {
		uint16_t type;
		size_t len;
		unsigned char data[32];
	} v[20];
};

static int put_cb(void *ctx, uint16_t type, const void *data, size_t len)
{
	struct put_rec *r = ctx;

	if (r->n == ARRAY_SIZE(r->v) || len > sizeof(r->v[0].data))
		return -7;
	r->v[r->n].type = type;
	r->v[r->n].len = len;
	memcpy(r->v[r->n].data, data, len);
	r->n++;
	return 0;
}

/* memif_args_put(): every setting as its attribute, the queues aside. */
static void run_put(void)
{
	static const char *const argv[] = {
		"role", "server", "socket", "@s", "id", "7", "secret", "",
		"mode", "ip", "ring-size", "256", "buffer-size", "4096",
		"queues", "4", "offloads", "off", "max-memory", "2G",
		"socket-uid", "1000", "socket-gid", "none", "socket-mode",
		"0660", "peer-uid", "0", "peer-gid", "5",
	};
	static const struct {
		uint16_t type;
		size_t len;
		uint64_t val;		/* numbers */
		const char *str;	/* strings */
	} want[] = {
		{ IFLA_MEMIF_ROLE, 1, MEMIF_ROLE_SERVER, NULL },
		{ IFLA_MEMIF_SOCKET, 3, .str = "@s" },
		{ IFLA_MEMIF_ID, 4, 7, NULL },
		{ IFLA_MEMIF_SECRET, 1, .str = "" },
		{ IFLA_MEMIF_MODE, 1, MEMIF_MODE_IP, NULL },
		{ IFLA_MEMIF_LOG2_RING_SIZE, 1, 8, NULL },
		{ IFLA_MEMIF_BUFFER_SIZE, 4, 4096, NULL },
		{ IFLA_MEMIF_OFFLOADS, 1, 0, NULL },
		{ IFLA_MEMIF_MAX_MEMORY, 8, 2ull << 30, NULL },
		{ IFLA_MEMIF_SOCKET_UID, 4, 1000, NULL },
		{ IFLA_MEMIF_SOCKET_GID, 4, MEMIF_ID_NONE, NULL },
		{ IFLA_MEMIF_SOCKET_MODE, 2, 0660, NULL },
		{ IFLA_MEMIF_PEER_UID, 4, 0, NULL },
		{ IFLA_MEMIF_PEER_GID, 4, 5, NULL },
	};
	struct put_rec rec = { 0 };
	struct memif_args a;
	uint64_t v;
	size_t i = 0;
	int ret;

	ret = memif_args_parse(ARRAY_SIZE(argv), (char *const *)argv, &a,
			       NULL, 0);
	CHECK(!ret, "put: parse returned %d", ret);
	ret = memif_args_put(&a, put_cb, &rec);
	CHECK(!ret, "put: returned %d", ret);
	CHECK(rec.n == ARRAY_SIZE(want), "put: %zu attributes", rec.n);
	for (i = 0; i < rec.n && i < ARRAY_SIZE(want); i++) {
		CHECK(rec.v[i].type == want[i].type && rec.v[i].len ==
		      want[i].len, "put: type %u len %zu", rec.v[i].type,
		      rec.v[i].len);
		if (want[i].str) {
			CHECK(!memcmp(rec.v[i].data, want[i].str,
				      want[i].len), "put: string");
			continue;
		}
		v = 0;
		switch (rec.v[i].len) {
		case 1:
			v = rec.v[i].data[0];
			break;
		case 2:
			v = *(uint16_t *)rec.v[i].data;
			break;
		case 4:
			v = *(uint32_t *)rec.v[i].data;
			break;
		case 8:
			v = *(uint64_t *)rec.v[i].data;
			break;
		}
		CHECK(v == want[i].val, "put: value %llu",
		      (unsigned long long)v);
	}

	/* nothing given, nothing put; @put's error is passed on */
	memif_args_parse(0, NULL, &a, NULL, 0);
	rec.n = 0;
	CHECK(!memif_args_put(&a, put_cb, &rec) && !rec.n, "put: nothing");
	memif_args_parse(4, (char *const *)argv, &a, NULL, 0);
	rec.n = ARRAY_SIZE(rec.v);
	CHECK(memif_args_put(&a, put_cb, &rec) == -7, "put: error");
}

static void run_sizes(void)
{
	static const struct {
		uint64_t bytes;
		const char *str;
	} sizes[] = {
		{ 0, "0" }, { 1, "1" }, { 1000, "1000" }, { 1024, "1K" },
		{ 1536, "1536" }, { 1536 << 10, "1536K" },
		{ 512 << 20, "512M" }, { 1 << 30, "1G" },
		{ (1ull << 30) + 4096, "1048580K" }, { 64ull << 30, "64G" },
		{ 1ull << 40, "1T" }, { 3ull << 50, "3072T" },
		{ UINT64_MAX, "18446744073709551615" },
	};
	char buf[24];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		CHECK(!strcmp(memif_format_size(sizes[i].bytes, buf,
						sizeof(buf)), sizes[i].str),
		      "size %s, want %s", buf, sizes[i].str);
}

static void run_names(void)
{
	size_t i = 0;
	uint8_t v = 0xff;

	CHECK(!strcmp(memif_role_name(MEMIF_ROLE_CLIENT), "client"), "role");
	CHECK(!strcmp(memif_role_name(MEMIF_ROLE_SERVER), "server"), "role");
	CHECK(!memif_role_name(__MEMIF_ROLE_MAX), "role max");
	CHECK(!memif_role_name(~0u), "role ~0");
	CHECK(!strcmp(memif_mode_name(MEMIF_MODE_ETHERNET), "ethernet"),
	      "mode");
	CHECK(!strcmp(memif_mode_name(MEMIF_MODE_IP), "ip"), "mode");
	CHECK(!memif_mode_name(__MEMIF_MODE_MAX), "mode max");
	CHECK(!strcmp(memif_state_name(MEMIF_STATE_DOWN), "down"), "state");
	CHECK(!strcmp(memif_state_name(MEMIF_STATE_WAITING),
		      "waiting for peer"), "state");
	CHECK(!strcmp(memif_state_name(MEMIF_STATE_HANDSHAKE), "handshake"),
	      "state");
	CHECK(!strcmp(memif_state_name(MEMIF_STATE_CONNECTED), "connected"),
	      "state");
	CHECK(!memif_state_name(__MEMIF_STATE_MAX), "state max");
	CHECK(!strcmp(memif_ring_dir_name(MEMIF_RING_C2S), "c2s"), "c2s");
	CHECK(!strcmp(memif_ring_dir_name(MEMIF_RING_S2C), "s2c"), "s2c");
	CHECK(!memif_ring_dir_name(__MEMIF_RING_DIR_MAX), "ring dir max");
	CHECK(!strcmp(memif_run_offloads_name(0), "none"), "offloads none");
	CHECK(!strcmp(memif_run_offloads_name(MEMIF_OFFLOAD_TX), "tx"),
	      "offloads tx");
	CHECK(!strcmp(memif_run_offloads_name(MEMIF_OFFLOAD_RX), "rx"),
	      "offloads rx");
	CHECK(!strcmp(memif_run_offloads_name(MEMIF_OFFLOAD_TX |
					      MEMIF_OFFLOAD_RX), "tx,rx"),
	      "offloads tx,rx");
	CHECK(!strcmp(memif_run_offloads_name(0x80 | MEMIF_OFFLOAD_RX), "rx"),
	      "offloads unknown bit");
	CHECK(memif_role_parse("master", &v) == 0 && v == MEMIF_ROLE_SERVER,
	      "parse master");
	CHECK(memif_role_parse("", &v) == -1, "parse empty role");
	CHECK(memif_mode_parse("ip", &v) == 0 && v == MEMIF_MODE_IP,
	      "parse ip");
	CHECK(memif_mode_parse("IP", &v) == -1, "parse IP");
}

int main(void)
{
	run_cases();
	run_put();
	run_sizes();
	run_names();
	if (failures) {
		printf("test_args: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_args: %zu cases passed\n", ARRAY_SIZE(cases));
	return 0;
}
