#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A minimal memif client (slave) in Python, to drive the kernel's server
role through one handshake, correctly or with one thing wrong on purpose,
and to check IP mode's wire format from outside the kernel.

usage: memif_peer.py SOCKET ID SCENARIO
SCENARIO:
  good          a correct handshake: prints "connected <peer if_name>"
  pipe-region   a pipe as the region fd
  socket-region a socket as the region fd
  small-region  a memfd smaller than the region size announced
  no-region-fd  ADD_REGION without an fd
  ring-outside  a ring whose descriptors end past the region
  pipe-ring     a pipe as a ring's interrupt fd
  bad-index     ADD_REGION with index 1 first
  bad-type      an unknown message type after INIT
  ip-ping       connect in IP mode, put an ICMP echo request for 10.6.0.1
                and an ICMPv6 one for fd06::1 (from 10.6.0.2 and fd06::2)
                on the C2S ring, bare (no link-layer header), and expect
                bare echo replies on the S2C ring: prints "reply v4" and
                "reply v6"
Prints "disconnect: <reason>" when the server refuses; exits 0 when the
outcome is the one the scenario expects ("connected" for good, a
DISCONNECT otherwise), 1 otherwise.
"""
import os
import select
import socket
import struct
import sys
import time

VERSION = 0x0200
ACK, HELLO, INIT, ADD_REGION, ADD_RING, CONNECT, CONNECTED, DISCONNECT = range(1, 9)
LOG2 = 6
RING_BYTES = 128 + 16 * (1 << LOG2)
BSIZE = 2048


def msg(mtype, payload=b""):
    return (struct.pack("<H", mtype) + payload).ljust(128, b"\0")


def recv(s):
    data = s.recv(128)
    if not data:
        raise EOFError("server closed the connection")
    mtype = struct.unpack_from("<H", data)[0]
    if mtype == DISCONNECT:
        reason = data[6:102].split(b"\0")[0].decode()
        print("disconnect: " + reason)
        raise ConnectionAbortedError(reason)
    return mtype, data


def expect(s, want):
    mtype, data = recv(s)
    if mtype != want:
        raise RuntimeError("expected message %d, got %d" % (want, mtype))
    return data


def region(size, file_size):
    fd = os.memfd_create("memif-test")
    os.ftruncate(fd, file_size)
    mm = __import__("mmap").mmap(fd, file_size)
    # two rings (C2S 0, S2C 0) then their buffers
    for r in range(2):
        base = r * RING_BYTES
        struct.pack_into("<IHH", mm, base, 0x3E31F20, 0, 0)
        for j in range(1 << LOG2):
            off = 2 * RING_BYTES + (r * (1 << LOG2) + j) * BSIZE
            struct.pack_into("<HHIII", mm, base + 128 + 16 * j, 0, 0, BSIZE, off, 0)
    return fd, mm


def csum(data):
    """The Internet checksum of data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


V4 = (socket.inet_pton(socket.AF_INET, "10.6.0.2"),
      socket.inet_pton(socket.AF_INET, "10.6.0.1"))
V6 = (socket.inet_pton(socket.AF_INET6, "fd06::2"),
      socket.inet_pton(socket.AF_INET6, "fd06::1"))


def echo_request(v6, seq):
    """A bare IPv4 or IPv6 packet: an echo request from us to the server."""
    data = b"memif ip mode %d" % seq
    if v6:
        icmp = struct.pack("!BBHHH", 128, 0, 0, 0x4d49, seq) + data
        pseudo = V6[0] + V6[1] + struct.pack("!IxxxB", len(icmp), 58)
        icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
        return struct.pack("!IHBB", 6 << 28, len(icmp), 58, 64) + V6[0] + V6[1] + icmp
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x4d49, seq) + data
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), seq, 0, 64, 1, 0,
                      V4[0], V4[1])
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + icmp


def is_echo_reply(pkt, v6, seq):
    """Whether pkt is the bare reply to echo_request(v6, seq)."""
    if v6:
        return (len(pkt) >= 48 and pkt[0] >> 4 == 6 and pkt[6] == 58 and
                pkt[8:24] == V6[1] and pkt[24:40] == V6[0] and
                pkt[40] == 129 and struct.unpack_from("!HH", pkt, 44) == (0x4d49, seq))
    return (len(pkt) >= 28 and pkt[0] == 0x45 and pkt[9] == 1 and csum(pkt[:20]) == 0 and
            pkt[12:16] == V4[1] and pkt[16:20] == V4[0] and pkt[20] == 0 and
            csum(pkt[20:]) == 0 and struct.unpack_from("!HH", pkt, 24) == (0x4d49, seq))


