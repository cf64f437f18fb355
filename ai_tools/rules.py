"""Every visa limit, keyword list and user-facing rule text the AI tools use, in one place.

Source: /work/shared/visa-rules.md (published guidance summaries). When the guidance changes,
update this module and RULES_REVIEWED_ON; nothing else should hold a visa-related literal.
Keyword lists are lower-case regular-expression fragments matched on word boundaries.
"""

from dataclasses import dataclass
from datetime import date

RULES_REVIEWED_ON = date(2026, 11, 24)


def _terms(spec: str) -> tuple[str, ...]:
    """Keyword lists are written as "a; b; c" to keep this module readable; this splits them."""
    return tuple(term.strip() for term in spec.split(";") if term.strip())


# --- routes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str
    name: str
    endorsing_body: str
    available: bool  # False: the tools show "coming later" instead of an analysis


DIGITAL_TECHNOLOGY = "digital_technology"
ROUTES: dict[str, Route] = {
    r.key: r
    for r in (
        Route(DIGITAL_TECHNOLOGY, "Digital technology", "Tech Nation", available=True),
        Route("science_medicine", "Science and medicine", "Royal Society", available=False),
        Route("engineering", "Engineering", "Royal Academy of Engineering", available=False),
        Route("humanities", "Humanities and social sciences", "British Academy", available=False),
        Route("research_fast_track", "Research (endorsed funder fast track)", "UKRI", available=False),
        Route("arts_culture", "Arts and culture", "Arts Council England", available=False),
    )
}
ROUTE_COMING_LATER_MESSAGE = (
    "CV analysis for the {route} route ({body}) is coming later. Today the tools check CVs against the "
    "Digital technology criteria (Tech Nation) only."
)

CATEGORIES = {"talent": "Exceptional Talent", "promise": "Exceptional Promise"}

# --- document limits (digital technology) ----------------------------------------------------

CV_MAX_PAGES = 3
STATEMENT_MAX_WORDS = 1000
EVIDENCE_MAX_DOCUMENTS = 10
EVIDENCE_DOCUMENT_MAX_PAGES = 3
RECOMMENDATION_LETTERS_REQUIRED = 3
RECOMMENDER_MIN_MONTHS_KNOWN = 12
MC_EVIDENCE_MAX_AGE_YEARS = 5  # evidence older than this is weak for the mandatory criterion
PROMISE_TYPICAL_MAX_YEARS_IN_TECH = 5  # Promise: "typically under ~5 years in technology"
OPTIONAL_CRITERIA_TO_MEET = 2
DOCUMENTS_PER_CRITERION = 2
# Work outside the day job done only to time the application does not count for OC2.
OC2_RECENT_ONLY_MONTHS = 12

# --- criteria ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    summary: str
    signal_kinds: tuple[str, ...]  # keys of SIGNALS that count as evidence for this criterion


CRITERIA: dict[str, Criterion] = {
    c.code: c
    for c in (
        Criterion(
            "MC",
            "Mandatory criterion: recognition",
            "Recognised as a leading talent (Talent) or as having the potential to become one (Promise) in "
            "digital technology in the last 5 years, shown by national or international recognition.",
            ("award", "talk", "press", "judge", "patent", "open_source", "hackathon", "publication"),
        ),
        Criterion(
            "OC1",
            "OC1: innovation",
            "Innovation as a founder or senior executive of a product-led digital company, or as an employee "
            "working on a new digital field or concept.",
            ("founder_exec", "innovation", "patent", "product_led"),
        ),
        Criterion(
            "OC2",
            "OC2: recognition beyond occupation",
            "Work outside the day job that advances the field: open source, talks at sector-leading events, mentoring.",
            ("open_source", "talk", "mentor", "community", "judge", "hackathon"),
        ),
        Criterion(
            "OC3",
            "OC3: significant contributions",
            "Significant technical, commercial or entrepreneurial contributions in a product-led digital company.",
            ("tech_leadership", "commercial", "product_led"),
        ),
        Criterion(
            "OC4",
            "OC4: academic contributions",
            "Research published or endorsed by an expert.",
            ("publication",),
        ),
    )
}
OPTIONAL_CRITERIA = ("OC1", "OC2", "OC3", "OC4")

