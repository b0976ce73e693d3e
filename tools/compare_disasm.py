#!/usr/bin/env python3
"""Same machine code? Compares the kernels of two builds of a sealed ISA object, function by function.

  tools/compare_disasm.py BEFORE.o AFTER.o [--objdump aarch64-linux-gnu-objdump] [--show N]
  tools/compare_disasm.py --dump OBJ > listing.txt      (the normalised listing, for a later diff)

For an ISA the machine cannot run (issue 13: AVX-512 on an AVX2-only CPU), this is how a refactoring
shows that its kernels did not change: build the sealed object (build/dispatch/simdact_isa_<isa>.sealed.o)
before and after, and compare. Each function's disassembly (objdump -d -r, demangled) is normalised:
  - addresses and jump targets become offsets from the function's start ("+0x1a0"), calls name the
    callee with its namespace's ISA segment and template arguments kept;
  - a relocation to a constant (.LC5, .rodata.cst32+0x40, simdact::avx2::kGeluC1) becomes the bytes it
    refers to (the width from the instruction: a broadcast's element, else the register's width; a
    named table its whole size), so that moved constants compare equal and changed ones do not.
Functions are matched by demangled name (--dump, then diff, for objects of two ISAs). Each pair is reported as "same" (identical normalised
instruction sequence), "same multiset" (the same instructions in another order, with the registers
and stack-slot offsets masked: what a scheduling or register-allocation change gives), or "DIFFERENT"
with a unified diff of
the first --show lines. Exit status 0 if every function is the same (or the same multiset) and no
function was added or removed.
"""
import argparse
import collections
import difflib
import re
import subprocess
import sys

FUNC = re.compile(r'^([0-9a-f]+) <(.*)>:$')
INSN = re.compile(r'^\s+([0-9a-f]+):\s+(.*)$')
RELOC = re.compile(r'^\s+([0-9a-f]+): (R_\S+)\s+(\S+)$')
SYM = re.compile(r'^([0-9a-f]+) (.{7}) (\S+)\s+([0-9a-f]+) (.*)$')


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


class Obj:
    def __init__(self, path, objdump):
        self.path = path
        self.objdump = objdump
        self.sections = self._sections()
        self.symbols = self._symbols()

    def _sections(self):
        """section name -> bytes (every section with contents)."""
        out = run([self.objdump, '-s', self.path])
        sections, cur, data, base = {}, None, bytearray(), None
        for line in out.splitlines():
            m = re.match(r'^Contents of section (.*):$', line)
            if m:
                if cur is not None:
                    sections[cur] = bytes(data)
                cur, data, base = m.group(1), bytearray(), None
                continue
            m = re.match(r'^ ([0-9a-f]+) ((?:[0-9a-f]{2,8} ?){1,4})', line)
            if m and cur is not None:
                addr = int(m.group(1), 16)
                if base is None:
                    base = addr
                hexes = ''.join(m.group(2).split())
                chunk = bytes.fromhex(hexes)
                off = addr - base
                if len(data) < off:
                    data.extend(b'\0' * (off - len(data)))
                data[off:off + len(chunk)] = chunk
        if cur is not None:
            sections[cur] = bytes(data)
        return sections

    def _symbols(self):
        """symbol name (demangled) -> (section, value, size)."""
        syms = {}
        for line in run([self.objdump, '-t', '-C', self.path]).splitlines():
            m = SYM.match(line)
            if m:
                value, _flags, section, size, name = m.groups()
                syms[name.strip()] = (section, int(value, 16), int(size, 16))
        return syms

    def bytes_at_offset(self, name, off, width):
        """The bytes at symbol or section `name` + off: a named table whole (off 0), else `width` bytes."""
        if name in self.symbols:
            section, value, size = self.symbols[name]
            if name.startswith('.') and size == 0:
                size = None  # a local label: the width comes from the instruction
        elif name in self.sections:
            section, value, size = name, 0, None
        else:
            return None
        data = self.sections.get(section)
        if data is None:
            return None
        if size and off == 0:
            return data[value:value + size]
        return data[value + off:value + off + width]


