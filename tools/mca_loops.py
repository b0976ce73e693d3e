#!/usr/bin/env python3
"""Compare llvm-mca predicted cycles/iteration of hot loops between two builds.

Two builds of the same object file (e.g. a sealed per-ISA kernel object) that
differ only in register allocation / scheduling can be compared with this
script on a machine that cannot execute the ISA.  For each function present in
both objects whose (normalised) machine code differs, the script

1. disassembles the objects with ``objdump -d --no-show-raw-insn -C``,
2. finds loops as backward branches (target <= branch address, target >= the
   function start) and keeps the largest few with at least ``--min-instr``
   instructions,
3. strips branches and label-referencing instructions from each loop body,
   feeds it to ``llvm-mca`` and records cycles/iteration (Total Cycles /
   Iterations) and Block RThroughput,
4. pairs loops by size rank within the function and prints one line per pair
   plus a summary (pair count, pairs slower by more than 2%, geometric-mean
   after/before ratio).

Examples::

    python3 tools/mca_loops.py BEFORE.o AFTER.o --mcpu znver4
    python3 tools/mca_loops.py BEFORE.o AFTER.o --mcpu neoverse-v2 \\
        --objdump aarch64-linux-gnu-objdump --triple aarch64-linux-gnu

Standard library only.
"""

import argparse
import collections
import concurrent.futures
import math
import os
import re
import subprocess
import sys
import tempfile

HEADER_RE = re.compile(r"^([0-9a-f]+) <(.*)>:\s*$")
INSN_RE = re.compile(r"^\s*([0-9a-f]+):\s+(.*?)\s*$")
# Branch target: "<hex> <symbol+off>" at the end of the operand text.
TARGET_RE = re.compile(r"(?:^|[\s,])([0-9a-f]+) <.*>\s*$")
LABEL_RE = re.compile(r"<[^<>]*(?:<[^<>]*>[^<>]*)*>")

X86_BRANCH_PREFIXES = ("notrack", "bnd", "rep", "repz", "repnz", "ds", "cs")
A64_BRANCHES = {"b", "cbz", "cbnz", "tbz", "tbnz", "br"}


class Insn:
    """One disassembled instruction."""

    __slots__ = ("addr", "text", "mnemonic", "target")

    def __init__(self, addr, text, mnemonic, target):
        self.addr = addr
        self.text = text
        self.mnemonic = mnemonic
        self.target = target


def strip_comment(text, arch):
    """Remove trailing objdump comments (``# ...`` on x86, ``// ...`` on a64)."""
    if arch == "x86":
        idx = text.find("#")
    else:
        idx = text.find("//")
    if idx >= 0:
        text = text[:idx]
    return text.rstrip()


def mnemonic_of(text, arch):
    """Return the branch-relevant mnemonic (skipping x86 prefixes)."""
    parts = text.split()
    if not parts:
        return ""
    if arch == "x86":
        i = 0
        while i < len(parts) - 1 and parts[i] in X86_BRANCH_PREFIXES:
            i += 1
        return parts[i]
    return parts[0]


def is_branch(mnem, arch):
    """True for jumps/branches (not calls or returns)."""
    if arch == "x86":
        return mnem.startswith("j") or mnem.startswith("loop")
    return mnem in A64_BRANCHES or mnem.startswith("b.") or (
        len(mnem) == 3 and mnem.startswith("b") and mnem not in ("bic", "bif", "bit", "bsl", "bfi", "bcax")
        and mnem[1:] in ("eq", "ne", "cs", "cc", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls",
                         "ge", "lt", "gt", "le", "al"))


