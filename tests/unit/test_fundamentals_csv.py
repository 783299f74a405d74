"""load_fundamentals_csv: the project's own fundamentals schema, and every bad-input path."""

from __future__ import annotations

import pandas as pd
import pytest

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.pit import FUNDAMENTAL_COLUMNS, empty_fundamentals
from catalystlab.inputs.fundamentals import load_fundamentals_csv

HEADER = "ticker,metric,fiscal_period,period_end,value,public_date,source,timing\n"
GOOD = (
    HEADER
    + "amzn,revenue,2024Q4,2024-12-31,187792,2025-02-06,release,after_close\n"
    + "AMZN,capex,2024Q4,2024-12-31,27834.5,2025-02-06,release,intraday\n"
    + "MSFT,revenue,FY2024Q4,2024-06-30,64727,2024-07-30,,\n"
    + "MSFT,capex,FY2024Q4,2024-06-30,13873,2024-07-30,10-K,before_open\n"
)


def write(tmp_path, text: str, name: str = "f.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_good_file(tmp_path):
    path = write(tmp_path, GOOD)
    table = load_fundamentals_csv(path)
    assert tuple(table.columns) == FUNDAMENTAL_COLUMNS
    assert table.dtypes.equals(empty_fundamentals().dtypes)
    assert table["ticker"].tolist() == ["AMZN", "AMZN", "MSFT", "MSFT"]  # sorted, upper-cased
    by_key = table.set_index(["ticker", "metric"])
    assert by_key.loc[("AMZN", "revenue"), "known_from"] == pd.Timestamp("2025-02-07")
    assert by_key.loc[("AMZN", "capex"), "known_from"] == pd.Timestamp("2025-02-06")
    assert by_key.loc[("AMZN", "capex"), "value"] == 27834.5
    assert by_key.loc[("MSFT", "revenue"), "known_from"] == pd.Timestamp("2024-07-31")  # blank
    assert by_key.loc[("MSFT", "capex"), "known_from"] == pd.Timestamp("2024-07-30")
    assert by_key.loc[("MSFT", "revenue"), "source"] == f"{path} row 4"


def test_timing_column_is_optional_and_means_unknown(tmp_path):
    text = "ticker,metric,fiscal_period,period_end,value,public_date,source\n"
    text += "AMZN,revenue,2024Q4,2024-12-31,1,2025-02-06,x\n"
    table = load_fundamentals_csv(write(tmp_path, text))
    assert table["known_from"].iloc[0] == pd.Timestamp("2025-02-07")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "AMZN,revenue,2024Q4,2024-13-31,1,2025-02-06,x,",
            "row 2: period_end '2024-13-31' is not a date; write it as YYYY-MM-DD",
        ),
        ("AMZN,revenue,2024Q4,2024-12-31,1,soon,x,", "row 2: public_date 'soon' is not a date"),
        ("AMZN,revenue,2024Q4,2024-12-31,12 bn,2025-02-06,x,", "value '12 bn' is not a number"),
        ("AMZN,revenue,2024Q4,2024-12-31,,2025-02-06,x,", "drop the row if it is not known"),
        ("AMZN,Revenue,2024Q4,2024-12-31,1,2025-02-06,x,", "'Revenue' is not a lower-case name"),
        (",revenue,2024Q4,2024-12-31,1,2025-02-06,x,", "row 2: ticker is blank"),
        ("AMZN,revenue,,2024-12-31,1,2025-02-06,x,", "fiscal_period is blank"),
        ("AMZN,revenue,2024Q4,2024-12-31,1,2025-02-06,x,late", "timing 'late' is not one of"),
        (
            "AMZN,revenue,2024Q4,2024-12-31,1,2024-12-30,x,",
            "public_date 2024-12-30 is before period_end 2024-12-31",
        ),
    ],
)
def test_bad_rows_name_the_file_row_and_fix(tmp_path, line, message):
    path = write(tmp_path, HEADER + line + "\n")
    with pytest.raises(BadInputError) as info:
        load_fundamentals_csv(path)
    assert str(info.value).startswith(f"{path}, row 2: ")
    assert message in str(info.value)


def test_later_bad_rows_are_counted(tmp_path):
    lines = [f"AMZN,revenue,2024Q{q},2024-0{q * 3}-30,1,never,x," for q in (1, 2, 3)]
    with pytest.raises(BadInputError, match=r"row 2: .* \(2 more rows like it\)"):
        load_fundamentals_csv(write(tmp_path, HEADER + "\n".join(lines) + "\n"))


def test_duplicate_quarter_is_refused(tmp_path):
    text = GOOD + "AMZN,revenue,2024Q4,2024-12-31,187000,2025-02-07,again,\n"
    with pytest.raises(BadInputError, match=r"rows 2 and 6: both give AMZN revenue"):
        load_fundamentals_csv(write(tmp_path, text))


def test_missing_and_unexpected_columns(tmp_path):
    text = "ticker,metric,period_end,value,public_date,source,notes\nAMZN,revenue,,,,,\n"
    with pytest.raises(BadInputError) as info:
        load_fundamentals_csv(write(tmp_path, text))
    assert "lacks column(s) fiscal_period" in str(info.value)
    assert "unexpected column(s) notes" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(DataUnavailableError, match="No such file"):
        load_fundamentals_csv(tmp_path / "nope.csv")


def test_empty_file(tmp_path):
    with pytest.raises(BadInputError, match="not a readable CSV file"):
        load_fundamentals_csv(write(tmp_path, ""))


def test_header_only_gives_an_empty_table(tmp_path):
    table = load_fundamentals_csv(write(tmp_path, HEADER))
    assert table.empty
    assert table.dtypes.equals(empty_fundamentals().dtypes)
