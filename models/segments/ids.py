"""How a customer id is shown to a person: never whole. Pure."""

from __future__ import annotations


def mask_id(customer_id: object) -> str:
    """A customer id shown without giving it away: the first 3 and last 2 characters."""
    text = str(customer_id)
    if len(text) <= 5:
        return text[:1] + "•" * (len(text) - 1)
    return text[:3] + "•" * (len(text) - 5) + text[-2:]