def operand_width(insn):
    mnem = insn.split()[0] if insn.split() else ''
    if re.search(r'\{1to[0-9]+\}', insn):  # an AVX-512 embedded broadcast: one element
        return 8 if re.match(r'.*pd$|.*q$', mnem) else 4
    if re.match(r'v?p?broadcast(ss|d)\b|vpbroadcastd|.*ss$|vmovd\b|vpinsrd', mnem):
        return 4
    if re.match(r'v?p?broadcast(sd|q)\b|vpbroadcastq|.*sd$|vmovq\b', mnem):
        return 8
    if re.match(r'vbroadcastf128|vbroadcasti128', mnem):
        return 16
    if '%zmm' in insn:
        return 64
    if '%ymm' in insn:
        return 32
    if '%xmm' in insn or '%v' in insn or re.search(r'\bq[0-9]+\b', insn):
        return 16
    return 8


def functions(obj, offsets=None):
    """demangled function name -> list of normalised instructions (offsets[name]: their offsets)."""
    out = run([obj.objdump, '-d', '-r', '--no-show-raw-insn', '-C', obj.path])
    funcs, name, start, body = collections.OrderedDict(), None, 0, []
    offs = []
    pending = None  # (index in body, reloc type, target, reloc address): resolved at the next instruction

    def resolve(end_addr):
        nonlocal pending
        if pending is None:
            return
        idx, rtype, target, at = pending
        pending = None
        m = re.match(r'^(.*?)([+-]0x[0-9a-f]+)?$', target)
        sym, addend = m.group(1), int(m.group(2) or '0', 16)
        if rtype in ('R_X86_64_PC32', 'R_X86_64_PLT32') and end_addr is not None:
            # S + A - P: the displacement is relative to the instruction's end, A = off - (end - P)
            addend += end_addr - at
        data = obj.bytes_at_offset(sym, addend, operand_width(body[idx]))
        ref = ('[' + data.hex() + ']') if data is not None else '[' + sym + ']'
        body[idx] = re.sub(r'\s+# .*$', '', body[idx]) + ' ' + ref

    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            resolve(None)
            if name is not None:
                funcs[name] = body
                if offsets is not None:
                    offsets[name] = offs
            start, name, body, offs = int(m.group(1), 16), m.group(2), [], []
            continue
        if name is None:
            continue
        m = RELOC.match(line)
        if m and body:
            resolve(None)
            pending = (len(body) - 1, m.group(2), m.group(3), int(m.group(1), 16))
            continue
        m = INSN.match(line)
        if m:
            resolve(int(m.group(1), 16))
            insn = m.group(2).strip()
            # jump/call targets: "9a0 <f(...)+0x9a0>" -> "<+0x9a0>" within the function, else the name
            # comments: x86 "# c1 <f+0xc1>" (a rip-relative address), aarch64 "// b.plast" (condition names)
            insn = re.sub(r'\s+# [0-9a-f]+ <.*>$|\s+//.*$', '', insn)

            # jump and call targets "9a0 <f(...)+0x9a0>": the name holds '<' and '>' itself, so the
            # target runs to the last '>'; within the function it becomes "<+0x9a0>", else the callee
            def target(mm):
                sym, off = re.match(r'^(.*?)(\+0x[0-9a-f]+)?$', mm.group(2)).groups()
                return '<+' + (off[1:] if off else '0x0') + '>' if sym == name else '<' + sym + '>'
            insn = re.sub(r'\b([0-9a-f]+) <(.*)>', target, insn)
            body.append(re.sub(r'\s+', ' ', insn))
            offs.append(int(m.group(1), 16) - start)
    if name is not None:
        funcs[name] = body
        if offsets is not None:
            offsets[name] = offs
    # padding at the end of a function is not code
    for k, v in funcs.items():
        while v and re.match(r'^(nop|int3|xchg %ax,%ax|data16|cs nopw|udf)', v[-1]):
            v.pop()
    return funcs


