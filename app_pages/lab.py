"""Prompt lab: one idea tried many ways as a priced grid of songs, heard side by side, rated and kept."""

import streamlit as st

from lib import experiments as ex
from lib import ui
from lib.ui import ab, lab

conn = ui.page_setup()
lab.init_form()

st.title("Prompt lab")
st.write(
    "Try one idea many ways: other phrasings, models, lengths, voices, several takes. The lab shows every "
    "combination and its price before anything starts; the songs fill in as they finish, ready to compare."
)

with st.expander("New experiment", expanded=lab.form_open(conn)):
    base = ui.text_field(
        "Base prompt", "lab.base", limit=ui.MAX_PROMPT, placeholder="calm lofi piano with soft drums"
    )
    alternatives = st.text_area(
        "Other ways to say it (optional, one per line; the base prompt is always tried)",
        key="lab.alternatives",
        max_chars=ui.MAX_PROMPT * 4,
    )
    models_col, lengths_col, voices_col = st.columns(3)
    models = models_col.multiselect("Models", list(ex.MODELS), format_func=ex.MODELS.get, key="lab.models")
    lengths = lengths_col.multiselect(
        "Lengths (seconds)", ex.LENGTHS, key="lab.lengths", placeholder="The model's default"
    )
    voices = voices_col.multiselect("Voices", ex.VOICES, key="lab.voices", placeholder="Any voice")
    takes_col, seeds_col, cap_col = st.columns(3)
    takes = takes_col.number_input("Takes of each", 1, ex.MAX_CAP, step=1, key="lab.takes")
    seeds = seeds_col.text_input(
        "Seeds instead of takes (optional)",
        key="lab.seeds",
        placeholder="e.g. 1, 2, 3",
        help="The built-in engine makes the same song from the same request and seed.",
    )
    cap = cap_col.number_input(
        "Most songs", 1, ex.MAX_CAP, step=1, key="lab.cap", help=f"Raise it up to {ex.MAX_CAP}."
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
