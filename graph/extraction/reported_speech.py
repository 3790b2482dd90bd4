"""Reported speech: a person quoted in a press text ('…, sagt X', 'X erklärt: „…“') is a source, not a speaker.

German marks the report by its form, not its verb: the verb of saying stands after the quoted clause with the
speaker behind it (inversion: '…, erläutert Projektleiter X'), or in 'wie X erklärt', or it is followed by a
colon, a quotation mark or a 'dass'/subjunctive clause ('X erklärt, man wolle …'). The same verbs with an object
('X erläuterte die Eckpunkte der Strategie') or an indirect question ('erklärte, wie …') report a talk. Only the
present tense and the pluperfect count: a report tells its event in the past ('erklärte, Corona habe …' is what a
speaker said there), while 'sagt' is what the person told the reporter and 'hatte vorab erklärt' came before.
"""

from __future__ import annotations

import re

_SAY = r"(?:sagt|erklärt|erläutert|berichtet|betont|meint|ergänzt|unterstreicht)"
# '…, sagt Stiftungssprecherin' just before the name (up to three words of role between, not 'von' of a passive),
# unless the fronted clause is an indirect question ('Wie weit die Strategie ist, berichtete X' reports a talk).
_INVERTED = re.compile(rf"(?:,|[“”\"«])\s*{_SAY}\s+(?:(?:der|die)\s+)?(?:(?!von\b|vom\b|durch\b)[\w.-]+\s+){{0,3}}$")
_QUESTION = re.compile(r"^\W*(?:Wie|Was|Warum|Wo\w*|Welche\w*|Weshalb|Wann|Ob)\b")
# 'wie Stephan Bernoth, Leiter der Stabsstelle, erklärt.': the verb ends the clause.
_AS_SAYS = re.compile(r"\bwie\s+(?:[\w.-]+\s+){0,3}$")
_AS_SAYS_END = re.compile(rf"^(?:\s*,[^,;:]{{0,120}},)?\s+{_SAY}\s*[.,;]")
# After the name (and an apposition): the verb, then a colon, a quote or a clause that is not an indirect question.
_FOLLOWED = re.compile(rf"^(?:\s*\([^)]*\))?(?:\s*,[^,;:„“]{{0,120}},)?\s+(?:hatte\s+(?:\w+\s+){{0,2}})?{_SAY}"
                       r"(?:\s+(?:dazu|dabei|außerdem|auch|weiter|zudem))?(?:\s*:|\s*„|\s*,\s+(?!wie\b|was\b|warum\b|"
                       r"welche\w*\b|wo\w*\b|weshalb\b))")


def quoted_as_source(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the verb of saying when the person at text[start:end] (title and role included before
    `start`) is only quoted; None when the sentence may report a talk."""
    before, after = text[:start], text[end:]
    inverted = _INVERTED.search(before)
    if inverted and not _QUESTION.match(before):
        return inverted.span()
    if _AS_SAYS.search(before):
        verb = _AS_SAYS_END.match(after)
        if verb:
            return end + verb.start(), end + verb.end()
    followed = _FOLLOWED.match(after)
    if followed:
        return end + followed.start(), end + followed.end()
    return None
