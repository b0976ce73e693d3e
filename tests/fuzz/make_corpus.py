#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/fuzz_kernels.cpp into tests/fuzz/corpus/ (see the input layout
at the top of fuzz_kernels.cpp). A few small inputs per kernel of include/simdact/kernels.inc: every float class
(NaN payloads, +-inf, +-0, subnormals, FLT_MIN, huge values, the functions' breakpoints), tails and
misalignment, in place, and the rejected calls (partial overlap, NULL). Run from anywhere:
    python3 tests/fuzz/make_corpus.py
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "corpus")

kernels = re.findall(r"^SIMDACT_KERNEL\((\w+),\s*(\w+),", open(os.path.join(ROOT, "include", "simdact", "kernels.inc")).read(), re.M)


def f32(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


SPECIALS = [0x7FC00000, 0x7F800001, 0xFFC12345, 0x7F800000, 0xFF800000, 0x00000000, 0x80000000,
            0x00000001, 0x807FFFFF, 0x00800000, 0x7F7FFFFF, 0xFF7FFFFF, f32(1.0), f32(-1.0), f32(0.5),
            f32(88.7), f32(-87.34), f32(-103.9), f32(-104.5), f32(9.01), f32(0.625), f32(-0.625),
            f32(20.0), f32(-20.0), f32(1e-7), f32(3.0e38), f32(-3.0e38)]
ORDINARY = [f32(v) for v in (-3.5, -1.25, -0.1, 0.0, 0.3, 0.9, 1.7, 2.5, 4.0, -6.0, 12.0, -15.5)]


def seed(op, isa_bits, flags, length, rows, param, words):
    return (bytes([op, isa_bits, flags]) + struct.pack("<H", length) + bytes([rows]) +
            struct.pack("<I", param) + b"".join(struct.pack("<I", w) for w in words))


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    files = {}
    for i, (op, kind) in enumerate(kernels):
        rows = kind.startswith("rows")
        # every float class, a length with full vectors and a tail; rows: 3 rows of 67
        files[f"{op}-specials"] = seed(i, 0, 0, 67 if rows else 77, 3, f32(0.01), SPECIALS)
        # ordinary values, misaligned by 3 floats, in place (output = first input)
        files[f"{op}-inplace-misaligned"] = seed(i, 0, 1 | (3 << 2), 1029 if rows else 131, 2, f32(-0.5), ORDINARY)
        if rows:
            # long rows (the float accumulators move into a double every 16 blocks), huge values
            files[f"{op}-long-rows"] = seed(i, 0, 0, 2099, 4, 0, [f32(3.0e38), f32(-3.0e38), f32(1e30), f32(-2.0)] + ORDINARY)
        if i == 0:
            files[f"{op}-overlap-rejected"] = seed(i, 0, 1 << 5, 40, 1, 0, ORDINARY)
            files[f"{op}-null-output-rejected"] = seed(i, 0, (1 << 6) | (1 << 7), 9, 1, 0, ORDINARY)
            files[f"{op}-empty-null"] = seed(i, 0, 1 << 6, 0, 0, 0, [])
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    total = sum(len(d) for d in files.values())
    print(f"make_corpus: {len(files)} files, {total} bytes in {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
