#!/usr/bin/env python3
"""Markdown summary of a simdact_bench run: elements per nanosecond (items_per_second / 1e9).

  summary.py FILE.json                      # FILE from: simdact_bench --benchmark_out=FILE --benchmark_out_format=json
  summary.py --bench PATH [bench args...]   # run PATH itself (console output to --log or discarded)

One table for the element-wise ops (rows = op/ISA) and one per column count of the row ops (softmax,
log_softmax and their backward and strided forms; rows = op/ISA, rows*cols = size rounded down to a
multiple of cols, the strided ones on rows cols + 16 floats apart); columns are the sizes; every table ends with
the memcpy copy bound. Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def size_label(n):
    for shift, unit in ((30, "Gi"), (20, "Mi"), (10, "Ki")):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return "%d%s" % (n >> shift, unit)
    return str(n)


def fmt(v):
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    if v >= 1:
        return "%.2f" % v
    return "%.3f" % v


def parse_name(name):
    """'sigmoid/avx2/4096' -> (op, isa, cols, size); 'softmax/avx2/cols:10/4096'; 'memcpy/4096'.

    Google Benchmark's own suffixes (real_time, min_time:..., repeats:..., threads:...) are dropped.
    Returns None for a name that does not fit.
    """
    cols = None
    parts = []
    for p in name.split("/"):
        if p.startswith("cols:"):
            try:
                cols = int(p[5:])
            except ValueError:
                return None
        elif ":" in p or p in ("real_time", "manual_time", "process_time"):
            continue
        else:
            parts.append(p)
    if len(parts) < 2 or not parts[-1].isdigit():
        return None
    size = int(parts[-1])
    op = parts[0]
    isa = "/".join(parts[1:-1])
    return op, isa, cols, size


def collect(doc):
    """{(op, isa, cols, size): value or error string}, rows in registration order, sorted sizes.

    Registration order (family_index) is the kernel list's order, then ISA; it survives
    --benchmark_enable_random_interleaving, which shuffles the order of the runs in the file.
    """
    runs = {}  # run_name -> {"iters": [...], "median": v, "error": msg}
    order = []
    family = {}
    for b in doc.get("benchmarks", []):
        run_name = b.get("run_name") or b.get("name", "")
        r = runs.get(run_name)
        if r is None:
            r = runs[run_name] = {"iters": [], "median": None, "error": None}
            order.append(run_name)
            family[run_name] = b.get("family_index", len(order))
        if b.get("error_occurred"):
            r["error"] = b.get("error_message") or "error"
            continue
        ips = b.get("items_per_second")
        if ips is None:
            continue
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                r["median"] = ips / 1e9
        else:
            r["iters"].append(ips / 1e9)

    cells, rows, sizes = {}, [], set()
    for run_name in sorted(order, key=lambda n: family[n]):
        key = parse_name(run_name)
        if key is None:
            continue
        r = runs[run_name]
        if r["error"] is not None:
            value = r["error"]
        elif r["median"] is not None:
            value = r["median"]
        elif r["iters"]:
            value = statistics.median(r["iters"])
        else:
            continue
        op, isa, cols, size = key
        cells[key] = value
        sizes.add(size)
        if (op, isa, cols) not in rows:
            rows.append((op, isa, cols))
    return cells, rows, sorted(sizes)


def table(title, row_keys, cells, sizes, errors):
    header = ["op/isa"] + [size_label(s) for s in sizes]
    body = []
    for op, isa, cols in row_keys:
        line = [op + ("/" + isa if isa else "")]
        for s in sizes:
            v = cells.get((op, isa, cols, s))
            if v is None:
                line.append("-")
            elif isinstance(v, str):
                errors.append("%s/%s%s/%d: %s" % (op, isa, "" if cols is None else "/cols:%d" % cols, s, v))
                line.append("ERR")
            else:
                line.append(fmt(v))
        body.append(line)
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]

    def render(r):
        cells_ = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        return "| " + " | ".join(cells_) + " |"

    out = ["### " + title, "", render(header)]
    out.append("|" + "|".join([":" + "-" * (widths[0] + 1)] + ["-" * (w + 1) + ":" for w in widths[1:]]) + "|")
    out += [render(r) for r in body]
    return "\n".join(out)


def context_line(ctx):
    bits = []
    if "num_cpus" in ctx:
        bits.append("%s CPU x %.0f MHz" % (ctx["num_cpus"], ctx.get("mhz_per_cpu", 0)))
    caches = []
    for c in ctx.get("caches", []):
        if c.get("type") == "Instruction":
            continue
        name = "L%d%s" % (c.get("level", 0), "d" if c.get("type") == "Data" else "")
        caches.append("%s %sB" % (name, size_label(c.get("size", 0))))
    if caches:
        bits.append(", ".join(caches))
    if "simdact_version" in ctx:
        bits.append("simdact " + ctx["simdact_version"])
    if "simdact_isas_benchmarked" in ctx:
        bits.append("ISAs " + ctx["simdact_isas_benchmarked"])
    if "load_avg" in ctx:
        bits.append("load " + " ".join("%.2f" % x for x in ctx["load_avg"]))
    if "date" in ctx:
        bits.append(ctx["date"])
    return "; ".join(bits)


def summarize(doc):
    cells, rows, sizes = collect(doc)
    if not rows:
        return "no simdact benchmark results found"
    memcpy = [r for r in rows if r[0] == "memcpy"]
    elementwise = [r for r in rows if r[2] is None and r[0] != "memcpy"]
    col_values = sorted({r[2] for r in rows if r[2] is not None})
    errors = []
    out = ["## simdact_bench: elements per ns (items_per_second / 1e9), higher is better"]
    ctx = context_line(doc.get("context", {}))
    if ctx:
        out.append(ctx)
    out.append("")
    if elementwise or not col_values:
        out += [table("element-wise ops", elementwise + memcpy, cells, sizes, errors), ""]
    for c in col_values:
        these = [r for r in rows if r[2] == c]
        title = "row ops, cols %d (rows = size / %d" % (c, c)
        if any(r[0].endswith("_strided") for r in these):  # simdact_bench's kStridePad = 16
            title += "; *_strided: ld %d, rows = size / %d" % (c + 16, c + 16)
        out += [table(title + ")", these + memcpy, cells, sizes, errors), ""]
    if errors:
        out.append("errors:")
        out += ["  " + e for e in errors]
    else:
        out.pop()
    return "\n".join(out)


def run_bench(path, extra, out_path, log_path):
    cmd = [path, "--benchmark_out=" + out_path, "--benchmark_out_format=json"] + extra
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    try:
        rc = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT if log_path else None)
    finally:
        if log_path:
            log.close()
    if rc != 0:
        sys.exit("summary.py: %s exited with status %d%s" % (path, rc, "; see " + log_path if log_path else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 epilog="Unknown arguments (and everything after --) go to the benchmark with --bench.")
    ap.add_argument("json", nargs="?", help="JSON written by simdact_bench --benchmark_out=FILE")
    ap.add_argument("--bench", metavar="PATH", help="run this simdact_bench and summarize its results")
    ap.add_argument("--out", metavar="FILE", help="with --bench: keep the JSON here (default: a temporary file)")
    ap.add_argument("--log", metavar="FILE", help="with --bench: write its console output here (default: discard)")
    args, extra = ap.parse_known_args()
    extra = [a for a in extra if a != "--"]
    if args.bench:
        if args.json:
            extra.insert(0, args.json)  # a positional meant for the benchmark
        if args.out:
            out_path = args.out
            run_bench(args.bench, extra, out_path, args.log)
        else:
            fd, out_path = tempfile.mkstemp(prefix="simdact_bench.", suffix=".json")
            os.close(fd)
            try:
                run_bench(args.bench, extra, out_path, args.log)
                with open(out_path) as f:
                    doc = json.load(f)
            finally:
                os.unlink(out_path)
            print(summarize(doc))
            return
    elif args.json:
        if extra:
            ap.error("unexpected arguments without --bench: " + " ".join(extra))
        out_path = args.json
    else:
        ap.error("give a JSON file or --bench PATH")
    with open(out_path) as f:
        doc = json.load(f)
    print(summarize(doc))


if __name__ == "__main__":
    main()
