#!/usr/bin/python3
"""Reference SSIM and PSNR for ImageMetricsTest, with numpy and scipy only (Debian has no skimage).

SSIM is skimage's structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
data_range=255, channel_axis=-1), written out: scipy.ndimage.gaussian_filter (truncate=3.5, mode
'reflect') of x, y, x*x, y*y, x*y in float64, K1 = 0.01, K2 = 0.03, the map cropped by
(win_size - 1) // 2 = 5 on each side and averaged, then averaged over channels.

The test pictures are integer formulas that ImageMetricsTest builds the same way. Run:
    /usr/bin/python3 eval/src/test/python/ssim_reference.py
and paste the printed values into ImageMetricsTest.
"""
import numpy as np
from scipy.ndimage import gaussian_filter

H, W = 20, 24


def base():
    y, x, c = np.meshgrid(np.arange(H), np.arange(W), np.arange(3), indexing="ij")
    return ((x * 7 + y * 13 + c * 29 + (x * y) % 17) % 256).astype(np.uint8)


def noisy(a):
    y, x, c = np.meshgrid(np.arange(H), np.arange(W), np.arange(3), indexing="ij")
    return np.clip(a.astype(np.int64) + (x * 31 + y * 17 + c * 5) % 41 - 20, 0, 255).astype(np.uint8)


def inverted(a):
    return (255 - a.astype(np.int64)).astype(np.uint8)


def ssim(a, b):
    sigma, truncate, data_range = 1.5, 3.5, 255.0
    win = 2 * int(truncate * sigma + 0.5) + 1
    pad = (win - 1) // 2
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    out = []
    for ch in range(a.shape[2]):
        x = a[..., ch].astype(np.float64)
        y = b[..., ch].astype(np.float64)
        f = lambda v: gaussian_filter(v, sigma=sigma, truncate=truncate, mode="reflect")
        ux, uy = f(x), f(y)
        vx, vy, vxy = f(x * x) - ux * ux, f(y * y) - uy * uy, f(x * y) - ux * uy
        s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
        out.append(s[pad:-pad, pad:-pad].mean())
    return float(np.mean(out))


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0 ** 2 / mse))


a = base()
for name, b in (("noisy", noisy(a)), ("inverted", inverted(a))):
    print(f"{name}: ssim={ssim(a, b)!r} psnr={psnr(a, b)!r}")
print(f"same: ssim={ssim(a, a)!r}")
