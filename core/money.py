"""Money is integer pence everywhere; this is the one place it becomes text."""


def format_pence(pence: int, currency: str = "gbp") -> str:
    symbol = {"gbp": "£"}.get(currency.lower(), currency.upper() + " ")
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(int(pence)), 100)
    return f"{sign}{symbol}{pounds:,}.{rest:02d}"
