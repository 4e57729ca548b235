// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: an in-kernel AF_UNIX SOCK_SEQPACKET socket carrying
 * 128-byte messages, some with one file descriptor attached.
 *
 * A socket path is used with the credentials of the link's owner (struct
 * memif_owner): bind, connect, the unlinking of a stale socket file and
 * the socket file's owner and mode are subject to the permissions that
 * process has, and a peer's SO_PEERCRED names it, not the kernel.  The
 * path is resolved against the root of the initial mount namespace: af_unix
 * resolves it against the calling task's root, and a kworker's is init's;
 * no supported interface lets a kernel thread take another task's
 * filesystem view.  That is why only the initial namespace's admin may
 * name a path (link.c); others use abstract names.
 *
 * This is the one file that knows af_unix's insides, each for a reason no
 * interface covers for a kernel socket:
 * - UNIXCB(skb).fp, the files a message carries: kernel_recvmsg() cannot
 *   hand SCM_RIGHTS files to a kernel caller (memif_socket_recv());
 * - unix_sk()->path, where a socket is bound: its socket file's owner and
 *   mode are set, and the file removed, through it, not by looking the
 *   path up again, which could find another file (memif_socket_chown(),
 *   memif_socket_unlisten());
 * - a connection accepted on an abstract name holds a reference on its
 *   namespace, as a user's socket does, and no interface makes it a
 *   kernel socket's (memif_socket_forget_net(), compat.h).
 */
#include "memif.h"

#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/security.h>
#include <linux/socket.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/scm.h>
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
	/* The caller read sk_data_ready before we took the lock: if the
	 * socket has since passed from the listener to a link (or back),
	 * sk_user_data is somebody else's.  Theirs is queued by them.
	 */
	m = sk->sk_data_ready == memif_socket_event ? sk->sk_user_data : NULL;
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

/* A new socket in @net, and in @sun and @len the address of @path. */
static struct socket *memif_socket_create(struct net *net, const char *path,
					  struct sockaddr_un *sun, int *len)
{
	struct socket *sock;
	int err;

	*len = memif_socket_addr(path, sun);
	if (*len < 0)
		return ERR_PTR(*len);
	err = sock_create_kern(net, AF_UNIX, SOCK_SEQPACKET, 0, &sock);
	return err ? ERR_PTR(err) : sock;
}

/* A new socket in @net, connected to @path without waiting. */
static struct socket *memif_socket_dial(struct net *net, const char *path)
{
	struct sockaddr_un sun;
	struct socket *sock;
	int len, err;

	sock = memif_socket_create(net, path, &sun, &len);
	if (IS_ERR(sock))
		return sock;
	err = kernel_connect(sock, (struct sockaddr *)&sun, len, O_NONBLOCK);
	if (err) {
		sock_release(sock);
		return ERR_PTR(err);
	}
	return sock;
}

/**
 * memif_socket_connect() - connect a client's control socket to its server
 * @net: network namespace to create the socket in
 * @path: socket path, or abstract name starting with '@'
 * @cred: the credentials to connect with, the link owner's
 *
 * May take as long as the path lookup does: no lock of ours is held.
 * memif_socket_adopt() makes the socket the link's.
 *
 * Return: the connected socket or an ERR_PTR.
 */
struct socket *memif_socket_connect(struct net *net, const char *path,
				    const struct cred *cred)
{
	const struct cred *old = override_creds(cred);
	struct socket *sock = memif_socket_dial(net, path);

	revert_creds(old);
	return sock;
}

/**
 * memif_socket_peer_ok() - whether the peer may be talked to
 * @sock: a connected control socket
 * @uid: the effective uid the peer must have; INVALID_UID: any
 * @gid: the effective gid the peer must have; INVALID_GID: any
 *
 * The peer's credentials are SO_PEERCRED's: a client's when it connected,
 * a server's when it listened.
 *
 * Return: true if the peer has them.
 */
