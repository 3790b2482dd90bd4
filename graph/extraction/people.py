"""Speakers: names with titles, whether the sentence reports their talk, and their talks; the role and organisation
around a name are graph/extraction/speaker_details.py's."""

from __future__ import annotations

import re

from graph.extraction import orgs
from graph.extraction.names import PERSON, is_first_name, person_candidates
from graph.extraction.speaker_details import LEAD, Speaker, SpeakerDetails
from graph.extraction.talks import QUOTE, TALK_CUE, clause_at, gave_no_talk, names_talk, opens_only
from graph.text.sentences import Sentence, common_noun
from graph.records.gazetteer import Gazetteer

__all__ = ["NOT_A_NAME", "PeopleFinder", "Speaker"]

NOT_A_NAME = {"Chief", "Digital", "Open", "Smart", "Social", "Media", "Data", "Stadt", "Gemeinde", "Land", "Bad",
              "Geschäftsstelle", "Digitale", "Digitaler", "Im", "Am", "Als", "Den", "Die", "Der", "Das", "Ein", "Eine",
              "Einen", "Zum", "Zur", "Mit", "Nach", "Bei", "Ihm", "Ihr", "Dort", "Danach", "Anschließend", "Herr",
              "Frau", "Einladung", "Programm", "Begrüßung", "Vortrag", "Impulsvortrag", "Landrat", "Referentin",
              "Officer", "Dr", "Prof"}




# Who a talk's sentence refers back to, as the subject of a talk's verb in the singular: 'In ihrem Vortrag
# erklärte sie …', 'Er stellte das Projekt vor', 'Die Expertin vom Bitkom sprach über …' ('sprachen sie'
# is a group; 'sprach er mit den Schülern' a conversation).
TALK_VERB = (r"(?:sprach|referierte|erläuterte|erklärte|präsentierte|stellte|berichtete|zeigte|hielt|führte|"
             r"informierte|schilderte|skizzierte)")
PRONOUN = re.compile(rf"\b(?P<verb>{TALK_VERB})\s+(?:sie|er)\b|^(?:Sie|Er)\s+(?P<verb2>{TALK_VERB})\b|"
                     r"\b(?:wo|als|wie|indem)\s+(?:sie|er)\b[^,.;]{0,80}\s(?:vorstellte|präsentierte|erläuterte|"
                     r"erklärte|referierte|berichtete)\b|"
                     r"^(?:Die|Der)\s+(?P<noun>Expert(?:in|e)|Referent(?:in)?|Fach(?:frau|mann)|Wissenschaftler(?:in)?|"
                     rf"Berater(?:in)?|Gründer(?:in)?|Informatiker(?:in)?)\b[^,.;]{{0,80}}?\s(?P<verb3>{TALK_VERB})\b")
# 'A B ist Digitallotsin beim Landkreis Hof.': the role and employer a sentence gives its person.
COPULA = re.compile(r"^\s+(?:ist|war)\s+(?:als\s+)?(?:seit\s+\S+\s+)?(?P<inner>[A-ZÄÖÜ][^,;.]{2,100})")


