// SPDX-License-Identifier: GPL-2.0
/*
 * memif_evil: a memif peer that breaks the protocol on purpose, one way per
 * scenario, to check that the kernel's memif driver copes.  Plain libc and
 * Linux headers; the wire format is defined here from the protocol
 * description (../../../../../shared/memif-protocol.md in our words).
 *
 *   memif_evil --role client|server --socket PATH --id N [--secret S]
 *              --scenario NAME [--seconds S] [--log2 N] [--file PATH]
 *              [--regions N] [--region-size BYTES]
 *   memif_evil --list
 *
 * --role client: we connect to a kernel link in the server role; server:
 * we listen and a kernel link in the client role connects to us (one
 * connection, then we exit).  The scenario "good" is a correct peer: it
 * answers ARP requests and ICMP echo requests for any IPv4 address, so the
 * kernel side can ping through the link, until --seconds pass (default
 * 30) or the kernel disconnects.  Every other scenario breaks one thing;
 * "d-" scenarios connect correctly first and misbehave on the data path.
 *
 * Output: "connected" once the handshake is complete, "disconnect: REASON"
 * when the kernel sends a DISCONNECT, "closed" when it closes the control
 * channel; "peer uid U gid G", the kernel's SO_PEERCRED, once connected;
 * as server "init from NAME, id N, secret S" (what a server taking a
 * client's socket name learns).  Exit status 0 unless we could not even
 * play our part (2).
 * --then-good: once the kernel ends the broken connection (or we do), play
 * "good" on a new one (the server keeps listening for it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/falloc.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010
#endif

/* --- wire format ---------------------------------------------------------- */

#define COOKIE		0x3E31F20u
#define VERSION		0x0200
#define MSG_SIZE	128
#define NAME_LEN	32
#define SECRET_LEN	24
#define REASON_LEN	96

enum {
	T_ACK = 1, T_HELLO, T_INIT, T_ADD_REGION, T_ADD_RING, T_CONNECT,
	T_CONNECTED, T_DISCONNECT,
};

/* The Linux extension (memif.ko's proto.h): magic and features in the
 * last 8 bytes of HELLO, INIT and CONNECTED; frames then start with a
 * struct virtio_net_hdr.
 */
#define EXT_OFFSET	120
#define EXT_MAGIC	0x6c4d6946u
#define EXT_VNET_HDR	0x1

#define RING_FLAG_C2S	0x1
#define DESC_NEXT	0x1
#define RING_MASK_INT	0x1

struct msg {
	uint16_t type;
	union {
		struct {
			uint8_t name[NAME_LEN];
			uint16_t min_version;
			uint16_t max_version;
			uint16_t max_region;
			uint16_t max_s2c_ring;
			uint16_t max_c2s_ring;
			uint8_t max_log2_ring_size;
		} __attribute__((packed)) hello;
		struct {
			uint16_t version;
			uint32_t id;
			uint8_t mode;
			uint8_t secret[SECRET_LEN];
			uint8_t name[NAME_LEN];
		} __attribute__((packed)) init;
		struct {
			uint16_t index;
			uint64_t size;
		} __attribute__((packed)) add_region;
		struct {
			uint16_t flags;
			uint16_t index;
			uint16_t region;
			uint32_t offset;
			uint8_t log2_ring_size;
			uint16_t private_hdr_size;
		} __attribute__((packed)) add_ring;
		struct {
			uint8_t if_name[NAME_LEN];
		} __attribute__((packed)) connect;
		struct {
			uint32_t code;
			uint8_t string[REASON_LEN];
		} __attribute__((packed)) disconnect;
		uint8_t raw[MSG_SIZE - 2];
	};
} __attribute__((packed));

struct desc {
	uint16_t flags;
	uint16_t region;
	uint32_t length;
	uint32_t offset;
	uint32_t metadata;
};

/* The ring as peers built for a 64-byte cache line lay it out. */
struct ring {
	uint32_t cookie;
	uint16_t flags;
	uint16_t head;
	uint8_t pad0[56];
	uint16_t tail;
	uint8_t pad1[62];
	struct desc desc[];
};

_Static_assert(sizeof(struct msg) == MSG_SIZE, "message size");
_Static_assert(offsetof(struct msg, hello.max_log2_ring_size) == 44, "hello");
_Static_assert(offsetof(struct msg, init.name) == 33, "init");
_Static_assert(offsetof(struct msg, add_ring.private_hdr_size) == 13, "ring");
_Static_assert(sizeof(struct desc) == 16, "desc");
_Static_assert(offsetof(struct ring, tail) == 64, "tail");
_Static_assert(sizeof(struct ring) == 128, "ring header");

/* --- scenarios ------------------------------------------------------------- */

enum phase { P_NONE, P_HELLO, P_INIT, P_REGION, P_RING, P_CONNECT, P_DATA };

static const char *const phase_name[] = {
	"-", "hello", "init", "region", "ring", "connect", "data",
};

/* Which role plays a scenario: C client, S server, B both. */
struct scenario {
	const char *name;
	char role;
	enum phase phase;
	const char *what;
};