def ip_ping(mm, efds):
    """Exchange echo requests and replies over the connected rings."""
    c2s, s2c, mask = 0, RING_BYTES, (1 << LOG2) - 1
    # Offer every S2C buffer to the server: the client advances head.
    struct.pack_into("<H", mm, s2c + 6, 1 << LOG2)
    head, tail = 0, 0
    for seq, v6 in ((1, False), (2, True)):
        pkt = echo_request(v6, seq)
        d = c2s + 128 + 16 * (head & mask)
        off = struct.unpack_from("<I", mm, d + 8)[0]
        mm[off:off + len(pkt)] = pkt
        struct.pack_into("<HHI", mm, d, 0, 0, len(pkt))
        head += 1
        struct.pack_into("<H", mm, c2s + 6, head & 0xffff)
        os.eventfd_write(efds[0], 1)
        deadline = time.monotonic() + 5
        while True:
            got = struct.unpack_from("<H", mm, s2c + 64)[0]
            while tail != got:
                d = s2c + 128 + 16 * (tail & mask)
                _, _, length, off = struct.unpack_from("<HHII", mm, d)
                reply = bytes(mm[off:off + length])
                tail = (tail + 1) & 0xffff
                if is_echo_reply(reply, v6, seq):
                    print("reply v%d" % (6 if v6 else 4))
                    break
                print("other packet: %s" % reply[:48].hex())
            else:
                if time.monotonic() > deadline:
                    print("no reply v%d" % (6 if v6 else 4))
                    return False
                select.select([efds[1]], [], [], 0.1)
                try:
                    os.eventfd_read(efds[1])
                except BlockingIOError:
                    pass
                continue
            break
    return True


def run(path, ifid, scenario):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    s.connect("\0" + path[1:] if path.startswith("@") else path)
    expect(s, HELLO)
    mode = 1 if scenario == "ip-ping" else 0
    s.send(msg(INIT, struct.pack("<HIB24s32s", VERSION, ifid, mode, b"", b"memif_peer.py")))
    expect(s, ACK)
    if scenario == "bad-type":
        s.send(msg(42))
        recv(s)
        return False
    size = 2 * RING_BYTES + 2 * (1 << LOG2) * BSIZE
    fd, mm = region(size, size // 2 if scenario == "small-region" else size)
    rfd = fd
    if scenario == "pipe-region":
        rfd = os.pipe()[0]
    elif scenario == "socket-region":
        rfd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).detach()
    payload = struct.pack("<HQ", 1 if scenario == "bad-index" else 0, size)
    if scenario == "no-region-fd":
        s.send(msg(ADD_REGION, payload))
    else:
        socket.send_fds(s, [msg(ADD_REGION, payload)], [rfd])
    expect(s, ACK)
    efds = []
    for r, flags in ((0, 1), (1, 0)):
        efd = os.eventfd(0, os.EFD_NONBLOCK)
        efds.append(efd)
        off = r * RING_BYTES
        if scenario == "ring-outside" and r == 1:
            off = size - RING_BYTES // 2
        ifd = os.pipe()[1] if scenario == "pipe-ring" else efd
        ring = struct.pack("<HHHIBH", flags, 0, 0, off, LOG2, 0)
        socket.send_fds(s, [msg(ADD_RING, ring)], [ifd])
        expect(s, ACK)
    s.send(msg(CONNECT, b"pyclient".ljust(32, b"\0")))
    data = expect(s, CONNECTED)
    print("connected " + data[2:34].split(b"\0")[0].decode())
    if scenario == "ip-ping":
        return ip_ping(mm, efds)
    return True


def main():
    path, ifid, scenario = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    try:
        connected = run(path, ifid, scenario)
    except ConnectionAbortedError:
        connected = False
    except (EOFError, OSError, RuntimeError) as e:
        print("error: %s" % e)
        sys.exit(1)
    sys.exit(0 if connected == (scenario in ("good", "ip-ping")) else 1)


if __name__ == "__main__":
    main()
