#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Many cycles without a process per step (each costs 0.1-0.5 s in the TCG
guest): for the churn tests.

usage:
  churn.py toggle DEV N [HOLD_MS]
        N times: DEV down, DEV up (rtnetlink), wait until DEV's operstate
        is UP, i.e. connected (10 s at most); with HOLD_MS, stay connected
        that long before the next down.  HOLD_MS = -1: do not wait at all.
  churn.py kill-peer SOCKET ID DEV MAC N
        N times: fork a memif client (slave) that connects to the kernel
        server DEV on SOCKET with ID and floods it with ICMP echo requests
        from 10.6.0.2 (02:00:00:00:00:02) to 10.6.0.1 (MAC) while it takes
        the replies; once DEV has received 200 and sent 100 packets more,
        SIGKILL the client and wait until DEV is no longer UP (DORMANT:
        waiting for the next client).
Prints a summary line; exits 1 on the first cycle that fails (with why).
"""
import os
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# pylint: disable=wrong-import-position
from memif_peer import (ACK, ADD_REGION, ADD_RING, BSIZE, CONNECT, CONNECTED,
                        HELLO, INIT, LOG2, RING_BYTES, VERSION, echo_request,
                        expect, msg, region)

RTM_NEWLINK = 16
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
IFF_UP = 1


class Link:
    """Set a link up or down over rtnetlink; read its operstate and stats."""

    def __init__(self, dev):
        self.dev = dev
        self.index = socket.if_nametoindex(dev)
        self.nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                socket.NETLINK_ROUTE)
        self.seq = 0

    def set_up(self, up):
        self.seq += 1
        body = struct.pack("BxHiII", 0, 0, self.index, IFF_UP if up else 0, IFF_UP)
        self.nl.send(struct.pack("IHHII", 16 + len(body), RTM_NEWLINK,
                                 NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body)
        reply = self.nl.recv(4096)
        mtype = struct.unpack_from("H", reply, 4)[0]
        err = struct.unpack_from("i", reply, 16)[0] if mtype == NLMSG_ERROR else 0
        if err:
            raise OSError(-err, "%s %s: %s" % (self.dev, "up" if up else "down",
                                               os.strerror(-err)))

    def sysfs(self, name):
        with open("/sys/class/net/%s/%s" % (self.dev, name)) as f:
            return f.read().strip()

    def oper_up(self):
        """Connected: carrier on and not dormant (DORMANT while waiting for a
        peer).  The operstate says UP once the link watch gets to it, up to
        a second later: the bits are what the driver sets."""
        try:
            return self.sysfs("carrier") == "1" and self.sysfs("dormant") == "0"
        except OSError:     # EINVAL while down
            return False

    def stat(self, name):
        return int(self.sysfs("statistics/" + name))

    def wait(self, what, timeout, step=0.01):
        deadline = time.monotonic() + timeout
        while not what():
            if time.monotonic() > deadline:
                return False
            time.sleep(step)
        return True


def toggle(dev, n, hold_ms=0):
    link = Link(dev)
    worst, t0 = 0.0, time.monotonic()
    for i in range(n):
        link.set_up(False)
        link.set_up(True)
        if hold_ms < 0:
            continue
        t = time.monotonic()
        if not link.wait(link.oper_up, 10):
            print("cycle %d: not UP 10 s after up" % (i + 1))
            return False
        worst = max(worst, time.monotonic() - t)
        if hold_ms:
            time.sleep(hold_ms / 1000)
    print("%d cycles in %.1f s, longest wait for UP %.0f ms" %
          (n, time.monotonic() - t0, worst * 1000))
    return True


ETH = (b"\x02\x00\x00\x00\x00\x02", 0x0800)


def flood(path, ifid, mac, ready):
    """The client: connect, say so on ready, flood until killed."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    s.connect("\0" + path[1:] if path.startswith("@") else path)
    expect(s, HELLO)
    s.send(msg(INIT, struct.pack("<HIB24s32s", VERSION, ifid, 0, b"", b"churn.py")))
    expect(s, ACK)
    size = 2 * RING_BYTES + 2 * (1 << LOG2) * BSIZE
    fd, mm = region(size, size)
    socket.send_fds(s, [msg(ADD_REGION, struct.pack("<HQ", 0, size))], [fd])
    expect(s, ACK)
    efds = []
    for r, flags in ((0, 1), (1, 0)):
        efd = os.eventfd(0, os.EFD_NONBLOCK)
        efds.append(efd)
        socket.send_fds(s, [msg(ADD_RING, struct.pack("<HHHIBH", flags, 0, 0,
                                                      r * RING_BYTES, LOG2, 0))], [efd])
        expect(s, ACK)
    s.send(msg(CONNECT, b"churn".ljust(32, b"\0")))
    expect(s, CONNECTED)
    os.write(ready, b"c")
    c2s, s2c, slots = 0, RING_BYTES, 1 << LOG2
    mask = slots - 1
    frame = mac + ETH[0] + struct.pack("!H", ETH[1]) + echo_request(False, 1)
    for j in range(slots):      # every C2S buffer holds the same request
        off = struct.unpack_from("<I", mm, c2s + 128 + 16 * j + 8)[0]
        mm[off:off + len(frame)] = frame
        struct.pack_into("<HHI", mm, c2s + 128 + 16 * j, 0, 0, len(frame))
    # Ring indices and flags through a 16-bit view: one load or store
    # each.  struct.pack_into writes byte by byte, and the server may read
    # an index between the two bytes (head 0x00ff -> 0x0100 seen as 0).
    idx = memoryview(mm).cast("H")
    c2s_flags, c2s_hd, c2s_tl = (c2s + 4) // 2, (c2s + 6) // 2, (c2s + 64) // 2
    s2c_flags, s2c_hd, s2c_tl = (s2c + 4) // 2, (s2c + 6) // 2, (s2c + 64) // 2
    idx[s2c_flags] = 1      # we poll S2C: no interrupts
    c2s_head, s2c_tail, s2c_head = 0, 0, slots
    idx[s2c_hd] = s2c_head
    while True:
        busy = (c2s_head - idx[c2s_tl]) & 0xffff
        if busy < slots:
            c2s_head = (c2s_head + slots - busy) & 0xffff
            idx[c2s_hd] = c2s_head
        tail = idx[s2c_tl]
        got = (tail - s2c_tail) & 0xffff
        for _ in range(got):    # give the buffers back, full size
            struct.pack_into("<I", mm, s2c + 128 + 16 * (s2c_head & mask) + 4, BSIZE)
            s2c_head = (s2c_head + 1) & 0xffff
        s2c_tail = tail
        if got:
            idx[s2c_hd] = s2c_head
        # Kick after publishing, and on every idle pass: Python has no
        # fence between the head store and the flags load, so the server
        # may unmask and find no new head just as we read the old mask.
        if (busy < slots or not got) and not idx[c2s_flags] & 1:
            os.eventfd_write(efds[0], 1)
        if not got:
            time.sleep(0.001)


