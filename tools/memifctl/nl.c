// SPDX-License-Identifier: GPL-2.0
/*
 * memifctl: rtnetlink request/reply with extended ack messages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/socket.h>
#include <linux/netlink.h>

#include "nl.h"

/*
 * Enough for most messages: the kernel fills dump messages up to 32k, the
 * size of the largest buffer a reader used, unless one link needs more.
 * A memif link with many queues does (its rings are listed one by one),
 * so nl_recv() grows the buffer to the size of the next message.
 */
#define NL_RECV_SIZE	32768

struct talk {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
	int err;
};

int nl_open(struct nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock)
		return -errno;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return err;
	}
	/* Both are optional: old kernels just give no messages. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->buf);
	nl->buf = NULL;
	nl->buf_size = 0;
}

/*
 * Receive one datagram, into a buffer large enough for it: a message cut
 * to the buffer's size would be lost (libmnl reports ENOSPC).  Its size
 * is peeked first.  Returns its length or -errno.
 */
static ssize_t nl_recv(struct nl *nl)
{
	ssize_t len;
	size_t size;
	void *buf;

	do {
		len = recv(mnl_socket_get_fd(nl->sock), NULL, 0,
			   MSG_PEEK | MSG_TRUNC);
	} while (len < 0 && errno == EINTR);
	if (len < 0)
		return -errno;

	size = len > NL_RECV_SIZE ? (size_t)len : NL_RECV_SIZE;
	if (size > nl->buf_size) {
		buf = realloc(nl->buf, size);
		if (!buf)
			return -ENOMEM;
		nl->buf = buf;
		nl->buf_size = size;
	}
	do {
		len = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buf_size);
	} while (len < 0 && errno == EINTR);
	return len < 0 ? -errno : len;
}

static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
			 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* Extended ack attributes start @off bytes into the payload of @nlh. */
static void parse_ext_ack(struct nl *nl, const struct nlmsghdr *nlh,
			  size_t off)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = MNL_ALIGN(off);
	if (off >= mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, (unsigned int)off, ext_attr_cb, nl);
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct talk *t = data;
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		t->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Unless capped, the error echoes our request before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	parse_ext_ack(t->nl, nlh, off);
	t->err = e->error < 0 ? e->error : 0;
	return MNL_CB_STOP;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err;

	/* The end of a dump carries the dump's error, then TLVs. */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		parse_ext_ack(t->nl, nlh, sizeof(err));
		t->err = err < 0 ? err : 0;
	}
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int ret;

	if (!t->cb)
		return MNL_CB_OK;
	ret = t->cb(nlh, t->data);
	if (ret == MNL_CB_ERROR)
		t->err = errno ? -errno : -EINVAL;
	return ret;
}

int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	/* not const: libmnl before 1.0.5 takes a plain pointer */
	static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	struct talk t = { .nl = nl, .cb = cb, .data = data };
	ssize_t len;
	int ret;

	nl->ext_msg[0] = '\0';
	nlh->nlmsg_flags |= NLM_F_REQUEST;
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		len = nl_recv(nl);
		if (len < 0)
			return (int)len;
		errno = 0;
		ret = mnl_cb_run2(nl->buf, len, nl->seq, nl->portid, data_cb,
				  &t, ctl_cb, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return t.err ? t.err : (errno ? -errno : -EPROTO);
		if (ret == MNL_CB_STOP)
			return t.err;
	}
}
