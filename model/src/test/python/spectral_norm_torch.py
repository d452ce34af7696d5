#!/usr/bin/python3
"""Checks that our safetensors export loads into torch modules with torch.nn.utils.spectral_norm.

Usage: /usr/bin/python3 model/src/test/python/spectral_norm_torch.py DIR
DIR holds layers.safetensors (exported by SafeTensorsTest with Checkpoint.weights) and
io.safetensors (inputs and our eval-mode outputs). The weights must load with
load_state_dict(strict=True) and the torch modules must give our outputs (eval mode: no power
iteration, W / (u^T W v) from the stored u and v, as ours). Prints OK and exits 0, else fails.
Reads safetensors by hand: Debian has python3-torch but no python3-safetensors.
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn
from torch.nn.utils import spectral_norm


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        assert t["dtype"] == "F32", t
        b, e = t["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[b:e], dtype="<f4").reshape(t["shape"]).copy())
    return out


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = spectral_norm(nn.Conv2d(3, 4, 3, padding=1))
        self.dense = spectral_norm(nn.Linear(5, 6))
        self.plain = nn.Conv2d(4, 2, 1)


d = sys.argv[1]
state = load(d + "/layers.safetensors")
io = load(d + "/io.safetensors")
m = Tiny()
result = m.load_state_dict(state, strict=True)
assert not result.missing_keys and not result.unexpected_keys, result
m.eval()
with torch.no_grad():
    pairs = [(m.conv(io["x"]), io["conv"]), (m.dense(io["x2"]), io["dense"]),
             (m.plain(io["x3"]), io["plain"])]
# relative to the output's scale: with a fresh (unconverged) u, sigma = u^T W v can be small
diffs = [((a - b).abs().max() / b.abs().max()).item() for a, b in pairs]
assert max(diffs) < 1e-5, diffs
print("OK torch", torch.__version__, "keys", sorted(state), "max relative diff", max(diffs))