static const struct scenario scenarios[] = {
	{ "good", 'B', P_NONE, "a correct peer: answers ARP and ICMP echo" },
	/* client role: what we send the kernel server */
	{ "init-empty", 'C', P_INIT, "a 0-byte message instead of INIT" },
	{ "init-short", 'C', P_INIT, "INIT of 64 bytes" },
	{ "init-long", 'C', P_INIT, "INIT of 200 bytes" },
	{ "init-fd", 'C', P_INIT, "INIT carrying an fd" },
	{ "stall-pre-init", 'C', P_INIT, "connect, then never send INIT" },
	{ "msg-empty", 'C', P_REGION, "a 0-byte message after INIT" },
	{ "msg-short", 'C', P_REGION, "ADD_REGION of 64 bytes" },
	{ "msg-long", 'C', P_REGION, "ADD_REGION of 256 bytes" },
	{ "unknown-type", 'B', P_REGION, "message type 77 (server: instead of HELLO)" },
	{ "type-none", 'C', P_REGION, "message type 0 after INIT" },
	{ "repeat-init", 'C', P_REGION, "INIT twice" },
	{ "ack-from-client", 'C', P_REGION, "ACK after INIT" },
	{ "ring-before-region", 'C', P_REGION, "ADD_RING before ADD_REGION" },
	{ "connect-early", 'C', P_REGION, "CONNECT right after INIT" },
	{ "repeat-region", 'C', P_RING, "ADD_REGION 0 twice" },
	{ "repeat-ring", 'C', P_RING, "the C2S ring 0 twice" },
	{ "connect-twice", 'C', P_CONNECT, "CONNECT again once connected" },
	{ "version-low", 'B', P_INIT, "protocol version 1.0" },
	{ "version-high", 'B', P_INIT, "protocol version 3.0" },
	{ "bad-id", 'C', P_INIT, "an interface id nobody has (id + 1000)" },
	{ "no-secret", 'C', P_INIT, "no secret" },
	{ "bad-secret", 'C', P_INIT, "a wrong secret" },
	{ "mode-ip", 'C', P_INIT, "IP mode against an ethernet link" },
	{ "region-size-0", 'C', P_REGION, "region size 0" },
	{ "region-size-huge", 'C', P_REGION, "region size 1 TiB" },
	{ "region-size-u64", 'C', P_REGION, "region size 2^64 - 1" },
	{ "region-size-u32", 'C', P_REGION, "region size 2^32 + 4096" },
	{ "region-index", 'C', P_REGION, "region index 7 first" },
	{ "region-small", 'C', P_REGION, "a memfd half the announced size" },
	{ "region-pipe", 'C', P_REGION, "a pipe as the region fd" },
	{ "region-socket", 'C', P_REGION, "a stream socket as the region fd" },
	{ "region-devzero", 'C', P_REGION, "/dev/zero as the region fd" },
	{ "region-dir", 'C', P_REGION, "a directory as the region fd" },
	{ "region-no-fd", 'C', P_REGION, "ADD_REGION without an fd" },
	{ "region-two-fds", 'C', P_REGION, "ADD_REGION with two fds" },
	{ "ring-outside", 'C', P_RING, "ring descriptors ending past the region" },
	{ "ring-offset-huge", 'C', P_RING, "ring offset 0xfffffff8" },
	{ "ring-unaligned", 'C', P_RING, "ring offset 4" },
	{ "ring-overlap", 'C', P_RING, "the S2C ring overlapping the C2S ring" },
	{ "ring-region", 'C', P_RING, "a ring in region 3, never added" },
	{ "log2-0", 'C', P_RING, "log2 ring size 0" },
	{ "log2-255", 'C', P_RING, "log2 ring size 255" },
	{ "ring-private", 'C', P_RING, "a private header size" },
	{ "ring-flags", 'C', P_RING, "unknown ring flags" },
	{ "too-many-rings", 'C', P_RING, "two C2S rings where one was offered" },
	{ "ring-no-fd", 'C', P_RING, "ADD_RING without an fd" },
	{ "ring-fd-pipe", 'C', P_RING, "a pipe as a ring's interrupt fd" },
	{ "ring-fd-memfd", 'C', P_RING, "a memfd as a ring's interrupt fd" },
	{ "ring-fd-socket", 'C', P_RING, "a stream socket as a ring's interrupt fd" },
	{ "ring-fd-listener", 'C', P_RING, "a listening seqpacket socket as a ring's interrupt fd" },
	{ "fd-on-connect", 'C', P_CONNECT, "CONNECT carrying an fd" },
	{ "bad-cookie", 'C', P_CONNECT, "ring cookie 0 at CONNECT" },
	{ "hangup", 'B', P_RING, "close the control channel mid-handshake" },
	{ "stall", 'B', P_RING, "stop answering mid-handshake" },
	{ "disconnect", 'B', P_RING, "DISCONNECT mid-handshake, reason not terminated" },
	/* server role: what we send the kernel client */
	{ "hello-empty", 'S', P_HELLO, "a 0-byte message instead of HELLO" },
	{ "hello-short", 'S', P_HELLO, "HELLO of 64 bytes" },
	{ "hello-long", 'S', P_HELLO, "HELLO of 200 bytes" },
	{ "hello-fd", 'S', P_HELLO, "HELLO carrying an fd" },
	{ "hello-twice", 'S', P_HELLO, "HELLO twice" },
	{ "hello-log2-0", 'S', P_HELLO, "HELLO allowing log2 ring size 0" },
	{ "hello-log2-255", 'S', P_HELLO, "HELLO allowing log2 ring size 255 (legal)" },
	{ "hello-queues-max", 'S', P_HELLO, "HELLO allowing 65536 rings (legal)" },
	{ "stall-no-hello", 'S', P_HELLO, "accept, then never send HELLO" },
	{ "ack-first", 'S', P_HELLO, "ACK instead of HELLO" },
	{ "connected-first", 'S', P_HELLO, "CONNECTED instead of HELLO" },
	{ "type-init", 'S', P_HELLO, "INIT sent to a client" },
	{ "connected-early", 'S', P_INIT, "CONNECTED in answer to INIT" },
	{ "ack-fd", 'S', P_INIT, "the ACK of INIT carrying an fd" },
	{ "ack-short", 'S', P_INIT, "the ACK of INIT of 8 bytes" },
	{ "ack-for-connect", 'S', P_CONNECT, "ACK instead of CONNECTED" },
	{ "connected-twice", 'S', P_CONNECT, "CONNECTED twice" },
	/* data path, after a correct handshake */
	{ "d-rx-index", 'B', P_DATA, "our tx ring's index 5000 ahead" },
	{ "d-tx-index", 'B', P_DATA, "the kernel's tx ring index 0x8000 away" },
	{ "d-desc-offset", 'C', P_DATA, "a descriptor past the region" },
	{ "d-desc-overflow", 'C', P_DATA, "offset + length overflowing 32 bits" },
	{ "d-desc-region", 'C', P_DATA, "a descriptor in region 5" },
	{ "d-desc-len-huge", 'B', P_DATA, "a descriptor of length 0xffffffff" },
	{ "d-desc-len-0", 'B', P_DATA, "a descriptor of length 0" },
	{ "d-chain-long", 'B', P_DATA, "a NEXT chain around the whole ring" },
	{ "d-chain-open", 'B', P_DATA, "a chain whose last slot has NEXT" },
	{ "d-tx-desc", 'C', P_DATA, "empty S2C buffers past the region" },
	{ "d-cookie", 'B', P_DATA, "overwrite the ring cookies" },
	{ "d-truncate", 'B', P_DATA, "truncate the region's memfd to 0" },
	{ "d-punch", 'B', P_DATA, "punch a hole over the whole region" },
	{ "d-storm", 'B', P_DATA, "write the interrupt eventfd in a tight loop" },
	{ "d-no-return", 'B', P_DATA, "never give buffers back" },
	{ "d-vnet", 'B', P_DATA, "take offloads, send frames with broken virtio_net_hdrs" },
	{ "d-no-kick", 'B', P_DATA, "answer as a correct peer, but never signal the interrupt fd" },
	/* what a peer must not gain: rights it lacks, memory nobody pays for */
	{ "region1-opath", 'C', P_REGION, "region 1 an O_PATH fd of --file; S2C buffers in it" },
	{ "region1-rdonly", 'C', P_REGION, "region 1 --file opened read-only; S2C buffers in it" },
	{ "region1-tmpfs", 'C', P_REGION, "region 1 --file (on a tmpfs) opened read-write" },
	{ "region1-memfd-rdonly", 'C', P_REGION, "region 1 a memfd reopened read-only" },
	{ "region1-sealed", 'C', P_REGION, "region 1 a memfd sealed with F_SEAL_WRITE" },
	{ "region1-future-sealed", 'C', P_REGION, "region 1 a memfd sealed with F_SEAL_FUTURE_WRITE" },
	{ "regions-sparse", 'C', P_REGION, "--regions more regions of --region-size bytes, never touched" },
	{ "ring-fd-seqpacket", 'C', P_RING, "a connected seqpacket socket as a ring's interrupt fd" },
	{ "ring-fd-dgram", 'C', P_RING, "a datagram socket as a ring's interrupt fd" },
	{ "irq-probe", 'S', P_DATA, "try to reach a network namespace through the interrupt fds" },
	{ "keep-regions", 'S', P_INIT, "keep each connection's region fd and hang up, for --seconds" },
};

#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

/* --- options and state ---------------------------------------------------- */

static struct {
	int server;
	const char *path;
	uint32_t id;
	const char *secret;
	const char *sc;
	double seconds;
	unsigned int log2;
	int then_good;
	const char *file;
	unsigned int regions;
	uint64_t region_size;
} o = { .secret = "", .seconds = -1, .log2 = 8, .regions = 1,
	.region_size = 1 << 20 };

