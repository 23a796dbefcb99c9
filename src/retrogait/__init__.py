"""retrogait: gait analysis from wearable accelerometers and IMUs, forward and backward.

>>> import retrogait as rg
>>> rec = rg.read("walk.csv", placement="foot", side="left")      # doctest: +SKIP
>>> res = rg.analyze(rec)                                        # doctest: +SKIP
>>> res.events, res.strides, res.bouts, res.summary              # doctest: +SKIP

The public API is what this module exports.  It never imports matplotlib: plotting
lives in :mod:`retrogait.plotting`.
"""

from __future__ import annotations

import importlib
from typing import Any

# ``compare`` and ``batch`` are both functions of the public API and modules of this
# package.  Binding the functions here, after their modules are loaded, keeps
# ``rg.compare`` / ``rg.batch`` the functions whatever is imported later (a submodule
# sets its package attribute only when it is first loaded).  Use
# ``from retrogait.compare import ...`` to reach the modules' other names.
from retrogait.batch import batch
from retrogait.claims import check_claims
from retrogait.compare import compare
from retrogait.errors import InputError, RetrogaitError, RetrogaitWarning
from retrogait.pipeline import AnalysisResult, Params, analyze
from retrogait.recording import Recording

__version__ = "0.1.0"

# Public names served from submodules on first use, so that ``import retrogait`` stays
# light (no dask or matplotlib at import).
_LAZY = {
    "read": ("retrogait.io", "read"),
    "inspect": ("retrogait.io", "inspect"),
    "simulate": ("retrogait.simulate", None),
}

__all__ = [
    "AnalysisResult",
    "InputError",
    "Params",
    "Recording",
    "RetrogaitError",
    "RetrogaitWarning",
    "__version__",
    "analyze",
    "batch",
    "check_claims",
    "compare",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attribute = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'retrogait' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