# Status thresholds on a criterion's 0-100 score.
STRONG_AT = 70
PARTIAL_AT = 35
# Readiness = MC weight + the two best optional criteria (the applicant needs 2 of 4).
SCORE_WEIGHT_MC = 0.4
SCORE_WEIGHT_EACH_TOP_OC = 0.3

# --- CV signals (sentence level) -------------------------------------------------------------

SIGNALS: dict[str, tuple[str, ...]] = {
    "award": _terms(
        r"awards?; awarded; won; winner; prize; finalist; shortlisted; honou?red; 30 under 30; fellowship; "
        r"named (?:one of|in|among)"
    ),
    "talk": _terms(
        r"keynotes?; speaker; spoke at; invited talk; talks? at; presented at; panell?ist; gave a talk; "
        r"conference talk; lightning talk"
    ),
    "press": _terms(
        r"featured (?:in|on|by); interviewed (?:by|on|for); quoted in; profiled (?:in|by); covered (?:in|by); "
        r"written up (?:in|by); press coverage; techcrunch; techcabal; forbes; "
        r"bbc; wired; the guardian; financial times; sifted; bloomberg; reuters; podcast guest"
    ),
    "judge": _terms(
        r"judge[ds]?; judging; programme committee; program committee; reviewer for; reviewer at; "
        r"(?:area|associate|session|program|programme|track|general) chair; pc member; senior reviewer"
    ),
    "patent": _terms(r"patents?; patented; patent[- ]pending"),
    "open_source": _terms(
        r"open[- ]source; maintainer; core contributor; committer; github; github stars; pull requests?; pypi; "
        r"npm package; contributor to"
    ),
    "hackathon": _terms(r"hackathons?"),
    "mentor": _terms(r"mentor(?:ed|ing|s)?; coach(?:ed|ing)?; taught; bootcamp instructor; teaching assistant"),
    "community": _terms(r"organi[sz]er; organi[sz]ed; meetups?; community; volunteer(?:ed)?; co-organi[sz]e"),
    "publication": _terms(
        r"published; papers?; journal; proceedings; arxiv; peer[- ]reviewed; citations?; cited; neurips; "
        r"icml; iclr; cvpr; acl; kdd; ieee; acm; ph\.?d; thesis"
    ),
    "founder_exec": _terms(
        r"co-?founder; founder; co-?founded; founded; cto; ceo; cpo; chief [a-z]+ officer; vp; "
        r"vice president; head of; director of"
    ),
    "innovation": _terms(
        r"invented; pioneered; first[- ]ever; first to; novel; "
        r"new (?:approach|technique|category|field|kind); built from scratch; from zero; "
        r"prototype[ds]?; first (?:product|version) of"
    ),
    "product_led": _terms(
        r"saas; start-?up; scale-?up; product-led; our product; platform; mobile app; apps?; marketplace; "
        r"fintech; healthtech; series [abcd]; seed round; venture[- ]backed; vc[- ]backed; b2b; b2c; users; "
        r"customers"
    ),
    "commercial": _terms(
        r"revenue; arr; mrr; raised; funding; profit(?:able|ability)?; sales; cost savings?; saved; acquired; "
        r"acquisition; valuation; grew; growth"
    ),
    "tech_leadership": _terms(
        r"led (?:a|the|an|our); managed a team; architected; tech(?:nical)? lead; principal engineer; "
        r"staff engineer; designed the architecture; owned; built; scaled; reduced; improved; increased; "
        r"shipped; designed; developed; created; delivered; migrated; automated; cut; cutting; launched; "
        r"lead (?:the|a|an|our); run (?:the|a)"
    ),
    "international": _terms(
        r"international(?:ly)?; global(?:ly)?; worldwide; across \d+ countries; in \d+ countries; "
        r"europe(?:an)?; usa?; united states"
    ),
    # Evidence the guidance calls weak: it can support a story but not carry a criterion.
    "weak": _terms(
        r"linkedin (?:posts?|articles?); (?:posts?|articles?|blogs?) on (?:linkedin|medium); "
        r"medium (?:posts?|articles?|blog); on medium; internal award; "
        r"employee of the (?:month|year|quarter); certificate; certified; certification; online course; "
        r"training course"
    ),
    # Usually not eligible: service/process delivery, outsourcing, consultancy (incl. ERP), sysadmin.
    "consultancy": _terms(
        r"consultant; consultancy; consulting; outsourc(?:ing|ed); offshore; client engagements?; "
        r"implementation partner; it services; sap; s/4hana; erp; oracle ebs; servicenow; "
        r"system administrator; sysadmin; it support; help ?desk; service desk; accenture; infosys; "
        r"tata consultancy; tcs; wipro; cognizant; capgemini; deloitte; kpmg; pwc; hcl; tech mahindra; "
        r"mphasis; ltimindtree; dxc"
    ),
}
# Talks at a meetup or internal event count less than keynotes and invited talks at sector-leading events.
MINOR_TALK_WORDS = (r"meetup", r"internal", r"brown[- ]bag", r"lunch and learn")
# Words that make a nearby signal not count ("no awards yet", "did not publish").
NEGATION_WORDS = ("no", "not", "never", "without", "none", "lack", "lacking", "yet")
NEGATION_WINDOW_WORDS = 3
# Verbs that introduce an achievement claim; such a claim should carry a number.
ACHIEVEMENT_VERBS = _terms(
    r"led; built; launched; improved; increased; reduced; grew; scaled; delivered; drove; developed; "
    r"designed; created; optimi[sz]ed; migrated; shipped; implemented"
)
# Job-title words: a short line with one of these in the experience section is a role heading.
ROLE_TITLE_WORDS = _terms(
    r"engineer; developer; programmer; cto; ceo; founder; co-?founder; manager; lead; head of; director; "
    r"consultant; scientist; architect; analyst; designer; intern; administrator; researcher; product owner; "
    r"vp; officer; specialist; associate; assistant; coordinator; executive; president; trainee; apprentice; "
    r"technician; strategist; marketer; editor; writer; producer; partner"
)
# Roles that count as "years in technology" (Promise: under ~5 years in tech, maybe a longer career elsewhere).
# Matched on the role's title only: a nurse who "used the EPIC software" is still a nurse.
TECH_ROLE_WORDS = _terms(
    r"engineer(?:ing)?; developer; programmer; software; data (?:scientist|engineer|analyst|platform|architect); "
    r"machine learning; ml; ai; devops; cto; chief technology officer; architect; "
    r"product (?:manager|owner|lead|designer|director|engineer); head of product; vp product; "
    r"scientist; tech lead; technical lead; sre; site reliability; (?:cyber ?|information |it )?security; ux; ui; "
    r"full[- ]?stack; front[- ]?end; back[- ]?end; mobile; ios; android; web; cloud; platform; infrastructure; "
    r"analytics engineer; research engineer; computer vision; nlp; blockchain; quant developer; "
    r"game (?:developer|designer); qa; test automation; sdet; founding engineer"
)
# A founder, CEO, consultant or administrator counts as technology only with one of these nearby.
TECH_CONTEXT_WORDS = _terms(
    r"software; saas; app; apps; platform; api; ai; ml; machine learning; data; cloud; digital; tech; technology; "
    r"fintech; healthtech; edtech; start-?up; web; mobile; sap; erp; it; systems; salesforce; devops; cyber; "
    r"nlp; computer science; informatics; robotics; computer vision; hci; language models?"
)
# Titles that are not digital technology whatever the CV around them says.
NON_TECH_ROLE_WORDS = _terms(
    r"nurse; nursing; midwife; carer; care assistant; healthcare assistant; physician; doctor; surgeon; "
    r"pharmacist; paramedic; dentist; physiotherapist; teacher; teaching; lecturer(?! in comput); tutor; "
    r"headteacher; accountant; accounts; bookkeeper; auditor; audit; tax; payroll; finance officer; solicitor; "
    r"lawyer; paralegal; chef; cook; waiter; barista; retail; sales assistant; cashier; driver; warehouse; "
    r"receptionist; (?:civil|mechanical|structural|chemical|electrical|site|maintenance|field service) engineer; "
    r"hr (?:officer|manager|assistant); recruiter; estate agent; architect(?:ural)? (?:assistant|technologist)"
)
# Business titles: digital technology only in a product-led digital company (visa-rules.md).
BUSINESS_ROLE_WORDS = _terms(
    r"marketing; marketer; sales; account (?:manager|executive|director); business development; "
    r"operations; customer success; recruit(?:er|ment); communications; brand; merchandis\w+; buyer"
)
SENIOR_TITLE_WORDS = _terms(
    r"cto; ceo; cpo; founder; co-?founder; chief [a-z]+ officer; vp; vice president; head of; director; "
    r"principal; staff (?:engineer|software|data|ml|scientist); distinguished; fellow"
)
# Organisations or descriptions that make a role service or process delivery rather than product work.
SERVICES_ORG_WORDS = _terms(
    r"consultancy; consulting; consultants?; outsourc(?:ing|ed); offshore; client engagements?; for clients?; "
    r"client (?:projects?|accounts?|delivery); implementation partner; it services; managed services; "
    r"systems integrator; professional services; agency; staffing; accenture; infosys; tata consultancy; tcs; "
    r"wipro; cognizant; capgemini; deloitte; kpmg; pwc; ey; ernst & young; hcl; tech mahindra; mphasis; "
    r"ltimindtree; dxc; ibm consulting; thoughtworks; epam; globant; endava"
)
# Recognition from inside the applicant's own employer is not external recognition.
INTERNAL_RECOGNITION_WORDS = _terms(
    r"internal(?:ly)?; in-house; company-wide; companywide; employee of the (?:month|year|quarter); "
    r"team of the (?:month|year|quarter); spot award; peer award; kudos; shout-?out; within the company; "
    r"across the company; all-hands"
)
# Topics of recognition that are not digital technology (a nursing award, a teaching prize).
NON_TECH_TOPIC_WORDS = _terms(
    r"nurse; nursing; patient(?:s)?; clinical; ward; midwif\w*; hospital; care home; pupils?; school; "
    r"teaching; teacher; classroom; curriculum; accountancy; accounting; audit(?:ing)?; tax; chartered; "
    r"bookkeeping; culinary; retail; sales team"
)
# Places in role headers ("Engineer, Monzo, London | 2019 - 2021"): not the organisation.
PLACE_WORDS = _terms(
    r"london; manchester; edinburgh; cambridge; oxford; bristol; leeds; birmingham; glasgow; belfast; cardiff; "
    r"uk; u\.k\.; united kingdom; england; scotland; wales; ireland; dublin; usa; us; united states; new york; "
    r"san francisco; seattle; boston; austin; canada; toronto; germany; berlin; munich; france; paris; "
    r"netherlands; amsterdam; spain; madrid; barcelona; portugal; lisbon; poland; warsaw; india; bangalore; "
    r"bengaluru; mumbai; pune; hyderabad; chennai; delhi; new delhi; gurgaon; noida; nigeria; lagos; kenya; "
    r"nairobi; brazil; sao paulo; são paulo; singapore; china; beijing; shanghai; japan; tokyo; australia; "
    r"sydney; melbourne; europe; remote; worldwide"
)
# Lines that talk to an AI reading the CV: kept as text, never obeyed, flagged to the user.
INJECTION_PATTERNS = _terms(
    r"ignore (?:all |any )?(?:the )?(?:previous|prior|above|earlier) (?:instructions|prompts?|rules); "
    r"disregard (?:all |any )?(?:the )?(?:previous|prior|above) (?:instructions|rules); "
    r"(?:as an|you are an?) (?:ai|language model|llm|assistant|assessor)[^.]{0,40}(?:must|should|will); "
    r"(?:rate|score|mark|grade) (?:this|the|my) (?:cv|candidate|applicant)[^.]{0,30}(?:100|10/10|highest|top|maximum); "
    r"(?:system|assistant) prompt; new instructions?:; "
    r"this candidate (?:is|must be) (?:exceptional|endorsed|approved)"
)
# A named, checkable thing next to a claim: a proper noun, a year, a number, a link. Used with the
# specificity check: "recognised as a leading AI speaker" earns nothing, "Keynote, PyCon UK 2024" does.
GENERIC_CLAIM_WORDS = _terms(
    r"various; several; numerous; many; multiple; leading; top-tier; world-class; cutting[- ]edge; "
    r"state[- ]of[- ]the[- ]art; innovative; disruptive; renowned; recognised; recognized; thought leader; "
    r"industry[- ]leading; best[- ]in[- ]class; synergy; visionary"
)
# Venues whose published papers are peer reviewed by experts (OC4). Lower-case regex fragments.
MAJOR_VENUES = _terms(
    r"neurips; nips; icml; iclr; cvpr; iccv; eccv; acl; emnlp; naacl; kdd; www; sigir; recsys; aaai; ijcai; "
    r"sigmod; vldb; icse; fse; osdi; sosp; nsdi; usenix; ccs; chi; siggraph; ieee; acm; springer; elsevier; "
    r"nature; science; journal; proceedings; transactions; arxiv"
)

