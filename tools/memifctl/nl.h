/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memifctl: rtnetlink request/reply with extended ack messages.
 */
#ifndef MEMIFCTL_NL_H
#define MEMIFCTL_NL_H

#include <libmnl/libmnl.h>

/*
 * struct nl - an rtnetlink socket
 * @sock: the libmnl socket
 * @portid: its netlink port id
 * @seq: sequence number of the last request
 * @ext_msg: the extended ack message (NLMSGERR_ATTR_MSG) of the last
 *	request's error or ack, "" if the kernel sent none
 * @buf, @buf_size: the receive buffer, grown to the largest message seen
 */
struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	char ext_msg[256];
	void *buf;
	size_t buf_size;
};

/* Open and bind; returns 0 or -errno. */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/*
 * nl_talk - send a request and process its replies
 * @nlh: the request; NLM_F_REQUEST and the sequence number are set here.
 *	A request that is not a dump must have NLM_F_ACK set, so that the
 *	reply ends with an ack.
 * @cb: called for each data message (may be NULL); on failure it returns
 *	MNL_CB_ERROR with errno set
 * @data: passed to @cb
 *
 * Return: 0 once the ack or the end of the dump arrived, -errno for the
 * error the kernel answered (with nl->ext_msg set if it gave a message),
 * -EINTR if a dump was interrupted by a change (redo it on a new socket),
 * or another -errno from the socket or from @cb.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

#endif /* MEMIFCTL_NL_H */
