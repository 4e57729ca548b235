#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one raw RTM_NEWLINK for kind memif, bypassing memifctl's own checks,
so that the kernel's validation and its extack messages can be tested.

usage: nl_memif.py [--change] NAME [ATTR=VALUE ...]
--change: change the existing link NAME instead of creating one.
ATTR: role mode log2 (u8), id bsize (u32), socket secret (string),
      txq rxq (IFLA_NUM_TX/RX_QUEUES, u32), raw_mode (u8 attr of any value)
Prints "ok", or "error: <errno name>: <extack message>" and exits 1.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_EXT_ACK = 11
RTM_NEWLINK = 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
NLMSG_ERROR = 2
IFLA_IFNAME, IFLA_LINKINFO, IFLA_NUM_TX_QUEUES, IFLA_NUM_RX_QUEUES = 3, 18, 31, 32
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
NLMSGERR_ATTR_MSG = 1
MEMIF = {"role": (1, "B"), "socket": (2, "s"), "id": (3, "I"),
         "secret": (4, "s"), "mode": (5, "B"), "log2": (6, "B"),
         "bsize": (7, "I"), "state": (8, "B"), "offloads": (18, "B")}


def attr(kind, payload):
    data = struct.pack("HH", 4 + len(payload), kind) + payload
    return data + b"\0" * (-len(data) % 4)


def value(fmt, v):
    return v.encode() + b"\0" if fmt == "s" else struct.pack(fmt, int(v, 0))


def main():
    change = sys.argv[1] == "--change"
    argv = sys.argv[2:] if change else sys.argv[1:]
    name, args = argv[0], argv[1:]
    top, data = attr(IFLA_IFNAME, name.encode() + b"\0"), b""
    for a in args:
        k, v = a.split("=", 1)
        if k in ("txq", "rxq"):
            top += attr(IFLA_NUM_TX_QUEUES if k == "txq" else IFLA_NUM_RX_QUEUES,
                        struct.pack("I", int(v)))
        else:
            t, fmt = MEMIF[k]
            data += attr(t, value(fmt, v))
    info = attr(IFLA_INFO_KIND, b"memif\0") + attr(IFLA_INFO_DATA, data)
    body = struct.pack("BBHiII", 0, 0, 0, 0, 0, 0) + top + attr(IFLA_LINKINFO, info)
    flags = NLM_F_REQUEST | NLM_F_ACK
    if not change:
        flags |= NLM_F_EXCL | NLM_F_CREATE
    msg = struct.pack("IHHII", 16 + len(body), RTM_NEWLINK, flags, 1, 0) + body
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)
    s.send(msg)
    r = s.recv(65536)
    _, typ, rflags, _, _ = struct.unpack_from("IHHII", r)
    if typ != NLMSG_ERROR:
        sys.exit("unexpected reply %d" % typ)
    err = -struct.unpack_from("i", r, 16)[0]
    if err == 0:
        print("ok")
        return
    text = ""
    off = 20 + 16  # nlmsgerr: error + the request's header (capped)
    if not rflags & 0x100:  # NLM_F_CAPPED not set: whole request echoed
        off = 20 + len(msg)
    while off + 4 <= len(r):
        alen, atype = struct.unpack_from("HH", r, off)
        if alen < 4:
            break
        if atype == NLMSGERR_ATTR_MSG:
            text = r[off + 4:off + alen].split(b"\0")[0].decode()
        off += (alen + 3) & ~3
    print("error: %s: %s" % (errno.errorcode.get(err, err), text))
    sys.exit(1)


if __name__ == "__main__":
    main()
