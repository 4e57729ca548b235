/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the memif fuzz targets share: reading fields off the fuzzer's
 * input, and the property checks that make a wrong answer a crash.
 */
#ifndef _MEMIF_FUZZ_H
#define _MEMIF_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#include "validate.h"

/* A property the checks must guarantee does not hold: a bug. */
#define PROPERTY(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property violated: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/* The input, consumed front to back; zeroes once it runs out. */
struct input {
	const u8 *p;
	size_t n;
};

static inline void take(struct input *in, void *dst, size_t len)
{
	size_t k = len < in->n ? len : in->n;

	memcpy(dst, in->p, k);
	memset((u8 *)dst + k, 0, len - k);
	in->p += k;
	in->n -= k;
}

static inline u8 take8(struct input *in)
{
	u8 v;

	take(in, &v, sizeof(v));
	return v;
}

static inline u16 take16(struct input *in)
{
	u16 v;

	take(in, &v, sizeof(v));
	return v;
}

static inline u32 take32(struct input *in)
{
	u32 v;

	take(in, &v, sizeof(v));
	return v;
}

/* Read every byte of [p, p + len): AddressSanitizer stops at the first
 * one outside its allocation.
 */
static inline void touch(const void *p, size_t len)
{
	const volatile u8 *b = p;
	u8 sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum ^= b[i];
	(void)sum;
}

/* What memif_copy_name() makes of a peer's field: a NUL-terminated,
 * printable prefix of it.
 */
static inline void check_copy_name(const u8 *src, size_t len)
{
	char dst[256];
	size_t i, n;

	PROPERTY(len >= 1 && len <= sizeof(dst));
	memset(dst, 0x55, sizeof(dst));
	memif_copy_name(dst, src, len);
	n = strnlen(dst, len);
	PROPERTY(n < len);
	for (i = 0; i < n; i++) {
		PROPERTY(src[i] != 0);
		PROPERTY(isprint((u8)dst[i]));
		PROPERTY(dst[i] == (char)src[i] || dst[i] == '?');
	}
	PROPERTY(n == len - 1 || src[n] == 0);
	/* Nothing written past the terminator. */
	for (i = n + 1; i < sizeof(dst); i++)
		PROPERTY(dst[i] == 0x55);
}

#endif /* _MEMIF_FUZZ_H */
