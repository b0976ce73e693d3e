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
Functions are matched by demangled name. Each pair is reported as "same" (identical normalised
instruction sequence), "same multiset" (the same instructions in another order, with the registers
masked: what a scheduling or register-allocation change gives), or "DIFFERENT" with a unified diff of
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

    def bytes_at(self, target, width):
        """The bytes a relocation target (name, name+off or name-off) refers to, or None."""
        m = re.match(r'^(.*?)([+-]0x[0-9a-f]+)?$', target)
        name, off = m.group(1), int(m.group(2) or '0', 16)
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
        # PC-relative relocations carry -4 (the displacement's end); named tables are read whole.
        start = value + off + 4 if off < 0 and off >= -8 else value + off
        if size and off in (0, -4):
            return data[value:value + size]
        return data[start:start + width]


def operand_width(insn):
    mnem = insn.split()[0] if insn.split() else ''
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


def functions(obj):
    """demangled function name -> list of normalised instructions."""
    out = run([obj.objdump, '-d', '-r', '--no-show-raw-insn', '-C', obj.path])
    funcs, name, start, body = collections.OrderedDict(), None, 0, []
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            if name is not None:
                funcs[name] = body
            start, name, body = int(m.group(1), 16), m.group(2), []
            continue
        if name is None:
            continue
        m = RELOC.match(line)
        if m and body:
            target = m.group(3)
            data = obj.bytes_at(target, operand_width(body[-1]))
            ref = ('[' + data.hex() + ']') if data is not None else '[' + re.sub(r'[+-]0x[0-9a-f]+$', '', target) + ']'
            body[-1] = re.sub(r'\s+# .*$', '', body[-1]) + ' ' + ref
            continue
        m = INSN.match(line)
        if m:
            insn = m.group(2).strip()
            # jump/call targets: "9a0 <f(...)+0x9a0>" -> "<+0x9a0>" within the function, else the name
            def target(mm):
                sym, off = mm.group(2), mm.group(3) or ''
                return '<+' + (off[1:] if off else '0x0') + '>' if sym == name else '<' + sym + '>'
            insn = re.sub(r'\b([0-9a-f]+) <(.*?)(\+0x[0-9a-f]+)?>', target, insn)
            insn = re.sub(r'\s+# [0-9a-f]+ <.*>$', '', insn)
            body.append(re.sub(r'\s+', ' ', insn))
    if name is not None:
        funcs[name] = body
    # padding at the end of a function is not code
    for k, v in funcs.items():
        while v and re.match(r'^(nop|int3|xchg %ax,%ax|data16|cs nopw|udf)', v[-1]):
            v.pop()
    return funcs


def mask_registers(insn):
    return re.sub(r'%[a-z0-9]+|\b[vqdsxw][0-9]+(\.[0-9a-z]+)?\b', 'R', insn)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('objects', nargs='+')
    ap.add_argument('--objdump', default='objdump')
    ap.add_argument('--dump', action='store_true', help='print the normalised listing of one object')
    ap.add_argument('--show', type=int, default=40, help='diff lines shown per different function')
    args = ap.parse_args()
    if args.dump:
        for name, body in functions(Obj(args.objects[0], args.objdump)).items():
            print(name + ':')
            print('\n'.join('  ' + i for i in body))
        return 0
    if len(args.objects) != 2:
        ap.error('two objects to compare (or --dump OBJ)')
    a = functions(Obj(args.objects[0], args.objdump))
    b = functions(Obj(args.objects[1], args.objdump))
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
            counts['different'] += 1
            bad += 1
            print(f'DIFFERENT {name} ({len(a[name])} -> {len(b[name])} instructions)')
            diff = list(difflib.unified_diff(a[name], b[name], 'before', 'after', lineterm='', n=2))
            for line in diff[:args.show]:
                print('    ' + line)
            if len(diff) > args.show:
                print(f'    ... {len(diff) - args.show} more diff lines')
    print(f'compare_disasm: {counts["same"]} same, {counts["multiset"]} same multiset, {counts["different"]} different, '
          f'{len(set(a) ^ set(b))} added or removed')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
