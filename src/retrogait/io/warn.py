"""Warnings of the readers, attributed to the caller's line rather than to retrogait's own."""

from __future__ import annotations

import sys
import warnings

from retrogait.errors import RetrogaitWarning


def warn(message: str) -> None:
    r"""Issue a `retrogait.errors.RetrogaitWarning` at the first frame outside ``retrogait.io``.

    The warning's file and line are those of the code that called the reader (a script, a
    notebook cell, `retrogait.pipeline`), so the message points at the user's call and a
    ``warnings`` filter on the caller's module applies.

    Parameters
    ----------
    message : str
        The warning text; by convention it starts with the file name (``'walk.csv: ...'``).

    Examples
    --------
    >>> import warnings
    >>> from retrogait.errors import RetrogaitWarning
    >>> from retrogait.io.warn import warn
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("walk.csv: skipped 2 malformed row(s) with the wrong number of fields")
    >>> caught[0].category is RetrogaitWarning, str(caught[0].message)
    (True, 'walk.csv: skipped 2 malformed row(s) with the wrong number of fields')

    Called from a user's module (here ``my_analysis.py``, compiled on the fly), the warning
    is attributed to that module's line, not to retrogait:

    >>> namespace = {"__name__": "my_analysis", "warn": warn}
    >>> code = "def load():\n    warn('walk.csv: 3 unreadable cell(s) set to NaN')\n"
    >>> exec(compile(code, "my_analysis.py", "exec"), namespace)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     namespace["load"]()
    >>> caught[0].filename, caught[0].lineno
    ('my_analysis.py', 2)
    """
    level = 2  # stacklevel 2 is the caller of warn()
    frame = sys._getframe(1)
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("retrogait.io"):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, RetrogaitWarning, stacklevel=level)
