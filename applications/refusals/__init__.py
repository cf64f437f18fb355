"""The endorsement-review assistant: after a refusal, map its reasons, cross-check the pack, and hand off.

Modules: ``rules`` (the 28-day window and its sources), ``results`` (the result model both providers return),
``engine`` (the local, deterministic reading of a refusal letter and everything computed from findings),
``openai_provider`` (the same result from OpenAI, quotes verified against the letter), ``deadline``,
``models``/``services``/``selectors``/``views``/``tasks``/``tool`` (intake, reminders, the paid run, sharing).
"""
