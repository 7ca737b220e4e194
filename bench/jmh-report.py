#!/usr/bin/env python3
"""Turns a JMH JSON result of bench/jmh.sh into the Markdown tables of docs/BENCHMARKS.md.

usage: bench/jmh-report.py docs/bench-results/engine-full-<stamp>.json
       bench/jmh-report.py --compact RAW.json OUT.json   (drops the raw latency histograms, keeps the percentiles)
"""
import json
import sys
from collections import defaultdict


def key(b):
    name = b["benchmark"].split(".")[-2]
    params = b.get("params") or {}
    return name, tuple(sorted(params.items()))


def main(path):
    data = json.load(open(path))
    rows = defaultdict(dict)
    for b in data:
        k = key(b)
        pm = b["primaryMetric"]
        sec = b.get("secondaryMetrics", {})
        r = rows[k]
        if b["mode"] == "thrpt":
            r["ops"] = pm["score"] * 1e6 if pm["scoreUnit"] == "ops/us" else pm["score"]
            r["bop_t"] = sec.get("gc.alloc.rate.norm", {}).get("score")
        elif b["mode"] == "sample":
            p = pm["scorePercentiles"]
            r["mean"] = pm["score"]
            r["p50"], r["p99"], r["p999"] = p["50.0"], p["99.0"], p["99.9"]
            r["bop_s"] = sec.get("gc.alloc.rate.norm", {}).get("score")
        r["jvm"] = " ".join(b.get("jvmArgs", []))
    def fmt(v, d=1):
        return "—" if v is None else (f"{v:,.{d}f}")

    def table(name, pkey):
        print(f"\n**{name}**\n")
        print(f"| {pkey} | ops/s | mean µs | p50 µs | p99 µs | p99.9 µs | B/op |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for (n, params), r in sorted(rows.items(), key=lambda x: [str(v).zfill(6) for v in dict(x[0][1]).values()]):
            if n != name:
                continue
            label = ", ".join(f"{a}={b}" for a, b in params)
            bop = r.get("bop_t") or r.get("bop_s")
            print(f"| {label} | {fmt(r.get('ops'), 0)} | {fmt(r.get('mean'))} | {fmt(r.get('p50'))} | "
                  f"{fmt(r.get('p99'))} | {fmt(r.get('p999'))} | {fmt(bop, 0)} |")

    names = sorted({n for n, _ in rows})
    for n in names:
        table(n, "params")

    def get(name, **params):
        for (n, p), r in rows.items():
            if n == name and dict(p) == {a: str(b) for a, b in params.items()}:
                return r
        return None

    print("\n**Ratios (peer time / our time; mean from SampleTime, and p99)**\n")
    print("| lines | Drools / engine (peer rules) mean | p99 | naive / engine (full) mean | p99 |")
    print("|---:|---:|---:|---:|---:|")
    for lines in (1, 20, 100):
        d, ep = get("DroolsBench", lines=lines), get("EngineBench", lines=lines, rules="PEER")
        nv, ef = get("NaiveBench", lines=lines), get("EngineBench", lines=lines, rules="FULL")
        def ratio(a, b, f):
            return "—" if not a or not b or a.get(f) is None or b.get(f) is None else f"{a[f] / b[f]:,.0f}×"
        print(f"| {lines} | {ratio(d, ep, 'mean')} | {ratio(d, ep, 'p99')} | {ratio(nv, ef, 'mean')} | {ratio(nv, ef, 'p99')} |")
    jvms = {r["jvm"] for r in rows.values()}
    print("\nJVM args of the forks:", "; ".join(sorted(jvms)))


def compact(src, dst):
    data = json.load(open(src))
    for b in data:
        for m in [b["primaryMetric"]] + list(b.get("secondaryMetrics", {}).values()):
            m.pop("rawDataHistogram", None)
    with open(dst, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if sys.argv[1] == "--compact":
        compact(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1])
