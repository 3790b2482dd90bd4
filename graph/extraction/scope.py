"""Events for a whole federal state or district: a state-wide meeting is *for* the state, its town is only the venue.

Real reports mark such events in a few ways that do not depend on the publisher: participants 'aus ganz
Bayern' / 'Kommunen aus Sachsen-Anhalt', a state adjective on the event or its organiser ('Brandenburger
Digitaltag', 'Bayerischer Städtetag'), a 'Landesinitiative' or 'landesweit'. The cue must sit in the event's
heading or in a sentence naming the event, so a state association merely quoted elsewhere does not count.
"""

from __future__ import annotations

import re
from collections import Counter

from graph.extraction.places import Mention

# Adjective stems of the states (the city states are municipalities already).
ADJECTIVES = {
    "bayerisch": "09", "baden-württembergisch": "08", "brandenburgisch": "12", "brandenburger": "12",
    "hessisch": "06", "niedersächsisch": "03", "sächsisch": "14", "thüringisch": "16", "thüringer": "16",
    "rheinland-pfälzisch": "07", "saarländisch": "10", "schleswig-holsteinisch": "01",
    "mecklenburg-vorpommersch": "13", "nordrhein-westfälisch": "05", "sachsen-anhaltisch": "15",
}
_ADJECTIVE = re.compile(r"\b(?P<adj>" + "|".join(sorted(ADJECTIVES, key=len, reverse=True)) + r")(?:e|er|en|es|em)?\s+"
                        r"(?P<noun>[A-ZÄÖÜ][\w-]*(?:tag|tagung|konferenz|forum|kongress|gipfel|Digitaltag|woche|"
                        r"netzwerk|initiative|akademie|treffen)\w*)", re.I)
# State-wide bodies whose meetings gather the whole state.
_BODIES = re.compile(r"(Städtetag|Landkreistag|Gemeindetag|Städte- und Gemeindebund|Landesverb\w+|Landesinitiative|"
                     r"Landeskonferenz|Landesnetzwerk|Kommunale[rn]? Landesverbände?)")


# A state-wide body named with its state rather than its adjective ('der Städtetag Baden-Württemberg', 'das
# Netzwerk Innenstadt NRW'): its meeting gathers the state, wherever it is held.
_NAMED_BODY = re.compile(r"\b(?:Städtetag|Landkreistag|Gemeindetag|Städte- und Gemeindebund|Gemeinde- und Städtebund|"
                         r"Netzwerk(?:\s+[A-ZÄÖÜ][\w-]+)?)\s+(?P<name>NRW|[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*)\b")


# The whole state's municipalities as participants, named with the state's adjective ('Saarländische
# Bürgermeister', 'Brandenburger Kommunen'): the same cue as 'Kommunen aus Brandenburg'.
_PARTICIPANTS = re.compile(r"\b(?P<adj>" + "|".join(sorted(ADJECTIVES, key=len, reverse=True)) + r")(?:e|er|en|es|em)?\s+"
                           r"(?:Kommunen|Gemeinden|Städte[n]?|Landkreise[n]?|Bürgermeister\w*|Landrät\w*|"
                           r"Kommunalpolitik\w*)\b", re.I)
# An event or programme of the state itself, named by a 'Landes-' compound ('Landeskongress', 'der
# Landesinitiative'): it names no state, so it stands for the one state the page names.
_STATE_COMPOUND = re.compile(r"\bLandes(?:kongress|konferenz|tagung|fachtag|forum|netzwerk|initiative|programm)\w*")


# An online event a state's ministry or agency hosts has no venue to be for: it is the state's ('Die
# Digitalagentur Thüringen und das Thüringer Ministerium für … laden zu einer Online-Gesprächsrunde').
_ONLINE = re.compile(r"\b[Oo]nline\b|\bOnline-|\b[Ww]eb(?:inar|konferenz|seminar)|\bvirtuell|\bdigitale[nr]?\s+"
                     r"(?:Veranstaltung|Konferenz|Gesprächsrunde|Tagung)")
