"""The tables' column configs are made lean once, and Streamlit sends exactly what the full ones would."""

import pytest
import streamlit as st
from streamlit.elements.lib.column_config_utils import marshall_column_config, process_config_mapping
from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto

from lib.ui.columns import lean
from lib.ui.credits import LEDGER_COLUMN_CONFIG
from lib.ui.tables import LIBRARY_COLUMN_CONFIG


def sent(config: dict) -> str:
    """The column config as st.dataframe puts it on the wire."""
    proto = DataframeProto()
    marshall_column_config(proto, process_config_mapping(config))
    return proto.columns


def nones(value) -> int:
    return sum(nones(v) for v in value.values()) if isinstance(value, dict) else int(value is None)


@pytest.mark.parametrize("config", [LIBRARY_COLUMN_CONFIG, LEDGER_COLUMN_CONFIG], ids=["library", "ledger"])
def test_the_tables_configs_hold_no_unset_fields(config):
    assert nones(config) == 0


def test_a_lean_config_is_sent_as_the_full_one():
    full = {
        "title": st.column_config.TextColumn("Title", width="medium"),
        "made": st.column_config.DatetimeColumn("Made", format="D MMM YYYY, HH:mm"),
        "refunded": st.column_config.CheckboxColumn("Refunded"),
        "price": st.column_config.NumberColumn("Price", format="%d", min_value=0),
    }
    assert nones(full) > 0
    assert sent(lean(full)) == sent(full)
    assert '"min_value": 0' in sent(lean(full))  # a falsy value that is set is kept
