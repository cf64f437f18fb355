"""The statement review by meaning: elements, criteria, claims, AI-likeness, repetition and length help."""

from ai_tools import rules
from ai_tools.providers.local.lexicon import ai_likeness, find_phrases

GOOD = """I am applying for endorsement as Exceptional Promise in digital technology.

I have received an offer to join a London start-up as a senior machine learning engineer, starting in March 2026.

I chose the UK because the self-driving work I want to do is happening in London, and UK law already allows trials on public roads.

In 2024 I was invited to give a talk on lane-change prediction at PyData Global.

For recognition beyond my occupation, I maintain torch-lanes, an open-source library with 2,300 stars on GitHub.

At Grab I rebuilt the demand-forecasting model. It cut driver waiting time by 18% in Singapore and Jakarta.

In London I will help the UK self-driving sector grow by running a monthly reading group open to other start-ups."""

MISSING = (
    "I have been a software engineer for six years and I enjoy building backend systems. In 2022 I gave a talk "
    "about Kafka at a meetup in London. I published a blog post on Medium about event sourcing. I believe my work "
    "shows recognition beyond my occupation. I work hard and I deliver."
)


def elements(review):
    return {e.code: e for e in review.elements}


def test_elements_are_found_by_meaning_with_the_sentence_quoted(local):
    review = local.enhance_statement(GOOD, None)
    found = elements(review)
    assert all(e.present for e in found.values()), [e.code for e in found.values() if not e.present]
    assert "offer to join a London start-up" in found["occupation"].sentence
    assert found["where_in_uk"].sentence == found["occupation"].sentence
    assert found["why_uk"].sentence.startswith("I chose the UK because")
    assert found["benefit"].sentence.startswith("In London I will help")
    argued = {c.code: c for c in review.criteria}
    assert argued["MC"].sentence.startswith("In 2024 I was invited")
    assert argued["OC2"].sentence.startswith("For recognition beyond my occupation")
    assert argued["OC3"].sentence == "At Grab I rebuilt the demand-forecasting model."  # measured in the next one
    assert not argued["OC4"].argued and argued["OC4"].advice


def test_words_in_another_sense_do_not_count(local):
    review = local.enhance_statement(MISSING, None)
    found = elements(review)
    assert [c for c, e in found.items() if e.present] == []  # five sentences, none of the four elements
    assert "where in the UK" in found["where_in_uk"].advice  # a past London talk is not where you will live
    assert "OC4" not in review.criteria_covered  # a blog post is not published research
    benefits = local.enhance_statement(
        "I built employee benefits software at Beneflex for 1,800 companies. I want to move to the UK because "
        "London has the largest HR software market in Europe.",
        None,
    )
    assert not elements(benefits)["benefit"].present and elements(benefits)["why_uk"].present


def test_claims_need_a_specific_and_names_of_criteria_are_never_claims(local):
    text = (
        "I am applying as Exceptional Talent under significant contributions and innovation.\n\n"
        "My work has had a significant impact: it cut failed readings from 7% to 0.4% for 300,000 homes.\n\n"
        "I am a leading expert in data pipelines. I have had a huge impact on every company I joined.\n\n"
        "My pipelines are widely used. They run at Zalando, Bolt and Wise."
    )
    review = local.enhance_statement(text, None)
    assert [c.phrase for c in review.unsupported_claims] == ["leading expert", "huge impact"]


def test_ai_styled_text_gets_a_verdict_with_reasons_and_plain_text_does_not(local):
    ai = (
        "In today's fast-paced digital landscape, I am thrilled to embark on a journey to the UK, a vibrant tapestry "
        "of innovation. I have spearheaded initiatives that seamlessly leverage my synergies. My unwavering "
        "commitment is a testament to my dedication. I have delved into the realm of cloud computing. It is worth "
        "noting that I foster collaboration. In conclusion, I am confident that I will make a lasting impact."
    )
    review = local.enhance_statement(ai, None)
    assert review.ai_likeness.verdict == "reads_as_ai"
    assert review.ai_likeness.message.startswith("Reads as AI-written / templated")
    assert any("typical of AI-written text" in r for r in review.ai_likeness.reasons)
    assert any("opens with a stock line" in r for r in review.ai_likeness.reasons)
    labels = {h.label for h in find_phrases(ai)}
    for word in (
        "delve",
        "tapestry",
        "testament to",
        "unwavering",
        "spearheaded",
        "seamlessly",
        "realm",
        "leverage my synergies",
        "embark on a journey",
        "in today's fast-paced digital landscape",
        "it is worth noting",
        "in conclusion",
    ):
        assert word in labels, word
    assert local.enhance_statement(GOOD, None).ai_likeness.verdict == "reads_human"
    assert ai_likeness(MISSING).verdict != "reads_as_ai"