_STATE_BODY = re.compile(r"\b(?P<adj>" + "|".join(sorted(ADJECTIVES, key=len, reverse=True)) + r")(?:e|er|en|es|em)?\s+"
                         r"(?:Staats)?(?:[Mm]inisterium|[Ss]taatskanzlei|[Ll]andesregierung)"
                         r"|\b(?:Staats)?(?:Ministerium|Staatskanzlei|Landesregierung|Digitalagentur)\s+(?:des\s+Landes\s+)?"
                         r"(?P<name>[A-ZÄÖÜ][\w-]+(?:-[A-ZÄÖÜ][\w-]+)*)\b", re.I)


def page_state(text: str, named: set[str], states):
    """The one state a page is about: the one it names, else the one whose adjective it uses ('die Hessische
    Digitalministerin' on a page that never writes 'Hessen'); None when it names none or several."""
    if not named:
        named = {ADJECTIVES[m.group(1).casefold()] for m in _STATE_ADJECTIVE.finditer(text)}
    return states(next(iter(named))) if len(named) == 1 else None


_STATE_ADJECTIVE = re.compile(r"\b(" + "|".join(sorted(ADJECTIVES, key=len, reverse=True)) + r")(?:e|er|en|es|em)?\b", re.I)


def statewide(text: str, offset: int, states, page_state=None) -> Mention | None:
    """A mention of the state the event in `text` (a heading or event sentence) is for, if it is state-wide;
    `page_state` is the one state the page names, for cues that name none ('landesweite Workshop-Reihe')."""
    unnamed = re.search(r"\blandesweite?[nrs]?\b|\bdurch das ganze Land\b", text)
    if unnamed and page_state is not None:
        return Mention(offset + unnamed.start(), offset + unnamed.end(), unnamed.group(0), [page_state], 20)
    for match in re.finditer(r"\b(?:aus ganz|in ganz|aus allen Teilen|landesweit|aus dem ganzen Land)\s*"
                             r"(?P<name>[A-ZÄÖÜ][\w-]+)?", text):
        state = states(match.group("name") or "") if match.group("name") else None
        if state is not None:
            return Mention(offset + match.start("name"), offset + match.end("name"), match.group("name"), [state], 20)
    for match in re.finditer(r"\b(?:Kommunen|Landkreise|Landrätinnen und Landräte|Landräte|Gemeinden|Städte|"
                             r"Digitallotsen|Bürgermeister(?:innen und Bürgermeister)?)\s+"
                             r"(?:aus\s+|in\s+|des Landes\s+|im Lande?\s+)?"
                             r"(?P<name>[A-ZÄÖÜ]\w+(?:-[A-ZÄÖÜ]\w+)*)", text):
        name = match.group("name")
        state = states(name)
        genitive = state is None and name.endswith("s") and states(name[:-1]) is not None  # 'Landräte Bayerns'
        if genitive:
            state, name = states(name[:-1]), name[:-1]
        if state is not None and (re.search(r"\s(?:aus|in|im Lande?)\s", match.group(0)) or genitive
                                  or "des Landes" in match.group(0)):
            start = offset + match.start("name")
            return Mention(start, start + len(name), name, [state], 20)
    match = _NAMED_BODY.search(text)
    if match is not None and states(match.group("name")) is not None:
        return Mention(offset + match.start("name"), offset + match.end("name"), match.group("name"),
                       [states(match.group("name"))], 20)
    match = _PARTICIPANTS.search(text)
    if match is not None and states(ADJECTIVES[match.group("adj").casefold()]) is not None:
        return Mention(offset + match.start(), offset + match.end(), match.group(0),
                       [states(ADJECTIVES[match.group("adj").casefold()])], 20)
    match = _STATE_BODY.search(text) if _ONLINE.search(text) else None
    if match is not None:
        key = ADJECTIVES.get((match.group("adj") or "").casefold())
        state = states(key) if key else states(match.group("name") or "")
        if state is not None:
            return Mention(offset + match.start(), offset + match.end(), match.group(0), [state], 20)
    match = _STATE_COMPOUND.search(text)
    if match is not None and page_state is not None:
        return Mention(offset + match.start(), offset + match.end(), match.group(0), [page_state], 20)
    for match in _ADJECTIVE.finditer(text):
        key = ADJECTIVES[match.group("adj").casefold()]
        noun = match.group("noun")
        if _BODIES.search(noun) or re.search(r"tag$|tagung|konferenz|kongress|gipfel|forum|initiative|netzwerktreffen",
                                             noun, re.I):
            state = states(key)
            if state is not None:
                return Mention(offset + match.start(), offset + match.end(), match.group(0), [state], 20)
    return None


