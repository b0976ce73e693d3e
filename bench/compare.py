#!/usr/bin/python3
"""Tables and plots of a simdact_compare run: simdact against its peers, elements per nanosecond.

  compare.py FILE.json [--out DIR] [--no-plots]
      FILE from: simdact_compare --benchmark_out=FILE --benchmark_out_format=json (bench/compare runs it)

One Markdown table per op (per input, e.g. sigmoid@wide, and per softmax column count): rows are the
implementations, columns the sizes, cells the median over repetitions of items_per_second / 1e9. The
memcpy copy bound follows, then per simdact tier (accurate: simdact-<isa>, fast: simdact-fast-<isa>)
two rows: the ratio best simdact of the tier / fastest peer, and which two were compared; then the
tier's AVX2 path against the fastest AVX2 build of a peer (names ending in -avx2, plus oneDNN and XNNPACK
when the run capped them to AVX2), and against the tier's AVX-512 path. "Best" and
"fastest" are by median. The ratio is the median of per-repetition ratios with its interquartile range
[Q1, Q3]: repetition i of the simdact implementation over repetition i of the peer (Google Benchmark's
repetition_index). Under --benchmark_enable_random_interleaving every repetition of every case runs at
a random point of the run, so this is a random pairing, and the IQR shows how the machine's noise
moves the ratio. > 1: simdact is faster.

Before the per-op tables, two summary tables with one row per op (and softmax width) and tier: the
ratio best simdact / fastest peer (with the peer's name), and best simdact / oneDNN, the reference of
issue #7's targets (>= 1.25 at 4 Ki and 64 Ki floats, >= 1.0 above: a cell of one of its ops below
the target is marked "<").

A run with simdact_compare --peer-isa=avx2 (JSON context peer_isa = avx2: oneDNN and XNNPACK capped to
their AVX2 kernels, names unchanged) says so in the header: "peers capped to AVX2 (--peer-isa=avx2)".

Writes the tables to stdout and DIR/compare.md, and one PNG per table to DIR (throughput against size,
log-log, one line per implementation, the bars the IQR over repetitions). DIR defaults to
bench/results/. Plots need matplotlib (Debian: python3-matplotlib, for /usr/bin/python3); without it
only the tables are written.
"""
import argparse
import json
import os
import re
import statistics
import sys

sys.dont_write_bytecode = True  # no bench/__pycache__ from importing summary.py
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summary import context_line, fmt, size_label  # noqa: E402  (bench/summary.py)

HERE = os.path.dirname(os.path.abspath(__file__))
# The ISAs in simdact_isa order: the rows of dispatch/isa_list.inc.
with open(os.path.join(HERE, "..", "dispatch", "isa_list.inc")) as _f:
    ISA_ORDER = {m.group(1): i for i, m in enumerate(re.finditer(r"^SIMDACT_ISA\((\w+),", _f.read(), re.M))}
# The peers that simdact_compare --peer-isa=avx2 caps to AVX2 (their names carry no ISA).
CAPPED_PEERS = ("onednn", "xnnpack")


def peer_isa(ctx):
    """'avx2' when the run capped oneDNN and XNNPACK to AVX2 (--peer-isa=avx2), else None."""
    isa = ctx.get("peer_isa")
    return isa if isa and isa != "none" else None


def parse_name(name):
    """'sigmoid@wide/xnnpack/4096' -> ('sigmoid@wide', 'xnnpack', None, 4096);
    'softmax/onednn/cols:10/4096' -> ('softmax', 'onednn', 10, 4096); 'memcpy/4096' -> ('memcpy', '', None, 4096).
    Google Benchmark's own suffixes (iterations:1, repeats:..., real_time) are dropped; None if it does not fit."""
    cols, parts = None, []
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
    return parts[0], "/".join(parts[1:-1]), cols, int(parts[-1])


def tier(impl):
    """'accurate' for simdact-<isa>, 'fast' for simdact-fast-<isa>, None for a peer."""
    if impl.startswith("simdact-fast-"):
        return "fast"
    if impl.startswith("simdact-"):
        return "accurate"
    return None


def impl_sort_key(impl, first_seen):
    t = tier(impl)
    if t is not None:
        isa = impl.rsplit("-", 1)[-1]
        return (0 if t == "accurate" else 1, ISA_ORDER.get(isa, 9), impl)
    return (2, first_seen.get(impl, 0), impl)


