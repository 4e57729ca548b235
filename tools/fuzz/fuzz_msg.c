// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the checks of control messages, fed in the order ctrl.c's state
 * machine would feed them: a server gets INIT, then ADD_REGION and
 * ADD_RING with their (pretend) fds, then CONNECT; a client gets HELLO,
 * then CONNECTED; either may get DISCONNECT.  A refused message ends the
 * connection and the next message starts a new one, as a client that
 * reconnects.  Accepted regions are allocated at exactly their announced
 * size and accepted rings are written in full, so AddressSanitizer
 * catches a ring outside its region; the properties below catch answers
 * that are wrong.
 *
 * Input: the link's settings (role, mode, queues, ring size, secret),
 * then records of a flags byte (bit 0: an fd came with it), the size of
 * the file behind that fd, and a 128-byte message.
 */
#include "fuzz.h"

/* Regions larger than this are refused as if they could not be mapped:
 * the fuzzer allocates every region it accepts.
 */
#define FUZZ_MAP_MAX	BIT(20)

struct link_cfg {
	bool server;
	u8 mode;
	u16 num_tx;
	u16 num_rx;
	u8 log2;
	bool secret;
};

struct server {
	bool inited;
	u16 n_regions;
	struct memif_region regions[MEMIF_MAX_REGIONS];
	u16 n_tx;
	u16 n_rx;
};

/* As ctrl.c reads the Linux extension of HELLO, INIT and CONNECTED: the
 * magic decides, the features are taken as they are, and what
 * memif_ext_put() writes reads back the same.
 */
static void check_ext(const struct memif_msg *msg)
{
	const u8 *raw = (const u8 *)msg + MEMIF_EXT_OFFSET;
	struct memif_msg copy = *msg;
	u32 magic, features, f;
	bool has;

	memcpy(&magic, raw, sizeof(magic));
	memcpy(&f, raw + sizeof(magic), sizeof(f));
	has = memif_ext_get(msg, &features);
	PROPERTY(has == (magic == MEMIF_EXT_MAGIC));
	PROPERTY(features == (has ? f : 0));
	memif_ext_put(&copy, features ^ 1);
	PROPERTY(memif_ext_get(&copy, &f) && f == (features ^ 1));
	PROPERTY(!memcmp(&copy, msg, MEMIF_EXT_OFFSET));
}

static void server_reset(struct server *s)
{
	while (s->n_regions)
		free(s->regions[--s->n_regions].base);
	memset(s, 0, sizeof(*s));
}

/* As memif_ring_server_place(), then memif_rx_start()/_tx_ on the ring. */
static const char *server_add_ring(struct server *s, const struct link_cfg *l,
				   const struct memif_msg_add_ring *ar,
				   bool has_file)
{
	bool c2s = ar->flags & MEMIF_MSG_ADD_RING_FLAG_C2S;
	u16 n = c2s ? s->n_rx : s->n_tx;
	const struct memif_region *r;
	struct memif_ring *ring;
	const char *reason;
	u32 bytes;

	reason = memif_valid_add_ring(ar, has_file, n,
				      c2s ? l->num_rx : l->num_tx);
	if (reason)
		return reason;
	PROPERTY(ar->index == n && n < (c2s ? l->num_rx : l->num_tx));
	PROPERTY(!(ar->flags & ~MEMIF_MSG_ADD_RING_FLAG_C2S));
	reason = memif_valid_ring(ar, s->regions, s->n_regions);
	if (reason)
		return reason;
	PROPERTY(ar->region < s->n_regions);
	PROPERTY(ar->log2_ring_size >= MEMIF_LOG2_RING_SIZE_MIN &&
		 ar->log2_ring_size <= MEMIF_LOG2_RING_SIZE_MAX);
	PROPERTY(ar->offset % 8 == 0);
	r = &s->regions[ar->region];
	/* What ADD_RING checks: the smaller layout fits. */
	bytes = memif_ring_bytes(ar->log2_ring_size, MEMIF_CACHELINE_64);
	PROPERTY((u64)ar->offset + bytes <= r->size);
	ring = (struct memif_ring *)((u8 *)r->base + ar->offset);
	/* The data path reads the header and every descriptor. */
	touch(ring, bytes);
	WRITE_ONCE(ring->flags, 0);
	WRITE_ONCE(*memif_ring_tail(ring, MEMIF_CACHELINE_64), 0);
	touch(&memif_ring_desc(ring, MEMIF_CACHELINE_64)
		[(1U << ar->log2_ring_size) - 1], sizeof(struct memif_desc));
	if (c2s)
		s->n_rx++;
	else
		s->n_tx++;
	return NULL;
}

static const char *server_add_region(struct server *s,
				     const struct memif_msg_add_region *ar,
				     bool has_file, u32 file_size)
{
	struct memif_region *r;
	const char *reason;

	reason = memif_valid_add_region(ar, has_file, s->n_regions);
	if (reason)
		return reason;
	PROPERTY(ar->index == s->n_regions && ar->index < MEMIF_MAX_REGIONS);
	PROPERTY(ar->size >= 1 && ar->size <= MEMIF_MAP_MAX);
	/* memif_region_map(): the file must hold what is announced. */
	if (file_size < ar->size)
		return "region fd is smaller than announced";
	if (ar->size > FUZZ_MAP_MAX)
		return "cannot map region";
	r = &s->regions[s->n_regions++];
	r->size = ar->size;
	r->base = calloc(1, r->size);
	return NULL;
}

/* As memif_listener_dispatch(), memif_ctrl_accept() and
 * memif_server_handle().
 */
