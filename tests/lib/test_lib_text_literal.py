"""lib.text.literal: user text shown where only Markdown is taken (notices, progress labels)."""

from lib.text import literal


def test_literal_escapes_what_markdown_would_format():
    assert literal("**Voice** [x](y) a_b $5 ~s~ |t| `c`") == (
        r"\*\*Voice\*\* \[x\](y) a\_b \$5 \~s\~ \|t\| \`c\`"
    )
    assert literal("Café — Москва 東京 🎤 <b>") == "Café — Москва 東京 🎤 <b>"  # HTML is escaped by Streamlit
