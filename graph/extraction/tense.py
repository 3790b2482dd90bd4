"""Whether a page without a publication date announces its events or reports them.

Without a publication date a draft's status came only from a future cue in its date's sentence, so an
invitation page ('Jetzt registrieren', 'lädt … ein', 'Die Termine im Überblick') whose dated line says only
'21.09., 18 Uhr' was recorded as held. The page's own words decide instead: more announcing than reporting
phrases, and at least two, make every event on it planned unless its own sentence reports it in the past.
"""

from __future__ import annotations

import re

ANNOUNCING = re.compile(r"\blädt\b|\bladen\b[^.]{0,120}\bein\b|\bEinladung\b|\bAnmeldung\b|\b[Aa]nmelden\b|registrieren\b"
                        r"|\b(?:ist|sind)\b[^.]{0,40}\beingeladen\b"
                        r"|\bwird\b[^.]{0,60}\bstattfinden|\bfinde[nt]\b[^.]{0,80}\bstatt\b|\bkommenden\b|\b[Gg]eplant\b"
                        r"|\bTermine\b|\bWarteliste\b|\bAnmelde(?:schluss|frist|formular|link)\b"
                        r"|\bmelden Sie sich\b|\bstehen\b[^.]{0,60}\bauf dem Programm|\bbeginnt\b|\bstartet\b")
# Within one sentence, a date's full stop included: a verb reaches its particle past 'am 15. Februar 2022'
# ('stellte … am 15. Februar 2022 … vor').
IN_SENTENCE = r"(?:[^.]|(?<=\d)\.)"
REPORTING = re.compile(r"\bfand(?:en)?\b" + IN_SENTENCE + r"{0,80}\bstatt\b|\bstattgefunden\b|\btrafen\b|\bkamen\b"
                       r"|\bdiskutierten\b|\berarbeiteten\b|\bbegrüßte\b|\bpräsentierten?\b|\berläuterten?\b"
                       r"|\bberichteten?\b|\bnahmen\b|\bzeigten?\b|\bstellten?\b" + IN_SENTENCE + r"{0,200}\bvor\b"
                       r"|\bwaren\b|\bwar\b|\bhatten?\b|\bsprachen?\b|\blud\b|\bluden\b"
                       r"|\bstattfand(?:en)?\b|\bging(?:en)?\b|\bwandten?\b"
                       # the past of a reflexive verb: "befasste sich", "tauschten sich … aus" (the present has no -e)
                       r"|\b(?:befasst|beschäftigt|tauscht|informiert|widmet)en?\s+sich\b")


def announces(text: str) -> bool:
    """True when the page reads as an announcement: more announcing phrases than reporting ones, two at least."""
    announcing = len(ANNOUNCING.findall(text))
    return announcing >= 2 and announcing > len(REPORTING.findall(text))


def reports(sentence: str) -> bool:
    """True when the sentence tells of its event in the past."""
    return bool(REPORTING.search(sentence))