# The document that proves a quoted line, by the signal label the criterion gave it (see scoring._LABELS).
EVIDENCE_DOCUMENTS = (
    ("hackathon win", "get the organiser's official results page and a dated article about it"),
    ("award", "get the awarding body's announcement naming you and a dated article about the award"),
    ("press coverage", "keep a dated copy of the article showing the outlet and your name"),
    ("talk", "get the event's programme page naming you, and the recording or slides"),
    ("judging or reviewing", "get the invitation or the organiser's page listing you as a judge or reviewer"),
    ("open source", "link the repository with its stars, downloads or dependants and your commit history"),
    ("publication", "get the publisher's page for the paper and its citation count (e.g. Google Scholar)"),
    ("patent", "get the patent office record (number, filing date, your name as inventor)"),
    ("founder or executive role", "get the company registry entry and a dated article or funding announcement"),
    ("mentoring", "get a letter from the programme or organisation with dates and the number of people mentored"),
    ("community work", "get the organiser's page or a letter naming your role, with dates and audience size"),
)
EVIDENCE_DOCUMENT_DEFAULT = {
    "MC": "get an independent, dated source that names you (article, organiser's page, official results)",
    "OC1": "get a dated document showing the product and your part in it (launch article, funding news, patent)",
    "OC2": "get a dated, public record of the work and its reach (repository, programme page, organiser letter)",
    "OC3": "get a letter from a senior colleague or a company document confirming your part and the figure",
    "OC4": "get the publisher's page for the paper and its citation count",
}

