#!/usr/bin/env python3
"""Writes the small fixtures of CompressionFiguresTests (every file in this
folder except this script and compression_tables.json, which
scripts/make_table_fixtures.py writes, was produced by it).

    .venv-ref/bin/python Tests/CompressionFiguresTests/Fixtures/make_fixtures.py

The committed files were made with Python 3.11.7 and zstandard 0.25.0
(libzstd 1.5.x, level 3). Output is deterministic. The Swift tests never run
Python; they read the files this script wrote and hard-code what to expect of
them (byte offsets printed by this script, e.g. where the truncated file's
second frame starts, are asserted in ZstdLineReaderTests.swift).
"""
import json
import pathlib
import struct

import zstandard

HERE = pathlib.Path(__file__).resolve().parent


def zst(data: bytes, checksum: bool = False) -> bytes:
    return zstandard.ZstdCompressor(level=3, write_checksum=checksum, write_content_size=True).compress(data)


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)
    print(f"{name}: {len(data)} bytes")


def skippable_frame(payload: bytes) -> bytes:
    return struct.pack("<II", 0x184D2A50, len(payload)) + payload


# --------------------------------------------------------------------------
# results: edge cases (one frame). Lines are written by hand so that JSON
# Python's json.dumps never writes (duplicate keys, NaN) can appear.
# --------------------------------------------------------------------------
EDGE_LINES = [
    # 1: a record without methods
    '{"_kind": "run_header", "schema": 3, "argv": ["bench.py", "--corpus"]}',
    # 2: blank
    "",
    # 3: CRLF line ending (the \r is added below), nested values to skip
    '{"_kind": "bench_bf16_perfile", "model": "Qwen/Qwen2.5-0.5B", "tensor_name": "a.weight", '
    '"shape": [2, 3], "input_bytes": 1024, "methods": {"zstd3_raw": {"ratio": 1.25, "compressed_bytes": 819, '
    '"compress_MBps": 10.5, "decompress_MBps": 1500.0, "extra": {"x": [1, {"y": null}]}}, '
    '"bf16_split": {"ratio": 1.5, "decompress_MBps": 950}}}',
    # 4: explicit nulls
    '{"_kind": null, "tensor_name": null, "model": null, "input_bytes": null, "methods": {}}',
    # 5: every kind of method entry
    '{"_kind": "Q4_K_benchmark", "tensor_name": "blk.0.attn_q.weight", "input_bytes": 0, "methods": {'
    '"obj": {"ratio": 1.04, "decompress_MBps": 700.5}, '
    '"no_ratio": {"error": "TimeoutExpired", "elapsed_s": 600.0}, '
    '"null_ratio": {"ratio": null, "decompress_MBps": null}, '
    '"nothing": null, '
    '"skipped": "skipped: timeout", '
    '"mentions": "ratio unavailable", '
    '"num": 5, "zero": 0, "flag": true, "list": ["ratio", 2], '
    '"nan": {"ratio": NaN, "decompress_MBps": Infinity}, "neg": {"ratio": -Infinity, "decompress_MBps": -0.0}}}',
    # 6: duplicate keys: last value wins, first position kept
    '{"_kind": "first", "methods": {"a": {"ratio": 1.0}, "b": null, "a": {"ratio": 2.0}}, "_kind": "second"}',
    # 7: a duplicated "methods" key: the last object wins
    '{"methods": {"old": {"ratio": 9.0}}, "methods": {"new": "x", "new2": [1]}}',
    # 8: no _kind; escapes in strings and keys; raw UTF-8
    '{"tensor_name": "caf\\u00e9 \\"q\\"", "model": "mod\u00e8le", "methods": {"k\\u00e9y": {"ratio": 3}, '
    '"pl\u00e4in": {"ratio": 4}}}',
    # 9: white space only
    "   \t ",
    # 10: the last line has no "\n"
    '{"_kind": "run_footer", "input_bytes": 12345678901234567890}',
]


