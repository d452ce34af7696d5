"""Makes a small LPIPS stand-in (TorchScript) and its reference values for LpipsLossTest.

Same signature as the real LPIPS TorchScript a user supplies: forward(x, y) with x, y (B, 3, H, W)
in [-1, 1] gives (B, 1, 1, 1), one distance per sample. Inside, as LPIPS: features of a few conv
layers, each unit-normalised over channels, squared differences weighted per channel by
non-negative 1x1 "lin" weights, averaged over space and summed over layers. The weights are random
(seed 0): it is a fixture for the Java plumbing (loading, forward, gradients through the JIT
module), not a perceptual metric.

Run with Debian's torch 1.13:
  /usr/bin/python3 model/src/test/python/lpips_standin.py model/src/test/resources/lpips
writes lpips_standin.pt and lpips_standin_expected.txt (inputs are a formula the test repeats).
"""
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F


class StandIn(nn.Module):
    def __init__(self):
        super().__init__()
        chans = [3, 8, 16, 16]
        self.convs = nn.ModuleList(
            nn.Conv2d(chans[i], chans[i + 1], 3, stride=1 if i == 0 else 2, padding=1)
            for i in range(3))
        self.lins = nn.ParameterList(
            nn.Parameter(torch.rand(1, c, 1, 1)) for c in chans[1:])

    def features(self, x):
        out = []
        h = x
        for conv in self.convs:
            h = F.relu(conv(h))
            # LPIPS's normalize_tensor is h / (sqrt(sum h^2) + 1e-10), whose gradient is NaN where
            # every channel is 0 (sqrt'(0) * 0); with 8-16 random channels that happens, so the
            # stand-in keeps the eps inside the root
            out.append(h / (h.pow(2).sum(dim=1, keepdim=True) + 1e-10).sqrt())
        return out

    def forward(self, x, y):
        fx = self.features(x)
        fy = self.features(y)
        d = torch.zeros(x.shape[0], 1, 1, 1, dtype=x.dtype)
        for a, b, w in zip(fx, fy, self.lins):
            d = d + ((a - b).pow(2) * w).sum(dim=1, keepdim=True).mean(dim=(2, 3), keepdim=True)
        return d


def inputs(b, h, w):
    """The formula LpipsLossTest repeats: x = sin(0.37 i), y = 0.8 cos(0.23 i) over row-major i."""
    n = b * 3 * h * w
    i = torch.arange(n, dtype=torch.float64)
    x = torch.sin(0.37 * i).float().reshape(b, 3, h, w)
    y = (0.8 * torch.cos(0.23 * i)).float().reshape(b, 3, h, w)
    return x, y


def main(out_dir):
    torch.manual_seed(0)
    m = StandIn().eval()
    for p in m.parameters():
        p.requires_grad_(False)
    x, y = inputs(2, 16, 16)
    traced = torch.jit.trace(m, (x, y))
    traced.save(f"{out_dir}/lpips_standin.pt")
    x.requires_grad_(True)
    d = traced(x, y)
    d.mean().backward()
    g = x.grad.flatten()
    with open(f"{out_dir}/lpips_standin_expected.txt", "w") as f:
        f.write(f"# torch {torch.__version__}; inputs: lpips_standin.inputs(2, 16, 16)\n")
        f.write("distance " + " ".join(f"{v:.9g}" for v in d.flatten().tolist()) + "\n")
        f.write("grad_mean_x " + " ".join(f"{v:.9g}" for v in g.tolist()) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
