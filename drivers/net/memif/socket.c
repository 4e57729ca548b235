// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: an in-kernel AF_UNIX SOCK_SEQPACKET socket carrying
 * 128-byte messages, some with one file descriptor attached.
 */
#include "memif.h"

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/un.h>
#include <net/sock.h>

/* Sending a file over SCM_RIGHTS needs it in the sender's fd table: the
 * kworker's table is the one all kernel threads share.  The fd lives there
 * only for the duration of one send; this lock keeps that window to one fd.
 */
static DEFINE_MUTEX(memif_fd_lock);

static void memif_socket_event(struct sock *sk)
{
	struct memif_dev *m;

	read_lock_bh(&sk->sk_callback_lock);
	m = sk->sk_user_data;
	if (m)
		queue_work(memif_wq, &m->rx_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static int memif_socket_addr(const char *path, struct sockaddr_un *sun)
{
	size_t len = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (len == 0 || len >= sizeof(sun->sun_path))
		return -EINVAL;
	memcpy(sun->sun_path, path, len);
	if (path[0] == '@') {
		/* Abstract: exact length, no trailing NUL. */
		sun->sun_path[0] = '\0';
		return offsetof(struct sockaddr_un, sun_path) + len;
	}
	return offsetof(struct sockaddr_un, sun_path) + len + 1;
}

/**
 * memif_socket_connect() - connect a control socket to a server
 * @net: network namespace to create the socket in
 * @path: socket path, or abstract name starting with '@'
 * @owner: the memif_dev whose rx_work runs when the socket has news
 *
 * Return: the connected socket or an ERR_PTR.
 */
struct socket *memif_socket_connect(struct net *net, const char *path,
				    struct memif_dev *owner)
{
	struct sockaddr_un sun;
	struct socket *sock;
	int len, err;

	len = memif_socket_addr(path, &sun);
	if (len < 0)
		return ERR_PTR(len);
	err = sock_create_kern(net, AF_UNIX, SOCK_SEQPACKET, 0, &sock);
	if (err)
		return ERR_PTR(err);
	err = kernel_connect(sock, (struct sockaddr *)&sun, len, O_NONBLOCK);
	if (err) {
		sock_release(sock);
		return ERR_PTR(err);
	}
	memif_socket_hook(sock, owner, memif_socket_event, &owner->sk_saved);
	return sock;
}

/**
 * memif_socket_hook() - have a socket call us when it has news
 * @sock: the socket
 * @owner: stored as sk_user_data for @cb
 * @cb: called for data_ready and state_change
 * @saved: where to keep the socket's own callbacks
 */
void memif_socket_hook(struct socket *sock, void *owner,
		       void (*cb)(struct sock *sk), struct memif_sk_saved *saved)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	saved->data_ready = sk->sk_data_ready;
	saved->state_change = sk->sk_state_change;
	sk->sk_user_data = owner;
	sk->sk_data_ready = cb;
	sk->sk_state_change = cb;
	write_unlock_bh(&sk->sk_callback_lock);
}

/**
 * memif_socket_unhook() - undo memif_socket_hook()
 * @sock: the socket
 * @saved: its own callbacks
 *
 * Once this returns no callback of ours runs for @sock, and none is left
 * in it: the peer may keep its end, and the socket, longer than the module.
 */
void memif_socket_unhook(struct socket *sock, const struct memif_sk_saved *saved)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = saved->data_ready;
	sk->sk_state_change = saved->state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/**
 * memif_socket_release() - detach from and close a control socket
 * @m: its owner
 */
void memif_socket_release(struct memif_dev *m)
{
	memif_socket_unhook(m->sock, &m->sk_saved);
	kernel_sock_shutdown(m->sock, SHUT_RDWR);
	sock_release(m->sock);
	m->sock = NULL;
}

/**
 * memif_socket_send() - send one control message
 * @sock: control socket
 * @msg: the message
 * @file: file to pass along with it, or NULL
 *
 * Never blocks: a peer that does not read its messages gets an error.
 *
 * Return: 0 or a negative errno.
 */
int memif_socket_send(struct socket *sock, const struct memif_msg *msg,
		      struct file *file)
{
	struct {
		struct cmsghdr hdr;
		int fd;
	} ctl;
	struct kvec iov = {
		.iov_base = (void *)msg,
		.iov_len = sizeof(*msg),
	};
	struct msghdr mh = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	int fd = -1, ret;

	if (file) {
		mutex_lock(&memif_fd_lock);
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			mutex_unlock(&memif_fd_lock);
			return fd;
		}
		fd_install(fd, get_file(file));
		BUILD_BUG_ON(offsetof(typeof(ctl), fd) !=
			     CMSG_ALIGN(sizeof(struct cmsghdr)));
		BUILD_BUG_ON(sizeof(ctl) != CMSG_SPACE(sizeof(int)));
		memset(&ctl, 0, sizeof(ctl));
		ctl.hdr.cmsg_len = CMSG_LEN(sizeof(int));
		ctl.hdr.cmsg_level = SOL_SOCKET;
		ctl.hdr.cmsg_type = SCM_RIGHTS;
		ctl.fd = fd;
		mh.msg_control = &ctl;
		mh.msg_controllen = sizeof(ctl);
	}
	ret = kernel_sendmsg(sock, &mh, &iov, 1, sizeof(*msg));
	if (file) {
		close_fd(fd);
		mutex_unlock(&memif_fd_lock);
	}
	if (ret < 0)
		return ret;
	return ret == sizeof(*msg) ? 0 : -EMSGSIZE;
}

/**
 * memif_socket_recv() - receive one control message without blocking
 * @sock: control socket
 * @msg: where to put it
 *
 * Return: 1 when a well-formed message arrived, 0 when the peer closed the
 * channel, -EAGAIN when nothing is queued, -EBADMSG for a message of the
 * wrong size, -EPROTO for one that carried file descriptors (this side
 * never accepts any; they are closed), another negative errno otherwise.
 */
int memif_socket_recv(struct socket *sock, struct memif_msg *msg)
{
	struct kvec iov = { .iov_base = msg, .iov_len = sizeof(*msg) };
	struct msghdr mh = {};
	int ret;

	ret = kernel_recvmsg(sock, &mh, &iov, 1, sizeof(*msg), MSG_DONTWAIT);
	if (ret <= 0)
		return ret;
	if (mh.msg_flags & MSG_CTRUNC)
		return -EPROTO;
	if (ret != sizeof(*msg) || (mh.msg_flags & MSG_TRUNC))
		return -EBADMSG;
	return 1;
}
