"""Prompt lab: one idea tried many ways as a priced grid of songs, heard side by side, rated and kept."""

import streamlit as st

from lib import experiments as ex
from lib import ui
from lib.ui import ab, lab

conn = ui.page_setup("Prompt lab")

st.write(
    "Try one idea many ways: other phrasings, models, lengths, voices, several takes. The lab shows every "
    "combination and its price before anything starts; the songs fill in as they finish, ready to compare."
)

with st.expander("New experiment", expanded=lab.form_open(conn)):
    base = lab.form_field(
        st.text_area,
        "Base prompt",
        "base",
        max_chars=ui.MAX_PROMPT,
        placeholder="calm lofi piano with soft drums",
    ).strip()
    alternatives = lab.form_field(
        st.text_area,
        "Other ways to say it (optional, one per line; the base prompt is always tried)",
        "alternatives",
        max_chars=ui.MAX_PROMPT * 4,
    )
    models_col, lengths_col, voices_col = st.columns(3)
    with models_col:
        models = lab.form_field(
            st.multiselect, "Models", "models", options=list(ex.MODELS), format_func=ex.MODELS.get
        )
    with lengths_col:
        lengths = lab.form_field(
            st.multiselect,
            "Lengths (seconds)",
            "lengths",
            options=ex.LENGTHS,
            placeholder="The model's default",
        )
    with voices_col:
        voices = lab.form_field(
            st.multiselect, "Voices", "voices", options=ex.VOICES, placeholder="Any voice"
        )
    takes_col, seeds_col, cap_col = st.columns(3)
    with takes_col:
        takes = lab.form_field(
            st.number_input, "Takes of each", "takes", min_value=1, max_value=ex.MAX_CAP, step=1
        )
    with seeds_col:
        seeds = lab.form_field(
            st.text_input,
            "Seeds instead of takes (optional)",
            "seeds",
            placeholder="e.g. 1, 2, 3",
            help="The built-in engine makes the same song from the same request and seed.",
        )
    with cap_col:
        cap = lab.form_field(
            st.number_input,
            "Most songs",
            "cap",
            min_value=1,
            max_value=ex.MAX_CAP,
            step=1,
            help=f"Raise it up to {ex.MAX_CAP}.",
        )
    lab.grid(
        conn,
        lambda: ex.make_axes(
            base,
            alternatives=alternatives.splitlines(),
            models=models,
            lengths=lengths,
            voices=voices,
            takes=int(takes),
            seeds=ex.parse_seeds(seeds),
        ),
        cap=int(cap),
    )

experiment = lab.picker(conn)
if experiment is None:
    st.info("Your experiments appear here once run; they stay in your library.")
    st.stop()

lab.overview(conn, experiment)
lab.cells(conn, experiment)
ab.panel(conn, experiment)
lab.results(conn, experiment)
