"""Which code runs for which Stripe event type.

Later apps (expert_marketplace for account.updated, bookings for transfer.reversed) register
their own handlers from their AppConfig.ready, so payments never imports them.
A handler is called as handler(event=<event dict>, webhook_event=<WebhookEvent>) inside the
transaction that marks the event processed; raising rolls everything back and makes the
view answer 500, so Stripe retries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

EventHandler = Callable[..., None]

_handlers: dict[str, list[EventHandler]] = defaultdict(list)


def register_event_handler(event_type: str, handler: EventHandler) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def handlers_for(event_type: str) -> list[EventHandler]:
    return list(_handlers.get(event_type, ()))
