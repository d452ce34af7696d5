"""pytorch-fid's calculate_frechet_distance (scipy.linalg.sqrtm of s1 @ s2) on two npz files; prints
'<fid> <seconds>' (the time of the distance alone, loading excluded). Run by pdm bench eval."""
import sys
import time

import numpy as np
from scipy import linalg


def frechet(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)


a = np.load(sys.argv[1])
b = np.load(sys.argv[2])
t0 = time.perf_counter()
fid = frechet(a["mu"], a["sigma"], b["mu"], b["sigma"])
print(repr(float(fid)), time.perf_counter() - t0)