def edge_bytes() -> bytes:
    lines = list(EDGE_LINES)
    lines[2] = lines[2] + "\r"
    return "\n".join(lines).encode("utf-8")


# --------------------------------------------------------------------------
# results: several frames, one of them splitting a line, plus a skippable frame
# --------------------------------------------------------------------------
def record(i: int) -> str:
    return json.dumps({"_kind": "bench_7B", "tensor_name": f"t{i}", "input_bytes": 1000 + i,
                       "methods": {"zstd3_raw": {"ratio": 1.0 + i / 100, "decompress_MBps": 100.0 + i}}})


MULTI_TEXT = "".join(record(i) + "\n" for i in range(30)).encode()


def multi_frames() -> list[bytes]:
    # frame 1: records 0-9 plus half of record 10; frame 2: the rest of record
    # 10 up to record 19; a skippable frame; frame 3: the rest.
    cut1 = MULTI_TEXT.index(b"\n", 0)
    for _ in range(9):
        cut1 = MULTI_TEXT.index(b"\n", cut1 + 1)
    cut1 += 1 + 20  # into record 10
    cut2 = MULTI_TEXT.index(record(20).encode())
    return [zst(MULTI_TEXT[:cut1]), zst(MULTI_TEXT[cut1:cut2]), skippable_frame(b"figpipe test"),
            zst(MULTI_TEXT[cut2:])]


# --------------------------------------------------------------------------
# results: bad lines (13 of them) among good ones
# --------------------------------------------------------------------------
MALFORMED_LINES = [
    '{"_kind": "ok", "methods": {"a": {"ratio": 1.5}}}',         # 1 good
    '{"_kind": "bad", "input_bytes": 12,, "x": 1}',              # 2 syntax: column 35
    '{"_kind": "ok2"}',                                          # 3 good
    '[1, 2, 3]',                                                 # 4 not an object
    '"just a string"',                                           # 5 not an object
    '{"_kind": "x", "input_bytes": "12"}',                       # 6 wrong type
    '{"_kind": 5}',                                              # 7 wrong type
    '{"methods": []}',                                           # 8 methods not an object
    '{"methods": null}',                                         # 9 methods not an object
    '{"methods": {"m": {"ratio": "1.5"}}}',                      # 10 wrong type, nested
    '{"methods": {"m": {"decompress_MBps": true}}}',             # 11 wrong type, nested
    '{"tensor_name": ["a"]}',                                    # 12 wrong type
    '{"_kind": "trailing"} x',                                   # 13 trailing garbage
    '{"_kind": "unterminated',                                   # 14 syntax
    '',                                                          # 15 blank
    '{"input_bytes": tru}',                                      # 16 syntax
    '{"_kind": "last ok"}',                                      # 17 good
]

