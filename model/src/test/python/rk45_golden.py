#!/usr/bin/python3
"""Golden NFE and end values of scipy's RK45 for Rk45SamplerGoldenTest.

Run with Debian's interpreter (python3-scipy): /usr/bin/python3 model/src/test/python/rk45_golden.py
and paste the printed Java lines into Rk45SamplerGoldenTest. Each case also prints how many steps
were rejected, so that the test covers step control after a rejection (scipy: factor = min(1, factor)):
patching that line out of scipy 1.10.1 leaves vanDerPol's NFE at 440 but moves its end value by 1e-4.

Our sampler also limits the first step to the interval (h0 <= t1 - t0, so that a network is never
evaluated outside [eps, 1]); scipy 1.10.1 does not. The cases are chosen so that this limit does not
bind (it would for dy/dt = -2 t y from t = 1e-3, where scipy's h0 is 5).
"""
import numpy as np
import scipy
from scipy.integrate import solve_ivp

ROT = np.array([[-0.1, -1.0], [1.0, -0.1]])

CASES = [
    # name, f(t, y), y0, t0, t1, rtol, atol
    ("decay", lambda t, y: -2.0 * y, [1.0], 0.0, 1.0, 1e-3, 1e-6),
    ("decayTight", lambda t, y: -2.0 * y, [1.0, -3.0], 0.0, 1.0, 1e-8, 1e-8),
    ("rotation", lambda t, y: ROT @ y, [1.0, 0.0], 0.0, 10.0, 1e-5, 1e-5),
    ("vanDerPol", lambda t, y: np.array([y[1], 5.0 * (1 - y[0] ** 2) * y[1] - y[0]]),
     [2.0, 0.0], 0.0, 10.0, 1e-4, 1e-6),
    # time-dependent, from rectified flow's eps = 1e-3 to 1 with its tolerances
    ("timeFlow", lambda t, y: (1.0 - 2.0 * t) * y, [1.0, -2.0, 0.5, 3.0], 1e-3, 1.0, 1e-5, 1e-5),
]

print("// scipy " + scipy.__version__ + ", numpy " + np.__version__)
for name, f, y0, t0, t1, rtol, atol in CASES:
    sol = solve_ivp(f, (t0, t1), np.array(y0, dtype=np.float64), method="RK45", rtol=rtol, atol=atol)
    assert sol.status == 0, sol.message
    accepted = len(sol.t) - 1
    attempted = (sol.nfev - 2) // 6
    end = ", ".join(repr(float(v)) for v in sol.y[:, -1])
    print(f"// {name}: {accepted} accepted, {attempted - accepted} rejected steps")
    print(f"static final Golden {name.upper()} = new Golden({sol.nfev}, new double[] {{{end}}});")