def loops(body, offs):
    """The instructions of every loop (a backward branch at P to T <= P: [T, P]), registers masked,
    as one sorted list per loop, innermost first."""
    found = []
    for i, insn in enumerate(body):
        m = re.search(r'<\+0x([0-9a-f]+)>', insn)
        if not m or not re.match(r'^(j|b\.|b |cb|tb)', insn):
            continue
        target = int(m.group(1), 16)
        if target > offs[i] or target not in offs:
            continue
        lo = offs.index(target)
        found.append(sorted(mask_registers(x) for x in body[lo:i + 1] if not re.search(r'<\+0x', x)))
    return sorted(found, key=len)


def mask_registers(insn):
    """Registers and stack-slot offsets masked: what register allocation and spilling choose."""
    insn = re.sub(r'-?0x[0-9a-f]+\(%[re]?sp\)|-?0x[0-9a-f]+\(%[re]?bp\)', 'S', insn)
    return re.sub(r'%[a-z0-9]+|\b[vqdsxw][0-9]+(\.[0-9a-z]+)?\b', 'R', insn)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('objects', nargs='+')
    ap.add_argument('--objdump', default='objdump')
    ap.add_argument('--dump', action='store_true', help='print the normalised listing of one object')
    ap.add_argument('--show', type=int, default=40, help='diff lines shown per different function')
    ap.add_argument('--loops', action='store_true',
                    help='for each function that differs, also compare its loops (instructions between a backward '
                         'branch and its target, branches left out, registers masked): "loops same" means every '
                         'loop body holds the same instructions')
    args = ap.parse_args()
    if args.dump:
        for name, body in functions(Obj(args.objects[0], args.objdump)).items():
            print(name + ':')
            print('\n'.join('  ' + i for i in body))
        return 0
    if len(args.objects) != 2:
        ap.error('two objects to compare (or --dump OBJ)')
    oa, ob = {}, {}
    a = functions(Obj(args.objects[0], args.objdump), oa)
    b = functions(Obj(args.objects[1], args.objdump), ob)
    bad = 0
    counts = collections.Counter()
    for name in sorted(set(a) | set(b)):
        if name not in b:
            print(f'REMOVED   {name}')
            bad += 1
            continue
        if name not in a:
            print(f'ADDED     {name}')
            bad += 1
            continue
        if a[name] == b[name]:
            counts['same'] += 1
            print(f'same      {name} ({len(a[name])} instructions)')
        elif collections.Counter(map(mask_registers, a[name])) == collections.Counter(map(mask_registers, b[name])):
            counts['multiset'] += 1
            print(f'same multiset {name} ({len(a[name])} instructions; order or registers differ)')
        else:
            la, lb = loops(a[name], oa[name]), loops(b[name], ob[name])
            if args.loops and la == lb:
                counts['loops'] += 1
                print(f'loops same {name} ({len(a[name])} -> {len(b[name])} instructions; {len(la)} loops, '
                      f'each with the same instructions; the code around them differs)')
                continue
            counts['different'] += 1
            bad += 1
            print(f'DIFFERENT {name} ({len(a[name])} -> {len(b[name])} instructions'
                  + (f'; loops: {len(la)} -> {len(lb)}, {sum(x != y for x, y in zip(la, lb))} differ' if args.loops else '') + ')')
            diff = list(difflib.unified_diff(a[name], b[name], 'before', 'after', lineterm='', n=2))
            for line in diff[:args.show]:
                print('    ' + line)
            if len(diff) > args.show:
                print(f'    ... {len(diff) - args.show} more diff lines')
    print(f'compare_disasm: {counts["same"]} same, {counts["multiset"]} same multiset, '
          + (f'{counts["loops"]} loops same, ' if args.loops else '') + f'{counts["different"]} different, '
          f'{len(set(a) ^ set(b))} added or removed')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