def test_a_paragraph_pasted_fifteen_times_gets_repetition_and_a_cut_plan(local):
    paragraph = (
        "At Paystack I built the offline payments feature in our Android app, used by 1.2 million merchants a "
        "month. I presented it at Droidcon Lagos in 2024 and maintain the open-source library behind it, which "
        "has 900 stars on GitHub and is used by two other fintech companies in Nigeria and Kenya today. The "
        "feature cut failed card payments in rural markets by 35% in its first year, according to Paystack."
    )
    text = "I plan to work as a lead iOS engineer at Cleo in London.\n\n" + "\n\n".join([paragraph] * 15)
    review = local.enhance_statement(text, None)
    assert review.over_limit and review.repeated_paragraphs == [paragraph]
    help_ = review.length
    assert [p.repeat_of for p in help_.paragraphs[2:]] == [2] * 14
    assert len(help_.paragraphs) == 16 and help_.paragraphs[1].words == len(paragraph.split())
    assert help_.reaches_limit and help_.words_after_plan <= rules.STATEMENT_MAX_WORDS
    numbers = ", ".join(str(n) for n in range(3, 17))
    assert [s.action for s in help_.cut_plan] == [f"Delete paragraphs {numbers}: each repeats paragraph 2."]
    assert help_.cut_plan[0].words_saved == 14 * len(paragraph.split())  # every copy goes, whatever the count
    repeat = next(e for e in review.suggested_edits if e.kind == "repeat")
    assert repeat.every_repeat and repeat.suggested == ""


def test_over_limit_cut_plan_starts_with_paragraphs_that_carry_nothing(local):
    evidence = [
        f"In {2012 + i} I spoke at QCon London about fraud scoring, and the engine I built that year served "
        f"{10 + i} banks in {3 + i} countries. The team of {4 + i} engineers shipped {20 + i} releases, and our "
        f"scoring cut false alarms by {11 + i}% for customers such as bank number {i + 1}. We wrote up the design "
        f"for {i + 2} partner teams and trained {30 + i} analysts to use it during {i + 2} workshops that year."
        for i in range(17)
    ]
    filler = (
        "We love the city, the food and the river walks on Sundays with our friends and family. My partner says "
        "I talk about cooking and running far too much, and she is probably right about that. We will miss the "
        "trams and the long lunches, and the way the streets smell of grilled sardines in June."
    )
    text = "\n\n".join([evidence[0], filler, *evidence[1:]])
    review = local.enhance_statement(text, None)
    assert review.over_limit
    plan = review.length.cut_plan
    assert plan[0].action.startswith("Delete or shorten paragraph 2") and "argues no criterion" in plan[0].action
    assert all(step.action.startswith("Shorten paragraph") for step in plan[1:])
    assert review.length.reaches_limit and plan[-1].words_after == review.length.words_after_plan <= 1000
    assert local.enhance_statement(GOOD, None).length is None


def test_review_of_clean_statement_suggests_nothing(local):
    review = local.enhance_statement(GOOD, None)
    assert review.suggested_edits == [] and review.revised_text == review.text
    assert review.notice == rules.AI_CONTENT_WARNING and review.engine == "local"


def test_cv_analysis_advice_points_at_the_criteria_not_argued(local, analyses):
    review = local.enhance_statement(MISSING, analyses["strong_talent"])
    advice = elements(review)["criteria"].advice
    assert "Your CV analysis is strongest on" in advice
