/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little of the kernel that drivers/net/memif/validate.c uses, for
 * building it into userspace fuzzers.  Force-included (-include) before
 * anything else; include/linux/ holds empty stand-ins for the kernel
 * headers /usr/include has no uapi twin of.
 */
#ifndef _MEMIF_FUZZ_KSHIM_H
#define _MEMIF_FUZZ_KSHIM_H

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define __packed		__attribute__((__packed__))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/* A plain volatile access, as the kernel's for scalars. */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define U8_MAX			((u8)~0U)
#define U16_MAX			((u16)~0U)
#define U32_MAX			((u32)~0U)
#define U64_MAX			((u64)~0ULL)

#define BUILD_BUG_ON(c)		static_assert(!(c), #c)

/* The kernel's min() refuses mixed types at build time; the module's own
 * build checks that, here they only have to compute the same.
 */
#define min(a, b) ({							\
	__typeof__(a) _a = (a);						\
	__typeof__(b) _b = (b);						\
	_a < _b ? _a : _b;						\
})
#define max(a, b) ({							\
	__typeof__(a) _a = (a);						\
	__typeof__(b) _b = (b);						\
	_a > _b ? _a : _b;						\
})
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))

/* The kernel's isprint(): ASCII and Latin-1 printables, whatever the locale. */
#undef isprint
#define isprint(c)		kshim_isprint(c)
static inline int kshim_isprint(int c)
{
	c &= 0xff;
	return (c >= 0x20 && c <= 0x7e) || c >= 0xa0;
}

#endif /* _MEMIF_FUZZ_KSHIM_H */
