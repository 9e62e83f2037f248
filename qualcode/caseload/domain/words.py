"""Vocabulary of the caseload-share rules: which words signal a caseload, a share, a distractor.

Edit these lists to tune the extractor; the patterns in :mod:`qualcode.caseload.domain.rules`
and the scoring in :mod:`qualcode.caseload.domain.extract` use them.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words for percent after a number.
PCT_WORDS = _words(
    """
    % percent per-cent pct percents
    """
)

# What a caseload is made of.
CASE_NOUNS = _words(
    """
    caseload caseloads case-load docket dockets cases case files file matters workload load
    desk work practice portfolio inventory
    """
)

# Words that ask for a share ("what portion of your caseload").
SHARE_WORDS = _words(
    """
    share portion percentage percent % proportion fraction part chunk slice ratio amount
    bulk
    """
)

# "cases I carry", "what you handle".
HANDLE_VERBS = _words(
    """
    handle carry do see work prosecute have manage take
    """
)

# Figures about something else: pleas, convictions, growth, tips, people, sentencing...
DISTRACTOR_WORDS = _words(
    """
    plea pleas plead pleads pleaded pled pleading convict convicted conviction convictions
    acquit acquittal acquittals acquitted dismiss dismissed dismissal dismissals trial
    trials verdict verdicts jury juries jurors rate rates tip tips cybertip cybertips
    reports referrals filings indictments warrants arrests intake increase increased
    increases grew grown growth rose risen jump jumped spike spiked doubled tripled climbed
    dropped declined decline fell defendants offenders phones devices encrypted backlog
    budget salary staff staffing turnover attrition sentences sentencing guideline
    guidelines judges suppression motions continuances age aged old
    """
)

# Figures for someone else: the state, the office, colleagues.
SCOPE_WORDS = _words(
    """
    statewide nationwide nationally officewide countywide colleagues everybody everyone
    overall
    """
)

# "our office", "the unit", "office-wide".
GROUP_NOUNS = _words(
    """
    office unit division department shop section team bureau
    """
)

# Hedges that go with an estimate.
HEDGE_WORDS = _words(
    """
    roughly about around approximately maybe probably estimate guess ballpark say ish nearly
    almost
    """
)

# Words allowed around a bare number answer: "Um, forty. Maybe forty-five."
FILLERS = _word_set(
    """
    'd 'm 's about almost approximately around call easily easy er give guess hm hmm
    honestly i if ish it just less like max maybe more nearly now oh ok okay oof or over
    percent probably right roughly say so take that tops uh um under well would yeah yes
    """
)

# A bare number after these is not a share ("in 2015", "the 12 cases").
BARE_BAD_PREV = _word_set(
    """
    # $ by from in last no. number of since the these those
    """
)

# A fraction before these is not a share: "half an hour", "a half-dozen".
FRACTION_BAD_NEXT = _word_set(
    """
    a an century day days decade dozen hour hours mile miles month months time week weeks
    year years
    """
)

# Nor after these: "a year and a half", "once a quarter".
FRACTION_BAD_PREV = _word_set(
    """
    and back bottom each every first former front last latter next once other per second
    that this top
    """
)

# "one of five deputies", "two in three judges": a count of people or time.
RATIO_BAD_NEXT = _word_set(
    """
    adas agents analysts attorneys ausas colleagues counties days defendants deputies
    detectives districts examiners investigators judges jurors lawyers months offices people
    prosecutors staff them times us weeks years
    """
)
