#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Print one line per RTM_NEWLINK announced for a memif link, as a program
listening to rtnetlink (ip monitor link) gets them:

    NAME state=STATE operstate=OPER carrier=0|1

STATE is IFLA_MEMIF_STATE by name, OPER IFLA_OPERSTATE (RFC 2863) by name.  Runs until killed; the first line,
"listening", says the subscription is in place.

usage: nl_monitor.py
"""
import socket
import struct
import sys

RTM_NEWLINK = 16
RTNLGRP_LINK = 1
IFLA_IFNAME, IFLA_OPERSTATE, IFLA_LINKINFO, IFLA_CARRIER = 3, 16, 18, 33
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
IFLA_MEMIF_STATE = 8
STATES = ["down", "waiting", "handshake", "connected"]
OPERSTATES = ["unknown", "notpresent", "down", "lowerlayerdown", "testing",
              "dormant", "up"]


def attrs(buf, off, end):
    """Yield (type, payload) of the attributes in buf[off:end]."""
    while off + 4 <= end:
        alen, atype = struct.unpack_from("HH", buf, off)
        if alen < 4 or off + alen > end:
            return
        yield atype & 0x3fff, buf[off + 4:off + alen]
        off += (alen + 3) & ~3


def link_line(msg):
    """The line for one RTM_NEWLINK, or None if not a memif link."""
    name, carrier, kind, state, oper = "?", "?", None, None, "?"
    for t, p in attrs(msg, 16 + 16, len(msg)):
        if t == IFLA_IFNAME:
            name = p.split(b"\0")[0].decode()
        elif t == IFLA_CARRIER:
            carrier = p[0]
        elif t == IFLA_OPERSTATE:
            oper = OPERSTATES[p[0]] if p[0] < len(OPERSTATES) else p[0]
        elif t == IFLA_LINKINFO:
            for it, ip in attrs(p, 0, len(p)):
                if it == IFLA_INFO_KIND:
                    kind = ip.split(b"\0")[0].decode()
                elif it == IFLA_INFO_DATA:
                    for dt, dp in attrs(ip, 0, len(ip)):
                        if dt == IFLA_MEMIF_STATE:
                            state = dp[0]
    if kind != "memif":
        return None
    sname = STATES[state] if state is not None and state < 4 else state
    return "%s state=%s operstate=%s carrier=%s" % (name, sname, oper,
                                                     carrier)


def main():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind((0, 1 << (RTNLGRP_LINK - 1)))
    print("listening", flush=True)
    while True:
        buf = s.recv(1 << 16)
        off = 0
        while off + 16 <= len(buf):
            mlen, mtype = struct.unpack_from("IH", buf, off)
            if mlen < 16:
                break
            if mtype == RTM_NEWLINK:
                line = link_line(buf[off:off + mlen])
                if line:
                    print(line, flush=True)
            off += (mlen + 3) & ~3


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
