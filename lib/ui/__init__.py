"""Streamlit components of the studio, one module per concern; the only package in lib/ that imports streamlit.

Pages import `from lib import ui` and use the names below. Decisions that are not widgets live in plain lib/
modules (costs, exports, calls, text, store, tasks) and are tested without Streamlit.
"""

from lib.text import duration_text, plain, short_label
from lib.ui import (
    lab,  # also registers the lab's resume hook with the tray
    personas,  # noqa: F401  (registers the persona finisher with the tray)
)
from lib.ui.cards import clip_card, latest_songs, task_card
from lib.ui.charts import waveform
from lib.ui.credits import (
    balance_panel,
    check_balance,
    check_balance_before_the_sidebar,
    ledger,
    ledger_section,
    low_balance_warning,
    makeable_panel,
    record_charge,
    spend_section,
)
from lib.ui.edits import beside_original, start_whole_song, whole_song_price, whole_song_progress
from lib.ui.feedback import show_error
from lib.ui.forms import (
    MAX_LYRICS,
    MAX_PROMPT,
    MAX_SECONDS,
    MAX_STYLE,
    MAX_TITLE,
    MIN_SECONDS,
    cost_badge,
    source_picker,
    submit_form,
    text_field,
)
from lib.ui.mixer import kept_stems, mix_source_note, mixing_desk, split_panel
from lib.ui.navigation import build as build_navigation
from lib.ui.navigation import open_on_clip
from lib.ui.session import (
    ACCOUNT,
    BUILTIN,
    Studio,
    connection_sidebar,
    init_session,
    library,
    page_setup,
    setting,
    status_sidebar,
    studio,
)
from lib.ui.tables import (
    LIBRARY_COLUMNS,
    MODELS,
    STATUSES,
    library_caption,
    library_filters,
    library_selection,
    library_table,
    library_view,
    row_ids,
    table_key,
)
from lib.ui.tray import refresh_credits, rerun_task, submit, submit_call, task_tray
from lib.ui.webhooks import webhook_secret_panel