# --- CV sections -----------------------------------------------------------------------------

SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "profile", "about me", "about", "personal statement", "professional summary"),
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "career",
        "relevant experience",
        "industry experience",
        "selected experience",
        "experience and projects",
        "research experience",
        "professional background",
        "positions",
        "positions held",
        "employment experience",
        "work",
    ),
    "education": ("education", "qualifications", "academic background"),
    "talks": ("talks", "speaking", "public speaking", "conference talks", "presentations", "talks and speaking"),
    "publications": ("publications", "papers", "research", "selected publications"),
    "awards": ("awards", "honours", "honors", "awards and recognition", "recognition", "achievements"),
    "open_source": ("open source", "open-source", "open source contributions", "projects", "side projects"),
    "press": ("press", "media", "press and media", "in the press"),
    "patents": ("patents",),
    "community": (
        "community",
        "mentoring",
        "volunteering",
        "community and mentoring",
        "leadership and community",
        "hackathons",
        "hackathons and community",
    ),
    "skills": ("skills", "technical skills", "technologies", "tools"),
    "certifications": ("certifications", "certificates", "courses", "training"),
}

# --- Personal Statement ------------------------------------------------------------------------

AI_CONTENT_WARNING = (
    "AI-written application content is not acceptable to Tech Nation, and assessors screen for it. "
    "Use this tool to coach and check your work: the Personal Statement you submit must be written in "
    "your own words."
)
DRAFT_NOTICE = (
    "DRAFT - a starting point built only from the facts you gave. Rewrite every sentence in your own words "
    "and replace each [Add: ...] placeholder before you use it."
)
# First line of every generated draft, so a copy-pasted draft still says what it is.
DRAFT_HEADER = (
    "[DRAFT - built only from your own facts. Rewrite it in your own words before you submit: AI-written "
    "content is not acceptable to Tech Nation.]"
)
LEGAL_DISCLAIMER = (
    "This is automated guidance, not legal advice. Immigration advice about an individual case is regulated in "
    "the UK: for advice on your case, speak to an OISC-registered adviser or a solicitor."
)
PLACEHOLDER_TEMPLATE = "[Add: {what}]"

