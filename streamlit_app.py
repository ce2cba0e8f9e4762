"""AI Music Studio: page config, connection, navigation and the task tray.

Run with `streamlit run streamlit_app.py`. Without a key the studio starts its built-in engine.
"""

import streamlit as st

from lib import ui


def main() -> None:
    st.set_page_config(page_title="AI Music Studio", page_icon=":material/music_note:", layout="wide")
    ui.init_session()
    ui.connection_sidebar()
    navigation = ui.build_navigation()  # only built pages are listed (lib/ui/navigation.py)
    ui.task_tray()
    ui.check_balance_before_the_sidebar(navigation)  # on the Credits page, so both show the same figures
    ui.status_sidebar()  # after the tray: the balance includes what it settled in this run
    navigation.run()


# Streamlit runs this file as __main__; the engine's worker processes (multiprocessing "spawn") import it
# again as __mp_main__, and must not start a second studio.
if __name__ == "__main__":
    main()