#define BSIZE	2048u
static const uint8_t my_mac[6] = { 0x02, 0xee, 0x00, 0x00, 0x00, 0x01 };

/* One connection's shared memory, as we see it. */
static struct {
	uint8_t *base;		/* region 0 */
	uint64_t size;
	int memfd;
	struct ring *c2s, *s2c;
	struct ring *rx, *tx;	/* ours: client rx = S2C, server rx = C2S */
	int rx_fd, tx_fd;	/* eventfds: we wait on rx_fd, signal tx_fd */
	int c2s_fd, s2c_fd;
	unsigned int log2;
	uint16_t mask;
	uint16_t rx_last;	/* next slot we read */
	uint16_t tx_cur;	/* next slot we fill */
	uint32_t buf_off;	/* client: start of the buffers */
} L = { .memfd = -1, .rx_fd = -1, .tx_fd = -1, .c2s_fd = -1, .s2c_fd = -1 };

static int cs = -1;		/* the control channel */
static int ls = -1;		/* server: the listening socket */

static void conn_end(void);

static int is(const char *name)
{
	return !strcmp(o.sc, name);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "memif_evil: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- control channel ------------------------------------------------------ */

/* Send @len bytes of @buf with @nfds fds. */
static void send_raw(const void *buf, size_t len, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (nfds) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	if (sendmsg(cs, &mh, MSG_NOSIGNAL) < 0)
		printf("send failed: %s\n", strerror(errno));
}

static void send_msg(const struct msg *m, int fd)
{
	send_raw(m, sizeof(*m), &fd, fd >= 0);
}

static void send_type(uint16_t type)
{
	struct msg m = { .type = type };

	send_msg(&m, -1);
}

static void print_reason(const struct msg *m)
{
	char r[REASON_LEN + 1];

	memcpy(r, m->disconnect.string, REASON_LEN);
	r[REASON_LEN] = '\0';
	printf("disconnect: %s\n", r);
}

/* Receive one message within @ms (<0: forever).  Returns its length, 0 on
 * EOF, -1 on timeout.  A received fd goes to *@fd (or is closed).  A
 * DISCONNECT or EOF ends the program.
 */
static int recv_msg(struct msg *m, int *fd, int ms)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct pollfd p = { .fd = cs, .events = POLLIN };
	struct cmsghdr *c;
	ssize_t n;

	if (fd)
		*fd = -1;
	if (poll(&p, 1, ms) == 0)
		return -1;
	memset(m, 0, sizeof(*m));
	n = recvmsg(cs, &mh, 0);
	if (n < 0 && errno == ECONNRESET) {
		printf("closed: reset\n");
		conn_end();
	}
	if (n < 0)
		die("recvmsg: %s", strerror(errno));
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		int nf, i, f;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		nf = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nf; i++) {
			memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (fd && *fd < 0)
				*fd = f;
			else
				close(f);
		}
	}
	if (n == 0) {
		printf("closed\n");
		conn_end();
	}
	if (m->type == T_DISCONNECT) {
		print_reason(m);
		conn_end();
	}
	return n;
}

static void expect(struct msg *m, uint16_t type, int *fd)
{
	if (recv_msg(m, fd, 10000) < 0)
		die("timed out waiting for message %u", type);
	if (m->type != type)
		die("expected message %u, got %u", type, m->type);
}

/* Wait for the kernel to end the connection, for at most @s seconds,
 * reading (and ignoring) what it sends.
 */
static void wait_end(double s)
{
	double end = now() + s;
	struct msg m;

	while (now() < end)
		recv_msg(&m, NULL, 200);
	printf("no disconnect\n");
	conn_end();
}

/* --- shared memory ---------------------------------------------------------- */

static uint32_t ring_bytes(unsigned int log2)
{
	return sizeof(struct ring) + (sizeof(struct desc) << log2);
}

