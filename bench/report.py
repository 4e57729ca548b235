#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's report: the table, the JSON and the plot.

usage: report.py [--json FILE] [--png FILE] GUEST_OUTPUT...

Reads the BENCH lines bench/guest.sh printed (one per measurement window)
from each GUEST_OUTPUT (one per mode: tcg, icount), and prints, per mode,
every figure as median, min and max of its windows, the ratios the
project aims at, and under -icount the guest instructions per packet (one
instruction is one nanosecond of guest time there: instructions = busy
CPU time in ns).

A packet figure is what reached the application: the UDP socket (d2k,
v2k), testpmd (k2d), VPP (k2v), iperf3 (k2k); beside it what the device
received (d2k, v2k) or the kernel sent (k2d, k2v, k2k), the
instructions per packet delivered and, for a memif link, the kicks it
took from its peer (d2k, v2k) or sent it (k2d, k2v) per 1000 of those
packets (ethtool -S).
"""

import argparse
import json
import statistics
import sys

PATHS = ["memif-server", "memif-client", "tap", "vhost-net", "af_packet",
         "af_xdp", "host-if",
         "memif-server-xdp", "memif-client-xdp"]

# The groups: the peer, and the direction.
GROUPS = {"d2k": "DPDK -> kernel", "k2d": "kernel -> DPDK",
          "v2k": "VPP -> kernel", "k2v": "kernel -> VPP"}


def load(files):
    """BENCH lines from the guests' consoles; a kernel message printed
    into the middle of one spoils it: it is counted, not used."""
    recs, fails = [], []
    for name in files:
        with open(name, errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith("BENCH {"):
                    try:
                        recs.append(json.loads(line[6:]))
                    except ValueError:
                        fails.append("BENCH-FAIL unreadable: " + line)
                elif line.startswith("BENCH-FAIL"):
                    fails.append(line)
    return recs, fails


def key(r):
    test = r.get("test", str(r["size"]))
    return (r["mode"], r["group"], r["path"], test)


def per_window(r):
    """The figure of one window and, where packets are counted, the guest
    instructions per packet (under -icount) or per KiB (TCP)."""
    busy_ns = r["busy"] * r["cpus"] * r["secs"] * 1e9
    if "bps" in r:
        kib = r["bps"] / 8 * r["secs"] / 1024
        return r["bps"], busy_ns / kib if kib else None
    if "pkts" in r:
        # testpmd's, VPP's and iperf3's counts come with their own interval
        secs = r.get("pmd_secs") or r.get("iperf_secs") or r["secs"]
        d = r.get("delivered", r["pkts"])
        return d / secs, busy_ns / d if d else None
    return None, None


def beside(r):
    """What the device received, where the figure is what was delivered,
    or what the kernel sent: per second."""
    secs = r.get("pmd_secs") or r.get("iperf_secs") or r["secs"]
    if "delivered" in r:
        return r["pkts"] / secs
    if "sent" in r:
        return r["sent"] / (r.get("iperf_secs") or r["secs"])
    return None


def kicks_per_k(r):
    """Kicks a memif link took (rx) or sent (tx) per 1000 packets the
    device moved in the window, where the bench read them."""
    n = r.get("sent", r.get("pkts"))
    if "kicks" not in r or not n:
        return None
    return r["kicks"] * 1000 / n


def aggregate(recs):
    figs = {}
    for r in recs:
        if r["group"] == "mem":
            continue
        v, cost = per_window(r)
        f = figs.setdefault(key(r), {"values": [], "costs": [], "extra": [],
                                     "kicks": []})
        f["values"].append(v)
        if cost is not None:
            f["costs"].append(cost)
        b = beside(r)
        if b is not None:
            f["extra"].append(b)
        k = kicks_per_k(r)
        if k is not None:
            f["kicks"].append(k)
    out = {}
    for k, f in figs.items():
        vals = f["values"]
        out[k] = {
            "median": statistics.median(vals), "min": min(vals),
            "max": max(vals), "n": len(vals),
            "cost": statistics.median(f["costs"]) if f["costs"] else None,
            "extra": statistics.median(f["extra"]) if f["extra"] else None,
            "kicks_per_1000": statistics.median(f["kicks"]) if f["kicks"] else None,
        }
    return out


def fmt_rate(v, unit):
    if v is None:
        return "-"
    if unit == "bps":
        return "%.3g Gbit/s" % (v / 1e9)
    return "%.3g kpps" % (v / 1e3)


def table(figs, mode):
    lines = []
    rows = sorted(k for k in figs if k[0] == mode)
    if not rows:
        return lines
    lines.append("== %s ==" % mode)
    lines.append("%-7s %-16s %-6s %14s %14s %14s %14s %10s %9s" % (
        "group", "path", "size", "median", "min", "max",
        "recv./sent", "instr/unit", "kicks/1k"))
    for k in rows:
        f = figs[k]
        unit = "bps" if k[3] in ("tcp1", "tcp4") or k[1] == "queues" else "pps"
        cost = ("%.0f" % f["cost"]) if f["cost"] is not None and mode == "icount" else "-"
        kicks = ("%.1f" % f["kicks_per_1000"]) if f["kicks_per_1000"] is not None else "-"
        lines.append("%-7s %-16s %-6s %14s %14s %14s %14s %10s %9s" % (
            k[1], k[2], k[3], fmt_rate(f["median"], unit),
            fmt_rate(f["min"], unit), fmt_rate(f["max"], unit),
            fmt_rate(f["extra"], "pps") if f["extra"] is not None else "-", cost,
            kicks))
    return lines


def med(figs, mode, group, path, test):
    f = figs.get((mode, group, path, test))
    return f["median"] if f else None


def targets(figs, mode):
    """(what, ratio, aim) of each target the issue sets."""
    out = []
    for groups, rivals, aims in ((("d2k", "k2d"), ("tap", "vhost-net", "af_packet", "af_xdp"),
                                  (1.5, 1.0)),
                                 (("v2k", "k2v"), ("tap", "host-if"), (2.0, 1.3))):
        for group in groups:
            for size, aim in zip(("64", "1500"), aims):
                others = [med(figs, mode, group, p, size) for p in rivals]
                others = [o for o in others if o]
                for p in ("memif-server", "memif-client"):
                    m = med(figs, mode, group, p, size)
                    if m is not None and others:
                        out.append(("%s %s B: %s / best of %s" % (
                            group, size, p, ", ".join(rivals)), m / max(others), aim))
    # XDP_DROP: how far the rx path is from its own bound.
    for size in ("64", "1500"):
        for p in ("memif-server", "memif-client"):
            m, x = med(figs, mode, "d2k", p, size), med(figs, mode, "d2k", p + "-xdp", size)
            if m is not None and x:
                out.append(("d2k %s B: %s / its XDP_DROP rate" % (size, p), m / x, None))
    for test in ("tcp1", "tcp4"):
        m, v = med(figs, mode, "k2k", "memif", test), med(figs, mode, "k2k", "veth", test)
        if m is not None and v:
            out.append(("k2k %s: memif / veth" % test, m / v, 0.7))
    m, v = med(figs, mode, "k2k", "memif", "udp64"), med(figs, mode, "k2k", "veth", "udp64")
    if m is not None and v:
        out.append(("k2k udp64: memif / veth", m / v, None))
    q1, q2 = med(figs, mode, "queues", "memif", "1"), med(figs, mode, "queues", "memif", "2")
    if q1 and q2 is not None:
        out.append(("queues: 2 / 1", q2 / q1, 1.7))
    return out


def plot(figs, modes, png):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = [g for g in GROUPS if any(k[1] == g for k in figs)]
    panels = [(m, g) for m in modes for g in groups]
    cols = min(4, len(panels))
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 4.2 * rows),
                             squeeze=False)
    colors = {"memif-server": "#1f77b4", "memif-client": "#6baed6",
              "tap": "#ff7f0e", "vhost-net": "#2ca02c", "host-if": "#d62728",
              "af_packet": "#8c564b", "af_xdp": "#e377c2",
              "memif-server-xdp": "#9467bd", "memif-client-xdp": "#c5b0d5"}
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax, (mode, group) in zip(axes.flat, panels):
        paths = [p for p in PATHS
                 if any((mode, group, p, z) in figs for z in ("64", "1500"))]
        width = 0.8 / max(len(paths), 1)
        for i, p in enumerate(paths):
            xs, ys, lo, hi = [], [], [], []
            for j, size in enumerate(("64", "1500")):
                f = figs.get((mode, group, p, size))
                if not f:
                    continue
                xs.append(j + (i - (len(paths) - 1) / 2) * width)
                ys.append(f["median"] / 1e3)
                lo.append((f["median"] - f["min"]) / 1e3)
                hi.append((f["max"] - f["median"]) / 1e3)
            if xs:
                label = p.replace("-xdp", " XDP_DROP")
                ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2,
                       label=label, color=colors[p])
        ax.set_xticks([0, 1])
        ax.set_xticklabels(["64 B", "1500 B"])
        ax.set_ylabel("kpps delivered (median, min-max)")
        ax.set_title("%s (%s)" % (GROUPS[group], mode))
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(png, dpi=90)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json")
    ap.add_argument("--png")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    recs, fails = load(a.files)
    if not recs:
        sys.exit("report: no BENCH lines in %s" % " ".join(a.files))
    figs = aggregate(recs)
    modes = [m for m in ("tcg", "icount") if any(k[0] == m for k in figs)]
    result = {"windows": recs, "failed": fails, "figures": [], "targets": [],
              "memory": [r for r in recs if r["group"] == "mem"]}
    for k, f in sorted(figs.items()):
        result["figures"].append(dict(zip(("mode", "group", "path", "test"), k), **f))
    for mode in modes:
        print("\n".join(table(figs, mode)))
        for what, ratio, aim in targets(figs, mode):
            verdict = "" if aim is None else (
                "  target %.1fx: %s" % (aim, "met" if ratio >= aim else "MISSED"))
            print("  %-55s %6.2fx%s" % (what, ratio, verdict))
            result["targets"].append({"mode": mode, "what": what,
                                      "ratio": ratio, "aim": aim})
        print()
    for r in result["memory"]:
        print("memory, %s, a connected pair, %d queue(s), rings of %d x %d B: "
              "shared %d kB, kernel %d kB (both ends)" % (
                  r["mode"], r["size"], r["ring"], r["buf"], r["shmem_kb"], r.get("kernel_kb", 0)))
    for line in fails:
        print(line)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
        print("json: %s" % a.json)
    if a.png:
        plot(figs, modes, a.png)
        print("plot: %s" % a.png)


if __name__ == "__main__":
    main()