# Required elements of the statement, with the phrases that show each one is present.
STATEMENT_ELEMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "why_uk": (
        "Why the UK",
        (
            r"why (?:the )?uk",
            r"(?:move|moving|relocate|relocating|come|coming) to (?:the )?(?:uk|united kingdom|britain|london)",
            r"(?:the )?uk(?:'s)? (?:is|has|offers)",
            r"uk (?:tech|digital|ecosystem|market)",
            r"reasons? (?:for|to) (?:choosing|choose) the uk",
        ),
    ),
    "occupation": (
        "Planned occupation",
        (
            r"(?:plan|intend|aim|expect|hope) to (?:work|join|continue|build|launch|start|found|lead)",
            r"(?:will|would) work as",
            r"role as",
            r"position as",
            r"planned occupation",
            r"my occupation",
            r"job as",
            r"offer from",
        ),
    ),
    "where_in_uk": (
        "Where in the UK",
        (
            r"london",
            r"manchester",
            r"edinburgh",
            r"cambridge",
            r"oxford",
            r"bristol",
            r"leeds",
            r"birmingham",
            r"glasgow",
            r"belfast",
            r"cardiff",
            r"newcastle",
            r"sheffield",
            r"liverpool",
            r"nottingham",
            r"brighton",
            r"reading",
            r"based in",
            r"live in",
            r"settle in",
        ),
    ),
    "benefit": (
        "Benefit to the UK digital sector",
        (
            r"benefit",
            r"contribute to",
            r"contribution to",
            r"uk (?:tech|digital) (?:sector|ecosystem|industry|community)",
            r"digital (?:technology )?sector",
            r"create (?:jobs|roles)",
            r"hire",
            r"hiring",
            r"grow the",
            r"give back",
        ),
    ),
    "criteria": (
        "How you meet the criteria",
        (
            r"mandatory criterion",
            r"optional criteri(?:on|a)",
            r"\bmc\b",
            r"\boc ?[1-4]\b",
            r"exceptional (?:talent|promise)",
            r"recognition",
            r"innovation",
            r"significant contributions?",
            r"academic contributions?",
        ),
    ),
}

