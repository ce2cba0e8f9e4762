"""The webhook signing secret of the calling key (our extension): read it, rotate it."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import ApiKey, RuntimeDep

router = APIRouter(prefix="/v1/webhook-secret", tags=["webhooks"])
SECRET_HELP = (
    "Deliveries to `webhook_url` are signed with this secret (`whsec_...`), never with the API key, so a "
    "receiver holds no credential. Signed twice: the `X-Webhook-Signature` header over "
    "`f'{X-Webhook-Timestamp}.' + body`, and the body's `signature` field over the body without it, "
    "serialised canonically (sorted keys, separators `,` and `:`, UTF-8 unescaped)."
)


@router.get("", summary="The key's webhook signing secret (free)", description=SECRET_HELP)
def webhook_secret(key: ApiKey, runtime: RuntimeDep) -> dict:
    return {"secret": runtime.store.webhook_secret(key["key"])}


@router.post(
    "/rotate",
    summary="Replace the key's webhook signing secret (free)",
    description="The old secret stops signing at once: deliveries made after this carry the new one. "
    + SECRET_HELP,
)
def rotate_webhook_secret(key: ApiKey, runtime: RuntimeDep) -> dict:
    return {"secret": runtime.store.rotate_webhook_secret(key["key"])}