# A page about a district's own work: a meeting of the district's municipalities, its development plan or
# project. On the development texts every page with one of these cues reports events for the district.
DISTRICT_CUE = re.compile(r"Kreistreffen|Kreiskonferenz|Kreisentwicklung|Landkreisprojekt|\b[Kk]reisweit|kreisangehörig|"
                          r"\b(?:Kommunen|Gemeinden|Städten?|Bürgermeister\w*)\s+(?:aus\s+dem|aus\s+der|des|der|im)\s+"
                          r"(?:Land)?[Kk]reis")


# The district itself acting: 'Der Landkreis Regen lädt …', 'Der Wetteraukreis will …', 'wollte der Landkreis
# Regensburg zeigen', its programme for the whole district ('für den ganzen Kreis'), or the federal programme
# whose model regions are districts (BMEL's Smarte.Land.Regionen).
_DISTRICT_VERBS = (r"(?:lädt|lud|will|wollte|möchte|veranstaltet|veranstaltete|organisiert|organisierte|startet|startete|"
                   r"richtet|richtete|erarbeitet|erarbeitete|entwickelt|entwickelte)\b")
DISTRICT_ACTOR = re.compile(
    r"\b[Dd]er\s+(?:(?:Land)?[Kk]reis(?:\s+[A-ZÄÖÜ][\w-]+)?|[A-ZÄÖÜ][\w-]*kreis)\s+" + _DISTRICT_VERBS
    + r"|\b" + _DISTRICT_VERBS + r"\s+der\s+(?:Land)?[Kk]reis\b"
    r"|\b(?:für\s+den|im)\s+(?:ganzen|gesamten)\s+(?:Land)?[Kk]reis\b|Smarte[.\s]Land[.\s]Regionen")
# The district's municipalities as participants, the district named without 'Kreis': 'Kommunen aus der Prignitz'.
_DISTRICT_PARTICIPANTS = re.compile(r"\b(?:Kommunen|Gemeinden|Städte|Städten|Verwaltungen)\s+(?:(?:aus|in)\s+(?:der|dem)|im)\s+"
                                    r"(?P<name>[A-ZÄÖÜ][\w-]+(?:\s+Land)?)")


def _district_cue(text: str, places) -> bool:
    if DISTRICT_CUE.search(text) or DISTRICT_ACTOR.search(text):
        return True
    return any(any(c.category == "district" for c in m.candidates)
               for match in _DISTRICT_PARTICIPANTS.finditer(text)
               for m in places.mentions(match.group("name"), 0, heading=False))


def page_district(text: str, places) -> Mention | None:
    """The district a page with a district cue is about: the district it names most often, as a mention that
    scores like a state-wide cue; None without a cue or a district."""
    if not _district_cue(text, places):
        return None
    named = [m for m in places.mentions(text, 0, heading=False)
             if len(m.candidates) == 1 and m.candidates[0].category == "district"]
    counts = Counter(m.candidates[0].key for m in named)
    if not counts:
        return None
    key = counts.most_common(1)[0][0]
    first = next(m for m in named if m.candidates[0].key == key)
    return Mention(first.start, first.end, first.text, first.candidates, 20, "Landkreis")