def disassemble(objdump, path, arch):
    """Return list of (name, [Insn]) in file order."""
    cmd = [objdump, "-d", "--no-show-raw-insn", "-C", path]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    funcs = []
    cur = None
    for line in out.splitlines():
        m = HEADER_RE.match(line)
        if m:
            cur = (m.group(2), int(m.group(1), 16), [])
            funcs.append(cur)
            continue
        if cur is None:
            continue
        m = INSN_RE.match(line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        raw = m.group(2)
        text = strip_comment(raw, arch)
        if not text or text.startswith("..."):
            continue
        mnem = mnemonic_of(text, arch)
        target = None
        if is_branch(mnem, arch):
            tm = TARGET_RE.search(text)
            if tm:
                target = int(tm.group(1), 16)
        cur[2].append(Insn(addr, text, mnem, target))
    return [(name, start, insns) for name, start, insns in funcs]


def normalise(insns):
    """Instruction text with branch target addresses and <labels> removed."""
    res = []
    for ins in insns:
        t = LABEL_RE.sub("", ins.text)
        if ins.target is not None:
            t = re.sub(r"(^|[\s,])[0-9a-f]+\s*$", r"\1", t.rstrip())
        res.append(" ".join(t.split()))
    return res


def find_loops(start, insns, min_instr, max_loops, innermost=True):
    """Return the largest loops as lists of Insn (largest first).

    A loop is [target, branch] for each backward branch; loops sharing a
    header are merged by keeping the largest span.  With innermost=True,
    loops that contain another loop are skipped.
    """
    index = {ins.addr: i for i, ins in enumerate(insns)}
    by_header = {}
    for j, ins in enumerate(insns):
        if ins.target is None or not (start <= ins.target <= ins.addr):
            continue
        i = index.get(ins.target)
        if i is None:
            continue
        if ins.target not in by_header or by_header[ins.target][1] < j:
            by_header[ins.target] = (i, j)
    spans = list(by_header.values())
    if innermost:
        spans = [(i, j) for i, j in spans
                 if not any((i, j) != (k, l) and i <= k and l <= j for k, l in spans)]
    loops = [insns[i:j + 1] for i, j in spans if j - i + 1 >= min_instr]
    loops.sort(key=lambda lp: (-len(lp), lp[0].addr))
    return loops[:max_loops]


def loop_asm(loop, arch):
    """llvm-mca input lines for a loop body: drop branches and label refs."""
    return [ins.text for ins in loop
            if not is_branch(ins.mnemonic, arch) and "<" not in ins.text]


MCA_ERR_RE = re.compile(r"^.*?:(\d+):\d+: error:", re.M)


def run_mca(lines, args):
    """Run llvm-mca on lines, dropping rejected lines. Returns a dict."""
    lines = list(lines)
    dropped = 0
    base = [args.mca, "-mcpu=" + args.mcpu, "-iterations=%d" % args.iterations]
    if args.triple:
        base.append("-mtriple=" + args.triple)
    for _ in range(args.max_retries):
        if not lines:
            return {"error": "empty", "dropped": dropped}
        fd, path = tempfile.mkstemp(suffix=".s", prefix="mca_loop_")
        try:
            with os.fdopen(fd, "w") as f:
                f.write("\n".join(lines) + "\n")
            proc = subprocess.run(base + [path], capture_output=True, text=True)
        finally:
            os.unlink(path)
        bad = {int(n) for n in MCA_ERR_RE.findall(proc.stderr)}
        if proc.returncode == 0 and not bad:
            out = proc.stdout
            it = re.search(r"^Iterations:\s+(\d+)", out, re.M)
            tc = re.search(r"^Total Cycles:\s+(\d+)", out, re.M)
            rt = re.search(r"^Block RThroughput:\s+([\d.]+)", out, re.M)
            if not (it and tc):
                return {"error": "unparsable output", "dropped": dropped}
            return {
                "cpi": int(tc.group(1)) / int(it.group(1)),
                "rthru": float(rt.group(1)) if rt else float("nan"),
                "dropped": dropped,
                "n_mca": len(lines),
            }
        if not bad:
            return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"], "dropped": dropped}
        lines = [ln for k, ln in enumerate(lines, 1) if k not in bad]
        dropped += len(bad)
    return {"error": "too many retries", "dropped": dropped}


def similarity(la, lb, arch):
    """Mnemonic-multiset overlap of two loops in [0, 1]."""
    ca = collections.Counter(i.mnemonic for i in la if not is_branch(i.mnemonic, arch))
    cb = collections.Counter(i.mnemonic for i in lb if not is_branch(i.mnemonic, arch))
    denom = max(sum(ca.values()), sum(cb.values()))
    return sum((ca & cb).values()) / denom if denom else 1.0


def pair_loops(lb, la, mode, arch):
    """Return list of (before_index or None, after_index or None)."""
    if mode == "rank":
        return [(r if r < len(lb) else None, r if r < len(la) else None)
                for r in range(max(len(lb), len(la)))]
    cand = sorted(((similarity(lb[i], la[j], arch), -abs(i - j), i, j)
                   for i in range(len(lb)) for j in range(len(la))), reverse=True)
    used_b, used_a, pairs = set(), set(), []
    for _, _, i, j in cand:
        if i not in used_b and j not in used_a:
            used_b.add(i)
            used_a.add(j)
            pairs.append((i, j))
    pairs += [(i, None) for i in range(len(lb)) if i not in used_b]
    pairs += [(None, j) for j in range(len(la)) if j not in used_a]
    pairs.sort(key=lambda p: (p[0] if p[0] is not None else 99, p[1] if p[1] is not None else 99))
    return pairs


def short_name(full):
    """'void ns::foo<T>(args)' -> 'foo'."""
    depth = 0
    cut = len(full)
    for k, ch in enumerate(full):
        if ch in "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "(" and depth == 0 and k > 0:
            cut = k
            break
    head = full[:cut]
    # drop template args
    out, depth = [], 0
    for ch in head:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    head = "".join(out).split()[-1] if "".join(out).split() else head
    return head.split("::")[-1] or full


def keyed(funcs):
    """Map names to function data, disambiguating duplicates with '#k'."""
    res = {}
    for name, start, insns in funcs:
        key, k = name, 1
        while key in res:
            k += 1
            key = "%s#%d" % (name, k)
        res[key] = (start, insns)
    return res


def fmt_cpi(r):
    if r is None:
        return "-"
    if "cpi" not in r:
        return "ERR"
    return "%.2f" % r["cpi"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", help="object file of the baseline build")
    ap.add_argument("after", help="object file of the new build")
    ap.add_argument("--mcpu", required=True, help="llvm-mca -mcpu (e.g. znver4, neoverse-v2)")
    ap.add_argument("--objdump", default="objdump", help="objdump binary (default: objdump)")
    ap.add_argument("--mca", default="llvm-mca-19", help="llvm-mca binary (default: llvm-mca-19)")
    ap.add_argument("--triple", default=None,
                    help="target triple (default x86_64-linux-gnu); aarch64* selects a64 parsing")
    ap.add_argument("--functions", default=None, help="only functions whose name contains this")
    ap.add_argument("--all", action="store_true", help="also report functions with identical code")
    ap.add_argument("--any-loops", action="store_true",
                    help="also consider loops that contain other loops (default: innermost only)")
    ap.add_argument("--match", choices=("rank", "content"), default="rank",
                    help="pair loops by size rank (default) or by mnemonic similarity")
    ap.add_argument("--min-sim", type=float, default=0.7,
                    help="flag pairs whose mnemonic similarity is below this (default 0.7)")
    ap.add_argument("--min-instr", type=int, default=8, help="minimum loop size (default 8)")
    ap.add_argument("--max-loops", type=int, default=4, help="loops per function (default 4)")
    ap.add_argument("--iterations", type=int, default=100, help="llvm-mca -iterations (default 100)")
    ap.add_argument("--max-retries", type=int, default=20, help="llvm-mca retries after dropping lines")
    ap.add_argument("--slower", type=float, default=0.02, help="threshold for 'slower' (default 0.02)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 4, help="parallel llvm-mca runs")
    args = ap.parse_args()

    if args.triple is None:
        args.triple = "x86_64-linux-gnu"
    arch = "a64" if args.triple.startswith(("aarch64", "arm64")) else "x86"

    before = keyed(disassemble(args.objdump, args.before, arch))
    after = keyed(disassemble(args.objdump, args.after, arch))
    common = [n for n in before if n in after]
    if args.functions:
        common = [n for n in common if args.functions in n]
    only_b = [n for n in before if n not in after]
    only_a = [n for n in after if n not in before]

    selected = []
    n_same = 0
    for name in common:
        same = normalise(before[name][1]) == normalise(after[name][1])
        n_same += same
        if args.all or not same:
            selected.append(name)

    print("before: %s" % args.before)
    print("after:  %s" % args.after)
    print("mcpu=%s triple=%s iterations=%d loops=%s min-instr=%d max-loops=%d"
          % (args.mcpu, args.triple, args.iterations, "any" if args.any_loops else "innermost",
             args.min_instr, args.max_loops))
    print("functions: %d common (%d identical, %d differ), %d only-before, %d only-after; reporting %d"
          % (len(common), n_same, len(common) - n_same, len(only_b), len(only_a), len(selected)))
    for n in only_b:
        print("  only in before: %s" % n)
    for n in only_a:
        print("  only in after:  %s" % n)

    shorts = {}
    for name in selected:
        s = short_name(name)
        shorts[name] = s
    counts = {}
    for s in shorts.values():
        counts[s] = counts.get(s, 0) + 1
    seen = {}
    for name in selected:
        s = shorts[name]
        if counts[s] > 1:
            seen[s] = seen.get(s, 0) + 1
            shorts[name] = "%s#%d" % (s, seen[s])

    # Collect loops and run llvm-mca in parallel.
    jobs = {}
    plan = []
    for name in selected:
        lb = find_loops(before[name][0], before[name][1], args.min_instr, args.max_loops,
                        not args.any_loops)
        la = find_loops(after[name][0], after[name][1], args.min_instr, args.max_loops,
                        not args.any_loops)
        plan.append((name, lb, la))
        for side, loops in (("b", lb), ("a", la)):
            for r, lp in enumerate(loops):
                jobs[(name, side, r)] = loop_asm(lp, arch)
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_mca, lines, args): key for key, lines in jobs.items()}
        for fut in concurrent.futures.as_completed(futs):
            results[futs[fut]] = fut.result()

    width = max([len(s) for s in shorts.values()] + [8])
    print()
    print("%-*s %5s %13s %11s %17s %15s %7s %s"
          % (width, "function", "rank", "n_instr b->a", "addr b->a", "cyc/iter b->a", "RThru b->a",
             "ratio", "notes"))
    ratios = []
    slower = 0
    unpaired = 0
    mismatched = 0
    clean = []
    for name, lb, la in plan:
        if not lb and not la:
            print("%-*s %5s  (no loops with >= %d instructions)" % (width, shorts[name], "-", args.min_instr))
            continue
        for r, (ib, ia) in enumerate(pair_loops(lb, la, args.match, arch)):
            rb = results.get((name, "b", ib)) if ib is not None else None
            ra = results.get((name, "a", ia)) if ia is not None else None
            nb = str(len(lb[ib])) if ib is not None else "-"
            na = str(len(la[ia])) if ia is not None else "-"
            addr = "%s->%s" % ("%x" % lb[ib][0].addr if ib is not None else "-",
                               "%x" % la[ia][0].addr if ia is not None else "-")
            rank = "%s/%s" % (ib + 1 if ib is not None else "-", ia + 1 if ia is not None else "-")
            notes = []
            if ib is not None and ia is not None:
                sim = similarity(lb[ib], la[ia], arch)
                if sim < args.min_sim:
                    notes.append("MISMATCH?(sim=%.2f)" % sim)
            for tag, res in (("b", rb), ("a", ra)):
                if res is None:
                    continue
                if res.get("dropped"):
                    notes.append("%s:dropped %d" % (tag, res["dropped"]))
                if "error" in res:
                    notes.append("%s:error %s" % (tag, res["error"]))
            ratio_s = "-"
            rth = "-"
            if rb and ra and "cpi" in rb and "cpi" in ra:
                ratio = ra["cpi"] / rb["cpi"] if rb["cpi"] > 0 else float("nan")
                ratio_s = "%.3f" % ratio
                rth = "%.2f->%.2f" % (rb["rthru"], ra["rthru"])
                if ratio == ratio:
                    ratios.append(ratio)
                    if not any(n.startswith("MISMATCH") for n in notes):
                        clean.append(ratio)
                    if ratio > 1.0 + args.slower:
                        slower += 1
                        notes.insert(0, "SLOWER")
                    if any(n.startswith("MISMATCH") for n in notes):
                        mismatched += 1
            else:
                unpaired += 1
            print("%-*s %5s %13s %11s %17s %15s %7s %s"
                  % (width, shorts[name], rank, "%s -> %s" % (nb, na), addr,
                     "%s -> %s" % (fmt_cpi(rb), fmt_cpi(ra)), rth, ratio_s, " ".join(notes)))

    print()
    print("summary: %d loop pairs compared (%d unpaired/failed)" % (len(ratios), unpaired))
    print("summary: %d pairs slower by more than %.0f%%" % (slower, args.slower * 100))
    print("summary: %d pairs flagged MISMATCH? (mnemonic similarity < %.2f; match=%s)"
          % (mismatched, args.min_sim, args.match))
    if ratios:
        gm = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        print("summary: geometric mean ratio after/before = %.4f (min %.3f, max %.3f)"
              % (gm, min(ratios), max(ratios)))
    if clean:
        gm = math.exp(sum(math.log(x) for x in clean) / len(clean))
        print("summary: geometric mean ratio excluding MISMATCH? pairs = %.4f over %d pairs"
              % (gm, len(clean)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