def collect(doc):
    """groups: {(op, cols): {impl: {size: {"reps": {index: v}, "error": msg}}}}, plus the order of first
    registration of each group and impl (family_index survives random interleaving)."""
    groups, group_order, impl_order, memcpy = {}, {}, {}, {}
    for b in doc.get("benchmarks", []):
        key = parse_name(b.get("run_name") or b.get("name", ""))
        if key is None:
            continue
        op, impl, cols, size = key
        fam = b.get("family_index", 0)
        if op == "memcpy":
            cell = memcpy.setdefault(size, {"reps": {}, "error": None})
        else:
            group_order[(op, cols)] = min(fam, group_order.get((op, cols), fam))
            impl_order[impl] = min(fam, impl_order.get(impl, fam))
            cell = groups.setdefault((op, cols), {}).setdefault(impl, {}).setdefault(size, {"reps": {}, "error": None})
        if b.get("error_occurred"):
            cell["error"] = b.get("error_message") or "error"
            continue
        if b.get("run_type") == "aggregate" or b.get("items_per_second") is None:
            continue
        cell["reps"][b.get("repetition_index", len(cell["reps"]))] = b["items_per_second"] / 1e9
    return groups, group_order, impl_order, memcpy


def median(cell):
    if cell is None or cell["error"] is not None or not cell["reps"]:
        return None
    return statistics.median(cell["reps"].values())


def iqr(values):
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def paired_ratio(a, b):
    """Median and [Q1, Q3] of a.reps[i] / b.reps[i] over the repetition indices both have."""
    common = sorted(set(a["reps"]) & set(b["reps"]))
    ratios = [a["reps"][i] / b["reps"][i] for i in common if b["reps"][i] > 0]
    if not ratios:
        return None
    lo, hi = iqr(ratios)
    return statistics.median(ratios), lo, hi, len(ratios)


def render_table(title, header, body):
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]

    def line(r):
        return "| " + " | ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]) + " |"

    out = ["### " + title, "", line(header)]
    out.append("|" + "|".join([":" + "-" * (widths[0] + 1)] + ["-" * (w + 1) + ":" for w in widths[1:]]) + "|")
    out += [line(r) for r in body]
    return "\n".join(out)


def group_title(op, cols):
    base, _, variant = op.partition("@")
    t = base
    if cols is not None and base.endswith("_strided"):  # simdact_compare's kStridePad = 16
        t += ", cols %d, ld %d (rows = size / %d)" % (cols, cols + 16, cols + 16)
    elif cols is not None:
        t += ", cols %d (rows = size / %d)" % (cols, cols)
    if variant == "wide":
        t += ", wide-tailed input (99% U(-10,10), 1% |x| in [20, 1e6])"
    elif variant:
        t += " @" + variant
    return t


def group_file(op, cols):
    name = op.replace("@", "-")
    if cols is not None:
        name += "-cols%d" % cols
    return name + ".png"


def build_group(op, cols, impls_cells, impl_order, memcpy, sizes, errors, avx2_capped=False):
    """Returns (markdown table, plot series {impl: [(size, median, q1, q3)]}). avx2_capped: oneDNN and
    XNNPACK ran capped to AVX2, so they count as AVX2 peers."""
    impls = sorted(impls_cells, key=lambda i: impl_sort_key(i, impl_order))
    header = ["implementation"] + [size_label(s) for s in sizes]
    body, series = [], {}
    for impl in impls:
        row = [impl]
        for s in sizes:
            cell = impls_cells[impl].get(s)
            if cell is None:
                row.append("-")
            elif cell["error"] is not None:
                errors.append("%s/%s%s/%d: %s" % (op, impl, "" if cols is None else "/cols:%d" % cols, s, cell["error"]))
                row.append("ERR")
            elif not cell["reps"]:
                row.append("-")
            else:
                m = median(cell)
                row.append(fmt(m))
                q1, q3 = iqr(list(cell["reps"].values()))
                series.setdefault(impl, []).append((s, m, q1, q3))
        body.append(row)
    if memcpy:
        row = ["memcpy (copy bound)"]
        for s in sizes:
            m = median(memcpy.get(s))
            row.append("-" if m is None else fmt(m))
            if m is not None:
                q1, q3 = iqr(list(memcpy[s]["reps"].values()))
                series.setdefault("memcpy", []).append((s, m, q1, q3))
        body.append(row)
    peers = [i for i in impls if tier(i) is None]
    for t in ("accurate", "fast"):
        mine = [i for i in impls if tier(i) == t]
        if not mine or not peers:
            continue
        ratio_row = ["**simdact %s / fastest peer** [IQR]" % t]
        who_row = ["  best simdact vs fastest peer"]
        for s in sizes:
            best = max(mine, key=lambda i: median(impls_cells[i].get(s)) or -1.0)
            fastest = max(peers, key=lambda i: median(impls_cells[i].get(s)) or -1.0)
            a, b = impls_cells[best].get(s), impls_cells[fastest].get(s)
            r = paired_ratio(a, b) if median(a) is not None and median(b) is not None else None
            if r is None:
                ratio_row.append("-")
                who_row.append("-")
                continue
            ratio_row.append("**%.2f** [%.2f, %.2f]" % (r[0], r[1], r[2]))
            who_row.append("%s vs %s" % (best.replace("simdact-", "").replace("fast-", ""), fastest))
        body += [ratio_row, who_row]
        # AVX2: simdact's AVX2 path against the peers' AVX2 builds (names ending in -avx2; oneDNN and
        # XNNPACK too when capped to AVX2), and against simdact's own AVX-512 path of the tier.
        prefix = "simdact-" if t == "accurate" else "simdact-fast-"
        avx2, avx512 = prefix + "avx2", prefix + "avx512"
        peers2 = [i for i in peers if i.endswith("-avx2") or (avx2_capped and i in CAPPED_PEERS)]
        if avx2 in impls_cells and peers2:
            row, who = ["simdact %s avx2 / fastest avx2 peer [IQR]" % t], ["  avx2 peer"]
            for s in sizes:
                fastest = max(peers2, key=lambda i: median(impls_cells[i].get(s)) or -1.0)
                a, b = impls_cells[avx2].get(s), impls_cells[fastest].get(s)
                r = paired_ratio(a, b) if median(a) is not None and median(b) is not None else None
                row.append("-" if r is None else "%.2f [%.2f, %.2f]" % (r[0], r[1], r[2]))
                who.append("-" if r is None else fastest)
            body += [row, who]
        if avx2 in impls_cells and avx512 in impls_cells:
            row = ["simdact %s avx2 / avx512 [IQR]" % t]
            for s in sizes:
                a, b = impls_cells[avx2].get(s), impls_cells[avx512].get(s)
                r = paired_ratio(a, b) if median(a) is not None and median(b) is not None else None
                row.append("-" if r is None else "%.2f [%.2f, %.2f]" % (r[0], r[1], r[2]))
            body.append(row)
    return render_table(group_title(op, cols), header, body), series


