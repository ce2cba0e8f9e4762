"""The key's webhook signing secret on the Credits page: masked, shown on request (copyable), rotatable."""

from __future__ import annotations

import streamlit as st

from lib.errors import AIMusicAPIError, NotFoundError
from lib.ui.feedback import show_error
from lib.ui.session import BUILTIN, Studio
from lib.ui.tray import notify_and_rerun

SECRET = "credits.webhook_secret"
OPEN = "credits.webhook_open"  # the expander's state: whether its content is drawn
RECEIVER = "python -m lib.webhooks --port 8900 --secret "


def masked(secret: str) -> str:
    """whsec_ and the last four characters; the rest as dots."""
    return f"{secret[:6]}{'•' * 12}{secret[-4:]}" if len(secret) > 10 else "•" * len(secret)


def webhook_secret_panel(conn: Studio) -> None:
    """A closed expander that draws (and asks the server for the secret) only once someone opens it.

    Few people need the secret, and the Credits page reruns on every keystroke in its search: closed, the panel
    is one element where it was five, and it costs no request.
    """
    with st.expander(
        "Webhook signing secret", icon=":material/webhook:", key=OPEN, on_change="rerun"
    ) as panel:
        if panel.open:
            _secret_body(conn)


def _secret_body(conn: Studio) -> None:
    st.caption(
        "Tasks given a webhook address are announced to it, signed with this secret (not your API key): "
        "a receiver checks the signature with the secret alone."
    )
    try:
        if SECRET not in st.session_state:
            st.session_state[SECRET] = conn.client.webhooks.secret()
    except NotFoundError:
        st.caption("Your account's webhook secret is shown on the AI Music API dashboard.")
        return
    except AIMusicAPIError as e:
        show_error(e)
        return
    secret = st.session_state[SECRET]
    st.text(f"Signing secret: {masked(secret)}")
    if st.toggle("Show the secret", key="credits.webhook_show"):
        st.code(secret, language=None)  # the code block has a copy button
        if conn.mode == BUILTIN:
            st.caption("Watch signed deliveries arrive on this computer with:")
            st.code(RECEIVER + secret, language="bash")
    if st.button(
        "Rotate the secret", key="credits.webhook_rotate", help="The old secret stops signing at once"
    ):
        try:
            st.session_state[SECRET] = conn.client.webhooks.rotate_secret()
        except AIMusicAPIError as e:
            show_error(e)
            return
        notify_and_rerun(conn, "success", "A new webhook secret signs deliveries from now on.")
