"""Whether a clause reports a talk by the person it names: talk cues, and the forms that name people who only
greet, open, moderate, came as guests or are quoted by the reporter (issue 3's guideline for speakers)."""

from __future__ import annotations

import re

from graph.extraction.reported_speech import quoted_as_source

# Past and present tense alike: announcements ('Dr. X spricht über …', 'führt in … ein') use the present.
TALK_CUE = re.compile(r"[Vv]ortr[aä]g|Impuls|Keynote|Referent|Eröffnungsrede|\bRede\b|"
                      r"\b(?:sprach(?:en)?|spricht|sprechen)\b(?! sich)|\bberichte(?:t|te|ten|n)\b|"
                      r"\bstell(?:t|te|ten|en)\b.*\bvor\b|vorstellte|\bpräsentier(?:t|te|ten|en)\b|"
                      r"\bzeig(?:t|te|ten|en)\b(?! sich)|\berklär(?:t|te|ten)\b|\berläuter(?:t|te|ten|n)\b|"
                      r"\b[Rr]eferier(?:t|te|ten|en)\b|[Vv]orgestellt|[Rr]edner|\b(?:führ|ordne|stieg)(?:t|te|ten|en)\b.*\bein\b|"
                      r"Einstieg|in das Thema ein|Überblick|Einblick|[Pp]odium|Panel|Beitr[aä]g|[Zz]u Wort|Referierende|"
                      r"Praxisbericht|Input|\binformier(?:t|te|ten|en)\b|diskutier\w*|Diskussionsrunde|Gesprächsrunde|Einführung|"
                      r"Rückblick|Ausblick|[Aa]nfang\s+mach\w*|\bschilder(?:t|te|ten)\b|\bleite(?:t|te|ten)\b[^.;]*\bWorkshop|"
                      # a conversation on stage is a contribution, as a panel is: 'im Gespräch', 'im Interview'
                      r"\b[Ii]m\s+Gespräch\b|Interview|\bunterh(?:ielt|ielten|ält|alten)\s+sich\b")
NOT_TALK = re.compile(r"begrüß(?:t|te|en)\b|eröffne(?:t|te|n)\b|[Mm]oderiert|Moderation|Moderator|Begrüßung|Grußwort|"
                      r"betont(?:e|en)?\b|nannte|[Ee]ingeladen|"
                      r"sprach sich|lud\b|willkommen\b")
# A greeting that names its speaker: 'Nach den Grußworten von Amtsleiter X und Bürgermeister Y erläuterte Z' (only
# names, titles and 'und' between the noun and the name), or 'X (…) in seiner Begrüßung'.
GREETING_BEFORE = re.compile(r"\b(?:Grußworte?n?|Begrüßung|Eröffnung)\s+(?:von|durch)\s+"
                             r"(?:(?:[A-ZÄÖÜ][\w.-]*|und|sowie|,)\s*)*$")
GREETING_AFTER = re.compile(r"^(?:\s*\([^)]*\))?\s+in\s+(?:seiner|ihrer)\s+(?:Begrüßung|Eröffnung|Grußwort|Begrüßungsrede)")
AFTER_GREETING = re.compile(r"\b(?:Nach|Im Anschluss an)\s+(?:de[mnr]|einem|einer|kurzen?)\s+(?:\w+\s+)?"
                            r"(?:Grußworte?n?|Begrüßung|Eröffnung)\s+(?:von|durch)\s+"
                            r"(?:(?:[A-ZÄÖÜ][\w.-]*|und|sowie|,)\s*)*")
# A talk named as such: this outweighs a greeting, a moderation or a guest in the same clause.
STRONG_TALK_CUE = re.compile(r"[Vv]ortrag|Impuls|Referent|Referierende|Eröffnungsrede|Keynote|Rückblick|Überblick|"
                             r"Einblick|Einführung|Praxisbericht|Beitrag|erläuter|referier|präsentier")
# 'Unter den Gästen waren …', 'X war zu Gast': a guest list names who came, not who spoke.
GUEST = re.compile(r"[Uu]nter den Gästen|\bzu Gast\b")
# 'Am Ende zeigte sich Bürgermeister X zufrieden mit den gewonnenen Einblicken': a verdict, not a talk.
PLEASED = re.compile(r"\bzeigten?\s+sich\b[^,.;]{0,60}\b(?:zufrieden|erfreut|begeistert|beeindruckt|überzeugt|optimistisch)")
CLAUSE_BREAK = re.compile(r",\s+(?=danach|anschließend|bevor|dann|während)|;\s+|\s+–\s+(?=[a-zäöü])")
QUOTE = re.compile(r"(?<![\w])(?:„(?P<a>[^“”\"]+)[“”\"]|»(?P<b>[^«]+)«|\"(?P<c>[^\"]+)\")")


def names_talk(clause: str) -> bool:
    """True when the clause says a talk was given; words inside quotation marks are what someone said, not what
    the reporter says they did."""
    return bool(TALK_CUE.search(QUOTE.sub(" ", clause)))


def gave_no_talk(text: str, start: int, end: int, clause: str) -> bool:
    """True when the person at text[start:end] (title included) is named as a guest, as a greeter or as a source
    the reporter quotes, and the clause names no talk that outweighs it."""
    return bool((GUEST.search(clause) and not STRONG_TALK_CUE.search(clause)) or PLEASED.search(clause)
                or _only_quoted(text, start, end, clause)
                or GREETING_BEFORE.search(text[:start]) or GREETING_AFTER.match(text[end:]))


def clause_at(text: str, position: int) -> str:
    """The clause around `position`: sentences joined by ', danach' or ';' say different things."""
    start = 0
    masked = QUOTE.sub(lambda m: "x" * len(m.group(0)), text)
    for match in CLAUSE_BREAK.finditer(masked):
        if match.start() < position:
            start = match.end()
        else:
            return text[start:match.start()]
    return text[start:]


def _only_quoted(text: str, start: int, end: int, clause: str) -> bool:
    """True when the person is quoted ('…, erläutert X', 'X erklärt: „…“') and nothing else in the clause names a
    talk; 'Referentin X' names her as a speaker whatever she is quoted with."""
    verb = quoted_as_source(text, start, end)
    if verb is None or re.search(r"Referent\w*\s+$", text[:start]):
        return False
    said = text[verb[0]:verb[1]]
    return not STRONG_TALK_CUE.search(clause.replace(said, " "))


# 'ein Werkzeug, das neue Wege eröffnet': a tool that opens ways opens no event.
OPENS_WAYS = re.compile(r"\b(?:Wege|Möglichkeiten|Chancen|Perspektiven|Potenziale?|Räume|Spielräume)\b[^.;]{0,140}"
                        r"\beröffne\w*")


def opens_only(clause: str) -> bool:
    """True when the person only greets, opens or moderates in this clause; 'Nach einem Grußwort von X sprach Y'
    names the greeter in a phrase of its own (GREETING_BEFORE keeps X out), and Y's talk is the clause's verb."""
    clause = OPENS_WAYS.sub(" ", AFTER_GREETING.sub(" ", clause))
    return bool(NOT_TALK.search(clause)) and not STRONG_TALK_CUE.search(clause)