ONEDNN = "onednn"
# The ops whose speed targets issue #7 sets against oneDNN (the summary marks their misses).
ISSUE7_OPS = {"log_softmax", "log_softmax_backward", "gelu", "gelu_backward", "gelu_tanh", "gelu_tanh_backward",
              "silu", "silu_backward", "softplus", "softplus_backward", "elu", "elu_backward"}


def target_of(size):
    """Issue #7's speed target against oneDNN at this size."""
    return 1.25 if size <= 64 << 10 else 1.0


def summary_tables(groups, order, sizes):
    """Markdown: per (op, cols) and tier, best simdact / fastest peer and best simdact / oneDNN."""
    def best_of(cells, names, s):
        named = [i for i in names if median(cells[i].get(s)) is not None]
        return max(named, key=lambda i: median(cells[i].get(s))) if named else None

    vs_peer, vs_dnnl = [], []
    for op, cols in order:
        cells = groups[(op, cols)]
        impls = list(cells)
        peers = [i for i in impls if tier(i) is None]
        for t in ("accurate", "fast"):
            mine = [i for i in impls if tier(i) == t]
            if not mine or not peers:
                continue
            label = op + ("" if cols is None else ", cols %d" % cols) + ("" if t == "accurate" else " (fast)")
            row_peer, row_dnnl = [label], [label]
            for s in sizes:
                best, fastest = best_of(cells, mine, s), best_of(cells, peers, s)
                r = paired_ratio(cells[best][s], cells[fastest][s]) if best and fastest else None
                row_peer.append("-" if r is None else "%.2f %s" % (r[0], fastest))
                d = cells.get(ONEDNN, {}).get(s)
                r = paired_ratio(cells[best][s], d) if best and median(d) is not None else None
                miss = op.partition("@")[0] in ISSUE7_OPS and r is not None and r[0] < target_of(s)
                row_dnnl.append("-" if r is None else "%.2f%s" % (r[0], " <" if miss else ""))
            vs_peer.append(row_peer)
            if any(c != "-" for c in row_dnnl[1:]):
                vs_dnnl.append(row_dnnl)
    header = ["op"] + [size_label(s) for s in sizes]
    out = []
    if vs_peer:
        out += [render_table("Summary: best simdact / fastest peer (median of per-repetition ratios; the peer)",
                             header, vs_peer), ""]
    if vs_dnnl:
        out += [render_table("Summary: best simdact / oneDNN (\"<\": an op of issue #7 below its target, 1.25 up "
                             "to 64 Ki, 1.0 above)", header, vs_dnnl), ""]
    return out


def palette(impls):
    """{impl: colour}, the same in every plot: tab10 then Dark2 (18 distinct colours), in table order."""
    from matplotlib import colormaps
    colours = list(colormaps["tab10"].colors) + list(colormaps["Dark2"].colors)
    return {impl: colours[i % len(colours)] for i, impl in enumerate(impls)}


