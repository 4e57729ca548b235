// SPDX-License-Identifier: GPL-2.0
/*
 * memif link settings: command line parser and enum names.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* A decimal or 0x-prefixed hexadecimal number; no sign, no blanks. */
static int parse_u64(const char *s, uint64_t *val)
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
	if (errno || *end)
		return -1;
	*val = v;
	return 0;
}

int memif_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *val)
{
	uint64_t v;

	if (parse_u64(s, &v) || v < min || v > max)
		return -1;
	*val = (uint32_t)v;
	return 0;
}

/* Binary multiples, by their letter: K is 1 << 10, M 1 << 20, ... */
static const char size_suffixes[] = "KMGT";

/* A number with an optional suffix from size_suffixes[], in any case. */
static int parse_size(const char *s, uint64_t min, uint64_t max,
		      uint64_t *val)
{
	const char *suffix = NULL;
	unsigned int shift = 0;
	size_t len = strlen(s);
	char num[32];
	uint64_t v;

	if (len)
		suffix = strchr(size_suffixes, toupper((unsigned char)s[len - 1]));
	if (suffix) {
		shift = 10 * (unsigned int)(suffix - size_suffixes + 1);
		len--;
	}
	if (len >= sizeof(num))
		return -1;
	memcpy(num, s, len);
	num[len] = '\0';
	if (parse_u64(num, &v) || v > UINT64_MAX >> shift)
		return -1;
	v <<= shift;
	if (v < min || v > max)
		return -1;
	*val = v;
	return 0;
}

