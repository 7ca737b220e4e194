#!/usr/bin/env python3
"""CPU profile summary of a JFR recording (bench/http-load.sh --profile-rate).

    python3 bench/jfr-top.py recording.jfr [--depth 64] [--top 25]

Reads jdk.ExecutionSample events (through `jfr print --json`) and prints:
  - where the samples go by stage of an audit (each sample is given to the first stage whose
    frames appear on its stack, in the order of STAGES below),
  - self samples by package and by class of the leaf frame,
  - the top leaf methods, samples by thread group,
  - GC pauses and the JVM/machine CPU load JFR measured meanwhile.
"""
import argparse
import collections
import json
import re
import subprocess
import sys

# (stage, predicate on the list of frame names leaf→root); the first match wins
STAGES = [
    ("audit record writer (batch INSERT, JSON of the record)", lambda fs: any("AuditRecordWriter" in f for f in fs)),
    ("stored history lookup (JDBC)", lambda fs: any(".HistorySource." in f or ".ChargeStore." in f for f in fs)),
    ("idempotency lookup in PostgreSQL", lambda fs: any("AuditStore.responseForRequestId" in f for f in fs)),
    ("engine (rules, knowledge index, MVEL)", lambda fs: any(f.startswith("com.preaudit.engine.") or f.startswith("org.mvel2.") for f in fs)),
    ("JSON parse/serialise (Jackson)", lambda fs: any(f.startswith("com.fasterxml.jackson.") for f in fs)),
    ("validation + mapping (AuditRequests)", lambda fs: any("com.preaudit.audit.AuditRequests." in f for f in fs)),
    ("metrics (Micrometer)", lambda fs: any(f.startswith("io.micrometer.") for f in fs)),
    ("caches (Caffeine)", lambda fs: any(f.startswith("com.github.benmanes.caffeine.") for f in fs)),
    ("audit service (other: response, ids, UUIDs)", lambda fs: any("com.preaudit.audit.AuditService." in f for f in fs)),
    ("JDBC driver / pool (other)", lambda fs: any(f.startswith("org.postgresql.") or f.startswith("io.agroal.") for f in fs)),
    ("REST layer (Quarkus REST, Vert.x, Netty)", lambda fs: any(f.startswith(p) for f in fs for p in
                                                                 ("org.jboss.resteasy.", "io.quarkus.", "io.vertx.", "io.netty."))),
]


def frame_name(frame):
    m = frame.get("method", {})
    t = m.get("type", {})
    # JFR names types in internal form (java/lang/String)
    return "%s.%s" % (t.get("name", "?").replace("/", "."), m.get("name", "?"))


def load(path, events, depth):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events", events, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def pct(n, total):
    return 100.0 * n / total if total else 0.0


def package(name, parts=3):
    pieces = name.split(".")
    # drop Class.method, keep the package (up to `parts` segments)
    pkg = [p for p in pieces[:-2]]
    return ".".join(pkg[:parts]) if pkg else "(default)"


def thread_group(name):
    return re.sub(r"[-#]?\d+$", "", name or "?")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jfr")
    ap.add_argument("--depth", type=int, default=96)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()

    samples = load(a.jfr, "jdk.ExecutionSample", a.depth)
    stages = collections.Counter()
    leaf_pkg = collections.Counter()
    leaf_cls = collections.Counter()
    leaf_method = collections.Counter()
    threads = collections.Counter()
    total = 0
    for e in samples:
        v = e["values"]
        st = v.get("stackTrace") or {}
        frames = [frame_name(f) for f in st.get("frames", [])]
        if not frames:
            continue
        total += 1
        for name, pred in STAGES:
            if pred(frames):
                stages[name] += 1
                break
        else:
            stages["other: " + package(frames[0], 2)] += 1
        leaf_method[frames[0]] += 1
        leaf_cls[frames[0].rsplit(".", 1)[0]] += 1
        leaf_pkg[package(frames[0])] += 1
        t = v.get("sampledThread") or {}
        threads[thread_group(t.get("javaName") or t.get("osName"))] += 1

    print("JFR %s: %d execution samples (stack depth %d)" % (a.jfr, total, a.depth))
    print("\nby stage of the request (first match on the stack, in this order):")
    for name, n in stages.most_common():
        print("  %5.1f %%  %6d  %s" % (pct(n, total), n, name))
    print("\nby thread group:")
    for name, n in threads.most_common(10):
        print("  %5.1f %%  %6d  %s" % (pct(n, total), n, name))
    print("\nself samples by package of the leaf frame:")
    for name, n in leaf_pkg.most_common(a.top):
        print("  %5.1f %%  %6d  %s" % (pct(n, total), n, name))
    print("\nself samples by class of the leaf frame:")
    for name, n in leaf_cls.most_common(a.top):
        print("  %5.1f %%  %6d  %s" % (pct(n, total), n, name))
    print("\ntop leaf methods:")
    for name, n in leaf_method.most_common(a.top):
        print("  %5.1f %%  %6d  %s" % (pct(n, total), n, name))

    try:
        gcs = load(a.jfr, "jdk.GarbageCollection", 1)
        pause = sum(parse_duration(g["values"].get("sumOfPauses")) for g in gcs)
        names = collections.Counter(g["values"].get("name") for g in gcs)
        print("\nGC: %d collections %s, pauses %.0f ms in total" % (len(gcs), dict(names), pause * 1000))
    except Exception as ex:  # noqa: BLE001 - a summary without GC figures is still useful
        print("\nGC: n/a (%s)" % ex)
    try:
        loads = load(a.jfr, "jdk.CPULoad", 1)
        if loads:
            ju = sum(l["values"]["jvmUser"] for l in loads) / len(loads)
            js = sum(l["values"]["jvmSystem"] for l in loads) / len(loads)
            mt = sum(l["values"]["machineTotal"] for l in loads) / len(loads)
            print("CPU load (JFR, fraction of all cores): JVM user %.2f, JVM system %.2f, machine %.2f" % (ju, js, mt))
    except Exception as ex:  # noqa: BLE001
        print("CPU load: n/a (%s)" % ex)


def parse_duration(s):
    """JFR JSON durations look like 'PT0.001234S'."""
    if s is None:
        return 0.0
    if isinstance(s, (int, float)):
        return float(s) / 1e9
    m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", s)
    if not m:
        return 0.0
    h, mi, se = m.groups()
    return int(h or 0) * 3600 + int(mi or 0) * 60 + float(se or 0)


if __name__ == "__main__":
    sys.exit(main())
