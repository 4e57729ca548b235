// SPDX-License-Identifier: GPL-2.0
/*
 * memifctl: show links as text, as the field tables of fields.c say.
 */
#include <stdio.h>

#include "memif_args.h"
#include "memifctl.h"

/*
 * Strings from the peer are untrusted: control characters (C0, DEL, C1)
 * and bytes that are not UTF-8 are printed as \xNN, and so is '\\'.
 * NULL, not reported, is "?".
 */
static void put_safe(const char *s)
{
	uint32_t cp;
	size_t n;

	if (!s) {
		putchar('?');
		return;
	}
	while (*s) {
		n = utf8_char(s, &cp);
		if (!n || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
		    cp == '\\') {
			printf("\\x%02x", (unsigned char)*s++);
			continue;
		}
		fwrite(s, 1, n, stdout);
		s += n;
	}
}

/* Field @f of @obj, a link or a region or ring of link @l. */
static void put_field(const struct field *f, const void *obj,
		      const struct link *l)
{
	struct field_val v;
	char buf[24];

	field_value(f, obj, l, &v);
	if ((f->flags & FIELD_OPT) && !field_shown(f, &v))
		return;
	fputs(f->label, stdout);
	switch (v.type) {
	case VAL_NONE:
		putchar('?');
		break;
	case VAL_STR:
		put_safe(v.str);
		break;
	case VAL_BOOL:
		fputs(v.num ? f->yes : f->no, stdout);
		break;
	case VAL_NUM:
		if (f->fmt == FMT_HEX)
			printf("0x%llx", (unsigned long long)v.num);
		else if (f->fmt == FMT_SIZE)
			fputs(memif_format_size(v.num, buf, sizeof(buf)),
			      stdout);
		else
			printf("%llu", (unsigned long long)v.num);
		break;
	}
	if (f->end)
		fputs(f->end, stdout);
}

/* Is a field on text line @line of @obj shown? */
static bool line_shown(const struct field_table *t, unsigned int line,
		       const void *obj, const struct link *l)
{
	const struct field *f;
	struct field_val v;
	size_t i;

	for (i = 0; i < t->n; i++) {
		f = &t->v[i];
		if (f->line != line || !f->label)
			continue;
		field_value(f, obj, l, &v);
		if (field_shown(f, &v))
			return true;
	}
	return false;
}

static void print_fields(const struct field_table *t, const void *obj,
			 const struct link *l)
{
	unsigned int line;
	size_t i;

	for (line = 0; line < t->lines; line++) {
		if ((t->cond_lines & 1u << line) &&
		    !line_shown(t, line, obj, l))
			continue;
		for (i = 0; i < t->n; i++)
			if (t->v[i].line == line && t->v[i].label)
				put_field(&t->v[i], obj, l);
		putchar('\n');
	}
}

static void print_link(const struct link *l)
{
	size_t i;

	print_fields(&link_fields, l, l);
	if (l->n_regions)
		puts("  regions:");
	for (i = 0; i < l->n_regions; i++)
		print_fields(&region_fields, &l->regions[i], l);
	if (l->n_rings)
		puts("  rings:");
	for (i = 0; i < l->n_rings; i++)
		print_fields(&ring_fields, &l->rings[i], l);
}

void print_links_text(const struct link_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		print_link(&list->v[i]);
}
