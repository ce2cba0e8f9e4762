"""The key's webhook signing secret on the Credits page: masked, shown on request (copyable), rotatable."""

from __future__ import annotations

import streamlit as st

from lib.errors import AIMusicAPIError, NotFoundError
from lib.ui.feedback import show_error
from lib.ui.session import BUILTIN, Studio
from lib.ui.tray import notify_and_rerun

SECRET = "credits.webhook_secret"
RECEIVER = "python -m lib.webhooks --port 8900 --secret "


def masked(secret: str) -> str:
    """whsec_ and the last four characters; the rest as dots."""
    return f"{secret[:6]}{'•' * 12}{secret[-4:]}" if len(secret) > 10 else "•" * len(secret)


def webhook_secret_panel(conn: Studio) -> None:
    st.subheader("Webhooks")
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
    if st.button("Rotate the secret", key="credits.webhook_rotate", help="The old secret stops signing at once"):
        try:
            st.session_state[SECRET] = conn.client.webhooks.rotate_secret()
        except AIMusicAPIError as e:
            show_error(e)
            return
        notify_and_rerun(conn, "success", "A new webhook secret signs deliveries from now on.")
