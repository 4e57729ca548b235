// SPDX-License-Identifier: GPL-2.0
/*
 * memifctl: show links as JSON, with json-c, as the field tables of
 * fields.c say: one object per link, its keys in the order of the table.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "memifctl.h"

/* "key":value for field @f of @obj, a link or a region or ring of @l. */
static int add_field(struct json_object *o, const struct field *f,
		     const void *obj, const struct link *l)
{
	struct json_object *val = NULL;
	struct field_val v;

	field_value(f, obj, l, &v);
	switch (v.type) {
	case VAL_NONE:
		break;			/* null */
	case VAL_NUM:
		val = json_object_new_uint64(v.num);
		break;
	case VAL_BOOL:
		val = json_object_new_boolean(v.num);
		break;
	case VAL_STR:
		val = json_object_new_string(v.str);
		break;
	}
	if ((!val && v.type != VAL_NONE) ||
	    json_object_object_add_ex(o, f->json, val,
				      JSON_C_OBJECT_ADD_KEY_IS_NEW |
				      JSON_C_OBJECT_ADD_CONSTANT_KEY)) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

/* The object for @obj, described by @t; NULL when out of memory. */
static struct json_object *fields_object(const struct field_table *t,
					 const void *obj, const struct link *l)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	if (!o)
		return NULL;
	for (i = 0; i < t->n; i++) {
		if (t->v[i].json && add_field(o, &t->v[i], obj, l)) {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

/* Add to @o the array @key of the @n objects at @arr, even when empty. */
static int add_list(struct json_object *o, const char *key,
		    const struct field_table *t, const void *arr, size_t n,
		    const struct link *l)
{
	struct json_object *a = json_object_new_array();
	struct json_object *e;
	size_t i;

	if (!a)
		return -1;
	for (i = 0; i < n; i++) {
		e = fields_object(t, (const char *)arr + i * t->size, l);
		if (!e || json_object_array_add(a, e)) {
			json_object_put(e);
			goto fail;
		}
	}
	if (json_object_object_add_ex(o, key, a,
				      JSON_C_OBJECT_ADD_KEY_IS_NEW |
				      JSON_C_OBJECT_ADD_CONSTANT_KEY))
		goto fail;
	return 0;
fail:
	json_object_put(a);
	return -1;
}

static struct json_object *link_object(const struct link *l)
{
	struct json_object *o = fields_object(&link_fields, l, l);

	if (!o)
		return NULL;
	if (add_list(o, "regions", &region_fields, l->regions, l->n_regions,
		     l) ||
	    add_list(o, "rings", &ring_fields, l->rings, l->n_rings, l)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * json-c escapes what JSON requires: '"', '\\' and the C0 controls.  It
 * passes DEL and the C1 controls (one of them starts a terminal's
 * escape sequences) through as they are, and any byte that is not UTF-8.
 * Strings from the peer can have them: \u escapes for those, U+FFFD for
 * each malformed byte.  Outside strings json-c writes only ASCII.
 */
static void put_json_text(const char *s)
{
	uint32_t cp;
	size_t n;

	while (*s) {
		n = utf8_char(s, &cp);
		if (!n) {
			fputs("\\ufffd", stdout);
			s++;
			continue;
		}
		if (cp >= 0x7f && cp < 0xa0)
			printf("\\u%04x", (unsigned int)cp);
		else
			fwrite(s, 1, n, stdout);
		s += n;
	}
}

int print_links_json(const struct link_list *list)
{
	struct json_object *arr, *o;
	const char *text;
	size_t i;

	arr = json_object_new_array();
	if (!arr)
		return -1;
	for (i = 0; i < list->n; i++) {
		o = link_object(&list->v[i]);
		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			goto fail;
		}
	}
	/* {"key":value,...}: no blanks, '/' as it is */
	text = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		goto fail;
	put_json_text(text);
	putchar('\n');
	json_object_put(arr);
	return 0;
fail:
	json_object_put(arr);
	return -1;
}
