#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Print a device's per-queue statistics as the kernel reports them through
the netdev generic netlink family (qstats-get, Linux 6.8 and later), one
line per queue:

    rx|tx QUEUE packets N bytes N

Exit status 0, 1 on a netlink error, 2 when the kernel has no such
statistics (an older kernel, or a device that does not report them).

usage: nl_qstats.py IFNAME
"""

import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NETDEV_CMD_QSTATS_GET = 12
A_IFINDEX, A_QUEUE_TYPE, A_QUEUE_ID, A_SCOPE = 1, 2, 3, 4
A_RX_PACKETS, A_RX_BYTES, A_TX_PACKETS, A_TX_BYTES = 8, 9, 10, 11
SCOPE_QUEUE = 1


def attr(kind, payload):
    """One netlink attribute, padded."""
    a = struct.pack("HH", 4 + len(payload), kind) + payload
    return a + b"\0" * (-len(a) % 4)


def attrs(buf):
    """(type, payload) of each attribute in buf."""
    off = 0
    while off + 4 <= len(buf):
        alen, kind = struct.unpack_from("HH", buf, off)
        if alen < 4:
            return
        yield kind & 0x3fff, buf[off + 4:off + alen]
        off += (alen + 3) & ~3


def uint(p):
    """An NLA_UINT: 4 bytes when the value fits, else 8."""
    return struct.unpack("I" if len(p) == 4 else "Q", p)[0]


def request(s, family, cmd, payload, flags):
    """Send one generic netlink request; yield the payloads answered."""
    msg = struct.pack("BBH", cmd, 1, 0) + payload
    s.send(struct.pack("IHHII", 16 + len(msg), family,
                       NLM_F_REQUEST | flags, 1, 0) + msg)
    while True:
        data = s.recv(1 << 20)
        off = 0
        while off < len(data):
            mlen, mtype = struct.unpack_from("IH", data, off)
            body = data[off + 16:off + mlen]
            off += (mlen + 3) & ~3
            if mtype == NLMSG_DONE:
                return
            if mtype == NLMSG_ERROR:
                err = struct.unpack_from("i", body)[0]
                if err:
                    raise OSError(-err, os.strerror(-err))
                return
            yield body[4:]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 1
    ifindex = socket.if_nametoindex(sys.argv[1])
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    family = None
    try:
        for body in request(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                            attr(CTRL_ATTR_FAMILY_NAME, b"netdev\0"),
                            NLM_F_ACK):
            for kind, p in attrs(body):
                if kind == CTRL_ATTR_FAMILY_ID:
                    family = struct.unpack("H", p[:2])[0]
    except OSError:
        return 2
    if family is None:
        return 2
    query = attr(A_IFINDEX, struct.pack("I", ifindex)) + \
        attr(A_SCOPE, struct.pack("I", SCOPE_QUEUE))
    lines = []
    try:
        for body in request(s, family, NETDEV_CMD_QSTATS_GET, query,
                            NLM_F_DUMP):
            a = {k: p for k, p in attrs(body)}
            if a.get(A_IFINDEX) != struct.pack("I", ifindex):
                continue
            kind = "tx" if struct.unpack("I", a[A_QUEUE_TYPE])[0] else "rx"
            pk = a.get(A_TX_PACKETS if kind == "tx" else A_RX_PACKETS)
            by = a.get(A_TX_BYTES if kind == "tx" else A_RX_BYTES)
            if pk is None or by is None:
                continue
            lines.append("%s %u packets %u bytes %u" % (
                kind, struct.unpack("I", a[A_QUEUE_ID])[0], uint(pk),
                uint(by)))
    except OSError as e:
        print("qstats-get: %s" % e, file=sys.stderr)
        return 2 if e.errno in (95, 22) else 1
    if not lines:
        return 2
    print("\n".join(sorted(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
