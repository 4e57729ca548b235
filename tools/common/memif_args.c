// SPDX-License-Identifier: GPL-2.0
/*
 * memif link settings: command line parser and enum names.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memif_args.h"

#define RING_SIZE_MIN	(1u << MEMIF_LOG2_RING_SIZE_MIN)
#define RING_SIZE_MAX	(1u << MEMIF_LOG2_RING_SIZE_MAX)

static const char *const role_names[] = {
	[MEMIF_ROLE_CLIENT] = "client",
	[MEMIF_ROLE_SERVER] = "server",
};

static const char *const mode_names[] = {
	[MEMIF_MODE_ETHERNET] = "ethernet",
	[MEMIF_MODE_IP] = "ip",
};

static const char *const state_names[] = {
	[MEMIF_STATE_DOWN] = "down",
	[MEMIF_STATE_WAITING] = "waiting for peer",
	[MEMIF_STATE_HANDSHAKE] = "handshake",
	[MEMIF_STATE_CONNECTED] = "connected",
};

static const char *const ring_dir_names[] = {
	[MEMIF_RING_C2S] = "c2s",
	[MEMIF_RING_S2C] = "s2c",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

const char *memif_role_name(unsigned int role)
{
	return role < ARRAY_SIZE(role_names) ? role_names[role] : NULL;
}

int memif_role_parse(const char *s, uint8_t *role)
{
	if (!strcmp(s, "client") || !strcmp(s, "slave"))
		*role = MEMIF_ROLE_CLIENT;
	else if (!strcmp(s, "server") || !strcmp(s, "master"))
		*role = MEMIF_ROLE_SERVER;
	else
		return -1;
	return 0;
}

const char *memif_mode_name(unsigned int mode)
{
	return mode < ARRAY_SIZE(mode_names) ? mode_names[mode] : NULL;
}

int memif_mode_parse(const char *s, uint8_t *mode)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mode_names); i++) {
		if (mode_names[i] && !strcmp(s, mode_names[i])) {
			*mode = (uint8_t)i;
			return 0;
		}
	}
	return -1;
}

const char *memif_state_name(unsigned int state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : NULL;
}

const char *memif_ring_dir_name(unsigned int dir)
{
	return dir < ARRAY_SIZE(ring_dir_names) ? ring_dir_names[dir] : NULL;
}

const char *memif_run_offloads_name(unsigned int run)
{
	if (run & MEMIF_OFFLOAD_TX)
		return run & MEMIF_OFFLOAD_RX ? "tx,rx" : "tx";
	return run & MEMIF_OFFLOAD_RX ? "rx" : "none";
}

int memif_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *val)
{
	unsigned long long v;
	const char *digits = s;
	char *end;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		digits = s + 2;
		base = 16;
	}
	/* strtoull() would accept blanks, a sign and a second "0x" */
	if (!*digits || strspn(digits, base == 16 ? "0123456789abcdefABCDEF" :
			       "0123456789") != strlen(digits))
		return -1;
	errno = 0;
	v = strtoull(digits, &end, base);
	if (errno || *end || v < min || v > max)
		return -1;
	*val = (uint32_t)v;
	return 0;
}

static void __printf(3, 4)
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const struct {
	const char *name;
	unsigned int bit;
} keywords[] = {
	{ "role", MEMIF_ARG_ROLE },
	{ "socket", MEMIF_ARG_SOCKET },
	{ "id", MEMIF_ARG_ID },
	{ "secret", MEMIF_ARG_SECRET },
	{ "mode", MEMIF_ARG_MODE },
	{ "ring-size", MEMIF_ARG_RING_SIZE },
	{ "buffer-size", MEMIF_ARG_BUFFER_SIZE },
	{ "queues", MEMIF_ARG_QUEUES },
	{ "offloads", MEMIF_ARG_OFFLOADS },
};

static unsigned int keyword_bit(const char *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(s, keywords[i].name))
			return keywords[i].bit;
	return 0;
}

static unsigned int log2_u32(uint32_t v)
{
	unsigned int n = 0;

	while (v >>= 1)
		n++;
	return n;
}

