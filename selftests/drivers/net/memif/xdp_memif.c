// SPDX-License-Identifier: GPL-2.0
/*
 * XDP programs of 79-xdp.sh (and make bench), one per section, built
 * with clang in the guest (-target bpf):
 *
 *   xdp_pass      every frame to the stack
 *   xdp_drop      drops ICMP echo requests, passes the rest (ARP)
 *   xdp_drop_all  drops every frame (make bench: the rx path's bound)
 *   xdp_tx        answers ICMP echo requests itself: swaps the addresses,
 *                 makes it a reply and sends it back (XDP_TX)
 *   xdp_redirect  every frame to the device with ifindex REDIRECT_IFINDEX
 *                 (-D at build time)
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* <linux/icmp.h> would pull in libc's headers. */
#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8

struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 rest;
};

#ifndef REDIRECT_IFINDEX
#define REDIRECT_IFINDEX 0
#endif

/* The ICMP echo request in the frame, or NULL. */
static __always_inline struct icmphdr *echo_request(struct xdp_md *ctx,
						     struct ethhdr **eth,
						     struct iphdr **ip)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct icmphdr *icmp;

	*eth = data;
	if ((void *)(*eth + 1) > end ||
	    (*eth)->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	*ip = (void *)(*eth + 1);
	if ((void *)(*ip + 1) > end || (*ip)->ihl != 5 ||
	    (*ip)->protocol != IPPROTO_ICMP)
		return NULL;
	icmp = (void *)(*ip + 1);
	if ((void *)(icmp + 1) > end || icmp->type != ICMP_ECHO)
		return NULL;
	return icmp;
}

SEC("xdp_pass")
int xdp_pass_prog(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp_drop")
int xdp_drop_prog(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	struct iphdr *ip;

	return echo_request(ctx, &eth, &ip) ? XDP_DROP : XDP_PASS;
}

SEC("xdp_drop_all")
int xdp_drop_all_prog(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp_tx")
int xdp_tx_prog(struct xdp_md *ctx)
{
	unsigned char mac[ETH_ALEN];
	struct icmphdr *icmp;
	struct ethhdr *eth;
	struct iphdr *ip;
	__u32 sum, addr;

	icmp = echo_request(ctx, &eth, &ip);
	if (!icmp)
		return XDP_PASS;
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	/* Type 8 -> 0: the checksum grows by 8 << 8 (RFC 1624). */
	icmp->type = ICMP_ECHOREPLY;
	sum = (__u16)~icmp->checksum + (__u16)~bpf_htons(ICMP_ECHO << 8) +
	      bpf_htons(ICMP_ECHOREPLY << 8);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	icmp->checksum = ~sum;
	return XDP_TX;
}

SEC("xdp_redirect")
int xdp_redirect_prog(struct xdp_md *ctx)
{
	return bpf_redirect(REDIRECT_IFINDEX, 0);
}

char _license[] SEC("license") = "GPL";