/* Client: one region, [C2S ring][S2C ring][C2S buffers][S2C buffers]. */
static void client_region(void)
{
	uint32_t rb = ring_bytes(o.log2), n = 1u << o.log2, i, r;

	L.log2 = o.log2;
	L.mask = n - 1;
	L.buf_off = 2 * rb;
	L.size = 2 * rb + 2ull * n * BSIZE;
	L.memfd = memfd_create("memif_evil", MFD_ALLOW_SEALING);
	if (L.memfd < 0 || ftruncate(L.memfd, L.size))
		die("memfd: %s", strerror(errno));
	L.base = mmap(NULL, L.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      L.memfd, 0);
	if (L.base == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	for (r = 0; r < 2; r++) {
		struct ring *ring = (struct ring *)(L.base + r * rb);

		ring->cookie = COOKIE;
		for (i = 0; i < n; i++) {
			ring->desc[i].length = BSIZE;
			ring->desc[i].offset = L.buf_off + (r * n + i) * BSIZE;
		}
	}
	L.c2s = (struct ring *)L.base;
	L.s2c = (struct ring *)(L.base + rb);
	L.tx = L.c2s;
	L.rx = L.s2c;
	L.c2s_fd = eventfd(0, EFD_NONBLOCK);
	L.s2c_fd = eventfd(0, EFD_NONBLOCK);
	if (L.c2s_fd < 0 || L.s2c_fd < 0)
		die("eventfd: %s", strerror(errno));
	L.tx_fd = L.c2s_fd;
	L.rx_fd = L.s2c_fd;
}

static uint16_t load(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void kick(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		die("eventfd write: %s", strerror(errno));
}

/* --- the correct data path: ARP and ICMP echo answers --------------------- */

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (; len > 1; p += 2, len -= 2)
		s += (p[0] << 8) | p[1];
	if (len)
		s += p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* Turn the frame @f of @len bytes into its answer in place; its length,
 * or 0 for no answer.
 */
static size_t answer(uint8_t *f, size_t len)
{
	uint8_t tmp[6];
	uint32_t ip;
	size_t ihl;
	uint16_t s;

	if (len < 42)
		return 0;
	if (f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 1) {
		/* ARP request: we are everybody. */
		memcpy(f, f + 6, 6);
		memcpy(f + 6, my_mac, 6);
		f[21] = 2;
		memcpy(tmp, f + 22, 6);		/* sender hw */
		memcpy(&ip, f + 28, 4);		/* sender ip */
		memcpy(f + 32, tmp, 6);		/* target hw */
		memcpy(f + 28, f + 38, 4);	/* sender ip = asked ip */
		memcpy(f + 38, &ip, 4);
		memcpy(f + 22, my_mac, 6);
		return 42;
	}
	if (f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4)
		return 0;
	ihl = (f[14] & 15) * 4;
	if (f[23] != 1 || len < 14 + ihl + 8 || f[14 + ihl] != 8)
		return 0;
	memcpy(tmp, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, tmp, 6);
	memcpy(&ip, f + 26, 4);
	memcpy(f + 26, f + 30, 4);
	memcpy(f + 30, &ip, 4);
	len = 14 + ((f[16] << 8) | f[17]);
	f[14 + ihl] = 0;
	f[14 + ihl + 2] = 0;
	f[14 + ihl + 3] = 0;
	s = csum(f + 14 + ihl, len - 14 - ihl);
	f[14 + ihl + 2] = s >> 8;
	f[14 + ihl + 3] = s & 0xff;
	return len;
}

/* Where a descriptor's buffer is, if it lies inside region 0. */
static uint8_t *buf_of(const struct desc *d, uint32_t len)
{
	if (d->region || (uint64_t)d->offset + len > L.size)
		return NULL;
	return L.base + d->offset;
}

/* Put one frame on our tx ring; 0 if there is no room. */
static int tx_frame(const uint8_t *f, size_t len)
{
	struct ring *r = L.tx;
	struct desc *d;
	uint8_t *buf;

	if (len > BSIZE)
		return 0;
	if (o.server) {
		if ((uint16_t)(load(&r->head) - L.tx_cur) == 0)
			return 0;
		d = &r->desc[L.tx_cur & L.mask];
		buf = buf_of(d, len);
		if (!buf || d->length < len)
			return 0;
	} else {
		if ((uint16_t)(L.tx_cur - load(&r->tail)) > L.mask)
			return 0;
		d = &r->desc[L.tx_cur & L.mask];
		d->region = 0;
		d->offset = L.buf_off + (L.tx_cur & L.mask) * BSIZE;
		buf = L.base + d->offset;
	}
	memcpy(buf, f, len);
	d->length = len;
	d->flags = 0;
	L.tx_cur++;
	store(o.server ? &r->tail : &r->head, L.tx_cur);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(r->flags & RING_MASK_INT) && !is("d-no-kick"))
		kick(L.tx_fd);
	return 1;
}

/* Read what arrived on our rx ring, answer it; give the buffers back
 * unless @keep.  Returns frames read.
 */
static int rx_pass(int keep)
{
	struct ring *r = L.rx;
	uint16_t peer = load(o.server ? &r->head : &r->tail);
	uint8_t f[BSIZE];
	int n = 0;

	while (L.rx_last != peer) {
		struct desc *d = &r->desc[L.rx_last & L.mask];
		uint32_t len = d->length;
		uint8_t *buf = buf_of(d, len);
		size_t alen;

		L.rx_last++;
		n++;
		if (!buf || len > BSIZE || (d->flags & DESC_NEXT))
			continue;
		memcpy(f, buf, len);
		alen = answer(f, len);
		if (alen)
			tx_frame(f, alen);
	}
	if (n && !keep) {
		if (o.server) {
			store(&r->tail, L.rx_last);
		} else {
			uint16_t i;

			for (i = L.rx_last - n; i != L.rx_last; i++)
				r->desc[i & L.mask].length = BSIZE;
			store(&r->head, L.rx_last + L.mask + 1);
		}
	}
	return n;
}

/* Serve the data path until @s seconds pass or the kernel disconnects. */
static void serve(double s, int keep)
{
	double end = now() + s;
	struct pollfd p[2] = {
		{ .fd = cs, .events = POLLIN },
		{ .fd = L.rx_fd, .events = POLLIN },
	};
	uint64_t v;
	struct msg m;

	L.rx->flags = 0;
	while (now() < end) {
		poll(p, 2, 20);
		if (p[0].revents)
			recv_msg(&m, NULL, 0);
		if (p[1].revents && read(L.rx_fd, &v, sizeof(v)) < 0 &&
		    errno != EAGAIN)
			die("eventfd read: %s", strerror(errno));
		rx_pass(keep);
	}
	printf("no disconnect\n");
	conn_end();
}

/* --- the data path scenarios ---------------------------------------------- */

/* Say we speak the Linux extension, with @features. */
static void put_ext(struct msg *m, uint32_t features)
{
	uint32_t ext[2] = { EXT_MAGIC, features };

	memcpy((uint8_t *)m + EXT_OFFSET, ext, sizeof(ext));
}

/* Frames for d-vnet: a 60-byte Ethernet/IPv4/TCP frame behind a
 * virtio_net_hdr that is wrong in one way each (little-endian fields:
 * flags, gso_type, hdr_len, gso_size, csum_start, csum_offset).
 */
static void send_bad_vnet(void)
{
	static const uint8_t hdrs[][10] = {
		{ 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 },	/* TSO, gso_size 0 */
		{ 1, 0, 0, 0, 0, 0, 0xf0, 0xff, 16, 0 },	/* csum_start far */
		{ 1, 0, 0, 0, 0, 0, 34, 0, 0xfe, 0xff },	/* csum_offset far */
		{ 0, 0x42, 0, 0, 0, 0, 0, 0, 0, 0 },	/* unknown gso_type */
		{ 1, 3, 0, 0, 8, 0, 34, 0, 6, 0 },	/* UFO on TCP */
		{ 1, 4, 0, 0, 1, 0, 34, 0, 16, 0 },	/* TSO6 on IPv4 */
		{ 0, 1, 0xff, 0xff, 1, 0, 0, 0, 0, 0 },	/* TSO, no csum info */
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	uint8_t f[10 + 60] = {};
	unsigned int i, sent = 0;

	for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
		memcpy(f, hdrs[i], 10);
		memset(f + 10, 0xff, 6);		/* broadcast */
		memcpy(f + 16, my_mac, 6);
		f[22] = 0x08;				/* IPv4 */
		f[24] = 0x45;
		f[27] = 46;				/* total length */
		f[32] = 64;
		f[33] = 6;				/* TCP */
		f[56] = 0x50;				/* data offset */
		sent += tx_frame(f, sizeof(f));
	}
	sent += tx_frame(f, 6);			/* shorter than the header */
	printf("vnet: sent %u\n", sent);
	fflush(stdout);
}

/* Publish one frame-looking slot on our tx ring, its descriptor as given. */
static void publish_bad(uint32_t len, uint32_t off, uint16_t region,
			uint16_t flags)
{
	struct ring *r = L.tx;
	struct desc *d = &r->desc[L.tx_cur & L.mask];

	if (o.server) {
		/* The kernel client reads only the length: its buffers are fixed. */
		d->length = len;
	} else {
		d->length = len;
		d->offset = off;
		d->region = region;
	}
	d->flags = flags;
	L.tx_cur++;
	store(o.server ? &r->tail : &r->head, L.tx_cur);
	kick(L.tx_fd);
}

static void data_scenario(void)
{
	double secs = o.seconds < 0 ? 15 : o.seconds;
	uint32_t size = L.mask + 1u, i;

	if (strncmp(o.sc, "d-", 2)) {
		/* good, and handshake scenarios the kernel takes as legal */
		serve(o.seconds < 0 ? 30 : o.seconds, 0);
	} else if (is("d-rx-index")) {
		store(o.server ? &L.tx->tail : &L.tx->head, L.tx_cur + 5000);
		kick(L.tx_fd);
	} else if (is("d-tx-index")) {
		/* Takes effect when the kernel transmits: the test pings. */
		if (o.server)
			store(&L.rx->tail, 0x8000);
		else
			store(&L.rx->head, L.rx_last + 0x8000);
	} else if (is("d-desc-offset")) {
		publish_bad(60, (uint32_t)L.size, 0, 0);
	} else if (is("d-desc-overflow")) {
		publish_bad(0x200, 0xffffff00u, 0, 0);
	} else if (is("d-desc-region")) {
		publish_bad(60, L.buf_off, 5, 0);
	} else if (is("d-desc-len-huge")) {
		publish_bad(0xffffffffu, L.buf_off, 0, 0);
	} else if (is("d-desc-len-0")) {
		publish_bad(0, L.buf_off, 0, 0);
	} else if (is("d-chain-long")) {
		struct ring *r = L.tx;

		for (i = 0; i < size; i++) {
			struct desc *d = &r->desc[i];

			d->length = 64;
			d->flags = DESC_NEXT;
			if (!o.server) {
				d->region = 0;
				d->offset = L.buf_off + i * BSIZE;
			}
		}
		L.tx_cur += size;
		store(o.server ? &r->tail : &r->head, L.tx_cur);
		kick(L.tx_fd);
	} else if (is("d-chain-open")) {
		publish_bad(64, L.buf_off, 0, DESC_NEXT);
	} else if (is("d-tx-desc")) {
		/* The S2C buffers we give the kernel server lie outside. */
		for (i = 0; i < size; i++)
			L.rx->desc[i].offset = (uint32_t)L.size - 16;
	} else if (is("d-cookie")) {
		L.c2s->cookie = 0xdeadbeef;
		L.s2c->cookie = 0xdeadbeef;
		kick(L.tx_fd);
	} else if (is("d-truncate") || is("d-punch")) {
		/* Our mapping is void from here on: never touch it again. */
		int fd = L.memfd;

		munmap(L.base, L.size);
		L.base = NULL;
		if (is("d-truncate") ? ftruncate(fd, 0) :
		    fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      0, L.size))
			die("%s: %s", o.sc, strerror(errno));
		for (i = 0; i < 100; i++)
			kick(L.tx_fd);
		printf("%s done\n", o.sc);
		fflush(stdout);
	} else if (is("d-storm")) {
		double end = now() + (o.seconds < 0 ? 5 : o.seconds);
		unsigned long n = 0;
		struct msg m;

		while (now() < end) {
			for (i = 0; i < 1000; i++, n++)
				kick(L.tx_fd);
			rx_pass(0);
			if (recv_msg(&m, NULL, 0) < 0)
				continue;
		}
		printf("storm: %lu kicks\n", n);
		serve(secs, 0);
	} else if (is("d-no-return")) {
		/* Answer what comes, keep the buffers. */
		serve(secs, 1);
	} else if (is("d-no-kick")) {
		/* What a lost wakeup looks like to the kernel, each time. */
		serve(secs, 0);
	} else if (is("d-vnet")) {
		send_bad_vnet();
	} else {
		die("scenario %s is not for the data path", o.sc);
	}
	fflush(stdout);
	wait_end(secs);
}

