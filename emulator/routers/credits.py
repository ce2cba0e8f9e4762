"""Credits of the calling key."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter

from ..deps import ApiKey

router = APIRouter(prefix="/v1", tags=["credits"])


def next_renewal(today: date) -> str:
    """Credits renew on the first of the next month."""
    return date(today.year + today.month // 12, today.month % 12 + 1, 1).isoformat()


@router.get(
    "/credits",
    summary="Total, used and available credits, and the subscription (free)",
    description="Tiers: free 10 requests/min and 2 running tasks; starter 30/5; pro 60/10; "
    "enterprise (the reference's Custom) 600/50. Every authenticated API request counts toward the "
    "per-minute limit; file links do not.",
)
def credits(key: ApiKey) -> dict:
    total, used = key["credits_total"], key["credits_used"]
    return {
        "total": total,
        "used": used,
        "available": total - used,
        "subscription": {
            "tier": key["tier"],
            "monthly_credits": total,
            "renewal_date": next_renewal(datetime.now(UTC).date()),
        },
    }
