#!/usr/bin/env python3
"""Writes the byte-level safetensors fixtures, from the format's specification and nothing of NetGen's.

Layout: 8 bytes (unsigned, little-endian) = N, the header length; N bytes of UTF-8 JSON, padded with spaces (0x20)
so that 8 + N is a multiple of 8; then the data buffer. Each JSON key names a tensor:
{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, offsets relative to the buffer, tensors tiling it.
Run it from this folder: python3 make_fixtures.py
"""
import json
import struct

# TinyNetwork (2 -> 3 -> 1): Hidden.weight [3, 2], Hidden.bias [3], Output.weight [1, 3], Output.bias [1].
HIDDEN_WEIGHT = [0.5, -1.25, 2.0, 0.125, -0.75, 3.0]
HIDDEN_BIAS = [0.25, -0.5, 1.0]
OUTPUT_WEIGHT = [1.5, -2.0, 0.0625]
OUTPUT_BIAS = [-0.375]


def f32(values):
    return struct.pack("<%df" % len(values), *values)


def write(path, tensors, metadata=None, compact=True):
    """tensors: list of (name, shape, values) in buffer order."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    data = b""
    for name, shape, values in tensors:
        blob = f32(values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    text = json.dumps(header, separators=(",", ":") if compact else (", ", ": ")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


# What NetGen writes for TinyNetwork: parameters in network order, format "pt" metadata, compact JSON.
write("tiny-netgen.safetensors",
      [("Hidden.weight", [3, 2], HIDDEN_WEIGHT), ("Hidden.bias", [3], HIDDEN_BIAS),
       ("Output.weight", [1, 3], OUTPUT_WEIGHT), ("Output.bias", [1], OUTPUT_BIAS)],
      metadata={"format": "pt"})

# As safetensors.torch.save_file lays it out: tensors sorted by name, biases before weights in the buffer.
write("tiny-torch-order.safetensors",
      [("Hidden.bias", [3], HIDDEN_BIAS), ("Hidden.weight", [3, 2], HIDDEN_WEIGHT),
       ("Output.bias", [1], OUTPUT_BIAS), ("Output.weight", [1, 3], OUTPUT_WEIGHT)],
      metadata={"format": "pt"})

# An nn.Sequential(Linear(2, 3), Tanh(), Linear(3, 1)) state_dict: layers named by index; no metadata, spaced JSON.
write("tiny-sequential.safetensors",
      [("0.weight", [3, 2], HIDDEN_WEIGHT), ("0.bias", [3], HIDDEN_BIAS),
       ("2.weight", [1, 3], OUTPUT_WEIGHT), ("2.bias", [1], OUTPUT_BIAS)],
      compact=False)
