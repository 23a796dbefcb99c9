"""Exceptions and warnings raised by retrogait.

``InputError`` is raised for bad data (a file, a column, a parameter value) and is a
``ValueError`` so that generic handlers keep working.  ``RetrogaitWarning`` marks a data
quality problem that retrogait handled (a filled gap, an inferred unit, too few strides):
the result is still well formed.
"""

from __future__ import annotations


class RetrogaitError(Exception):
    """Base class of every error raised on purpose by retrogait.

    Catch it to handle any error retrogait raises deliberately, while letting bugs
    (``TypeError``, ``KeyError``, ...) through.

    Attributes
    ----------
    args : tuple
        The arguments given, as for ``Exception``; by convention one message string,
        ``args[0]``, which ``str(err)`` returns.

    Examples
    --------
    >>> from retrogait.errors import InputError, RetrogaitError
    >>> try:
    ...     raise InputError("column 'acc_x': expected numbers, found 'abc'")
    ... except RetrogaitError as err:
    ...     print(type(err).__name__, "-", err)
    InputError - column 'acc_x': expected numbers, found 'abc'
    """


class InputError(RetrogaitError, ValueError):
    """Bad input data or parameter value.

    The message names the file, column or parameter, what was expected and what was found.
    It is also a ``ValueError``, so code written for generic Python errors keeps working.

    Attributes
    ----------
    args : tuple
        The arguments given, as for ``Exception``; by convention one message string,
        ``args[0]``, which ``str(err)`` returns.

    Examples
    --------
    A bad value raises ``InputError`` with a message naming the parameter:

    >>> from retrogait.manifest import normalize_side
    >>> normalize_side("up")
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: side: expected left/right (or l/r), found 'up'

    and a plain ``except ValueError`` catches it:

    >>> try:
    ...     normalize_side("up")
    ... except ValueError as err:
    ...     print(isinstance(err, InputError), issubclass(InputError, RetrogaitError))
    True True
    """


class RetrogaitWarning(UserWarning):
    """A data-quality problem that retrogait handled; the result is still valid.

    Examples are a filled gap, an inferred unit or too few strides for a statistic.  Use
    the ``warnings`` module to silence it, record it or turn it into an error.

    Attributes
    ----------
    args : tuple
        The arguments given, as for ``Warning``; by convention one message string,
        ``args[0]``, which ``str(err)`` returns.

    Examples
    --------
    >>> import warnings
    >>> from retrogait.errors import RetrogaitWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("acc: 3 missing samples filled by interpolation", RetrogaitWarning)
    >>> [(w.category.__name__, str(w.message)) for w in caught]
    [('RetrogaitWarning', 'acc: 3 missing samples filled by interpolation')]

    Turned into an error, it stops the analysis instead:

    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", RetrogaitWarning)
    ...     warnings.warn("too few strides", RetrogaitWarning)
    Traceback (most recent call last):
    ...
    retrogait.errors.RetrogaitWarning: too few strides
    """