/* Store one value; returns 0 or -1 with @err filled in. */
static int parse_value(struct memif_args *a, unsigned int bit,
		       const char *val, char *err, size_t errlen)
{
	uint32_t v;
	size_t len;

	switch (bit) {
	case MEMIF_ARG_ROLE:
		if (memif_role_parse(val, &a->role)) {
			set_err(err, errlen,
				"role must be client or server (got \"%s\")",
				val);
			return -1;
		}
		break;
	case MEMIF_ARG_SOCKET:
		len = strlen(val);
		if (!len || len > MEMIF_SOCKET_MAX) {
			set_err(err, errlen,
				"socket must be 1 to %d bytes long (got %zu)",
				MEMIF_SOCKET_MAX, len);
			return -1;
		}
		/*
		 * The kernel refuses these too; refusing them here keeps a
		 * request that cannot succeed from being sent at all.
		 */
		if (val[0] != '/' && val[0] != '@') {
			set_err(err, errlen,
				"socket must be an absolute path or @name (got \"%s\")",
				val);
			return -1;
		}
		if (!strcmp(val, "@")) {
			set_err(err, errlen,
				"socket: the abstract name after '@' is empty");
			return -1;
		}
		memcpy(a->socket, val, len + 1);
		break;
	case MEMIF_ARG_ID:
		if (memif_parse_u32(val, 0, UINT32_MAX, &a->id)) {
			set_err(err, errlen,
				"id must be an integer between 0 and %u (got \"%s\")",
				UINT32_MAX, val);
			return -1;
		}
		break;
	case MEMIF_ARG_SECRET:
		/*
		 * "" is a valid value: no secret.  It is how a change
		 * request removes the secret of an existing link.
		 */
		len = strlen(val);
		if (len > MEMIF_SECRET_MAX) {
			set_err(err, errlen,
				"secret must be at most %d bytes long (got %zu)",
				MEMIF_SECRET_MAX, len);
			return -1;
		}
		memcpy(a->secret, val, len + 1);
		break;
	case MEMIF_ARG_MODE:
		if (memif_mode_parse(val, &a->mode)) {
			set_err(err, errlen,
				"mode must be ethernet or ip (got \"%s\")",
				val);
			return -1;
		}
		break;
	case MEMIF_ARG_RING_SIZE:
		if (memif_parse_u32(val, RING_SIZE_MIN, RING_SIZE_MAX, &v) ||
		    (v & (v - 1))) {
			set_err(err, errlen,
				"ring-size must be a power of two between %u and %u (got \"%s\")",
				RING_SIZE_MIN, RING_SIZE_MAX, val);
			return -1;
		}
		a->log2_ring_size = (uint8_t)log2_u32(v);
		break;
	case MEMIF_ARG_BUFFER_SIZE:
		if (memif_parse_u32(val, MEMIF_BUFFER_SIZE_MIN,
				    MEMIF_BUFFER_SIZE_MAX, &a->buffer_size)) {
			set_err(err, errlen,
				"buffer-size must be between %d and %d (got \"%s\")",
				MEMIF_BUFFER_SIZE_MIN, MEMIF_BUFFER_SIZE_MAX,
				val);
			return -1;
		}
		break;
	case MEMIF_ARG_QUEUES:
		if (memif_parse_u32(val, 1, MEMIF_MAX_QUEUES, &a->queues)) {
			set_err(err, errlen,
				"queues must be between 1 and %d (got \"%s\")",
				MEMIF_MAX_QUEUES, val);
			return -1;
		}
		break;
	case MEMIF_ARG_OFFLOADS:
		if (!strcmp(val, "on")) {
			a->offloads = 1;
		} else if (!strcmp(val, "off")) {
			a->offloads = 0;
		} else {
			set_err(err, errlen,
				"offloads must be on or off (got \"%s\")", val);
			return -1;
		}
		break;
	}
	return 0;
}

int memif_args_parse(int argc, char *const argv[], struct memif_args *args,
		     char *err, size_t errlen)
{
	unsigned int bit;
	int i;

	memset(args, 0, sizeof(*args));
	for (i = 0; i < argc; i += 2) {
		bit = keyword_bit(argv[i]);
		if (!bit) {
			set_err(err, errlen, "unknown option \"%s\"", argv[i]);
			return -1;
		}
		if (args->set & bit) {
			set_err(err, errlen, "\"%s\" given more than once",
				argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			set_err(err, errlen, "missing value after \"%s\"",
				argv[i]);
			return -1;
		}
		if (parse_value(args, bit, argv[i + 1], err, errlen))
			return -1;
		args->set |= bit;
	}
	return 0;
}