bool memif_socket_peer_ok(struct socket *sock, kuid_t uid, kgid_t gid)
{
	struct sock *sk = sock->sk;
	const struct cred *cred;
	bool ok;

	if (!uid_valid(uid) && !gid_valid(gid))
		return true;
	spin_lock(&sk->sk_peer_lock);
	cred = get_cred(sk->sk_peer_cred);
	spin_unlock(&sk->sk_peer_lock);
	ok = cred && (!uid_valid(uid) || uid_eq(cred->euid, uid)) &&
	     (!gid_valid(gid) || gid_eq(cred->egid, gid));
	put_cred(cred);
	return ok;
}

/**
 * memif_socket_receive_check() - the checks a process receiving a file runs
 * @file: a file a peer passed, of a kind we use
 * @cred: whose: the link owner's
 *
 * A process that receives a file over SCM_RIGHTS has the security module
 * look at it first (security_file_receive(), through receive_fd()); we
 * take files off the socket's queue ourselves, so we ask the same of it,
 * for the link's owner, by receiving it into the kworker's table for a
 * moment with the owner's credentials in force.
 *
 * Return: 0 if we may use @file, or a negative errno.
 */
int memif_socket_receive_check(struct file *file, const struct cred *cred)
{
	const struct cred *old;
	int fd;

	mutex_lock(&memif_fd_lock);
	old = override_creds(cred);
	fd = memif_receive_fd(file, O_CLOEXEC);
	revert_creds(old);
	if (fd >= 0)
		close_fd(fd);
	mutex_unlock(&memif_fd_lock);
	return fd < 0 ? fd : 0;
}

/**
 * memif_socket_adopt() - make a connection the link's own
 * @m: the link; @m->sock is the connection (a client's, or one a server
 *	accepted)
 */
void memif_socket_adopt(struct memif_dev *m)
{
	memif_socket_hook(m->sock, m, memif_socket_event, &m->sk_saved);
}

/**
 * memif_socket_net() - the namespace a control socket is created in
 * @path: socket path, or abstract name starting with '@'
 * @birth: the namespace the link was created in
 *
 * An abstract name lives in a network namespace: the link's birthplace.
 * A path does not (it is looked up in the initial mount namespace), and
 * the initial namespace never goes away: af_unix creates a server's end
 * of a connection in the client's namespace, holding a reference, so a
 * client socket anywhere else would keep its namespace alive for as long
 * as the connection lasts.
 *
 * Return: @birth or &init_net.
 */
struct net *memif_socket_net(const char *path, struct net *birth)
{
	return path[0] == '@' ? birth : &init_net;
}

/**
 * memif_socket_forget_net() - make an accepted socket a kernel socket
 * @sock: a connection accepted on an abstract socket
 *
 * Its namespace, the client's, is the listener's, which must be able to
 * go away while the connection lasts: drop the reference af_unix took, as
 * sockets the kernel creates hold none.  The pernet pre_exit hook closes
 * every such socket of a dying namespace.
 */
void memif_socket_forget_net(struct socket *sock)
{
	if (sock->sk->sk_net_refcnt)
		memif_sk_net_as_kernel(sock->sk);
}

/**
 * memif_socket_hook() - have a socket call us when it has news
 * @sock: the socket
 * @owner: stored as sk_user_data for @cb
 * @cb: called for data_ready and state_change
 * @saved: where to keep the socket's own callbacks
 *
 * Only sockets of our own are hooked: control sockets and listeners.
 *
 * Return: 0, or -EBUSY if somebody already takes @sock's callbacks.
 */
int memif_socket_hook(struct socket *sock, void *owner,
		      void (*cb)(struct sock *sk), struct memif_sk_saved *saved)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data || sk->sk_data_ready == cb) {
		write_unlock_bh(&sk->sk_callback_lock);
		return -EBUSY;
	}
	saved->data_ready = sk->sk_data_ready;
	saved->state_change = sk->sk_state_change;
	sk->sk_user_data = owner;
	sk->sk_data_ready = cb;
	sk->sk_state_change = cb;
	write_unlock_bh(&sk->sk_callback_lock);
	return 0;
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
 * memif_socket_send_disconnect() - tell the peer why we hang up
 * @sock: control socket
 * @reason: NUL-terminated, cut to what the message holds
 *
 * Return: 0 or a negative errno.
 */
