"""lib.arrow_tables.compact: the same values as pandas would send, in fewer bytes."""

import pandas as pd
import pyarrow as pa
from streamlit import dataframe_util

from lib.arrow_tables import compact


def _bytes(table: pa.Table) -> int:
    return len(dataframe_util.convert_arrow_table_to_arrow_bytes(table))


def _ledger_like(rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "when": pd.date_range("2026-01-01", periods=rows, freq="h", tz="UTC"),
            "what": [("Song", "WAV export", "Stems (12 tracks)")[i % 3] for i in range(rows)],
            "song": [f"Song {i}" for i in range(rows)],
            "price": [(10, 2, 50)[i % 3] for i in range(rows)],
            "refunded": [i % 10 == 3 for i in range(rows)],
            "problem": [None] * rows,
        }
    )


def test_values_and_order_are_unchanged():
    frame = _ledger_like(1000)
    back = compact(frame).to_pandas()
    assert list(back.columns) == list(frame.columns)
    for name in frame.columns:
        assert back[name].tolist() == frame[name].tolist(), name


def test_repeated_text_is_sent_as_codes_and_numbers_as_32_bits():
    frame = _ledger_like(1000)
    schema, plain = compact(frame).schema, pa.Table.from_pandas(frame, preserve_index=False).schema
    assert pa.types.is_dictionary(schema.field("what").type)
    assert schema.field("what").type.value_type == pa.string()
    assert schema.field("song").type == pa.string()  # every value different: codes would only add bytes
    assert schema.field("price").type == pa.int32()
    assert schema.field("when").type == plain.field("when").type  # times as they were
    assert schema.field("refunded").type == pa.bool_()


def test_it_is_smaller_than_what_pandas_sends():
    frame = _ledger_like(10_000)
    plain, small = _bytes(pa.Table.from_pandas(frame, preserve_index=False)), _bytes(compact(frame))
    assert small < 0.75 * plain, (small, plain)


def test_an_empty_column_and_an_empty_table_keep_their_kind():
    frame = _ledger_like(5)
    assert compact(frame).schema.field("problem").type == pa.null()  # no values: nothing to encode
    empty = compact(frame.iloc[:0])
    assert empty.num_rows == 0 and empty.schema.field("what").type == pa.string()


def test_numbers_too_big_for_32_bits_keep_64():
    frame = pd.DataFrame({"bytes": [1, 2**40], "small": [1, 2]})
    schema = compact(frame).schema
    assert schema.field("bytes").type == pa.int64() and schema.field("small").type == pa.int32()
    assert compact(frame).to_pandas()["bytes"].tolist() == [1, 2**40]
