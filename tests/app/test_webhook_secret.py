"""The Credits page shows the key's webhook secret masked, reveals it on request, and rotates it."""

from lib.ui.webhooks import OPEN, SECRET
from tests.app.helpers import messages

CREDITS = "app_pages/credits.py"


def test_the_secret_is_masked_revealed_and_rotated(open_app, make_key, client_for):
    key = make_key()
    client = client_for(key)
    secret = client.webhooks.secret()
    at = open_app(key)
    at.switch_page(CREDITS).run()
    assert not at.exception, messages(at)
    assert [e.label for e in at.expander] == ["Webhook signing secret"]
    assert not [t for t in at.text if t.value.startswith("Signing secret")]  # closed: nothing drawn,
    assert SECRET not in at.session_state  # and nothing asked of the server

    at.session_state[OPEN] = True  # what opening the expander does
    at.run()
    shown = [t.value for t in at.text if t.value.startswith("Signing secret")]
    assert shown == [f"Signing secret: whsec_{'•' * 12}{secret[-4:]}"]
    assert secret not in [c.value for c in at.code]

    at.toggle(key="credits.webhook_show").set_value(True).run()
    assert secret in [c.value for c in at.code]

    at.button(key="credits.webhook_rotate").click().run()
    assert not at.exception, messages(at)
    rotated = client.webhooks.secret()
    assert rotated != secret and rotated in [c.value for c in at.code]
    assert [t.value for t in at.text if t.value.startswith("Signing secret")] == [
        f"Signing secret: whsec_{'•' * 12}{rotated[-4:]}"
    ]
    assert key not in [c.value for c in at.code]
