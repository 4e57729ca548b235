// SPDX-License-Identifier: GPL-2.0
/*
 * memifctl: parsing RTM_NEWLINK messages of a link dump into struct link,
 * as the field tables of fields.c say.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <linux/if_memif.h>

#include "memifctl.h"

_Static_assert(IFLA_MEMIF_MAX < 64 && IFLA_MEMIF_RING_MAX < 64 &&
	       IFLA_MEMIF_REGION_MAX < 64, "have[] masks of 64 bits");

struct attr_tb {
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_tb_cb(const struct nlattr *attr, void *data)
{
	const struct attr_tb *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

static void parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			 unsigned int max)
{
	struct attr_tb t = { .tb = tb, .max = max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_nested(nest, attr_tb_cb, &t);
}

/* @attr, if it is present and valid as @type; else NULL. */
static const struct nlattr *valid(const struct nlattr *attr,
				  enum mnl_attr_data_type type)
{
	if (!attr || mnl_attr_validate(attr, type) < 0)
		return NULL;
	return attr;
}

/* A copy of a string attribute; trusts no NUL termination. */
static int attr_strdup(const struct nlattr *attr, char **s)
{
	*s = strndup(mnl_attr_get_payload(attr),
		     mnl_attr_get_payload_len(attr));
	return *s ? 0 : -1;
}

/* Store the value of @a, valid for @f, where @f says in @obj. */
static int store(const struct field *f, const struct nlattr *a, void *obj)
{
	char *p = (char *)obj + f->off;

	switch (f->type) {
	case MNL_TYPE_U8:
		*(uint8_t *)p = mnl_attr_get_u8(a);
		return 0;
	case MNL_TYPE_U16:
		*(uint16_t *)p = mnl_attr_get_u16(a);
		return 0;
	case MNL_TYPE_U32:
		*(uint32_t *)p = mnl_attr_get_u32(a);
		return 0;
	case MNL_TYPE_U64:
		*(uint64_t *)p = mnl_attr_get_u64(a);
		return 0;
	default:
		return attr_strdup(a, (char **)p);
	}
}

/*
 * Store the attributes in @tb (@max + 1 slots) that the fields of @t from
 * @src read into @obj, and mark them in its have[@src].  Those that are
 * not valid, malformed or from a newer kernel, are left out: not
 * reported.  Fields that show the same attribute share its value, which
 * is stored once.  Returns -1 when out of memory.
 */
static int parse_fields(const struct field_table *t, enum field_src src,
			const struct nlattr **tb, unsigned int max, void *obj)
{
	uint64_t *have = obj;
	const struct field *f;
	size_t i;

	for (i = 0; i < t->n; i++) {
		f = &t->v[i];
		if (f->src != src || f->attr > max ||
		    (have[src] & 1ull << f->attr) ||
		    !valid(tb[f->attr], f->type))
			continue;
		if (store(f, tb[f->attr], obj))
			return -1;
		have[src] |= 1ull << f->attr;
	}
	return 0;
}

/* Both lists: the type of an entry, and its attribute slots. */
#define ENTRY_TYPE	IFLA_MEMIF_RING_ENTRY
#define ENTRY_ATTR_MAX	IFLA_MEMIF_RING_MAX
_Static_assert(ENTRY_TYPE == IFLA_MEMIF_REGION_ENTRY &&
	       IFLA_MEMIF_REGION_MAX <= ENTRY_ATTR_MAX,
	       "one parser for both lists");

/*
 * The entries of IFLA_MEMIF_REGIONS or IFLA_MEMIF_RINGS (@nest), as a new
 * array in *@arr of *@n objects described by @t, whose attributes go up
 * to @max.  Returns -1 when out of memory.
 */
