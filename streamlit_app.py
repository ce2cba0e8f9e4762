"""AI Music Studio: page config, connection, navigation and the task tray.

Run with `streamlit run streamlit_app.py`. Without a key the studio starts its built-in engine.
"""

import streamlit as st

from lib import ui


def main() -> None:
    st.set_page_config(page_title="AI Music Studio", page_icon=":material/music_note:", layout="wide")
    ui.init_session()
    ui.connection_sidebar()
    # Only pages that exist are listed; the Edit and Tools sections join as their pages are built.
    navigation = st.navigation(
        {
            "Create": [
                st.Page("app_pages/create.py", title="Create", icon=":material/music_note:", default=True)
            ],
            "Account": [st.Page("app_pages/library.py", title="Library", icon=":material/library_music:")],
        }
    )
    ui.task_tray()
    navigation.run()


# Streamlit runs this file as __main__; the engine's worker processes (multiprocessing "spawn") import it
# again as __mp_main__, and must not start a second studio.
if __name__ == "__main__":
    main()