# Templated phrases assessors see in every other statement: (phrase, suggested replacement, why).
# A replacement in [Add: ...] form asks the applicant for a fact; the tool never writes one for them.
CLICHES: tuple[tuple[str, str, str], ...] = (
    (
        r"i have always been (?:fascinated|passionate|interested)(?: by| with| in)?",
        "[Add: the first thing you built or did in]",
        "Opens with a cliché; start from something you did.",
    ),
    (
        r"(?:i am|i'm) (?:deeply |truly |very )?passionate about",
        "[Add: a concrete example of your work in]",
        "'Passionate about' is in most statements; show it through what you did.",
    ),
    (r"passion for", "[Add: an example of your work in]", "Show commitment through outcomes, not the word 'passion'."),
    (
        r"in today's (?:fast[- ]paced|digital|ever[- ]changing) world,?",
        "",
        "Filler opening that says nothing about you.",
    ),
    (r"ever[- ]evolving", "", "Filler adjective."),
    (r"cutting[- ]edge", "[Add: name the technology]", "Vague; name the technology."),
    (r"state[- ]of[- ]the[- ]art", "[Add: name the technology or result]", "Vague; name the technology or result."),
    (r"think outside the box", "[Add: a specific unusual decision you made]", "Cliché; give the decision."),
    (r"hit the ground running", "start work immediately", "Cliché."),
    (r"team player", "[Add: a team result and your part in it]", "Generic trait; show it with a result."),
    (r"hard[- ]working", "", "Generic trait assessors cannot verify."),
    (r"results[- ]driven", "", "Generic trait; give the results instead."),
    (r"dynamic (?:environment|professional)", "[Add: name the company or setting]", "Generic."),
    (r"make a (?:real |positive )?difference", "[Add: the specific change you will make]", "Vague promise."),
    (r"leverage (?:my|the) (?:skills|expertise|experience)", "use my experience in [Add: area]", "Jargon."),
    (r"game[- ]changer", "[Add: the measurable change]", "Hype word."),
    (r"dream (?:of|to)", "[Add: your concrete plan to]", "Assessors look for plans, not dreams."),
    (r"world-class", "[Add: evidence - award, number or named recognition]", "Unsupported superlative."),
    (r"thought leader", "[Add: where your views were published or invited]", "Unsupported label."),
)
# Superlatives and big claims that need a number, a name or a link next to them.
UNSUPPORTED_CLAIM_WORDS = _terms(
    r"world-class; world[- ]renowned; renowned; leading expert; one of the (?:best|top|leading|most); the best; "
    r"top expert; industry[- ]leading; unparalleled; unique; exceptional; revolutioni[sz]ed; "
    r"transformed; huge impact; massive(?:ly)?; significant(?:ly)?; "
    r"widely (?:recognised|recognized|used|known); highly (?:respected|regarded); expert in; pioneer(?:ed|ing)?; "
    r"many; numerous"
)
