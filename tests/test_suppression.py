"""Small-group suppression: hand-worked breakdowns, including the derivation attack."""

from hyrdash.suppression import is_hidden, suppress


def test_a_group_below_the_threshold_is_hidden():
    assert is_hidden(9, threshold=10)
    assert not is_hidden(10, threshold=10)
    assert is_hidden(None, threshold=10)
    assert is_hidden(float("nan"), threshold=10)


def test_nothing_is_hidden_when_every_group_is_large_enough():
    assert suppress({"K": 40, "M": 12}, threshold=10) == set()


def test_the_one_hidden_group_takes_the_next_smallest_with_it():
    # Total 60 is shown; M (7) is hidden. Shown K = 53 would give M = 60 - 53:
    # so K is hidden as well.
    assert suppress({"K": 53, "M": 7}, threshold=10) == {"K", "M"}


def test_complementary_suppression_picks_the_smallest_other_group():
    # -29 has 4: hidden. Of the others, 50- (15) is smaller than 30-49 (80).
    sizes = {"-29": 4, "30-49": 80, "50-": 15}

    assert suppress(sizes, threshold=10) == {"-29", "50-"}


def test_two_hidden_groups_need_no_more():
    # 3 + 5 could only be worked out together (total minus 30-49), not one by one.
    assert suppress({"-29": 3, "30-49": 80, "50-": 5}, threshold=10) == {"-29", "50-"}


def test_no_complement_when_the_parent_is_hidden_itself():
    assert suppress({"K": 6, "M": 2}, threshold=10, parent_shown=False) == {"K", "M"}
    assert suppress({"K": 30, "M": 2}, threshold=10, parent_shown=False) == {"M"}


def test_an_empty_group_reveals_nothing_and_is_not_the_one_hidden_group():
    # No men at all: hiding "M" protects nobody, K = total is no secret of M's.
    assert suppress({"K": 25, "M": 0}, threshold=10) == {"M"}


def test_ties_are_broken_by_key_so_the_result_is_stable():
    assert suppress({"a": 3, "b": 20, "c": 20}, threshold=10) == {"a", "b"}
