"""AI Music Studio: page config, connection, navigation and the task tray.

Run with `streamlit run streamlit_app.py`. Without a key the studio starts its built-in engine.
"""

import streamlit as st

from lib import ui

st.set_page_config(page_title="AI Music Studio", page_icon=":material/music_note:", layout="wide")
ui.init_session()

with st.sidebar:
    st.title("AI Music Studio")
ui.connection_sidebar()

# Only pages that exist are listed; the Edit and Tools sections join as their pages are built.
navigation = st.navigation(
    {
        "Create": [st.Page("pages/create.py", title="Create", icon=":material/music_note:", default=True)],
        "Account": [st.Page("pages/library.py", title="Library", icon=":material/library_music:")],
    }
)
ui.task_tray()
navigation.run()
