"""Speakers: names with titles, their organisation and role in the usual German orders, and their talks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extraction import orgs
from graph.extraction.names import is_first_name
from graph.extraction.talks import QUOTE, TALK_CUE, clause_at, gave_no_talk, opens_only
from graph.text.sentences import Sentence, common_noun
from graph.records.gazetteer import Gazetteer

HONORIFIC = r"(?:Herrn?|Frau|Prof\.|Professorin|Professor|Dr\.(?:-Ing\.)?|Dipl\.-\w+\.|PD)"
# Letters of names from all over Europe and Turkey ('Çelik', 'Yıldız', 'Łukasz'), not only German ones.
_UP = "A-ZÄÖÜÀ-ÖØ-ÞĆČĐŁŚŠŞŻŽ"
_LOW = "a-zäöüßà-öø-ÿāăąćčďđēęěğıłńňōőřśşšţťūůűźżž"
_CAP = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
PERSON = re.compile(rf"(?P<honorific>(?:{HONORIFIC}\s+)*)(?P<name>{_CAP}(?:\s+{_CAP})?(?:\s+[{_UP}]\.)?(?:\s+(?:von|van|de|zu)"
                    rf"(?=\s+[{_UP}][{_LOW}]+(?!\w|[.@]\w|\s+(?:der|dem|des)\b)))?\s+{_CAP})"
                    r"(?!\w)")
# 'Herr Dr. Gisch', 'Frau Selzer': a surname alone, named so by Herr or Frau.
SURNAME = re.compile(rf"(?P<honorific>(?:Herrn?|Frau)\s+(?:(?:Prof\.|Dr\.(?:-Ing\.)?)\s+)*)(?P<name>{_CAP})"
                     rf"(?!\w|\s+[{_UP}][{_LOW}])")
NOT_A_NAME = {"Chief", "Digital", "Open", "Smart", "Social", "Media", "Data", "Stadt", "Gemeinde", "Land", "Bad",
              "Geschäftsstelle", "Digitale", "Digitaler", "Im", "Am", "Als", "Den", "Die", "Der", "Das", "Ein", "Eine",
              "Einen", "Zum", "Zur", "Mit", "Nach", "Bei", "Ihm", "Ihr", "Dort", "Danach", "Anschließend", "Herr",
              "Frau", "Einladung", "Programm", "Begrüßung", "Vortrag", "Impulsvortrag", "Landrat", "Referentin",
              "Officer", "Dr", "Prof"}


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


class PeopleFinder:
    """Finds speakers and what the text says about them."""

    def __init__(self, gazetteer: Gazetteer):
        self.g = gazetteer

    def speakers(self, sentences: list[Sentence], speaker_list: bool = False) -> list[Speaker]:
        """Speakers of talks in these sentences, in order, each once. `speaker_list`: the sentences are a section
        headed 'Referierende', 'Speaker' or the like, where every line that names a person names a speaker."""
        found: list[Speaker] = []
        for i, sentence in enumerate(sentences):
            card = self._card(sentences, i) if speaker_list else None
            for speaker in [card] if card else self._in_sentence(sentence, speaker_list):
                if speaker.role is None or speaker.organisation is None:
                    following = sentences[i + 1] if i + 1 < len(sentences) else None
                    if following is not None:
                        self._back_reference(speaker, following)
                if not any(s.name == speaker.name for s in found):
                    found.append(speaker)
        return found

    def _card(self, sentences: list[Sentence], i: int) -> Speaker | None:
        """A name alone on its line, its role or organisation on the next (a speaker card of an event page)."""
        sentence = sentences[i]
        match = self._card_name(sentence.text)
        if match is None:
            return None
        base = sentence.start + (len(sentence.text) - len(sentence.text.lstrip()))
        speaker = Speaker(match.group("name"), (base + match.start("name"), base + match.end("name")),
                          sentence=sentence)
        speaker.spans["name"] = speaker.span
        if match.group("honorific").strip():
            speaker.honorific = " ".join(match.group("honorific").split())
        following = sentences[i + 1] if i + 1 < len(sentences) else None
        if following is not None and following.block is not sentence.block and len(following.text) <= 120 \
                and not self._card_name(following.text):
            self._role_org(speaker, following.text.strip(), following.text.find(following.text.strip()),
                           following.start)
        return speaker

    def _card_name(self, text: str) -> re.Match | None:
        """The person a line names and nothing else ('Prof. Dr. A B'), with a first name in front."""
        match = PERSON.fullmatch(text.strip().rstrip(","))
        if not match or not is_first_name(match.group("name").split()[0]) or self._not_a_person(
                match.group("name"), text, match.start("name"), match.end("name"), [], match.group("honorific")):
            return None
        return match

    def _in_sentence(self, sentence: Sentence, speaker_list: bool = False) -> list[Speaker]:
        text, base = sentence.text, sentence.start
        quoted = [(m.start(), m.end()) for m in QUOTE.finditer(text)]
        tags = {t.start - base: t.tag for t in sentence.tokens}
        speakers, taken = [], 0
        for match in _candidates(text):
            start, end = match.start("name"), match.end("name")
            name = match.group("name")
            if match.start() < taken:
                continue
            particle = re.search(r"\s(?:von|van|de|zu)\s", name)
            if particle and not is_first_name(name[:particle.start()].split()[-1]):
                # 'Lena Vogt von Microsoft': a surname before 'von' ends the name; 'Hans-Georg von Arnim' keeps it
                name, end = name[:particle.start()], start + particle.start()
            words = name.split()
            if len(words) == 3 and not is_first_name(words[0]) and is_first_name(words[1]):
                continue  # 'der Landgemeinde Buttstädt Hendrik Blose': the name starts at the first name
            if len(words) == 3 and is_first_name(words[0]) and words[1][0].isupper() and not is_first_name(words[1]) \
                    and common_noun(words[2]):
                # 'zeigte Hendrik Schaus Möglichkeiten auf': the object follows the name
                two = re.match(r"\S+\s+\S+", text[start:])
                name, end = two.group(0), start + two.end()
            # HanTa tags rare surnames as common nouns; a German first name in front settles it.
            if (" " in name and tags.get(start, "NE") not in ("NE", "FM") and not is_first_name(name.split()[0])) or \
                    self._not_a_person(name, text, start, end, quoted, match.group("honorific")):
                continue
            clause = clause_at(text, start)
            # A programme line 'Prof. Dr. A B, TU München' or 'A und B (Ministerium): Titel' names its speakers.
            programme = (sentence.block.kind == "item" or speaker_list) and match.start() < 40 \
                and is_first_name(name.split()[0]) \
                and re.match(r"^\s*(?:,|\(|:|\||und\s|–)", text[end:])
            # 'Mit Vorträgen dabei: A, X; B, Y': the talk named before the colon is every listed person's
            colon = text.find(":")
            listed = 0 <= colon < start and bool(TALK_CUE.search(text[:colon]))
            if not (TALK_CUE.search(clause) or programme or listed) or opens_only(clause) or \
                    gave_no_talk(text, match.start(), end, clause):
                continue
            taken = end
            speaker = Speaker(name, (base + start, base + end), sentence=sentence)
            honorific = " ".join(match.group("honorific").split())
            if honorific:
                speaker.honorific = "Herr" if honorific == "Herrn" else honorific.replace("Herrn ", "Herr ")
                speaker.spans["honorific"] = (base + match.start("honorific"), base + match.end("honorific"))
            speaker.spans["name"] = speaker.span
            self._before(speaker, text, match.start(), base)
            self._after(speaker, text, end, base, bool(programme))
            self._talk(speaker, clause)
            speakers.append(speaker)
        self._lead(speakers, text, base)
        return speakers

    def _lead(self, speakers: list[Speaker], text: str, base: int) -> None:
        """'Aus dem Projektteam des X stellten A und B …', 'Für den Zweckverband Y sprechen …': an organisation in
        front of the verb is the one all the sentence's speakers speak for."""
        lead = LEAD.match(text)
        if not lead:
            return
        phrase, span = orgs.phrase_at(text, lead.end())
        if not phrase or not (orgs.ORG_HEAD.search(phrase) or re.search(r"[Tt]eam\b", phrase)
                              or orgs.ACRONYM.search(phrase)):
            return
        for speaker in speakers:
            if speaker.organisation is None and speaker.span[0] - base >= span[1] \
                    and is_first_name(speaker.name.split()[0]):
                self._set(speaker, "organisation", phrase, span, base)

    def _not_a_person(self, name, text, start, end, quoted, honorific) -> bool:
        words = name.split()
        if words[0] in NOT_A_NAME or words[-1] in NOT_A_NAME or any(s <= start < e for s, e in quoted):
            return True
        # a role noun is never part of a name: 'Sömmerdas Bürgermeister' is a title without its name
        if orgs.ORG_HEAD.search(name) or orgs.ROLE_WORD.fullmatch(words[0]) or orgs.ROLE_WORD.fullmatch(words[-1]):
            return True
        if any(self.g.by_name(c, name) for c in ("municipality", "district", "state", "region", "group")):
            return True
        return bool(self.g.state(words[-1]) or words[-1] == "Deutschland")

    def _before(self, speaker: Speaker, text: str, start: int, base: int) -> None:
        """Roles before the name: 'Projektleiterin X', 'Eckernförde-Bürgermeister X', 'der ehemalige OB von Y, X'."""
        before = text[:start]
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
                              r"\s+[^,;.]+)?)(?=\s*[,;:)|]|\s+[–—]\s|\.(?:\s|$)|\s*$)", rest)
        if appositive:
            series = orgs.MINISTRY_FIELDS.match(rest, appositive.end("inner"))
            if series and re.search(r"\b(?:für|des)\s+\S+$", appositive.group("inner")):
                # 'Referatsleiterin im Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen,': one name
                appositive = re.match(rf"^(\s*,\s*)(?P<inner>{re.escape(rest[appositive.start('inner'):series.end()])})",
                                      rest)
        if appositive and any(is_first_name(m.group("name").split()[0]) for m in _candidates(appositive.group("inner"))):
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
        via = re.match(r"^\s*(?:aus\s+(?:dem|der)\s+[^,.;]{0,60}?\s+)?(?:von der|von den|vom|von|bei der|bei den|beim|"
                       r"aus der|aus dem|aus den)\s+", rest)
        if via:
            phrase, span = orgs.phrase_at(text, end + via.end())
            if phrase and via.group(0).rstrip().endswith("den"):
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

    def _talk(self, speaker: Speaker, clause: str) -> None:
        speaker.kind = "Impulsvortrag" if re.search(r"Impuls|Keynote|Eröffnungsrede", clause) else "Vortrag"
        for match in QUOTE.finditer(clause):
            if re.search(r"(Projekt|Programms?|Initiative|Plattform)\s*$", clause[:match.start()]):
                continue
            title = (match.group("a") or match.group("b") or match.group("c")).strip()
            if len(title) > 3:
                speaker.title = title
                return

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
            value = ROLE_TAIL.sub("", value[:employer.start()] if employer else value)
            span = (span[0], span[0] + len(value))
        setattr(speaker, key, value)
        speaker.spans[key] = (base + span[0], base + span[1])


# 'Aus dem Projektteam des X stellten …', 'Für den Zweckverband Y sprechen …': whom the sentence's speakers speak for.
LEAD = re.compile(r"^\s*(?:Aus|Für|Vom|Von)\s+(?:(?:dem|der|den|das)\s+)?(?=[A-ZÄÖÜ])")
ROLE_TAIL = re.compile(r"(?:\s+(?:in|im|bei|beim|von|vom|der|des|am|an|für|und|zu|zum|zur))+\s*$")
ROLE_AT = re.compile(r"\s+von\s+[„\"](?P<org>[^“”\"]{2,60})[“”\"]")


def _candidates(text: str):
    """Person-shaped matches, trying every capitalised word as a start so 'Projektleiter X Y' still finds X Y."""
    for word in re.finditer(rf"(?<![\w.-])[{_UP}]", text):
        match = SURNAME.match(text, word.start()) or PERSON.match(text, word.start())
        if match:
            yield match