class PeopleFinder(SpeakerDetails):
    """Finds speakers and what the text says about them."""

    def __init__(self, gazetteer: Gazetteer):
        self.g = gazetteer

    def speakers(self, sentences: list[Sentence], speaker_list: bool = False) -> list[Speaker]:
        """Speakers of talks in these sentences, in order, each once. `speaker_list`: the sentences are a section
        headed 'Referierende', 'Speaker' or the like, where every line that names a person names a speaker."""
        found: list[Speaker] = []
        named: dict[str, tuple[Sentence, re.Match]] = {}   # surname -> where the person was first named in full
        for i, sentence in enumerate(sentences):
            card = self._card(sentences, i) if speaker_list else None
            here = [card] if card else self._in_sentence(sentence, speaker_list)
            if not here and i > 0:
                here = self._by_pronoun(sentence, sentences[i - 1], found)
            for speaker in here + self._by_surname(sentence, named, found + here):
                if speaker.role is None or speaker.organisation is None:
                    following = sentences[i + 1] if i + 1 < len(sentences) else None
                    if following is not None:
                        self._back_reference(speaker, following)
                if not any(s.name == speaker.name for s in found):
                    found.append(speaker)
            self._remember(sentence, named)
        return found

    def _remember(self, sentence: Sentence, named: dict[str, tuple[Sentence, re.Match]]) -> None:
        """Note the people a sentence names in full (first name and surname), by surname, the first time."""
        for match in self._full_names(sentence):
            named.setdefault(match.group("name").split()[-1], (sentence, match))

    def _full_names(self, sentence: Sentence) -> list[re.Match]:
        """The people a sentence names in full: a first name and a surname, not a place or a project."""
        return [m for m in person_candidates(sentence.text) if len(m.group("name").split()) >= 2
                and is_first_name(m.group("name").split()[0]) and not self._not_a_person(
                    m.group("name"), sentence.text, m.start("name"), m.end("name"), [], m.group("honorific"))]

    def _named_speaker(self, first: Sentence, match: re.Match, clause: str) -> Speaker:
        """The speaker of `clause`, named in full by `match` in `first`, with the role and organisation there."""
        start, end = match.start("name"), match.end("name")
        speaker = _speaker(first, first.start, match, match.group("name"), start, end)
        self._before(speaker, first.text, match.start(), first.start)
        self._after(speaker, first.text, end, first.start)
        self._talk(speaker, clause)
        return speaker

    def _by_surname(self, sentence: Sentence, named: dict[str, tuple[Sentence, re.Match]],
                    known: list[Speaker]) -> list[Speaker]:
        """People named in full before and by surname alone in a talk's clause: 'Als Gäste nahmen Regierungs-
        präsidentin A B und C D teil. B gab einen Überblick …, D vertiefte das Thema in einem Vortrag.' Role and
        organisation come from where the name was written in full."""
        found = []
        for surname, (first, match) in named.items():
            if any(s.name.split()[-1] == surname for s in known):
                continue
            alone = re.search(rf"(?<![\w-])(?:(?:Herrn?|Frau)\s+)?{re.escape(surname)}(?![\w-])", sentence.text)
            if alone is None or after_first_name(sentence.text, alone.start()):
                continue
            clause = clause_at(sentence.text, alone.start())
            if not names_talk(clause) or opens_only(clause) or \
                    gave_no_talk(sentence.text, alone.start(), alone.end(), clause):
                continue
            found.append(self._named_speaker(first, match, clause))
        return found

    def _by_pronoun(self, sentence: Sentence, previous: Sentence, known: list[Speaker]) -> list[Speaker]:
        """The one person the sentence before names in full, when this sentence reports a talk by 'sie', 'er' or
        'die Expertin' and names nobody itself; role and organisation from both sentences."""
        match = PRONOUN.search(sentence.text)
        verb = match and (match.group("verb") or match.group("verb2") or match.group("verb3"))
        if verb == "sprach" and not re.search(r"\bsprach\b[^,.;]{0,40}\büber\b", sentence.text):
            return []
        if match is None or any(is_first_name(m.group("name").split()[0]) for m in person_candidates(sentence.text)):
            return []
        clause = clause_at(sentence.text, match.start())
        if not names_talk(clause) or opens_only(clause) or gave_no_talk(sentence.text, match.start(), match.end(), clause):
            return []
        people = self._full_names(previous)
        if len(people) != 1 or any(s.name == people[0].group("name") for s in known):
            return []
        speaker = self._named_speaker(previous, people[0], clause)
        end = people[0].end("name")
        copula = COPULA.match(previous.text[end:])
        if copula and speaker.role is None and speaker.organisation is None:
            self._role_org(speaker, copula.group("inner"), end + copula.start("inner"), previous.start)
        if match.group("noun") and speaker.organisation is None:
            self._after(speaker, sentence.text, match.end("noun"), sentence.start)
        return [speaker]

    def _card(self, sentences: list[Sentence], i: int) -> Speaker | None:
        """A name alone on its line, its role or organisation on the next (a speaker card of an event page)."""
        sentence = sentences[i]
        match = self._card_name(sentence.text)
        if match is None:
            return None
        base = sentence.start + (len(sentence.text) - len(sentence.text.lstrip()))
        speaker = _speaker(sentence, base, match, match.group("name"), match.start("name"), match.end("name"))
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
        for match in person_candidates(text):
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
            if not (names_talk(clause) or programme or listed) or opens_only(clause) or \
                    gave_no_talk(text, match.start(), end, clause):
                continue
            taken = end
            speaker = _speaker(sentence, base, match, name, start, end)
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
        if orgs.ORG_HEAD.search(name) or any(orgs.ROLE_WORD.fullmatch(w) for w in words):
            return True
        if any(self.g.by_name(c, name) for c in ("municipality", "district", "state", "region", "group")):
            return True
        return bool(self.g.state(words[-1]) or words[-1] == "Deutschland")

    def _talk(self, speaker: Speaker, clause: str) -> None:
        speaker.kind = "Impulsvortrag" if re.search(r"Impuls|Keynote|Eröffnungsrede", clause) else "Vortrag"
        for match in QUOTE.finditer(clause):
            if re.search(r"(Projekt|Programms?|Initiative|Plattform)\s*$", clause[:match.start()]):
                continue
            title = (match.group("a") or match.group("b") or match.group("c")).strip()
            if len(title) > 3:
                speaker.title = title
                return


def after_first_name(text: str, position: int) -> bool:
    """True when the word before `position` is a first name: the surname there is part of a full name."""
    before = re.search(r"(\S+)\s+$", text[:position])
    return bool(before and is_first_name(before.group(1)))


def _speaker(sentence: Sentence, base: int, match: re.Match, name: str, start: int, end: int) -> Speaker:
    """A speaker named at text[start:end] of the sentence (clean offset `base`), with the match's title."""
    speaker = Speaker(name, (base + start, base + end), sentence=sentence)
    speaker.spans["name"] = speaker.span
    honorific = " ".join(match.group("honorific").split())
    if honorific:
        speaker.honorific = "Herr" if honorific == "Herrn" else honorific.replace("Herrn ", "Herr ")
        speaker.spans["honorific"] = (base + match.start("honorific"), base + match.end("honorific"))
    return speaker
