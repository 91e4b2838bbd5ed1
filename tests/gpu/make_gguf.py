"""Writes a llama-architecture GGUF with random F16 weights, standard library only (no numpy, no gguf package):
the shape of an 8B model (32 layers, 4096 wide, 14336 feed-forward, 32/8 heads, 32000 tokens) by default, so that
decoding reads the same bytes per token as a real model of that shape.

    python3 make_gguf.py OUT.gguf [--layers 32] [--width 4096] [--ffn 14336]
"""

from __future__ import annotations

import argparse
import random
import struct

ALIGN = 32
F32, F16 = 0, 1
T_U32, T_I32, T_F32, T_STR, T_ARR = 4, 5, 6, 8, 9
SPECIAL = ["<unk>", "<s>", "</s>"]
BYTES = [f"<0x{value:02X}>" for value in range(256)]
FIRST_WORD = len(SPECIAL) + len(BYTES)


def text(value: str) -> bytes:
    raw = value.encode()
    return struct.pack("<Q", len(raw)) + raw


def kv(key: str, kind: int, value) -> bytes:
    out = text(key) + struct.pack("<I", kind)
    if kind == T_STR:
        return out + text(value)
    if kind == T_ARR:
        element, items = value
        body = struct.pack("<IQ", element, len(items))
        if element == T_STR:
            return out + body + b"".join(text(item) for item in items)
        code = {T_F32: "f", T_I32: "i", T_U32: "I"}[element]
        return out + body + struct.pack(f"<{len(items)}{code}", *items)
    return out + struct.pack({T_U32: "<I", T_I32: "<i", T_F32: "<f"}[kind], value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--layers", type=int, default=32)
    parser.add_argument("--width", type=int, default=4096)
    parser.add_argument("--ffn", type=int, default=14336)
    parser.add_argument("--vocab", type=int, default=32000)
    args = parser.parse_args()
    width, ffn, vocab, heads, kv_heads = args.width, args.ffn, args.vocab, args.width // 128, max(1, args.width // 512)
    kv_width = kv_heads * 128

    metadata = [
        kv("general.architecture", T_STR, "llama"),
        kv("general.name", T_STR, "random-weights"),
        kv("general.file_type", T_U32, 1),
        kv("llama.context_length", T_U32, 4096),
        kv("llama.embedding_length", T_U32, width),
        kv("llama.block_count", T_U32, args.layers),
        kv("llama.feed_forward_length", T_U32, ffn),
        kv("llama.attention.head_count", T_U32, heads),
        kv("llama.attention.head_count_kv", T_U32, kv_heads),
        kv("llama.attention.layer_norm_rms_epsilon", T_F32, 1e-5),
        kv("llama.rope.dimension_count", T_U32, 128),
        kv("tokenizer.ggml.model", T_STR, "llama"),
        # The 256 byte tokens let llama.cpp's tokenizer spell any prompt (byte fallback); without them a
        # prompt's text fails to tokenize (llama-bench never tokenizes, a server does).
        kv("tokenizer.ggml.tokens", T_ARR, (T_STR, SPECIAL + BYTES + [f"t{i}" for i in range(FIRST_WORD, vocab)])),
        kv("tokenizer.ggml.scores", T_ARR, (T_F32, [0.0] * vocab)),
        kv("tokenizer.ggml.token_type", T_ARR, (T_I32, [2, 3, 3] + [6] * len(BYTES) + [1] * (vocab - FIRST_WORD))),
        kv("tokenizer.ggml.unknown_token_id", T_U32, 0),
        kv("tokenizer.ggml.bos_token_id", T_U32, 1),
        kv("tokenizer.ggml.eos_token_id", T_U32, 2),
    ]
    tensors = [("token_embd.weight", [width, vocab], F16)]
    for layer in range(args.layers):
        block = f"blk.{layer}."
        tensors += [
            (block + "attn_norm.weight", [width], F32),
            (block + "attn_q.weight", [width, width], F16),
            (block + "attn_k.weight", [width, kv_width], F16),
            (block + "attn_v.weight", [width, kv_width], F16),
            (block + "attn_output.weight", [width, width], F16),
            (block + "ffn_norm.weight", [width], F32),
            (block + "ffn_gate.weight", [width, ffn], F16),
            (block + "ffn_up.weight", [width, ffn], F16),
            (block + "ffn_down.weight", [ffn, width], F16),
        ]
    tensors += [("output_norm.weight", [width], F32), ("output.weight", [width, vocab], F16)]

    infos, offset, sizes = [], 0, []
    for name, dims, kind in tensors:
        count = 1
        for dim in dims:
            count *= dim
        size = count * (4 if kind == F32 else 2)
        infos.append(text(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
                     + struct.pack("<IQ", kind, offset))
        sizes.append((size, kind))
        offset += (size + ALIGN - 1) // ALIGN * ALIGN

    # One random block of small F16 values, repeated: random enough to compute on, cheap to write.
    rng = random.Random(1)
    block = struct.pack("<262144e", *(rng.gauss(0.0, 0.02) for _index in range(262144)))
    ones = struct.pack("<f", 1.0) * 262144
    with open(args.out, "wb") as out:
        out.write(b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata)))
        out.write(b"".join(metadata) + b"".join(infos))
        out.write(b"\0" * (-out.tell() % ALIGN))
        for size, kind in sizes:
            pattern = ones if kind == F32 else block
            left = size
            while left > 0:
                piece = pattern[: min(left, len(pattern))]
                out.write(piece)
                left -= len(piece)
            out.write(b"\0" * (-size % ALIGN))
    print(f"{args.out}: {len(tensors)} tensors, {offset / 2**30:.2f} GiB of weights")


if __name__ == "__main__":
    main()
