"""Regressions found while writing the executors docstrings (issue 9)."""

from __future__ import annotations

import pytest

from retrogait.errors import InputError
from retrogait.executors import dask_client

pytest.importorskip("dask.distributed")


@pytest.mark.parametrize("address", ["htp://10.0.0.5:8786", "tcp://10.0.0.5:87x6"])
def test_a_malformed_scheduler_address_is_an_input_error(address):
    # distributed raises ValueError for an unknown scheme or a bad port; batch(scheduler=...)
    # promises InputError for a wrong option value, naming the option
    with pytest.raises(InputError, match=r"scheduler .*not a Dask scheduler address"):
        dask_client(None, address)


def test_a_client_of_the_caller_is_used_and_left_open():
    mine = object()
    assert dask_client(mine, "htp://ignored") == (mine, False)