/* --- client role (we are the slave, the kernel the master) ---------------- */

/* A SEQPACKET socket listening on an autobound abstract address. */
static int listener(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a.sun_family)) ||
	    listen(fd, 8))
		die("listener: %s", strerror(errno));
	return fd;
}

static int fd_of_kind(const char *kind)
{
	int p[2], fd;

	if (!strcmp(kind, "pipe")) {
		if (pipe(p))
			die("pipe: %s", strerror(errno));
		close(p[1]);
		return p[0];
	}
	if (!strcmp(kind, "seqpacket")) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, p))
			die("socketpair: %s", strerror(errno));
		return p[0];
	}
	if (!strcmp(kind, "socket"))
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
	else if (!strcmp(kind, "dgram"))
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	else if (!strcmp(kind, "listener"))
		fd = listener();
	else if (!strcmp(kind, "devzero"))
		fd = open("/dev/zero", O_RDWR);
	else if (!strcmp(kind, "dir"))
		fd = open("/", O_RDONLY | O_DIRECTORY);
	else
		fd = memfd_create("not-an-eventfd", 0);
	if (fd < 0)
		die("%s: %s", kind, strerror(errno));
	return fd;
}

static void do_connect(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	double end = now() + 10;

	if (strlen(o.path) >= sizeof(a.sun_path))
		die("socket path too long");
	strcpy(a.sun_path, o.path);
	if (a.sun_path[0] == '@')
		a.sun_path[0] = '\0';
	for (;;) {
		cs = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		if (!connect(cs, (struct sockaddr *)&a,
			     offsetof(struct sockaddr_un, sun_path) +
			     strlen(o.path)))
			return;
		if (now() > end)
			die("connect %s: %s", o.path, strerror(errno));
		close(cs);
		usleep(100000);
	}
}

/* SO_PEERCRED of the control channel. */
static void print_peer(void)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(cs, SOL_SOCKET, SO_PEERCRED, &uc, &len))
		die("SO_PEERCRED: %s", strerror(errno));
	printf("peer uid %u gid %u\n", uc.uid, uc.gid);
}

/* A memfd of @size bytes, never touched. */
static int sparse_memfd(uint64_t size, unsigned int flags)
{
	int fd = memfd_create("memif_evil_extra", flags);

	if (fd < 0 || ftruncate(fd, size))
		die("memfd: %s", strerror(errno));
	return fd;
}

/* The fd and size of region 1 for the region1-* scenarios. */
static int region1_fd(uint64_t *size)
{
	char path[64];
	struct stat st;
	int fd, rw;

	if (!strncmp(o.sc, "region1-memfd", 13) || strstr(o.sc, "sealed")) {
		*size = 64 * 1024;
		rw = sparse_memfd(*size, MFD_ALLOW_SEALING);
		if (is("region1-sealed") &&
		    fcntl(rw, F_ADD_SEALS, F_SEAL_WRITE))
			die("F_SEAL_WRITE: %s", strerror(errno));
		if (is("region1-future-sealed") &&
		    fcntl(rw, F_ADD_SEALS, F_SEAL_FUTURE_WRITE))
			die("F_SEAL_FUTURE_WRITE: %s", strerror(errno));
		if (!is("region1-memfd-rdonly"))
			return rw;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", rw);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die("reopen memfd: %s", strerror(errno));
		return fd;
	}
	if (!o.file)
		die("%s needs --file", o.sc);
	fd = open(o.file, is("region1-opath") ? O_PATH :
		  is("region1-rdonly") ? O_RDONLY : O_RDWR);
	if (fd < 0 || fstat(fd, &st))
		die("%s: %s", o.file, strerror(errno));
	*size = st.st_size;
	return fd;
}

static uint64_t region1_size;

/* Extra regions after region 0, as the scenario wants; each acknowledged
 * or the kernel's DISCONNECT ends us.
 */
static void extra_regions(void)
{
	struct msg m, reg = { .type = T_ADD_REGION };
	unsigned int i, n = 0;
	uint64_t size = o.region_size;
	int fd;

	if (!strncmp(o.sc, "region1-", 8))
		n = 1;
	else if (is("regions-sparse"))
		n = o.regions;
	for (i = 1; i <= n; i++) {
		fd = n == 1 && !is("regions-sparse") ? region1_fd(&size) :
		     sparse_memfd(size, 0);
		if (i == 1)
			region1_size = size;
		reg.add_region.index = i;
		reg.add_region.size = size;
		send_msg(&reg, fd);
		close(fd);
		expect(&m, T_ACK, NULL);
		printf("region %u of %llu bytes acknowledged\n", i,
		       (unsigned long long)size);
		fflush(stdout);
	}
}

/* region1-*: the kernel's S2C buffers, the empty ones we offer, in
 * region 1: what it transmits lands there.
 */
static void buffers_in_region1(uint64_t size)
{
	uint32_t i, len = size < BSIZE ? (uint32_t)size : BSIZE;

	for (i = 0; i <= L.mask; i++) {
		L.s2c->desc[i].region = 1;
		L.s2c->desc[i].offset = 0;
		L.s2c->desc[i].length = len;
	}
}

