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
	}
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
	run_names();
	if (failures) {
		printf("test_args: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_args: %zu cases passed\n", ARRAY_SIZE(cases));
	return 0;
}
