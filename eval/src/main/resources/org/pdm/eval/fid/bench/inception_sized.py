"""An Inception-v3-sized stand-in feature extractor (about 5.9 G multiply-adds at 299x299, 2048
features, forward(img, return_features) like inception-2015-12-05.pt), saved as TorchScript; then
the images/s of Debian's python3-torch running it on uint8 299x299 batches. Run by pdm bench eval:
    inception_sized.py OUT.pt COUNT BATCH THREADS
prints 'macs <n>' and 'images_per_s <x>'."""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(cin, cout, k, s=1, p=0):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class InceptionSized(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            conv(3, 32, 3, 2), conv(32, 32, 3), conv(32, 64, 3, 1, 1), nn.MaxPool2d(3, 2),
            conv(64, 80, 1), conv(80, 192, 3), nn.MaxPool2d(3, 2),
            conv(192, 288, 3, 1, 1), conv(288, 288, 3, 1, 1),
            conv(288, 768, 3, 2),
            conv(768, 384, 1), conv(384, 768, 3, 1, 1), conv(768, 384, 1), conv(384, 768, 3, 1, 1),
            conv(768, 1280, 3, 2), conv(1280, 2048, 1),
            nn.AdaptiveAvgPool2d(1))
        self.output = nn.Linear(2048, 1008)

    def forward(self, img: torch.Tensor, return_features: bool = False) -> torch.Tensor:
        x = img.to(torch.float32)
        if x.shape[2] != 299 or x.shape[3] != 299:
            x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        x = (x - 128) / 128
        features = self.layers(x).reshape(-1, 2048)
        if return_features:
            return features
        return self.output(features)


def macs(model):
    total = [0]

    def hook(m, i, o):
        total[0] += o.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(torch.zeros(1, 3, 299, 299, dtype=torch.uint8), True)
    for h in hs:
        h.remove()
    return total[0]


def main():
    out, count, batch, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    model = InceptionSized().eval()
    print("macs", macs(model), flush=True)
    scripted = torch.jit.script(model)
    scripted.save(out)
    loaded = torch.jit.load(out)
    x = torch.randint(0, 256, (batch, 3, 299, 299), dtype=torch.uint8)
    with torch.no_grad():
        loaded(x, True)  # warm-up
        t0 = time.perf_counter()
        done = 0
        while done < count:
            n = min(batch, count - done)
            loaded(x[:n], True)
            done += n
        print("images_per_s", count / (time.perf_counter() - t0), flush=True)


if __name__ == "__main__":
    main()
