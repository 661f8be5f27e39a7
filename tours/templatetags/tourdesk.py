from __future__ import annotations

from decimal import Decimal

from django import template

from tenants.currencies import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, currency: str) -> str:
    """``{{ tour.price|money:business.currency }}`` → ``€25.00``."""
    return "" if amount is None else format_money(amount, currency)
