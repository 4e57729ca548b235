// SPDX-License-Identifier: GPL-2.0
/*
 * udp_sink PORT: receive UDP datagrams on PORT (any address) and drop
 * them, 64 per recvmmsg() call, until killed.  make bench runs it so that
 * the kernel has a socket to deliver to; the kernel's own counters
 * (/proc/net/snmp, Udp InDatagrams) say how many it delivered.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64

int main(int argc, char **argv)
{
	static char bufs[BATCH][2048];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in sin;
	int fd, i, rcvbuf = 4 << 20;

	if (argc != 2) {
		fprintf(stderr, "usage: udp_sink PORT\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
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
		iov[i].iov_len = sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		if (recvmmsg(fd, msgs, BATCH, 0, NULL) < 0) {
			perror("recvmmsg");
			return 1;
		}
	}
}