static const char *server_msg(struct server *s, const struct link_cfg *l,
			      const struct memif_msg *msg, bool has_file,
			      u32 file_size)
{
	const char *reason;

	if (!s->inited) {
		if (has_file)
			return "unexpected file descriptor";
		if (msg->type != MEMIF_MSG_INIT)
			return "unexpected message";
		reason = memif_valid_init(&msg->init, l->mode, l->secret);
		if (reason)
			return reason;
		PROPERTY(msg->init.version == MEMIF_VERSION);
		PROPERTY(msg->init.mode == l->mode);
		PROPERTY(!l->secret || msg->init.secret[0]);
		check_copy_name(msg->init.name, sizeof(msg->init.name));
		check_ext(msg);
		s->inited = true;
		return NULL;
	}
	if (has_file && msg->type != MEMIF_MSG_ADD_REGION &&
	    msg->type != MEMIF_MSG_ADD_RING)
		return "unexpected file descriptor";
	switch (msg->type) {
	case MEMIF_MSG_ADD_REGION:
		return server_add_region(s, &msg->add_region, has_file,
					 file_size);
	case MEMIF_MSG_ADD_RING:
		return server_add_ring(s, l, &msg->add_ring, has_file);
	case MEMIF_MSG_CONNECT:
		if (!s->n_rx || !s->n_tx)
			return "no rings";
		check_copy_name(msg->connect.if_name,
				sizeof(msg->connect.if_name));
		return "connected";
	case MEMIF_MSG_DISCONNECT:
		check_copy_name(msg->disconnect.string,
				sizeof(msg->disconnect.string));
		return "peer disconnected";
	default:
		return "unexpected message";
	}
}

/* As memif_client_hello(), and link.c's limits on the settings. */
static const char *client_hello(const struct link_cfg *l,
				const struct memif_msg_hello *h)
{
	struct memif_geometry want = {
		.n_c2s = l->num_tx,
		.n_s2c = l->num_rx,
		.log2_ring_size = l->log2,
	}, run;
	const char *reason;
	u32 bsize = 2048;

	reason = memif_valid_hello(h, &want, &run);
	if (reason)
		return reason;
	PROPERTY(h->min_version <= MEMIF_VERSION &&
		 h->max_version >= MEMIF_VERSION);
	PROPERTY(run.n_c2s >= 1 && run.n_c2s <= want.n_c2s &&
		 run.n_c2s <= (u32)h->max_c2s_ring + 1);
	PROPERTY(run.n_s2c >= 1 && run.n_s2c <= want.n_s2c &&
		 run.n_s2c <= (u32)h->max_s2c_ring + 1);
	PROPERTY(run.log2_ring_size >= MEMIF_LOG2_RING_SIZE_MIN &&
		 run.log2_ring_size <= want.log2_ring_size &&
		 run.log2_ring_size <= h->max_log2_ring_size);
	/* What link.c allowed stays allowed: the region never grows. */
	PROPERTY(memif_ring_region_size(run.n_c2s, run.n_s2c,
					run.log2_ring_size, bsize,
					MEMIF_CACHELINE_128) <=
		 memif_ring_region_size(want.n_c2s, want.n_s2c,
					want.log2_ring_size, bsize,
					MEMIF_CACHELINE_128));
	check_copy_name(h->name, sizeof(h->name));
	return NULL;
}

static const char *client_msg(bool *helloed, const struct link_cfg *l,
			      const struct memif_msg *msg)
{
	const char *reason;

	switch (msg->type) {
	case MEMIF_MSG_HELLO:
		if (*helloed)
			return "unexpected HELLO";
		reason = client_hello(l, &msg->hello);
		check_ext(msg);
		*helloed = !reason;
		return reason;
	case MEMIF_MSG_ACK:
		return *helloed ? NULL : "unexpected ACK";
	case MEMIF_MSG_CONNECTED:
		if (!*helloed)
			return "unexpected CONNECTED";
		check_copy_name(msg->connect.if_name,
				sizeof(msg->connect.if_name));
		check_ext(msg);
		return "connected";
	case MEMIF_MSG_DISCONNECT:
		check_copy_name(msg->disconnect.string,
				sizeof(msg->disconnect.string));
		return "peer disconnected";
	default:
		return "unexpected message type";
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct server s = {};
	struct link_cfg l;
	bool helloed = false;
	u8 cfg = take8(&in);

	l.server = cfg & 1;
	l.secret = cfg & 2;
	l.mode = (cfg >> 2) & 1;
	/* Queues and ring size within what link.c accepts. */
	l.num_tx = 1 + take8(&in) % 8;
	l.num_rx = 1 + take8(&in) % 8;
	l.log2 = MEMIF_LOG2_RING_SIZE_MIN +
		 take8(&in) % (MEMIF_LOG2_RING_SIZE_MAX -
			       MEMIF_LOG2_RING_SIZE_MIN + 1);

	while (in.n) {
		struct memif_msg msg;
		bool has_file = take8(&in) & 1;
		u32 file_size = take32(&in);
		const char *reason;

		take(&in, &msg, sizeof(msg));
		if (l.server) {
			reason = server_msg(&s, &l, &msg, has_file, file_size);
			if (reason)	/* Disconnected: the client may retry. */
				server_reset(&s);
		} else {
			reason = has_file ? "unexpected file descriptor" :
				 client_msg(&helloed, &l, &msg);
			if (reason)
				helloed = false;
		}
	}
	server_reset(&s);
	return 0;
}