int memif_socket_send_disconnect(struct socket *sock, const char *reason)
{
	struct memif_msg msg = { .type = MEMIF_MSG_DISCONNECT };

	strscpy(msg.disconnect.string, reason, sizeof(msg.disconnect.string));
	return memif_socket_send(sock, &msg, NULL);
}

/**
 * memif_socket_recv() - receive one control message without blocking
 * @sock: control socket
 * @msg: where to put it
 * @file: where to put the file passed with it, or NULL if none may come
 *
 * The message is taken off the socket's queue directly: kernel_recvmsg()
 * cannot hand passed files to a kernel caller.  This is the one place that
 * knows af_unix's skb layout.
 *
 * Return: 1 when a well-formed message arrived (*@file set or NULL), 0
 * when the peer closed the channel, -EAGAIN when nothing is queued,
 * -EBADMSG for a message of the wrong size, -EPROTO for one that carried
 * more files than allowed (they are closed), another negative errno
 * otherwise.
 */
int memif_socket_recv(struct socket *sock, struct memif_msg *msg,
		      struct file **file)
{
	struct sock *sk = sock->sk;
	struct scm_fp_list *fp;
	struct sk_buff *skb;
	int err = 0, nfds;
	bool shut;

	/* EOF on a disconnected SEQPACKET socket, as af_unix gives it, but
	 * with the hang-up read before the queue: a peer queues its last
	 * message (a DISCONNECT) before it hangs up, so an empty queue after
	 * a hang-up seen is the end.  Read after, the hang-up could hide a
	 * DISCONNECT queued just after we found the queue empty.  A hang-up
	 * that comes later wakes us again (sk_state_change).
	 */
	shut = READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN;
	smp_rmb();	/* the hang-up, then the queue: the peer did the reverse */
	skb = skb_recv_datagram(sk, MSG_DONTWAIT, &err);
	if (!skb) {
		if (err == -EAGAIN && shut)
			return 0;
		return err ? err : -EAGAIN;
	}
	fp = UNIXCB(skb).fp;
	nfds = fp ? fp->count : 0;
	if (file)
		*file = NULL;
	if (nfds > (file ? 1 : 0)) {
		err = -EPROTO;
	} else if (skb->len != sizeof(*msg)) {
		/* An empty message is one too, not the end of the channel. */
		err = -EBADMSG;
	} else {
		err = skb_copy_bits(skb, 0, msg, sizeof(*msg));
		if (!err) {
			if (nfds)
				*file = get_file(fp->fp[0]);
			err = 1;
		}
	}
	/* Its destructor drops af_unix's references to the files. */
	kfree_skb(skb);
	return err;
}

/* Unlink @dentry from its directory, if it is still there. */
static int memif_socket_unlink(struct vfsmount *mnt, struct dentry *dentry)
{
	struct path dir = { .mnt = mnt };
	struct dentry *parent;
	int err;

	err = mnt_want_write(mnt);
	if (err)
		return err;
	parent = dget_parent(dentry);
	dir.dentry = parent;
	inode_lock_nested(d_inode(parent), I_MUTEX_PARENT);
	if (dentry->d_parent == parent && !d_unhashed(dentry)) {
		/* As unlink(2) does: the path hook, then the VFS. */
		err = security_path_unlink(&dir, dentry);
		if (!err)
			err = vfs_unlink(memif_mnt_idmap(mnt), d_inode(parent),
					 dentry, NULL);
	}
	inode_unlock(d_inode(parent));
	dput(parent);
	mnt_drop_write(mnt);
	return err;
}

/* Remove the socket file at @path if it is a socket nobody listens on. */
static int memif_socket_unlink_stale(struct net *net, const char *path)
{
	struct socket *probe;
	struct path p;
	int err;

	err = kern_path(path, 0, &p);
	if (err)
		return err == -ENOENT ? 0 : err;
	err = -EADDRINUSE;
	if (!S_ISSOCK(d_inode(p.dentry)->i_mode))
		goto out;
	probe = memif_socket_dial(net, path);
	if (!IS_ERR(probe)) {
		sock_release(probe);
		goto out;
	}
	if (PTR_ERR(probe) != -ECONNREFUSED)
		goto out;
	err = memif_socket_unlink(p.mnt, p.dentry);
out:
	path_put(&p);
	return err;
}