static void add_ring(int c2s, uint16_t index, uint32_t offset, int fd)
{
	struct msg m = { .type = T_ADD_RING };

	m.add_ring.flags = c2s ? RING_FLAG_C2S : 0;
	m.add_ring.index = index;
	m.add_ring.offset = offset;
	m.add_ring.log2_ring_size = L.log2;
	if (is("ring-outside"))
		m.add_ring.offset = L.size - ring_bytes(L.log2) + 64;
	else if (is("ring-offset-huge"))
		m.add_ring.offset = 0xfffffff8u;
	else if (is("ring-unaligned"))
		m.add_ring.offset = 4;
	else if (is("ring-overlap") && !c2s)
		m.add_ring.offset = 64 * 8;	/* inside the C2S ring */
	else if (is("ring-region"))
		m.add_ring.region = 3;
	else if (is("log2-0"))
		m.add_ring.log2_ring_size = 0;
	else if (is("log2-255"))
		m.add_ring.log2_ring_size = 255;
	else if (is("ring-private"))
		m.add_ring.private_hdr_size = 64;
	else if (is("ring-flags"))
		m.add_ring.flags |= 0x80;
	if (is("ring-no-fd"))
		fd = -1;
	else if (is("ring-fd-pipe"))
		fd = fd_of_kind("pipe");
	else if (is("ring-fd-memfd"))
		fd = fd_of_kind("memfd");
	else if (is("ring-fd-socket"))
		fd = fd_of_kind("socket");
	else if (is("ring-fd-listener"))
		fd = fd_of_kind("listener");
	else if (is("ring-fd-seqpacket"))
		fd = fd_of_kind("seqpacket");
	else if (is("ring-fd-dgram"))
		fd = fd_of_kind("dgram");
	send_msg(&m, fd);
}

static void run_client(void)
{
	struct msg m, init = { .type = T_INIT }, reg = { .type = T_ADD_REGION };
	const char *secret = o.secret;
	int fd, fds[2];

	do_connect();
	print_peer();
	expect(&m, T_HELLO, NULL);
	printf("hello from %.32s\n", m.hello.name);

	init.init.version = VERSION;
	init.init.id = o.id;
	snprintf((char *)init.init.name, NAME_LEN, "memif_evil");
	if (is("version-low"))
		init.init.version = 0x0100;
	else if (is("version-high"))
		init.init.version = 0x0300;
	else if (is("bad-id"))
		init.init.id = o.id + 1000;
	else if (is("no-secret"))
		secret = "";
	else if (is("bad-secret"))
		secret = "not the secret";
	else if (is("mode-ip"))
		init.init.mode = 1;
	else if (is("d-vnet"))
		put_ext(&init, 0);
	strncpy((char *)init.init.secret, secret, SECRET_LEN - 1);

	if (is("init-empty")) {
		send_raw(&init, 0, NULL, 0);
	} else if (is("init-short")) {
		send_raw(&init, 64, NULL, 0);
	} else if (is("init-long")) {
		char big[200] = {};

		memcpy(big, &init, sizeof(init));
		send_raw(big, sizeof(big), NULL, 0);
	} else if (is("init-fd")) {
		send_msg(&init, fd_of_kind("memfd"));
	} else if (is("stall-pre-init")) {
		wait_end(o.seconds < 0 ? 10 : o.seconds);
	} else {
		send_msg(&init, -1);
	}
	expect(&m, T_ACK, NULL);
	printf("init acknowledged\n");

	client_region();
	reg.add_region.index = 0;
	reg.add_region.size = L.size;
	fd = L.memfd;
	if (is("msg-empty")) {
		send_raw(&reg, 0, NULL, 0);
	} else if (is("msg-short")) {
		send_raw(&reg, 64, &fd, 1);
	} else if (is("msg-long")) {
		char big[256] = {};

		memcpy(big, &reg, sizeof(reg));
		send_raw(big, sizeof(big), &fd, 1);
	} else if (is("unknown-type") || is("type-none")) {
		m = (struct msg){ .type = is("type-none") ? 0 : 77 };
		send_msg(&m, -1);
	} else if (is("repeat-init")) {
		send_msg(&init, -1);
	} else if (is("ack-from-client")) {
		send_type(T_ACK);
	} else if (is("ring-before-region")) {
		add_ring(1, 0, 0, L.c2s_fd);
	} else if (is("connect-early")) {
		send_type(T_CONNECT);
	} else {
		if (is("region-size-0"))
			reg.add_region.size = 0;
		else if (is("region-size-huge"))
			reg.add_region.size = 1ull << 40;
		else if (is("region-size-u64"))
			reg.add_region.size = ~0ull;
		else if (is("region-size-u32"))
			reg.add_region.size = (1ull << 32) + 4096;
		else if (is("region-index"))
			reg.add_region.index = 7;
		else if (is("region-small") && ftruncate(fd, L.size / 2))
			die("ftruncate: %s", strerror(errno));
		if (is("region-pipe"))
			fd = fd_of_kind("pipe");
		else if (is("region-socket"))
			fd = fd_of_kind("socket");
		else if (is("region-devzero"))
			fd = fd_of_kind("devzero");
		else if (is("region-dir"))
			fd = fd_of_kind("dir");
		if (is("region-no-fd")) {
			send_msg(&reg, -1);
		} else if (is("region-two-fds")) {
			fds[0] = fd;
			fds[1] = L.c2s_fd;
			send_raw(&reg, sizeof(reg), fds, 2);
		} else {
			send_msg(&reg, fd);
		}
	}
	expect(&m, T_ACK, NULL);
	printf("region acknowledged\n");
	extra_regions();

	if (is("repeat-region"))
		send_msg(&reg, L.memfd);
	else if (is("hangup"))
		return;	/* exit closes the channel */
	else if (is("stall"))
		wait_end(o.seconds < 0 ? 10 : o.seconds);
	else if (is("disconnect")) {
		m = (struct msg){ .type = T_DISCONNECT };
		memset(m.disconnect.string, 'x', REASON_LEN);
		memcpy(m.disconnect.string, "evil\1says\tno", 12);
		send_msg(&m, -1);
		wait_end(2);
	} else
		add_ring(1, 0, 0, L.c2s_fd);
	expect(&m, T_ACK, NULL);
	if (is("repeat-ring"))
		add_ring(1, 0, 0, L.c2s_fd);
	else if (is("too-many-rings"))
		add_ring(1, 1, 0, L.c2s_fd);
	else
		add_ring(0, 0, ring_bytes(L.log2), L.s2c_fd);
	expect(&m, T_ACK, NULL);
	printf("rings acknowledged\n");

	if (is("bad-cookie"))
		L.c2s->cookie = 0;
	m = (struct msg){ .type = T_CONNECT };
	snprintf((char *)m.connect.if_name, NAME_LEN, "evil");
	send_msg(&m, is("fd-on-connect") ? fd_of_kind("memfd") : -1);
	expect(&m, T_CONNECTED, NULL);
	if (!strncmp(o.sc, "region1-", 8))
		buffers_in_region1(region1_size);
	/* Every empty S2C buffer goes to the kernel, some in d-no-return. */
	store(&L.s2c->head, is("d-no-return") ? 4 : L.mask + 1);
	printf("connected\n");
	fflush(stdout);
	if (is("connect-twice")) {
		send_type(T_CONNECT);
		wait_end(5);
	}
	data_scenario();
}

