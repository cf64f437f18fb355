"""The application pack's own thresholds and word lists. Visa limits come from ai_tools.rules (one source).

Everything here is product calibration (what counts as "templated", which sources are weak), not guidance:
the guidance limits (10 documents, 3 pages, 5 years, 12 months, 3 letters...) are imported below.
"""

from ai_tools.rules import (  # noqa: F401 - re-exported: the pack reads every limit from here
    CRITERIA,
    DOCUMENTS_PER_CRITERION,
    EVIDENCE_DOCUMENT_MAX_PAGES,
    EVIDENCE_MAX_DOCUMENTS,
    MC_EVIDENCE_MAX_AGE_YEARS,
    OC2_RECENT_ONLY_MONTHS,
    OPTIONAL_CRITERIA,
    OPTIONAL_CRITERIA_TO_MEET,
    RECOMMENDATION_LETTERS_REQUIRED,
    RECOMMENDER_MIN_MONTHS_KNOWN,
    RULES_REVIEWED_ON,
    SIGNALS,
)

# --- evidence ---------------------------------------------------------------------------------------

# Hosts whose pages are weak evidence on their own (the guidance names LinkedIn and Medium posts).
WEAK_SOURCE_HOSTS = {"linkedin.com": "LinkedIn", "medium.com": "Medium"}
# What each kind of recognition is best proven by, for next actions drawn from the CV analysis.
EVIDENCE_FOR_SIGNAL = {
    "talk": "the event's programme page or the recording",
    "award": "the award announcement or the judges' page",
    "press": "the article itself",
    "judge": "the invitation or the panel page that names you",
    "open_source": "the repository page showing its users, stars or your commits",
    "hackathon": "the results page",
    "publication": "the paper's first page with its venue",
    "patent": "the patent's front page",
    "mentor": "a letter or page from the programme",
    "community": "the community's page naming you as organiser",
    "founder_exec": "the company registration or a press piece naming your role",
    "innovation": "a product launch page or technical write-up",
    "product_led": "a page showing the product and its users",
    "commercial": "a page or letter showing the revenue, funding or growth",
    "tech_leadership": "a design document summary or a page naming your technical role",
}

# Phrases that point a document to one criterion beyond the CV signals (weight 2 each): work outside the
# day job is what separates OC2 from the MC when both read "open source" or "talk".
CRITERION_CUES = {
    "OC2": (
        r"outside (?:of )?(?:my|the|her|his|their) (?:day[- ]?)?(?:job|work|role)",
        r"(?:in )?(?:my|her|his|their) (?:own|spare|free) time",
        r"side projects?",
        r"unpaid",
        r"pro bono",
        r"weekends?",
        r"evenings?",
    ),
}

# --- recommendation letters ---------------------------------------------------------------------

# Chosen on bench/corpus/letters (python bench/ai_eval.py letters): 5-word-shingle containment was
# 0.00 for every independent pair and >= 0.40 for every templated trio; 0.20 sits in the middle.
LETTERS_TEMPLATING_THRESHOLD = 0.20
LETTER_MIN_WORDS = 150  # shorter letters cannot name specific work and say how the writer knows it
LETTER_MAX_WORDS = 1000  # about two A4 pages
LETTER_MAX_AGE_DAYS = 183  # "written for this application": dated within the last six months
# Words that show a letter addresses this application and its endorsing body.
LETTER_ADDRESSEE_WORDS = (
    r"tech nation",
    r"global talent",
    r"endorsing body",
    r"endorsement",
    r"home office",
    r"exceptional (?:talent|promise)",
)
# How the writer says they know the applicant's work.
LETTER_HOW_KNOWN_WORDS = (
    r"(?:i have )?known (?:him|her|them|[A-Z][a-z]+)",
    r"(?:worked|collaborated) (?:with|alongside)",
    r"(?:line )?manag(?:ed|er)",
    r"reports? to me",
    r"supervised",
    r"(?:i|we) met",
    r"since (?:19|20)\d\d",
    r"for (?:over |about |almost |more than |roughly )?(?:\w+ )?(?:years?|months)",
)
# Verbs by which a letter names what the applicant did (on top of ai_tools.rules.ACHIEVEMENT_VERBS).
LETTER_WORK_VERBS = (
    r"proposed",
    r"wrote",
    r"rewrote",
    r"rebuilt",
    r"found",
    r"fixed",
    r"authored",
    r"co-authored",
    r"introduced",
    r"invented",
    r"solved",
    r"organi[sz]ed",
    r"maintains",
    r"ran",
)
