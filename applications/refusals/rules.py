"""Endorsement review after a refusal: the limits the assistant relies on, kept in one place with their review date.

Checked on 2026-12-04 against the Home Office's "Endorsement review guidance" (GOV.UK, Global Talent) and
adviser summaries of it: a review request must be made within 28 calendar days from the date the Home Office
sends the refusal e-mail ("from the date of receipt of the refusal email"); it is free; it can be requested once;
it is for cases where an error was made — for example a piece of evidence supplied appears not to have been
considered — so no new evidence can be added; the review decision is final. The intake therefore asks for the
date of the refusal e-mail, and the deadline is that date + 28 days, the whole last day counting.
"""

import datetime as dt

REVIEW_RULES_REVIEWED_ON = dt.date(2026, 12, 4)
REVIEW_WINDOW_DAYS = 28
REMINDER_DAYS_BEFORE = (7, 2)  # e-mails "7 days left" and "2 days left", each sent once
REVIEW_RULE_SUMMARY = (
    "You can ask for an endorsement review once, free of charge, within 28 calendar days of the refusal e-mail. It "
    "asks whether the evidence you already submitted was properly considered: you cannot add new evidence."
)

# Findings and what each classification means for the applicant.
CRITERIA = {
    "MC": "Mandatory criterion (recognition)",
    "OC1": "Optional criterion 1 (innovation)",
    "OC2": "Optional criterion 2 (recognition beyond occupation)",
    "OC3": "Optional criterion 3 (significant contributions)",
    "OC4": "Optional criterion 4 (academic contributions)",
    "LETTERS": "Letters of recommendation",
    "DOCUMENTS": "Supporting documents",
    "ELIGIBILITY": "Eligibility (role, field or category)",
}
CLASSIFICATIONS = {
    "not_considered": "Evidence not considered",
    "insufficient": "Evidence insufficient",
    "eligibility": "Eligibility",
}
CLASSIFICATION_HELP = {
    "not_considered": "The assessor says the evidence was missing, unreadable or not found. If it was in your "
    "application, a review can point to it.",
    "insufficient": "The assessor read the evidence and judged it too weak. A review cannot add evidence: this "
    "needs a new application with the gap closed.",
    "eligibility": "A problem with the role, the field or the category chosen, not with one document.",
}
RECOMMENDATIONS = {
    "request_review": "Request an endorsement review",
    "reapply": "Prepare a new application",
    "change_category": "Reapply in another category or route",
}
OPTIONAL_TO_MEET = 2

# What closes each gap in a new application (fixed guidance text, never generated).
GAP_ACTIONS = {
    "MC": "Collect external recognition from the last 5 years that names you: press about your work, awards "
    "from outside your employer, invited talks at sector-leading events, widely used open source.",
    "OC1": "Show the innovation itself: a product launch, a technical write-up or patent, and your role in it, in "
    "a product-led digital company.",
    "OC2": "Show sustained work outside your day job that advances the field (open source with users, talks, "
    "mentoring), built up over time, not just before applying.",
    "OC3": "Quantify your individual contribution (revenue, users, performance) with documents that name you, "
    "not only your team.",
    "OC4": "Show academic contributions with their reach: citations, the venue, or an expert's endorsement.",
    "LETTERS": "Three letters written for this application by recognised experts from different organisations "
    "who have known your work for at least 12 months, each with contact details and specific examples; no shared "
    "passages between them.",
    "DOCUMENTS": "Each document readable, at most 3 A4 pages, on one criterion only; at most 10 documents.",
    "ELIGIBILITY": "Check the route and category first: a product-led digital role for digital technology, "
    "Exceptional Promise for an emerging career, or another endorsing body for another field.",
}
