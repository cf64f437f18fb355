"""The inbox an email address really delivers to: one function for self-referral and the signup bonus."""

# Gmail ignores dots in the local part, and googlemail.com is the same service.
_DOT_BLIND_DOMAINS = {"gmail.com", "googlemail.com"}


def mailbox_normalise(email: str) -> str:
    """`Jane.Doe+visa@GoogleMail.com` -> `janedoe@gmail.com`; `a+b@example.com` -> `a@example.com`.

    Plus tags are dropped on every domain (Gmail, Outlook, iCloud, Fastmail, Proton and most
    self-hosted mail deliver `name+anything@` to `name@`); dots only where the provider ignores them.
    Used to refuse self-referrals and to grant the signup bonus once per inbox, so erring towards
    "the same inbox" costs a stranger at most a bonus, never an account.
    """
    local, _, domain = email.strip().lower().rpartition("@")
    if domain == "googlemail.com":
        domain = "gmail.com"
    local = local.split("+", 1)[0]
    if domain in _DOT_BLIND_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"
