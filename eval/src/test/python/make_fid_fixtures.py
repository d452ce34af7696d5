#!/usr/bin/python3
"""Makes the committed test fixtures of pdm eval fid (eval/src/test/resources/fid/).

Run with Debian's python3-torch (1.13), python3-numpy, python3-scipy and python3-pil:
    /usr/bin/python3 eval/src/test/python/make_fid_fixtures.py eval/src/test/resources/fid

- standin-inception.pt: a small TorchScript with the signature of the standard FID Inception
  (inception-2015-12-05.pt): forward(img, return_features: bool = False), img uint8 or float NCHW in
  [0, 255] of any size, resized inside (bilinear, as the real one's grid_sample) to 32x32 here (299x299
  there), then (x - 128) / 128; 16 features (2048 there), 10 logits when return_features is false.
- pillow-resize.npz: uint8 images and what, as float32, Pillow's Image.fromarray(x, mode='F').resize((299, 299),
  Image.BICUBIC) makes of them (clean-fid's clean mode, per channel); outputs kept every 7th pixel.
- metrics.npz: two feature sets and the values of the reference formulas: KID as clean-fid's
  kernel_distance / torch-fidelity (with subsets of the whole sets, so that no random choice is
  involved), precision/recall (k=3) as Kynkaanniemi et al.'s reference code, FID with scipy's sqrtm
  as pytorch-fid, and the standin's features of fixed images (to check DJL against Python).
- numpy-stats.npz (np.savez, float64) and numpy-stats-f32z.npz (np.savez_compressed, float32): mu and
  sigma files as pytorch-fid and clean-fid write them.
"""
import os
import sys

import numpy as np
import scipy.linalg
import torch
import torch.nn.functional as F
from PIL import Image


class StandIn(torch.nn.Module):
    def __init__(self, size: int, features: int, width: int):
        super().__init__()
        torch.manual_seed(11)
        self.size = size
        self.conv1 = torch.nn.Conv2d(3, width, 3, stride=2, padding=1)
        self.conv2 = torch.nn.Conv2d(width, features, 3, stride=2, padding=1)
        self.output = torch.nn.Linear(features, 10)

    def forward(self, img: torch.Tensor, return_features: bool = False) -> torch.Tensor:
        x = img.to(torch.float32)
        if x.shape[2] != self.size or x.shape[3] != self.size:
            x = F.interpolate(x, size=(self.size, self.size), mode="bilinear", align_corners=False)
        x = (x - 128) / 128
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        features = x.mean(dim=(2, 3))
        if return_features:
            return features
        return self.output(features)


def pil_resize(x):
    return np.asarray(Image.fromarray(x, mode="F").resize((299, 299), resample=Image.BICUBIC))


def kid_full(real, fake):
    """One subset of clean-fid's kernel_distance with m = n: every row, so no random choice."""
    d = real.shape[1]
    m = real.shape[0]
    x, y = fake.astype(np.float64), real.astype(np.float64)
    a = (x @ x.T / d + 1) ** 3 + (y @ y.T / d + 1) ** 3
    b = (x @ y.T / d + 1) ** 3
    return ((a.sum() - np.diag(a).sum()) / (m - 1) - b.sum() * 2 / m) / m


def precision_recall(real, fake, k=3):
    """Kynkaanniemi et al. (2019): squared distances, radius = distance to the k-th neighbour."""
    def dist(a, b):
        a, b = a.astype(np.float64), b.astype(np.float64)
        return (a * a).sum(1)[:, None] - 2 * a @ b.T + (b * b).sum(1)[None, :]
    r_real = np.partition(dist(real, real), kth=k, axis=1)[:, k]
    r_fake = np.partition(dist(fake, fake), kth=k, axis=1)[:, k]
    precision = (dist(fake, real) <= r_real[None, :]).any(axis=1).mean()
    recall = (dist(real, fake) <= r_fake[None, :]).any(axis=1).mean()
    return precision, recall


def fid_scipy(mu1, s1, mu2, s2):
    covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
    covmean = covmean.real
    diff = mu1 - mu2
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)


def main(out):
    os.makedirs(out, exist_ok=True)
    model = torch.jit.script(StandIn(32, 16, 8).eval())
    model.save(os.path.join(out, "standin-inception.pt"))

    rng = np.random.default_rng(3)
    cases = {}
    for i, (h, w) in enumerate([(30, 40), (600, 20), (20, 600), (17, 300), (450, 380)]):
        if h * w < 20000:
            x = rng.integers(0, 256, size=(h, w)).astype(np.uint8)
            cases[f"in{i}"] = x  # uint8 pixels, as images have; resized as float32
        else:  # a big one from a formula, to keep the file small: pixel (y, x) = (7 y + 13 x) % 256
            x = ((np.arange(h)[:, None] * 7 + np.arange(w)[None, :] * 13) % 256).astype(np.uint8)
            cases[f"in{i}"] = np.array([h, w], dtype=np.int64)
        cases[f"out{i}"] = pil_resize(x.astype(np.float32))[::7, ::7].copy()
    np.savez_compressed(os.path.join(out, "pillow-resize.npz"), **cases)

    real = rng.normal(0.0, 1.0, size=(40, 16)).astype(np.float32)
    fake = (rng.normal(0.3, 1.2, size=(40, 16))).astype(np.float32)
    precision, recall = precision_recall(real, fake)
    r64, f64 = real.astype(np.float64), fake.astype(np.float64)
    mu1, s1 = r64.mean(0), np.cov(r64, rowvar=False)
    mu2, s2 = f64.mean(0), np.cov(f64, rowvar=False)
    images = rng.integers(0, 256, size=(3, 3, 45, 37)).astype(np.uint8)
    with torch.no_grad():
        feats = model(torch.from_numpy(images), True).numpy()
    np.savez(os.path.join(out, "metrics.npz"), real=real, fake=fake, kid=np.float64(kid_full(real, fake)),
             precision=np.float64(precision), recall=np.float64(recall),
             fid=np.float64(fid_scipy(mu1, s1, mu2, s2)), images=images, standin_features=feats)

    mu = rng.normal(size=16)
    a = rng.normal(size=(16, 16))
    sigma = a @ a.T
    np.savez(os.path.join(out, "numpy-stats.npz"), mu=mu, sigma=sigma)
    np.savez_compressed(os.path.join(out, "numpy-stats-f32z.npz"), mu=mu.astype(np.float32),
                        sigma=sigma.astype(np.float32))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "eval/src/test/resources/fid")