def plot(path, title, series, sizes, colours):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5.5))
    for impl, pts in series.items():
        pts = sorted(pts)
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        err = [[p[1] - p[2] for p in pts], [p[3] - p[1] for p in pts]]
        if impl == "memcpy":
            style = dict(color="black", linestyle=":", linewidth=1.5, marker="")
        elif tier(impl) is not None:
            style = dict(color=colours.get(impl), linestyle="-", linewidth=2.4, marker="o")
        else:
            style = dict(color=colours.get(impl), linestyle="--", linewidth=1.4, marker="s", markersize=4)
        ax.errorbar(xs, ys, yerr=err, label=impl, capsize=2, **style)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(sizes)
    ax.set_xticklabels([size_label(s) for s in sizes])
    ax.set_xlabel("floats per call")
    ax.set_ylabel("elements / ns (median, bars: IQR)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report(doc, out_dir, plots):
    groups, group_order, impl_order, memcpy = collect(doc)
    if not groups:
        return "no simdact_compare results found", []
    sizes = sorted({s for g in groups.values() for cells in g.values() for s in cells} | set(memcpy))
    ctx = doc.get("context", {})
    reps = max((len(c["reps"]) for g in groups.values() for cells in g.values() for c in cells.values()), default=0)
    out = ["## simdact vs peers: elements per ns (items_per_second / 1e9, median of %d repetitions), higher is better"
           % reps, ""]
    capped = peer_isa(ctx)
    if capped:
        out += ["**peers capped to %s (--peer-isa=%s)**: oneDNN and XNNPACK ran their %s kernels (as on a CPU "
                "without AVX-512; names unchanged, so their AVX2 ratio rows include them); the per-ISA peers "
                "(eigen-*, sleef-*, naive-*) are named by their ISA." % (capped.upper(), capped, capped.upper()), ""]
    line = context_line(ctx)
    if line:
        out += [line, ""]
    notes = [ctx[k] for k in sorted((k for k in ctx if k.startswith("peer_") and k[5:].isdigit()),
                                    key=lambda k: int(k[5:]))]
    if notes:
        out += ["Peers: " + "; ".join(notes) + ".", ""]
    out += ["Ratio rows: best simdact of the tier / fastest peer at that size (both by median); the figure is the "
            "median of per-repetition ratios (repetition i over repetition i, a random pairing under random "
            "interleaving), [Q1, Q3] its interquartile range; > 1 means simdact is faster. "
            "'-': not run (at 32 Mi simdact's scalar ISA, the naive loops of the ops with a transcendental and "
            "oneDNN's strided softmaxes (ref:any) are left out unless simdact_compare runs with --all_sizes: "
            "compute-bound, their 1 Mi figure holds). Strided softmaxes: rows ld = cols + 16 floats apart, "
            "rows = size / ld; oneDNN 2.6 runs a non-dense tensor on its reference implementation.", ""]
    order = sorted(groups, key=lambda k: (group_order[k], k[1] or 0))
    out += summary_tables(groups, order, sizes)
    errors, pngs, colours = [], [], {}
    if plots:
        try:
            all_impls = sorted({i for g in groups.values() for i in g}, key=lambda i: impl_sort_key(i, impl_order))
            colours = palette(all_impls)
        except ImportError as e:
            print("compare.py: no plots (%s); use /usr/bin/python3 with python3-matplotlib" % e, file=sys.stderr)
            plots = False
    for op, cols in order:
        table, series = build_group(op, cols, groups[(op, cols)], impl_order, memcpy, sizes, errors,
                                    avx2_capped=capped == "avx2")
        out += [table, ""]
        if plots and series:
            path = os.path.join(out_dir, group_file(op, cols))
            try:
                plot(path, group_title(op, cols) + ": elements/ns", series, sizes, colours)
                pngs.append(path)
            except ImportError as e:
                print("compare.py: no plots (%s); use /usr/bin/python3 with python3-matplotlib" % e, file=sys.stderr)
                plots = False
    if errors:
        out.append("errors:")
        out += ["  " + e for e in errors]
    return "\n".join(out).rstrip() + "\n", pngs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json", help="JSON written by simdact_compare --benchmark_out=FILE --benchmark_out_format=json")
    ap.add_argument("--out", metavar="DIR", default=os.path.join(HERE, "results"),
                    help="where compare.md and the PNGs go (default: bench/results/)")
    ap.add_argument("--no-plots", action="store_true", help="tables only")
    args = ap.parse_args()
    with open(args.json) as f:
        doc = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    text, pngs = report(doc, args.out, not args.no_plots)
    with open(os.path.join(args.out, "compare.md"), "w") as f:
        f.write(text)
    print(text)
    print("compare.py: wrote %s%s" % (os.path.join(args.out, "compare.md"),
                                     " and %d plots" % len(pngs) if pngs else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