def kill_peer(path, ifid, dev, mac, n):
    link = Link(dev)
    mac = bytes(int(x, 16) for x in mac.split(":"))
    t0 = time.monotonic()
    for i in range(n):
        rx, tx = link.stat("rx_packets"), link.stat("tx_packets")
        ready, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(ready)
            try:
                flood(path, ifid, mac, w)
            except Exception as e:      # pylint: disable=broad-except
                print("cycle %d: client: %r" % (i + 1, e), flush=True)
            os._exit(1)
        os.close(w)
        try:
            if not select.select([ready], [], [], 10)[0] or os.read(ready, 1) != b"c":
                print("cycle %d: the client did not connect" % (i + 1))
                return False
            if not link.wait(lambda: link.stat("rx_packets") >= rx + 200 and
                             link.stat("tx_packets") >= tx + 100, 10):
                print("cycle %d: no traffic: rx +%d, tx +%d" % (
                    i + 1, link.stat("rx_packets") - rx, link.stat("tx_packets") - tx))
                return False
            if not link.oper_up():
                print("cycle %d: not UP while the client floods" % (i + 1))
                return False
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(ready)
        if not link.wait(lambda: not link.oper_up(), 5):
            print("cycle %d: still UP 5 s after SIGKILL" % (i + 1))
            return False
    print("%d clients killed in %.1f s; %s received %d, sent %d packets" % (
        n, time.monotonic() - t0, dev, link.stat("rx_packets"), link.stat("tx_packets")))
    return True


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "toggle":
        ok = toggle(args[0], int(args[1]), int(args[2]) if len(args) > 2 else 0)
    elif cmd == "kill-peer":
        ok = kill_peer(args[0], int(args[1]), args[2], args[3], int(args[4]))
    else:
        sys.exit(__doc__)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
