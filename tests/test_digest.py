"""hyrdash.lib.digest: one digest for equal values in every process, another for any
difference."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hyrdash.lib import digest

ROOT = Path(__file__).resolve().parent.parent


def frame():
    return pd.DataFrame(
        {
            "period": pd.PeriodIndex(["2021-01", "2021-02"], freq="M"),
            "area": ["Norr", "Söder"],
            "employees": np.array([12, 30], dtype="int64"),
            "hours": [1.5, 2.25],
        }
    )


def test_equal_values_give_one_digest():
    value = {"b": frozenset({("x", 1), ("y", 2)}), "a": [frame(), pd.Period("2021-01", "M")]}
    same = {"a": [frame(), pd.Period("2021-01", "M")], "b": frozenset({("y", 2), ("x", 1)})}
    assert digest.of(value) == digest.of(same)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.assign(hours=[1.5, 2.26]),  # a value
        lambda f: f.rename(columns={"hours": "timmar"}),  # a column's name
        lambda f: f.astype({"employees": "float64"}),  # a dtype
        lambda f: f.iloc[::-1],  # the order of the rows
        lambda f: f.set_axis([5, 6]),  # the index
        lambda f: f.iloc[:1],  # a row fewer
    ],
)
def test_any_difference_in_a_frame_gives_another_digest(change):
    assert digest.of(change(frame())) != digest.of(frame())


def test_values_of_other_types_or_in_other_places_differ():
    values = [
        1,
        1.0,
        True,
        "1",
        Decimal("1"),
        None,
        [1],
        (1,),
        {1},
        {1: None},
        [[1], 2],
        [1, [2]],
        pd.Period("2021-01", "M"),
        pd.Period("2021-02", "M"),
        "2021-01",
        pd.Series([1]),
        pd.Index([1]),
    ]
    found = [digest.of(value) for value in values]
    assert len(set(found)) == len(values)
    assert digest.of(np.int64(7)) == digest.of(7)


def test_two_values_are_not_their_concatenation():
    assert digest.of("ab", "c") != digest.of("a", "bc")
    assert digest.of({"a": "bc"}) != digest.of({"ab": "c"})


def test_a_value_it_does_not_know_is_refused():
    with pytest.raises(TypeError, match="cannot digest a object"):
        digest.of([object()])


def test_the_digest_is_the_same_in_another_process():
    """A set of strings iterates in another order in each process (hash randomisation):
    the workers of one server must still agree on a key."""
    script = (
        "from hyrdash.lib import digest;"
        "print(digest.of({'department': frozenset({'a', 'b', 'c', 'd'}), 'x': {'k', 'l'}}))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            cwd=ROOT,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1


def test_sets_and_dicts_of_look_alike_texts_differ():
    assert digest.of({"a|b"}) != digest.of({"a", "b"})
    assert digest.of({("a", "b")}) != digest.of({("a",), ("b",)})
    assert digest.of({"a": {"b": 1}}) != digest.of({"a": {"b": 1.0}})
    assert digest.of({frozenset({1}): 2}) != digest.of({frozenset({2}): 1})


def test_a_dataclass_is_digested_by_its_compared_fields_once():
    from dataclasses import dataclass, field

    @dataclass
    class Data:
        rows: pd.DataFrame
        months: list
        cache: dict = field(default_factory=dict, compare=False)

    data = Data(frame(), ["2021-01"], cache={"memo": object()})  # a memo it cannot digest
    found = digest.of_fields(data)

    assert found == digest.of(frame(), ["2021-01"])
    assert data.cache["content"] == found
    assert digest.of_fields(Data(frame(), ["2021-02"])) != found
    assert digest.model_values(None) is None