/* Give a socket file just bound the owner, group and mode @cfg asks for. */
static int memif_socket_chown(struct socket *sock, const struct memif_cfg *cfg)
{
	const struct path *p = &unix_sk(sock->sk)->path;
	struct iattr ia = {
		.ia_valid = ATTR_MODE | ATTR_CTIME,
		.ia_mode = S_IFSOCK | cfg->socket_mode,
	};
	struct inode *inode = d_inode(p->dentry);
	int err;

	if (uid_valid(cfg->socket_uid)) {
		ia.ia_valid |= ATTR_UID;
		ia.ia_uid = cfg->socket_uid;
	}
	if (gid_valid(cfg->socket_gid)) {
		ia.ia_valid |= ATTR_GID;
		ia.ia_gid = cfg->socket_gid;
	}
	err = mnt_want_write(p->mnt);
	if (err)
		return err;
	inode_lock(inode);
	/* ia_uid and ia_gid as chown(2) gives them: ids as seen through the
	 * mount, which notify_change() maps to the file system's.
	 */
	err = notify_change(memif_mnt_idmap(p->mnt), p->dentry, &ia, NULL);
	inode_unlock(inode);
	mnt_drop_write(p->mnt);
	return err;
}

/* memif_socket_listen(), with the owner's credentials in force. */
static struct socket *memif_socket_listen_as(struct net *net,
					     const struct memif_cfg *cfg)
{
	const char *path = cfg->socket;
	struct sockaddr_un sun;
	struct socket *sock;
	int len, err;

	if (path[0] != '@') {
		err = memif_socket_unlink_stale(net, path);
		if (err)
			return ERR_PTR(err);
	}
	sock = memif_socket_create(net, path, &sun, &len);
	if (IS_ERR(sock))
		return sock;
	err = kernel_bind(sock, (struct sockaddr *)&sun, len);
	if (!err && path[0] != '@') {
		err = memif_socket_chown(sock, cfg);
		if (err)
			memif_socket_unlink(unix_sk(sock->sk)->path.mnt,
					    unix_sk(sock->sk)->path.dentry);
	}
	if (!err)
		err = kernel_listen(sock, 64);
	if (err) {
		sock_release(sock);
		return ERR_PTR(err);
	}
	return sock;
}

/**
 * memif_socket_listen() - create a listening control socket
 * @net: network namespace to create it in
 * @cfg: the settings of the link it is for: its socket path or abstract
 *	name, and for a path the owner, group and mode of the socket file
 * @cred: the credentials to bind it with, the link owner's
 * @owner: sk_user_data for @cb
 * @cb: called when a connection is waiting
 * @saved: where to keep the socket's own callbacks
 *
 * A socket file left by a listener that is gone is replaced; one that
 * somebody listens on is not.
 *
 * Return: the socket or an ERR_PTR.
 */
struct socket *memif_socket_listen(struct net *net, const struct memif_cfg *cfg,
				   const struct cred *cred, void *owner,
				   void (*cb)(struct sock *sk),
				   struct memif_sk_saved *saved)
{
	const struct cred *old = override_creds(cred);
	struct socket *sock = memif_socket_listen_as(net, cfg);

	revert_creds(old);
	if (!IS_ERR(sock))
		memif_socket_hook(sock, owner, cb, saved);
	return sock;
}

/**
 * memif_socket_unlisten() - close a listening socket and remove its file
 * @sock: the socket
 * @path: what it was bound to
 * @cred: the credentials it was bound with
 * @saved: its own callbacks
 */
void memif_socket_unlisten(struct socket *sock, const char *path,
			   const struct cred *cred,
			   const struct memif_sk_saved *saved)
{
	struct path *p = &unix_sk(sock->sk)->path;
	const struct cred *old;

	memif_socket_unhook(sock, saved);
	if (path[0] != '@' && p->dentry) {
		old = override_creds(cred);
		memif_socket_unlink(p->mnt, p->dentry);
		revert_creds(old);
	}
	kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
}