/* --- server role (we are the master, the kernel the slave) ---------------- */

static void run_server(void);

/* keep-regions: take the region the client allocated for this
 * connection, keep its fd, hang up, and serve the next attempt the same
 * way, until --seconds pass.  Each region stays the client's memory.
 */
static double keep_end;

static void keep_regions(void)
{
	static unsigned int n;
	struct msg m;
	int fd;

	send_type(T_ACK);
	expect(&m, T_ADD_REGION, &fd);
	if (fd < 0)
		die("region without fd");
	printf("kept region %u: %llu bytes\n", ++n,
	       (unsigned long long)m.add_region.size);
	fflush(stdout);
	close(cs);
	if (now() < keep_end) {
		run_server();
		exit(0);
	}
	printf("kept %u regions\n", n);
	fflush(stdout);
	/* Hold them until we are killed. */
	for (;;)
		pause();
}

/* What one interrupt fd lets us do beyond kicks; "ok" is a failure of the
 * kernel's.
 */
static void probe_fd(const char *name, int fd)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char buf[4096], names[512] = "";
	struct ifconf ifc = { .ifc_len = sizeof(buf), .ifc_buf = buf };
	struct ifreq ifr = { .ifr_ifindex = 1 };
	struct stat st;
	int v, i;
	socklen_t len = sizeof(v);

	if (fstat(fd, &st))
		die("fstat: %s", strerror(errno));
	printf("probe %s: a %s\n", name, S_ISSOCK(st.st_mode) ? "socket" :
	       "file, not a socket");
	if (ioctl(fd, SIOCGIFCONF, &ifc) == 0) {
		for (i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++) {
			strncat(names, " ", sizeof(names) - strlen(names) - 1);
			strncat(names, ifc.ifc_req[i].ifr_name,
				sizeof(names) - strlen(names) - 1);
		}
		printf("probe %s: SIOCGIFCONF ok:%s\n", name, names);
	} else {
		printf("probe %s: SIOCGIFCONF refused: %s\n", name,
		       strerror(errno));
	}
	if (ioctl(fd, SIOCGIFNAME, &ifr) == 0)
		printf("probe %s: SIOCGIFNAME ok: ifindex 1 is %s\n", name,
		       ifr.ifr_name);
	else
		printf("probe %s: SIOCGIFNAME refused: %s\n", name,
		       strerror(errno));
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) == 0)
		printf("probe %s: getsockopt ok\n", name);
	else
		printf("probe %s: getsockopt refused: %s\n", name,
		       strerror(errno));
	strcpy(a.sun_path + 1, "memif-evil-probe");
	if (sendto(fd, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&a,
		   offsetof(struct sockaddr_un, sun_path) + 17) >= 0)
		printf("probe %s: sendto ok\n", name);
	else
		printf("probe %s: sendto refused: %s\n", name, strerror(errno));
}

/* irq-probe: poke at the kernel client's interrupt fds; then check the
 * eventfd semantics peers rely on on the C2S one, which only we read: a
 * blocking writer near the counter's top does not block, a read takes
 * the count.
 */
static void irq_probe(void)
{
	uint64_t v = UINT64_MAX - 1, got = 0;
	int fl = fcntl(L.c2s_fd, F_GETFL);

	probe_fd("c2s", L.c2s_fd);
	probe_fd("s2c", L.s2c_fd);
	if (fl < 0 || fcntl(L.c2s_fd, F_SETFL, fl & ~O_NONBLOCK))
		die("fcntl: %s", strerror(errno));
	alarm(5);
	if (write(L.c2s_fd, &v, sizeof(v)) != sizeof(v) ||
	    write(L.c2s_fd, &v, sizeof(v)) != sizeof(v))
		printf("probe c2s: write failed: %s\n", strerror(errno));
	else if (read(L.c2s_fd, &got, sizeof(got)) != sizeof(got))
		printf("probe c2s: read failed: %s\n", strerror(errno));
	else
		printf("probe c2s: writers never block, read %llu\n",
		       (unsigned long long)got);
	alarm(0);
	fcntl(L.c2s_fd, F_SETFL, fl);
	fflush(stdout);
}

static void send_hello(void)
{
	struct msg m = { .type = T_HELLO };
	int fd = -1;

	snprintf((char *)m.hello.name, NAME_LEN, "memif_evil");
	m.hello.min_version = VERSION;
	m.hello.max_version = VERSION;
	m.hello.max_log2_ring_size = o.log2;
	if (is("version-low")) {
		m.hello.min_version = 0x0100;
		m.hello.max_version = 0x0100;
	} else if (is("version-high")) {
		m.hello.min_version = 0x0300;
		m.hello.max_version = 0x0300;
	} else if (is("hello-log2-0")) {
		m.hello.max_log2_ring_size = 0;
	} else if (is("hello-log2-255")) {
		m.hello.max_log2_ring_size = 255;
	} else if (is("hello-queues-max")) {
		m.hello.max_region = 0xffff;
		m.hello.max_c2s_ring = 0xffff;
		m.hello.max_s2c_ring = 0xffff;
	} else if (is("d-no-return")) {
		m.hello.max_log2_ring_size = 2;
	} else if (is("d-vnet")) {
		put_ext(&m, EXT_VNET_HDR);
	}
	if (is("hello-empty")) {
		send_raw(&m, 0, NULL, 0);
	} else if (is("hello-short")) {
		send_raw(&m, 64, NULL, 0);
	} else if (is("hello-long")) {
		char big[200] = {};

		memcpy(big, &m, sizeof(m));
		send_raw(big, sizeof(big), NULL, 0);
	} else if (is("stall-no-hello")) {
		wait_end(o.seconds < 0 ? 10 : o.seconds);
	} else if (is("ack-first") || is("connected-first") ||
		   is("type-init") || is("unknown-type")) {
		send_type(is("ack-first") ? T_ACK :
			  is("connected-first") ? T_CONNECTED :
			  is("type-init") ? T_INIT : 77);
	} else {
		if (is("hello-fd"))
			fd = fd_of_kind("memfd");
		send_msg(&m, fd);
		if (is("hello-twice")) {
			send_msg(&m, -1);
			wait_end(5);
		}
	}
}

static void server_ring(const struct msg *m, int fd)
{
	uint32_t rb;
	struct ring *r;

	if (m->add_ring.region || !L.base)
		die("ring in region %u", m->add_ring.region);
	L.log2 = m->add_ring.log2_ring_size;
	L.mask = (1u << L.log2) - 1;
	rb = ring_bytes(L.log2);
	if ((uint64_t)m->add_ring.offset + rb > L.size)
		die("ring outside the region");
	r = (struct ring *)(L.base + m->add_ring.offset);
	if (m->add_ring.flags & RING_FLAG_C2S) {
		L.c2s = r;
		L.c2s_fd = fd;
		L.rx = r;
		L.rx_fd = fd;
	} else {
		L.s2c = r;
		L.s2c_fd = fd;
		L.tx = r;
		L.tx_fd = fd;
	}
}

