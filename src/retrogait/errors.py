"""Exceptions and warnings raised by retrogait.

``InputError`` is raised for bad data (a file, a column, a parameter value) and is a
``ValueError`` so that generic handlers keep working.  ``RetrogaitWarning`` marks a data
quality problem that retrogait handled (a filled gap, an inferred unit, too few strides):
the result is still well formed.
"""

from __future__ import annotations


class RetrogaitError(Exception):
    """Base class of every error raised on purpose by retrogait."""


class InputError(RetrogaitError, ValueError):
    """Bad input data or parameter value.

    The message names the file, column or parameter, what was expected and what was found.
    """


class RetrogaitWarning(UserWarning):
    """A data-quality problem that retrogait handled; the result is still valid."""
