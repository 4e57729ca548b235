// SPDX-License-Identifier: GPL-2.0
/*
 * Write seed inputs for fuzz_msg and fuzz_ring: a few well-formed
 * handshakes and rings, so the fuzzers start past the first checks.
 *
 * usage: mkseeds MSG_DIR RING_DIR
 */
#include <stdio.h>
#include <stdlib.h>

#include "validate.h"

static void put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

struct buf {
	u8 b[8192];
	size_t n;
};

static void add(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

/* One fuzz_msg record: flags, file size, message. */
static void rec(struct buf *b, bool file, u32 file_size,
		const struct memif_msg *msg)
{
	u8 flags = file;

	add(b, &flags, 1);
	add(b, &file_size, 4);
	add(b, msg, sizeof(*msg));
}

static void msg_seeds(const char *dir)
{
	/* server, no secret, ethernet, 2+2 queues, log2 4 (index 3) */
	const u8 scfg[4] = { 0x01, 1, 1, 3 };
	const u8 ccfg[4] = { 0x00, 1, 1, 9 };
	u32 log2 = 4, nrings = 4;
	u32 ring = memif_ring_bytes(log2, MEMIF_CACHELINE_64);
	u32 size = nrings * ring + (nrings << log2) * 128;
	struct memif_msg m;
	struct buf b = {};
	u16 i;

	add(&b, scfg, sizeof(scfg));
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_INIT;
	m.init.version = MEMIF_VERSION;
	memcpy(m.init.name, "seed", 4);
	rec(&b, false, 0, &m);
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_ADD_REGION;
	m.add_region.size = size;
	rec(&b, true, size, &m);
	for (i = 0; i < nrings; i++) {
		memset(&m, 0, sizeof(m));
		m.type = MEMIF_MSG_ADD_RING;
		m.add_ring.flags = i < 2 ? MEMIF_MSG_ADD_RING_FLAG_C2S : 0;
		m.add_ring.index = i % 2;
		m.add_ring.offset = i * ring;
		m.add_ring.log2_ring_size = log2;
		rec(&b, true, 0, &m);
	}
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_CONNECT;
	memcpy(m.connect.if_name, "memif0", 6);
	rec(&b, false, 0, &m);
	put(dir, "server-handshake", b.b, b.n);

	/* One region too many. */
	b.n = 0;
	add(&b, scfg, sizeof(scfg));
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_INIT;
	m.init.version = MEMIF_VERSION;
	rec(&b, false, 0, &m);
	for (i = 0; i <= MEMIF_MAX_REGIONS; i++) {
		memset(&m, 0, sizeof(m));
		m.type = MEMIF_MSG_ADD_REGION;
		m.add_region.index = i;
		m.add_region.size = 4096;
		rec(&b, true, 4096, &m);
	}
	put(dir, "server-regions", b.b, b.n);

	b.n = 0;
	add(&b, ccfg, sizeof(ccfg));
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_HELLO;
	memcpy(m.hello.name, "VPP 24.02", 9);
	m.hello.min_version = MEMIF_VERSION;
	m.hello.max_version = MEMIF_VERSION;
	m.hello.max_region = 255;
	m.hello.max_c2s_ring = 255;
	m.hello.max_s2c_ring = 255;
	m.hello.max_log2_ring_size = 14;
	rec(&b, false, 0, &m);
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_ACK;
	rec(&b, false, 0, &m);
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_CONNECTED;
	memcpy(m.connect.if_name, "memif0/0", 8);
	rec(&b, false, 0, &m);
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_DISCONNECT;
	memcpy(m.disconnect.string, "bye", 3);
	rec(&b, false, 0, &m);
	put(dir, "client-handshake", b.b, b.n);
}

/* fuzz_ring: a 16-slot ring, role @server, with one two-slot chain of
 * @len bytes a slot and three single slots published; or, if @loop, all
 * 16 slots published and chained, the last one too.
 */
static void ring_seed(const char *dir, const char *name, bool server,
		      u16 len, bool loop)
{
	struct {
		u8 cfg, log2, n_regions;
		u16 region_size;
		u16 bsize, cursor, peer;
		struct memif_desc desc[16];
	} __packed s = {
		.cfg = server, .log2 = 3, .n_regions = 1,
		.region_size = U16_MAX, .bsize = U16_MAX,
		.cursor = 65534, .peer = 3,
	};
	u16 i;

	for (i = 0; i < 16; i++) {
		s.desc[i].offset = i * 256;
		s.desc[i].length = 60 + i;
	}
	s.desc[14].offset = 0;
	s.desc[14].length = len;
	s.desc[15].offset = 0;
	s.desc[15].length = len;
	if (loop) {
		s.peer = s.cursor + 16;
		for (i = 0; i < 16; i++)
			s.desc[i].flags = MEMIF_DESC_FLAG_NEXT;
	}
	s.desc[14].flags = MEMIF_DESC_FLAG_NEXT;
	put(dir, name, &s, sizeof(s));
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s MSG_DIR RING_DIR\n", argv[0]);
		return 2;
	}
	msg_seeds(argv[1]);
	ring_seed(argv[2], "server-ring", true, 1514, false);
	ring_seed(argv[2], "client-ring", false, 1514, false);
	/* Each slot fits, the frame does not. */
	ring_seed(argv[2], "client-jumbo", false, 40000, false);
	ring_seed(argv[2], "client-loop", false, 1514, true);
	return 0;
}
