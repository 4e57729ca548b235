// SPDX-License-Identifier: GPL-2.0
/*
 * udp_sink PORT [COUNT_FILE]: receive UDP datagrams on PORT (any address)
 * and drop them, a batch per recvmmsg() call, until killed.  make bench
 * runs it so that the kernel has a socket to deliver to.
 *
 * Without COUNT_FILE the kernel's own counters (/proc/net/snmp, Udp
 * InDatagrams) say how many it delivered.  With it, the socket asks for
 * UDP GRO (UDP_GRO: the stack may hand it runs of datagrams of one flow
 * as one buffer, as a QUIC server asks) and counts the datagrams itself:
 * it writes their total to COUNT_FILE, as decimal text, at most every
 * millisecond and whenever it would block.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_GRO
#define UDP_GRO 104
#endif

#define BATCH 64
#define BUF (64 * 1024)

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static void put_count(int cfd, unsigned long long n)
{
	char s[32];
	int len = snprintf(s, sizeof(s), "%llu\n", n);

	if (pwrite(cfd, s, len, 0) != len)
		perror("pwrite");
}

/* Datagrams in message @m: one, or as many as UDP GRO put in it. */
static unsigned int datagrams(struct mmsghdr *m)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(&m->msg_hdr); c; c = CMSG_NXTHDR(&m->msg_hdr, c)) {
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
			int seg;

			memcpy(&seg, CMSG_DATA(c), sizeof(seg));
			if (seg > 0)
				return (m->msg_len + seg - 1) / seg;
		}
	}
	return 1;
}

int main(int argc, char **argv)
{
	static char bufs[BATCH][BUF];
	static char ctl[BATCH][CMSG_SPACE(sizeof(int))];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in sin;
	int fd, cfd = -1, i, n, one = 1, rcvbuf = 4 << 20;
	unsigned long long total = 0, last = 0;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: udp_sink PORT [COUNT_FILE]\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (argc == 3) {
		cfd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (cfd < 0 ||
		    setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof(one))) {
			perror(argv[2]);
			return 1;
		}
		put_count(cfd, 0);
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(atoi(argv[1]));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("bind");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = cfd < 0 ? 2048 : BUF;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		if (cfd >= 0) {
			for (i = 0; i < BATCH; i++) {
				msgs[i].msg_hdr.msg_control = ctl[i];
				msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
			}
		}
		n = recvmmsg(fd, msgs, BATCH, cfd < 0 ? 0 : MSG_DONTWAIT, NULL);
		if (n < 0 && errno == EAGAIN) {
			/* Nothing waits: the count is exact, then block. */
			put_count(cfd, total);
			n = recvmmsg(fd, msgs, 1, MSG_WAITFORONE, NULL);
		}
		if (n < 0) {
			perror("recvmmsg");
			return 1;
		}
		if (cfd < 0)
			continue;
		for (i = 0; i < n; i++)
			total += datagrams(&msgs[i]);
		if (now_us() - last >= 1000) {
			last = now_us();
			put_count(cfd, total);
		}
	}
}