# --------------------------------------------------------------------------
# atlases
# --------------------------------------------------------------------------
ATLAS_BF16_LINES = [
    '{"model": "m", "tensor_name": "w1", "dtype": "bf16", "tensor_category": "attention", "H_byte1": 2.8, '
    '"H_byte0": 7.9, "ceiling_ratio": 1.5, "shape": [4, 4]}',
    '{"model": "m", "tensor_name": "b1", "dtype": "bf16", "H_byte1": 3.0, "H_byte0": 0.0, "R_marginal": 1.45}',
    '',
    '{"model": "m", "tensor_name": "w2", "dtype": "bf16", "tensor_category": null, "ceiling_ratio": null, '
    '"R_marginal": 1.47, "error": "sample too small", "H_byte0": 7.95}',
    '{"model": "m", "dtype": "fp32", "tensor_category": "other", "H_byte1": 5.0, "H_byte0": 5.0, '
    '"ceiling_ratio": 1.7777777777777777}',
    '{"model": "m", "tensor_name": "w3", "dtype": "bf16", "tensor_category": "mlp", "ratio_ceiling_byte": 1.49, '
    '"H_byte1": 2.7, "H_byte0": 7.98}',
    '{"model": "m", "tensor_name": "w4", "tensor_category": "norm"}',
]
ATLAS_BF16_MISSING_NAME = [
    '{"tensor_name": "ok", "dtype": "bf16"}',
    '{"dtype": "fp16", "H_byte1": 4.6}',
    '{"dtype": "bf16", "tensor_category": "mlp", "H_byte1": 2.7}',
    '{"tensor_name": "w", "dtype": "bf16", "H_byte0": "7.9"}',
]
ATLAS_Q4K_LINES = [
    '{"model": "m", "tensor_name": "token_embd.weight", "ggml_type": "Q5_0", "note": "not Q4_K"}',
    '{"model": "m", "tensor_name": "blk.0.ffn_up.weight", "ggml_type": "Q4_K", "H_nibble": 3.95, "H_byte": 7.7}',
    '{"model": "m", "tensor_name": "blk.0.ffn_gate.weight", "ggml_type": "Q4_K", "H_nibble": 3.9}',
    '{"model": "m", "tensor_name": null, "ggml_type": null, "H_nibble": null}',
]
ATLAS_Q4K_MISSING_NAME = [
    '{"tensor_name": "a", "H_nibble": 3.9}',
    '{"ggml_type": "F32"}',
]
ATLAS_LAYER_LINES = [
    '{"model": "m", "role": "attn_q", "K": 1, "layer_a": 0, "layer_b": 1, "corr_pearson": 0.0017, "p_value": 0.07}',
    '{"model": "m", "role": "attn_q", "K": 2, "status": "skipped"}',
    '{"model": "m", "summary": "model_level", "ci95": [-0.002, 0.003]}',
    '{"model": "m", "role": "ffn_up", "corr_pearson": -0.0031}',
]
ATLAS_LAYER_WRONG_TYPE = [
    '{"model": "m", "role": "attn_q", "corr_pearson": 0.001}',
    '{"model": "m", "role": "attn_q", "corr_pearson": "0.002"}',
    '{"model": 3, "role": "attn_q"}',
]


def text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    write("edge.jsonl.zst", zst(edge_bytes()))

    frames = multi_frames()
    write("multiframe.jsonl.zst", b"".join(frames))
    # Truncated inside the second frame: the error must name where it starts.
    first = len(frames[0])
    truncated = frames[0] + frames[1][: len(frames[1]) // 2]
    write("truncated.jsonl.zst", truncated)
    print(f"  truncated: second frame starts at {first}, file ends at {len(truncated)}")

    # A frame with a content checksum, a byte in the middle flipped.
    data = bytearray(zst(MULTI_TEXT, checksum=True))
    data[len(data) // 2] ^= 0xFF
    write("corrupt.jsonl.zst", bytes(data))
    try:
        zstandard.ZstdDecompressor().decompress(bytes(data))
        raise SystemExit("corrupt.jsonl.zst decodes; pick another byte")
    except zstandard.ZstdError as e:
        print(f"  corrupt: {e}")

    write("not_zstd.jsonl.zst", text(['{"_kind": "plain text"}']))
    write("empty.jsonl.zst", b"")
    write("malformed.jsonl.zst", zst(text(MALFORMED_LINES)))

    write("atlas_bf16.jsonl", text(ATLAS_BF16_LINES))
    write("atlas_bf16_missing_name.jsonl", text(ATLAS_BF16_MISSING_NAME))
    write("atlas_q4k.jsonl", text(ATLAS_Q4K_LINES).replace(b"\n", b"\r\n"))
    write("atlas_q4k_missing_name.jsonl", text(ATLAS_Q4K_MISSING_NAME))
    write("atlas_layer.jsonl", text(ATLAS_LAYER_LINES))
    write("atlas_layer_wrong_type.jsonl", text(ATLAS_LAYER_WRONG_TYPE))


if __name__ == "__main__":
    main()