static int parse_list(const struct nlattr *nest, const struct field_table *t,
		      unsigned int max, void **arr, size_t *n)
{
	const struct nlattr *tb[ENTRY_ATTR_MAX + 1];
	const struct nlattr *entry;
	size_t count = 0;
	char *elem;

	mnl_attr_for_each_nested(entry, nest)
		if (mnl_attr_get_type(entry) == ENTRY_TYPE)
			count++;
	free(*arr);
	*n = 0;
	*arr = calloc(count + 1, t->size);
	if (!*arr)
		return -1;
	mnl_attr_for_each_nested(entry, nest) {
		if (mnl_attr_get_type(entry) != ENTRY_TYPE ||
		    !valid(entry, MNL_TYPE_NESTED))
			continue;
		elem = (char *)*arr + (*n)++ * t->size;
		parse_nested(entry, tb, max);
		if (parse_fields(t, SRC_DATA, tb, max, elem))
			return -1;
	}
	return 0;
}

static int parse_memif_data(const struct nlattr *nest, struct link *l)
{
	const struct nlattr *tb[IFLA_MEMIF_MAX + 1];
	const struct nlattr *a;

	parse_nested(nest, tb, IFLA_MEMIF_MAX);
	if (parse_fields(&link_fields, SRC_DATA, tb, IFLA_MEMIF_MAX, l))
		return -1;
	a = valid(tb[IFLA_MEMIF_REGIONS], MNL_TYPE_NESTED);
	if (a && parse_list(a, &region_fields, IFLA_MEMIF_REGION_MAX,
			    (void **)&l->regions, &l->n_regions))
		return -1;
	a = valid(tb[IFLA_MEMIF_RINGS], MNL_TYPE_NESTED);
	if (a && parse_list(a, &ring_fields, IFLA_MEMIF_RING_MAX,
			    (void **)&l->rings, &l->n_rings))
		return -1;
	return 0;
}

static void link_free(struct link *l)
{
	free(l->name);
	free(l->kind);
	free(l->socket);
	free(l->peer_name);
	free(l->peer_app);
	free(l->disc_reason);
	free(l->regions);
	free(l->rings);
}

void link_list_free(struct link_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		link_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
	list->cap = 0;
}

static int parse_link(const struct nlmsghdr *nlh, struct link *l)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	const struct nlattr *li[IFLA_INFO_MAX + 1];
	struct attr_tb t = { .tb = tb, .max = IFLA_MAX };
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	l->have[SRC_HDR] = ~0ull;
	l->ifindex = (uint32_t)ifm->ifi_index;
	l->flags = ifm->ifi_flags;
	mnl_attr_parse(nlh, sizeof(*ifm), attr_tb_cb, &t);
	if (parse_fields(&link_fields, SRC_LINK, tb, IFLA_MAX, l))
		return -1;

	if (!valid(tb[IFLA_LINKINFO], MNL_TYPE_NESTED))
		return 0;
	parse_nested(tb[IFLA_LINKINFO], li, IFLA_INFO_MAX);
	a = valid(li[IFLA_INFO_KIND], MNL_TYPE_STRING);
	if (a && attr_strdup(a, &l->kind))
		return -1;
	if (is_memif(l) && valid(li[IFLA_INFO_DATA], MNL_TYPE_NESTED))
		return parse_memif_data(li[IFLA_INFO_DATA], l);
	return 0;
}

bool is_memif(const struct link *l)
{
	return l->kind && !strcmp(l->kind, MEMIF_KIND);
}

int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_list *list = data;
	struct link l = { 0 };

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return MNL_CB_OK;

	if (parse_link(nlh, &l))
		goto nomem;
	if (!l.name || (list->memif_only && !is_memif(&l))) {
		link_free(&l);
		return MNL_CB_OK;
	}
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 8;
		struct link *v = realloc(list->v, cap * sizeof(*v));

		if (!v)
			goto nomem;
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = l;
	return MNL_CB_OK;

nomem:
	link_free(&l);
	errno = ENOMEM;
	return MNL_CB_ERROR;
}
