from kaohe.scoring.colours import level_share, overall_level, with_data
from kaohe.scoring.warnings import NO_DATA


def test_shares_and_the_overall_level_leave_out_warnings_without_data() -> None:
    tally = {0: 2, 1: 0, 3: 2, NO_DATA: 5}
    assert with_data(tally) == 4
    assert level_share(tally, 0) == 0.5 and level_share(tally, 3) == 0.5
    assert overall_level(tally) == 2  # mean 1.5, half up: orange
    assert overall_level({0: 3, 1: 1}) == 0  # mean 0.25: green
    assert level_share({NO_DATA: 3}, 0) is None
    assert overall_level({NO_DATA: 3}) == NO_DATA
