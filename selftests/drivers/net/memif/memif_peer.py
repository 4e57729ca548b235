#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A minimal memif client (slave) in Python, to drive the kernel's server
role through one handshake, correctly or with one thing wrong on purpose.

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
Prints "disconnect: <reason>" when the server refuses; exits 0 when the
outcome is the one the scenario expects ("connected" for good, a
DISCONNECT otherwise), 1 otherwise.
"""
import os
import socket
import struct
import sys

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


def run(path, ifid, scenario):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    s.connect("\0" + path[1:] if path.startswith("@") else path)
    expect(s, HELLO)
    s.send(msg(INIT, struct.pack("<HIB24s32s", VERSION, ifid, 0, b"", b"memif_peer.py")))
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
    sys.exit(0 if connected == (scenario == "good") else 1)


if __name__ == "__main__":
    main()