const char *memif_format_size(uint64_t bytes, char *buf, size_t len)
{
	unsigned int i = sizeof(size_suffixes) - 1, shift;

	while (i--) {
		shift = 10 * (i + 1);
		if (bytes && !(bytes & ((1ull << shift) - 1))) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(bytes >> shift),
				 size_suffixes[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
	return buf;
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

/*
 * Where a keyword's value is kept in struct memif_args, and its size
 * (args_layout is only looked at by sizeof).
 */
static const struct memif_args args_layout __attribute__((unused));
#define ARG_OFF(m)	offsetof(struct memif_args, m)
#define ARG_LEN(m)	sizeof(args_layout.m)

/*
 * struct keyword - one keyword of the command line
 * @name: as given on the command line
 * @bit: its MEMIF_ARG_* bit
 * @attr: the IFLA_MEMIF_* attribute it is sent as; 0 for queues, which is
 *	not one
 * @off, @len: the value in struct memif_args; @len 0 for a string, sent
 *	with its NUL
 */
struct keyword {
	const char *name;
	unsigned int bit;
	uint16_t attr;
	uint16_t off, len;
};

static const struct keyword keywords[] = {
	{ "role", MEMIF_ARG_ROLE, IFLA_MEMIF_ROLE, ARG_OFF(role),
	  ARG_LEN(role) },
	{ "socket", MEMIF_ARG_SOCKET, IFLA_MEMIF_SOCKET, ARG_OFF(socket), 0 },
	{ "id", MEMIF_ARG_ID, IFLA_MEMIF_ID, ARG_OFF(id), ARG_LEN(id) },
	{ "secret", MEMIF_ARG_SECRET, IFLA_MEMIF_SECRET, ARG_OFF(secret), 0 },
	{ "mode", MEMIF_ARG_MODE, IFLA_MEMIF_MODE, ARG_OFF(mode),
	  ARG_LEN(mode) },
	{ "ring-size", MEMIF_ARG_RING_SIZE, IFLA_MEMIF_LOG2_RING_SIZE,
	  ARG_OFF(log2_ring_size), ARG_LEN(log2_ring_size) },
	{ "buffer-size", MEMIF_ARG_BUFFER_SIZE, IFLA_MEMIF_BUFFER_SIZE,
	  ARG_OFF(buffer_size), ARG_LEN(buffer_size) },
	{ "queues", MEMIF_ARG_QUEUES, 0, ARG_OFF(queues), ARG_LEN(queues) },
	{ "offloads", MEMIF_ARG_OFFLOADS, IFLA_MEMIF_OFFLOADS,
	  ARG_OFF(offloads), ARG_LEN(offloads) },
	{ "max-memory", MEMIF_ARG_MAX_MEMORY, IFLA_MEMIF_MAX_MEMORY,
	  ARG_OFF(max_memory), ARG_LEN(max_memory) },
	{ "socket-uid", MEMIF_ARG_SOCKET_UID, IFLA_MEMIF_SOCKET_UID,
	  ARG_OFF(socket_uid), ARG_LEN(socket_uid) },
	{ "socket-gid", MEMIF_ARG_SOCKET_GID, IFLA_MEMIF_SOCKET_GID,
	  ARG_OFF(socket_gid), ARG_LEN(socket_gid) },
	{ "socket-mode", MEMIF_ARG_SOCKET_MODE, IFLA_MEMIF_SOCKET_MODE,
	  ARG_OFF(socket_mode), ARG_LEN(socket_mode) },
	{ "peer-uid", MEMIF_ARG_PEER_UID, IFLA_MEMIF_PEER_UID,
	  ARG_OFF(peer_uid), ARG_LEN(peer_uid) },
	{ "peer-gid", MEMIF_ARG_PEER_GID, IFLA_MEMIF_PEER_GID,
	  ARG_OFF(peer_gid), ARG_LEN(peer_gid) },
	{ "cacheline", MEMIF_ARG_CACHELINE, IFLA_MEMIF_CACHELINE,
	  ARG_OFF(cacheline), ARG_LEN(cacheline) },
};

static const struct keyword *find_keyword(const char *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(s, keywords[i].name))
			return &keywords[i];
	return NULL;
}

static unsigned int log2_u32(uint32_t v)
{
	unsigned int n = 0;

	while (v >>= 1)
		n++;
	return n;
}

/*
 * A user or group id (@group) for keyword @kw into *@id: a decimal
 * number, a name, or "none".  Returns 0 or -1 with @err filled in.
 */
static int parse_id(const struct keyword *kw, bool group, const char *val,
		    uint32_t *id, char *err, size_t errlen)
{
	const char *what = group ? "group" : "user";
	const struct passwd *pw;
	const struct group *gr;
	uint64_t v;

	if (!strcmp(val, "none")) {
		*id = MEMIF_ID_NONE;
		return 0;
	}
	if (!*val || strspn(val, "0123456789") == strlen(val)) {
		/* MEMIF_ID_NONE is (uid_t)-1: no user has it */
		if (!*val || parse_u64(val, &v) || v >= MEMIF_ID_NONE) {
			set_err(err, errlen,
				"%s must be a %s name, an integer between 0 and %u or none (got \"%s\")",
				kw->name, what, MEMIF_ID_NONE - 1, val);
			return -1;
		}
		*id = (uint32_t)v;
		return 0;
	}
	if (group) {
		gr = getgrnam(val);
		if (gr) {
			*id = gr->gr_gid;
			return 0;
		}
	} else {
		pw = getpwnam(val);
		if (pw) {
			*id = pw->pw_uid;
			return 0;
		}
	}
	set_err(err, errlen, "%s: no such %s \"%s\"", kw->name, what, val);
	return -1;
}

/* Permissions in octal, as chmod(1) takes them: "0660" or "660". */
static int parse_mode(const char *s, uint16_t *mode)
{
	unsigned long v;
	char *end;

	if (!*s || strspn(s, "01234567") != strlen(s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno || *end || v > 0777)
		return -1;
	*mode = (uint16_t)v;
	return 0;
}

/* Store one value; returns 0 or -1 with @err filled in. */
static int parse_value(struct memif_args *a, const struct keyword *kw,
		       const char *val, char *err, size_t errlen)
{
	char min[24], max[24];
	uint32_t v;
	size_t len;

	switch (kw->bit) {
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
	case MEMIF_ARG_MAX_MEMORY:
		if (parse_size(val, MEMIF_MAX_MEMORY_MIN, MEMIF_MAX_MEMORY_MAX,
			       &a->max_memory)) {
			set_err(err, errlen,
				"max-memory must be between %s and %s (got \"%s\")",
				memif_format_size(MEMIF_MAX_MEMORY_MIN, min,
						  sizeof(min)),
				memif_format_size(MEMIF_MAX_MEMORY_MAX, max,
						  sizeof(max)),
				val);
			return -1;
		}
		break;
	case MEMIF_ARG_SOCKET_UID:
		return parse_id(kw, false, val, &a->socket_uid, err, errlen);
	case MEMIF_ARG_SOCKET_GID:
		return parse_id(kw, true, val, &a->socket_gid, err, errlen);
	case MEMIF_ARG_PEER_UID:
		return parse_id(kw, false, val, &a->peer_uid, err, errlen);
	case MEMIF_ARG_PEER_GID:
		return parse_id(kw, true, val, &a->peer_gid, err, errlen);
	case MEMIF_ARG_SOCKET_MODE:
		if (parse_mode(val, &a->socket_mode)) {
			set_err(err, errlen,
				"socket-mode must be an octal number between 0 and 0777 (got \"%s\")",
				val);
			return -1;
		}
		break;
	case MEMIF_ARG_CACHELINE:
		if (strcmp(val, "64") && strcmp(val, "128")) {
			set_err(err, errlen,
				"cacheline must be 64 or 128 (got \"%s\")", val);
			return -1;
		}
		a->cacheline = (uint16_t)atoi(val);
		break;
	}
	return 0;
}

int memif_args_parse(int argc, char *const argv[], struct memif_args *args,
		     char *err, size_t errlen)
{
	const struct keyword *kw;
	int i;

	memset(args, 0, sizeof(*args));
	for (i = 0; i < argc; i += 2) {
		kw = find_keyword(argv[i]);
		if (!kw) {
			set_err(err, errlen, "unknown option \"%s\"", argv[i]);
			return -1;
		}
		if (args->set & kw->bit) {
			set_err(err, errlen, "\"%s\" given more than once",
				argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			set_err(err, errlen, "missing value after \"%s\"",
				argv[i]);
			return -1;
		}
		if (parse_value(args, kw, argv[i + 1], err, errlen))
			return -1;
		args->set |= kw->bit;
	}
	return 0;
}

int memif_args_put(const struct memif_args *args,
		   int (*put)(void *ctx, uint16_t type, const void *data,
			      size_t len),
		   void *ctx)
{
	const struct keyword *kw;
	const char *val;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(keywords); i++) {
		kw = &keywords[i];
		if (!kw->attr || !(args->set & kw->bit))
			continue;
		val = (const char *)args + kw->off;
		ret = put(ctx, kw->attr, val, kw->len ? kw->len :
			  strlen(val) + 1);
		if (ret)
			return ret;
	}
	return 0;
}
