"""Stripe webhook events: storage, dedupe and dispatch to handlers registered per event type."""

from .registry import register_event_handler

__all__ = ["register_event_handler"]
