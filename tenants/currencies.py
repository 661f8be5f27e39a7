"""The currencies a business can price its tours in (ISO 4217 codes) and how they are shown."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

# code: (name, symbol). Codes a tour operator is likely to charge in; extend as businesses ask.
CURRENCIES: dict[str, tuple[str, str]] = {
    "AED": ("UAE dirham", "AED"),
    "ARS": ("Argentine peso", "ARS"),
    "AUD": ("Australian dollar", "A$"),
    "BRL": ("Brazilian real", "R$"),
    "CAD": ("Canadian dollar", "CA$"),
    "CHF": ("Swiss franc", "CHF"),
    "CLP": ("Chilean peso", "CLP"),
    "CNY": ("Chinese yuan", "CN¥"),
    "COP": ("Colombian peso", "COP"),
    "CZK": ("Czech koruna", "Kč"),
    "DKK": ("Danish krone", "DKK"),
    "EGP": ("Egyptian pound", "EGP"),
    "EUR": ("Euro", "€"),
    "GBP": ("Pound sterling", "£"),
    "HKD": ("Hong Kong dollar", "HK$"),
    "HUF": ("Hungarian forint", "Ft"),
    "IDR": ("Indonesian rupiah", "Rp"),
    "ILS": ("Israeli new shekel", "₪"),
    "INR": ("Indian rupee", "₹"),
    "ISK": ("Icelandic króna", "ISK"),
    "JPY": ("Japanese yen", "¥"),
    "KES": ("Kenyan shilling", "KES"),
    "KRW": ("South Korean won", "₩"),
    "MAD": ("Moroccan dirham", "MAD"),
    "MXN": ("Mexican peso", "MX$"),
    "NOK": ("Norwegian krone", "NOK"),
    "NZD": ("New Zealand dollar", "NZ$"),
    "PEN": ("Peruvian sol", "S/"),
    "PHP": ("Philippine peso", "₱"),
    "PLN": ("Polish złoty", "zł"),
    "SEK": ("Swedish krona", "SEK"),
    "SGD": ("Singapore dollar", "S$"),
    "THB": ("Thai baht", "฿"),
    "TRY": ("Turkish lira", "₺"),
    "TZS": ("Tanzanian shilling", "TSh"),
    "USD": ("US dollar", "$"),
    "VND": ("Vietnamese đồng", "₫"),
    "ZAR": ("South African rand", "R"),
}

CURRENCY_CHOICES = [(code, f"{code} — {name}") for code, (name, _symbol) in CURRENCIES.items()]


def validate_currency(value: str) -> None:
    if value not in CURRENCIES:
        raise ValidationError(f"“{value}” is not a currency Tourdesk supports (for example EUR).")


def format_money(amount: Decimal | int | float, currency: str) -> str:
    """``€45.00``, ``CHF 45.00``: the symbol when it is short and unambiguous, else the code."""
    symbol = CURRENCIES.get(currency, (currency, currency))[1]
    number = f"{Decimal(amount):,.2f}"
    if len(symbol) <= 2 and not symbol.isalpha():
        return f"{symbol}{number}"
    return f"{symbol} {number}"
