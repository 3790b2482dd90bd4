"""A speaker's role and organisation in the usual German orders: before the name ('Projektleiterin X', 'Der CDO
der Stadt, X,'), after it ('(CDO bei der Stadt Y)', ', Leiterin der Y,', 'von der Y'), or in the next sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extraction import orgs
from graph.extraction.names import PERSON, is_first_name, person_candidates
from graph.text.sentences import Sentence
from graph.records.gazetteer import Gazetteer


@dataclass
class Speaker:
    """A speaker found in the text, with clean offsets for each part."""

    name: str
    span: tuple[int, int]
    honorific: str | None = None
    organisation: str | None = None
    role: str | None = None
    former: bool = False
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    title: str | None = None
    kind: str = "Vortrag"
    sentence: Sentence | None = None
    tagged_parts: set[str] = field(default_factory=set)   # parts only the tagger read (combine.fill_parts)



# 'Aus dem Projektteam des X stellten …', 'Für den Zweckverband Y sprechen …': whom the sentence's speakers speak for.
LEAD = re.compile(r"^\s*(?:Aus|Für|Vom|Von)\s+(?:(?:dem|der|den|das)\s+)?(?=[A-ZÄÖÜ])")
ROLE_TAIL = re.compile(r"(?:\s+(?:in|im|bei|beim|von|vom|der|des|am|an|für|und|zu|zum|zur))+\s*$")
# Where a speaker lives is no part of the role: 'Digitalisierungsexperte mit Wohnsitz in Estland'.
RESIDENCE = re.compile(r"\s+(?:mit\s+(?:Wohnsitz|Sitz)|wohnhaft)\s+in\b.*$")
# A role is one person's, in the nominative: 'unsere Referenten A und B', 'mit dem Präsidenten A' -> Referent, Präsident.
WEAK_NOUN = re.compile(r"^(?P<stem>[A-ZÄÖÜ]\w*(?:ent|ant|and|ist))en$|^(?P<fem>[A-ZÄÖÜ]\w*in)nen$|^(?P<e>Expert|Kolleg)en$")
ROLE_AT = re.compile(r"\s+von\s+[„\"](?P<org>[^“”\"]{2,60})[“”\"]")


class SpeakerDetails:
    """The role and organisation parts of PeopleFinder (graph/extraction/people.py), which holds the gazetteer."""

    g: Gazetteer

    def _before(self, speaker: Speaker, text: str, start: int, base: int) -> None:
        """Roles before the name: 'Projektleiterin X', 'Eckernförde-Bürgermeister X', 'der ehemalige OB von Y, X'."""
        before = text[:start]
        # 'unsere Referenten A und B': a plural role is the second person's too
        shared = re.search(rf"\b(?P<role>[A-ZÄÖÜ]\w+)\s+{PERSON.pattern}\s+und\s+$", before)
        if shared and WEAK_NOUN.match(shared.group("role")) and orgs.ROLE_WORD.search(shared.group("role")):
            self._set(speaker, "role", shared.group("role"), shared.span("role"), base)
            return
        match = re.search(rf"(?P<former>ehemalige[rn]?\s+|ehem\.\s+)?(?P<role>{orgs.ROLE})\s+von\s+(?P<place>"
                          r"[A-ZÄÖÜ][\w-]+(?:\s+[A-ZÄÖÜ][\w-]+)?),\s*$", before)
        if match:
            self._set(speaker, "role", match.group("role"), match.span("role"), base)
            speaker.former = bool(match.group("former"))
            self._set(speaker, "organisation", self._town_org(match.group("place")), match.span("place"), base)
            return
        # 'Bürgermeisterin der Stadt Selb X': the office and its authority in front of the name, no comma
        match = re.search(rf"(?P<role>{orgs.ROLE})\s+(?:der|des)\s+(?P<org>{orgs.AUTHORITY}(?:es|s)?\s+"
                          r"[A-ZÄÖÜ][\w-]+(?:\s+(?:an\s+der|am|im|in|ob\s+der)\s+[A-ZÄÖÜ][\w-]+)?)\s+$", before)
        if match:
            # the role as written, with its authority; that is the employer unless the sentence names whom the
            # speakers speak for ('Für den Zweckverband X sprechen … der Bürgermeister der Landgemeinde Y Z')
            self._set(speaker, "role", before[match.start():match.end("org")], (match.start(), match.end("org")), base)
            if not LEAD.match(text):
                self._set(speaker, "organisation", orgs.nominative(match.group("org")), match.span("org"), base)
            return
        # two offices joined by 'und' are one role: 'Bürgermeister und Verbandsvorsitzender X'
        match = re.search(rf"(?:(?P<place>[A-ZÄÖÜ][\w]+)-)?(?P<role>(?:{orgs.ROLE}\s+und\s+)?{orgs.ROLE})"
                          r"(?P<retired>\s+a\.\s*D\.)?\s*$", before)
        if not match:
            self._before_apposition(speaker, before, base)
            return
        place = match.group("place")
        if place and not self.g.by_name("municipality", place):  # 'Keynote-Speaker' is one role, not a town's
            place = None
            self._set(speaker, "role", before[match.start():match.end("role")], (match.start(), match.end("role")), base)
        else:
            self._set(speaker, "role", match.group("role"), match.span("role"), base)
        if match.group("retired") or re.search(r"(ehemalige[rn]?|ehem\.)\s*$", before[:match.start()]):
            speaker.former = True
        if place:
            self._set(speaker, "organisation", self._town_org(place), match.span("place"), base)

    def _before_apposition(self, speaker: Speaker, before: str, base: int) -> None:
        """'Der CDO der Stadt, Dr. X,' or 'Die Leiterin des Amtes für Digitales der Stadt Jena, X,': the role with its
        employer in front of the name, set off by a comma; a bare 'der Stadt' stays part of the role."""
        # also 'Die Bayerische Staatsministerin für Digitales, Judith Gerlach,'
        match = re.search(rf"\b(?:Der|Die|der|die)\s+(?P<phrase>(?:[A-ZÄÖÜ]\w*(?:e|en)\s+)?{orgs.ROLE}"
                          r"(?:\s+(?:der|des|im|beim|für)\s+[^,;.]{3,80}?)?),\s*$", before)
        if not match:
            return
        role, organisation = orgs.split_role(match.group("phrase"))
        start = match.start("phrase")
        if organisation and " " in organisation[0]:
            self._set(speaker, "role", role[0], (start, start + len(role[0])), base)
            position = match.group("phrase").rfind(organisation[1])
            self._set(speaker, "organisation", organisation[0],
                      (start + position, start + position + len(organisation[1])), base)
        else:
            self._set(speaker, "role", match.group("phrase"), match.span("phrase"), base)

    def _after(self, speaker: Speaker, text: str, end: int, base: int, programme: bool = False) -> None:
        """Organisation and role after the name: '(CDO bei der Stadt Y)', ', Leiterin der Y,', 'von der Y'."""
        rest = text[end:]
        pair = re.match(rf"^\s+und\s+{PERSON.pattern}(?=\s*[(,])", rest)
        if pair:  # 'Dr. A und B (Staatsministerium für Digitales)': the organisation of both
            second = Speaker(pair.group("name"), (0, 0))
            self._after(second, text, end + pair.end(), base)
            if second.organisation and not second.role:
                speaker.organisation, speaker.spans["organisation"] = second.organisation, second.spans["organisation"]
            return
        paren = re.match(r"^\s*\((?P<inner>[^)]+)\)", rest)
        if paren:
            self._role_org(speaker, paren.group("inner"), end + paren.start("inner"), base)
            return
        # the article goes, an adjective stays: ', die wissenschaftliche Leiterin des TCG,'
        # and 'neue', 'langjährige' say when, not what: ', die neue Koordinatorin für Digitalisierung,'
        appositive = re.match(r"^\s*(?:,|\s[–—](?=\s))\s*(?:(?:die|der)\s+(?:(?:neuen?|neuer|bisherigen?|langjährigen?|"
                              r"zuständigen?|dortigen?|amtierenden?)\s+)?(?=[A-ZÄÖÜ]|[a-zäöü]+(?:e|er|en)\s+[A-ZÄÖÜ]))?"
                              r"(?P<inner>(?:ehem\.\s+)?[^,;]+?(?:,\s*(?:Stadt|Gemeinde|Landkreis|Kreis)"
                              r"\s+[^,;.]+)?)(?=\s*[,;:)|]|\s+[–—]\s|(?<!\bSt)\.(?:\s|$)|\s*$)", rest)
        if appositive:
            series = orgs.MINISTRY_FIELDS.match(rest, appositive.end("inner"))
            if series and re.search(r"\b(?:für|des)\s+\S+$", appositive.group("inner")):
                # 'Referatsleiterin im Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen,': one name
                appositive = re.match(rf"^(\s*,\s*)(?P<inner>{re.escape(rest[appositive.start('inner'):series.end()])})",
                                      rest)
        if appositive and any(is_first_name(m.group("name").split()[0]) for m in person_candidates(appositive.group("inner"))):
            appositive = None   # 'Landrat A B, Referentin C D und …': the next person, not this one's role
        # a role, or an organisation's name alone ('Matthias Stein, Kultusministerium', 'X, Pfennigparade WKM')
        if appositive and (orgs.ROLE_WORD.search(re.sub(r"^ehem\.\s+", "", appositive.group("inner")).split(",")[0])
                           or re.match(r"^\s*(ehem\.\s+)?[A-Z]{2,5}\b", appositive.group("inner"))
                           or orgs.organisation_alone(appositive.group("inner"))
                           # a programme's line: what follows the name's comma is who the speaker is with
                           or programme and orgs.whole_name(appositive.group("inner"))):
            self._role_org(speaker, appositive.group("inner"), end + appositive.start("inner"), base)
            return
        cell = re.match(r"^\s*\|\s*(?P<inner>[^|]+?)\s*(?=\||$)", rest)
        if cell and (orgs.ROLE_WORD.match(cell.group("inner")) or orgs.organisation_alone(cell.group("inner"))):
            self._role_org(speaker, cell.group("inner"), end + cell.start("inner"), base)   # a table's next cell
            return
        # 'vom beauftragten Planungsbüro X': an adjective between the preposition and the name is not the name
        via = re.match(r"^\s*(?:aus\s+(?:dem|der)\s+[^,.;]{0,60}?\s+)?(?P<preposition>von der|von den|vom|von|bei der|"
                       r"bei den|beim|aus der|aus dem|aus den)\s+(?:[a-zäöü]+(?:en|ten)\s+(?=[A-ZÄÖÜ]))?", rest)
        if via:
            phrase, span = orgs.phrase_at(text, end + via.end())
            if phrase and via.group("preposition").endswith("den"):
                phrase = orgs.dative_plural(phrase)   # 'von den Stadtwerken Selb'

            if phrase and (orgs.ORG_HEAD.search(phrase) or " " in phrase or not self.g.by_name("municipality", phrase)):
                self._set(speaker, "organisation", phrase, span, base)

    def _role_org(self, speaker: Speaker, inner: str, offset: int, base: int) -> None:
        former = re.match(r"^(ehem\.|ehemalige[rn]?|früher(?:e[rn]?)?)\s+", inner)
        if former:
            speaker.former = True
        role, organisation = orgs.split_role(inner[former.end() if former else 0:])
        town = re.fullmatch(rf"(?P<role>{orgs.ROLE})\s+(?P<place>[A-ZÄÖÜ][\w-]+)", role[0]) if role else None
        if town and organisation is None and self.g.by_name("municipality", town.group("place")):
            # '(Gemeindebürgermeister Gleichen)': the role of that municipality
            organisation = (self._town_org(town.group("place")), town.group("place"))
            role = (town.group("role"), town.group("role"))
        if role:
            position = inner.find(role[0])
            self._set(speaker, "role", role[0], (offset + position, offset + position + len(role[0])), base)
        if organisation:
            position = inner.rfind(organisation[1])
            self._set(speaker, "organisation", organisation[0],
                      (offset + max(position, 0), offset + max(position, 0) + len(organisation[1])), base)

    def _back_reference(self, speaker: Speaker, sentence: Sentence) -> None:
        """'Die Referatsleiterin im Kreis Y …' or 'Die Beraterin leitet die Z' in the next sentence."""
        match = re.match(rf"^(?:Die|Der)\s+(?:dortige\s+)?(?P<role>{orgs.ROLE})\s+(?P<link>im|bei der|beim|der|des|"
                         r"leitet die|leitet das|leitet den)\s+", sentence.text)
        if not match:
            return
        if speaker.role is None:
            self._set(speaker, "role", match.group("role"), match.span("role"), sentence.start)
        if speaker.organisation is None:
            phrase, span = orgs.phrase_at(sentence.text, match.end())
            if phrase:
                self._set(speaker, "organisation", phrase, span, sentence.start)

    def _town_org(self, place: str) -> str:
        found = self.g.by_name("municipality", place)
        kind = "Stadt" if found and found[0].category == "town" else "Gemeinde" if found else "Stadt"
        return f"{kind} {found[0].name if found else place}"

    @staticmethod
    def _set(speaker: Speaker, key: str, value: str, span: tuple[int, int], base: int) -> None:
        if key == "role":
            # A role phrase cut before its place keeps no dangling word ('Sachgebietsleiterin für … in'), and
            # 'Projektreferentin von „Smart Country Side“' is a role at an organisation.
            employer = ROLE_AT.search(value)
            if employer and speaker.organisation is None:
                speaker.organisation = employer.group("org")
                start = span[0] + employer.start("org")
                speaker.spans["organisation"] = (base + start, base + start + len(employer.group("org")))
            value = ROLE_TAIL.sub("", RESIDENCE.sub("", value[:employer.start()] if employer else value))
            weak = WEAK_NOUN.match(value)
            if weak:
                value = weak.group("stem") or weak.group("fem") or weak.group("e") + "e"
            span = (span[0], span[0] + len(value))
        setattr(speaker, key, value)
        speaker.spans[key] = (base + span[0], base + span[1])