static void run_server(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct msg m;
	int fd;

	if (ls < 0) {
		if (strlen(o.path) >= sizeof(a.sun_path))
			die("socket path too long");
		strcpy(a.sun_path, o.path);
		if (a.sun_path[0] == '@')
			a.sun_path[0] = '\0';
		else
			unlink(o.path);
		ls = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		if (ls < 0 || bind(ls, (struct sockaddr *)&a,
				   offsetof(struct sockaddr_un, sun_path) +
				   strlen(o.path)) || listen(ls, 1))
			die("listen %s: %s", o.path, strerror(errno));
		printf("listening\n");
		fflush(stdout);
	}
	cs = accept(ls, NULL, NULL);
	if (cs < 0)
		die("accept: %s", strerror(errno));
	print_peer();
	/* Nobody else connects; with --then-good (or keep-regions) the next
	 * attempt is ours.
	 */
	if (!o.then_good && !is("keep-regions")) {
		close(ls);
		if (o.path[0] != '@')
			unlink(o.path);
	}

	send_hello();
	expect(&m, T_INIT, NULL);
	printf("init from %.32s, id %u, secret %.24s\n", m.init.name,
	       m.init.id, m.init.secret);
	if (is("keep-regions"))
		keep_regions();
	if (is("connected-early")) {
		send_type(T_CONNECTED);
		wait_end(5);
	} else if (is("ack-fd")) {
		struct msg ack = { .type = T_ACK };

		send_msg(&ack, fd_of_kind("memfd"));
		wait_end(5);
	} else if (is("ack-short")) {
		struct msg ack = { .type = T_ACK };

		send_raw(&ack, 8, NULL, 0);
		wait_end(5);
	}
	send_type(T_ACK);

	for (;;) {
		if (recv_msg(&m, &fd, 10000) < 0)
			die("timed out in the handshake");
		if (m.type == T_ADD_REGION) {
			struct stat st;

			if (m.add_region.index || fd < 0 || fstat(fd, &st))
				die("unexpected region");
			L.memfd = fd;
			L.size = m.add_region.size;
			L.base = mmap(NULL, L.size, PROT_READ | PROT_WRITE,
				      MAP_SHARED, fd, 0);
			if (L.base == MAP_FAILED)
				die("mmap: %s", strerror(errno));
			if (is("hangup"))
				return;
			if (is("stall"))
				wait_end(o.seconds < 0 ? 10 : o.seconds);
			if (is("disconnect")) {
				m = (struct msg){ .type = T_DISCONNECT };
				memset(m.disconnect.string, 'x', REASON_LEN);
				memcpy(m.disconnect.string, "evil\1says\tno", 12);
				send_msg(&m, -1);
				wait_end(2);
			}
		} else if (m.type == T_ADD_RING) {
			if (fd < 0)
				die("ring without fd");
			server_ring(&m, fd);
		} else if (m.type == T_CONNECT) {
			break;
		} else {
			die("unexpected message %u", m.type);
		}
		send_type(T_ACK);
	}
	if (!L.rx || !L.tx)
		die("rings missing");
	if (is("ack-for-connect")) {
		send_type(T_ACK);
		wait_end(5);
	}
	m = (struct msg){ .type = T_CONNECTED };
	snprintf((char *)m.connect.if_name, NAME_LEN, "evil");
	if (is("d-vnet"))
		put_ext(&m, 0);
	send_msg(&m, -1);
	if (is("connected-twice")) {
		send_msg(&m, -1);
		wait_end(5);
	}
	/* The kernel client starts its data path once it has handled
	 * CONNECTED, and hands us its S2C buffers then: until that, a broken
	 * ring would be found by its handshake checks, not by its data path.
	 */
	if (is("irq-probe"))
		irq_probe();
	if (!strncmp(o.sc, "d-", 2)) {
		double end = now() + 3;

		while (!load(&L.tx->head) && now() < end)
			usleep(1000);
	}
	printf("connected\n");
	fflush(stdout);
	data_scenario();
}

/* The connection is over: exit, or with --then-good start again as a
 * correct peer (a server keeps its socket, so the kernel's next attempt
 * is ours).
 */
static void conn_end(void)
{
	fflush(stdout);
	/* keep-regions: whatever the client does, take the next one. */
	if (is("keep-regions") && now() < keep_end) {
		close(cs);
		run_server();
		exit(0);
	}
	if (!o.then_good)
		exit(0);
	o.then_good = 0;
	o.sc = "good";
	close(cs);
	if (L.base && L.base != MAP_FAILED)
		munmap(L.base, L.size);
	if (L.memfd >= 0)
		close(L.memfd);
	if (L.c2s_fd >= 0)
		close(L.c2s_fd);
	if (L.s2c_fd >= 0)
		close(L.s2c_fd);
	memset(&L, 0, sizeof(L));
	L.memfd = L.rx_fd = L.tx_fd = L.c2s_fd = L.s2c_fd = -1;
	printf("then good\n");
	if (o.server)
		run_server();
	else
		run_client();
	exit(0);
}

/* --- main ------------------------------------------------------------------ */

static void on_signal(int sig)
{
	_exit(128 + sig);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: memif_evil --role client|server --socket PATH --id N\n"
		"                  [--secret S] --scenario NAME [--seconds S]\n"
		"                  [--log2 N] [--then-good] [--file PATH]\n"
		"                  [--regions N] [--region-size BYTES]\n"
		"       memif_evil --list\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "socket", required_argument, NULL, 's' },
		{ "id", required_argument, NULL, 'i' },
		{ "secret", required_argument, NULL, 'k' },
		{ "scenario", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 't' },
		{ "log2", required_argument, NULL, 'l' },
		{ "then-good", no_argument, NULL, 'g' },
		{ "file", required_argument, NULL, 'f' },
		{ "regions", required_argument, NULL, 'n' },
		{ "region-size", required_argument, NULL, 'z' },
		{ "list", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const struct scenario *sc = NULL;
	const char *role = NULL;
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 's':
			o.path = optarg;
			break;
		case 'i':
			o.id = strtoul(optarg, NULL, 0);
			break;
		case 'k':
			o.secret = optarg;
			break;
		case 'c':
			o.sc = optarg;
			break;
		case 't':
			o.seconds = strtod(optarg, NULL);
			break;
		case 'l':
			o.log2 = strtoul(optarg, NULL, 0);
			break;
		case 'g':
			o.then_good = 1;
			break;
		case 'f':
			o.file = optarg;
			break;
		case 'n':
			o.regions = strtoul(optarg, NULL, 0);
			break;
		case 'z':
			o.region_size = strtoull(optarg, NULL, 0);
			break;
		case 'L':
			for (i = 0; i < N_SCENARIOS; i++)
				printf("%-20s %-6s %-8s %s\n", scenarios[i].name,
				       scenarios[i].role == 'B' ? "both" :
				       scenarios[i].role == 'C' ? "client" :
				       "server", phase_name[scenarios[i].phase],
				       scenarios[i].what);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!role || !o.path || !o.sc) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(role, "server"))
		o.server = 1;
	else if (strcmp(role, "client"))
		die("role must be client or server");
	for (i = 0; i < N_SCENARIOS; i++)
		if (!strcmp(scenarios[i].name, o.sc))
			sc = &scenarios[i];
	if (!sc)
		die("unknown scenario %s (see --list)", o.sc);
	if (sc->role != 'B' && sc->role != (o.server ? 'S' : 'C'))
		die("scenario %s is not for the %s role", o.sc, role);
	if (o.log2 < 1 || o.log2 > 14)
		die("--log2 must be 1..14");
	/* Background jobs of a script start with SIGINT ignored. */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	keep_end = now() + (o.seconds < 0 ? 30 : o.seconds);
	if (o.server)
		run_server();
	else
		run_client();
	conn_end();
	return 0;
}
