"""Place mentions in report text, resolved against the gazetteer, and the choice of an event's place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.records.gazetteer import Gazetteer, Place, normalise
from graph.text.sentences import common_noun
from graph.extraction.names import is_first_name

# A place name: capitalised words, hyphenated parts, "(Mosel)", "am Main", "an der Ruhr", "/Oder".
# 'St. Wendel', 'St. Ingbert': Sankt abbreviated is part of the name.
_WORD = r"(?:St\.\s)?[A-ZÄÖÜ]\w*(?:\.\w+)*(?:-[A-ZÄÖÜ]?\w+)*"
NAME = (rf"{_WORD}(?:\s*/\s*{_WORD}|\s+\([A-ZÄÖÜ][^)]{{1,25}}\)"
        rf"|\s+(?:am|an der|im|in der|bei|ob der|vor der)\s+{_WORD}|\s+{_WORD}){{0,3}}")
KINDS = {
    "verbandsgemeinde": "Verbandsgemeinde", "vg": "Verbandsgemeinde", "samtgemeinde": "Samtgemeinde",
    "verbandsgemeinden": "Verbandsgemeinde", "amt": "Amt", "amtes": "Amt", "verwaltungsgemeinschaft": "Verwaltungsgemeinschaft",
    "landkreis": "Landkreis", "landkreises": "Landkreis", "kreis": "Kreis", "kreises": "Kreis",
    "stadt": "Stadt", "hansestadt": "Stadt", "landeshauptstadt": "Stadt", "universitätsstadt": "Stadt",
    "kreisstadt": "Stadt", "gemeinde": "Gemeinde", "markt": "Gemeinde", "region": "Region",
    "universitäts- und hansestadt": "Stadt",
    # The administration names its place: 'bei der Verbandsgemeindeverwaltung Pirmasens-Land'.
    "verbandsgemeindeverwaltung": "Verbandsgemeinde", "samtgemeindeverwaltung": "Samtgemeinde",
    "amtsverwaltung": "Amt", "stadtverwaltung": "Stadt", "gemeindeverwaltung": "Gemeinde",
}
GROUP_KINDS = {"Verbandsgemeinde", "Samtgemeinde", "Amt", "Verwaltungsgemeinschaft"}
TYPED = re.compile(r"\b(?P<kind>Universitäts- und Hansestadt|" + "|".join(
    k.capitalize() if k != "vg" else "VG" for k in KINDS if " " not in k) + r")\s+(?P<name>" + NAME + ")")
GROUP_LIST = re.compile(r"\b(?:Die\s+)?(?:Gemeinden|Städte|Kommunen)\s+(?P<names>" + NAME + r"(?:\s*,\s*" + NAME
                        + r")*\s+und\s+" + NAME + ")")
HEADING = re.compile(r"^(?P<name>[^:()]{2,60}?)\s*\((?P<state>[^)]{2,40})\)\s*(?::|$)")
LEAD = re.compile(r"^(?P<name>" + NAME + r")\s*:")
DECOY_BEFORE = re.compile(r"(\baus|mit Sitz in|Sitz in|Beispiel[^.]{0,30}|Vorbild[^.]{0,20}|wie in|nach dem Vorbild)\s*$",
                          re.I)
# A place inside an organisation's name ('Entwicklungsagentur Rheinland-Pfalz', 'Städtetag Baden-Württemberg') is
# where the organisation works, seldom whom the event is for.
ORG_BEFORE = re.compile(r"(?:[Aa]gentur|[Vv]erband|[Gg]esellschaft|[Ss]tiftung|[Aa]kademie|[Ii]nstitut|[Mm]inisterium"
                        r"|Städtetag|Landkreistag|Gemeindetag|Städte- und Gemeindebund"
                        # the state as government: 'Fördermittel des Landes Baden-Württemberg', 'Das Land Hessen fördert'
                        r"|\b(?:des|dem|das|vom)\s+Land(?:es)?"
                        # a newspaper's masthead names where it is printed: 'Wochenanzeiger München – Lokales'
                        r"|[Aa]nzeiger|[Zz]eitung|[Tt]ageblatt|[Rr]undschau|[Kk]urier)\s+$")
VENUE_BEFORE = re.compile(r"(Bürgerhaus|Kreishaus|Rathaus|Amtsgebäude|Landratsamt[\w ]*|Stadthalle|Reithalle"
                          r"|Gemeindehaus|Kreisverwaltung)\s+(in\s+)?$")
HOST_VERBS = re.compile(r"\b(lädt|laden|lud|eingeladen|veranstaltet\w*|durchgeführt|abgehalten|Gastgeber\w*|"
                        r"gestartet|trafen|kamen|diskutierte|beschäftigten|hat|haben|war .{0,30} zu Gast)\b")


@dataclass
class Mention:
    """A place mention: clean offsets, the text, candidate places and how much it says about the event."""

    start: int
    end: int
    text: str
    candidates: list[Place]
    score: float
    kind: str | None = None
    state: Place | None = None
    state_span: tuple[int, int] | None = None
    members: list[Place] = field(default_factory=list)


class PlaceFinder:
    """Finds and resolves places with a gazetteer."""

    def __init__(self, gazetteer: Gazetteer):
        self.g = gazetteer
        self._adjectives = None
        self._short: dict[str, list[Place]] | None = None

    def resolve(self, name: str, kind: str | None = None) -> list[Place]:
        """Gazetteer places called `name`; `kind` (Stadt, Landkreis, Verbandsgemeinde …) narrows the category."""
        name = re.sub(r"\s+", " ", name).strip(" ,.")
        written = re.match(r"(Landkreis|Kreis)\s+(?=\w)", name)
        if kind is None and written:
            # The comparison key drops a 'Kreis' in front, so 'Kreis Gütersloh' would find the town first.
            found = self.resolve(name, written.group(1))
            if found:
                return found
        variants = [name]
        # A genitive ('Simbachs', 'des Landkreises Görlitz'); not of a stem under three letters ('Aus' is no Au).
        if re.search(r"\w{3}(es|s)$", name) and kind in ("Landkreis", "Kreis", "Amt", None):
            variants += [re.sub(r"es$", "", name), re.sub(r"s$", "", name)]
        order = {"Verbandsgemeinde": ["group"], "Samtgemeinde": ["group"], "Amt": ["group"],
                 "Verwaltungsgemeinschaft": ["group"], "Landkreis": ["district"], "Kreis": ["district"],
                 "Stadt": ["municipality"], "Gemeinde": ["municipality"], "Region": ["region", "district"]}.get(
            kind or "", ["municipality", "district", "region", "state"])
        for variant in variants:
            if kind in GROUP_KINDS:
                # 'VG Eisenberg' is the Verbandsgemeinde Eisenberg (Pfalz), not Thuringia's Erfüllende Gemeinde
                # Eisenberg: groups by their full and their short name ('Schweich' for Schweich an der Römischen
                # Weinstraße), those of the kind the text names first.
                found = self.g.by_name("group", variant)
                found += [p for p in self._short_names().get(normalise(variant), []) if p.category == "group"
                          and p not in found]
                if found:
                    return [p for p in found if p.kind == kind] or found
                continue
            for category in order:
                if category == "state" and len(variant) <= 3 and not variant.isupper():
                    continue  # 'St' (of 'St. Wendel') is no abbreviation of Sachsen-Anhalt (ST)
                found = self.g.by_name(category, variant)
                if category == "district" and not found and kind:
                    found = self.g.by_name(category, f"{kind} {variant}")
                if found and category == "district" and kind is None:
                    # A bare name is the town's before the district's: 'Offenbach' is Offenbach am Main, the
                    # Landkreis Offenbach is written with its 'Kreis'.
                    towns = [t for t in self._short_names().get(normalise(variant), []) if t.category != "group"]
                    found = towns or found
                if found:
                    return found
        return []

    def _short_names(self) -> dict[str, list[Place]]:
        """Places by the short form of a longer name ('Bingen' for Bingen am Rhein, 'Altenkirchen' for
        Altenkirchen (Westerwald))."""
        if self._short is None:
            self._short = {}
            for place in list(self.g.municipalities.values()) + list(getattr(self.g, "associations", {}).values()):
                short = re.split(r"\s+(?:am|an der|im|in der|ob der|bei|vor der)\s+|\s*\(|\s*/", place.name)[0]
                if short != place.name:
                    self._short.setdefault(normalise(short), []).append(place)
        return self._short

    def alternatives(self, name: str, states: set[str]) -> list[Place]:
        """Places of the text's states that a short name stands for: 'Bingen' for Bingen am Rhein, 'Offenbach'
        for the Verbandsgemeinde Offenbach an der Queich, 'Wonnegau' for a Verbandsgemeinde."""
        name = re.sub(r"\s+", " ", name).strip(" ,.")
        found = self.g.by_name("group", name) + self._short_names().get(normalise(name), [])
        return [p for p in found if p.state_key in states]

    def state(self, text: str) -> Place | None:
        """A federal state named by `text`, or None."""
        return self.g.state(text.strip())

    def mentions(self, text: str, offset: int, heading: bool) -> list[Mention]:
        """Place mentions in one heading or sentence, scored for being the event's place."""
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def add(start, end, candidates, score, kind=None, **extra):
            if candidates and not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append(Mention(offset + start, offset + end, text[start:end], candidates, score, kind, **extra))

        if heading:
            match = HEADING.match(text)
            if match and self.state(match.group("state")):
                name = match.group("name")
                state = self.state(match.group("state"))
                candidates = self.resolve(name) or self.group_from_adjective(name) or self.fuzzy(name, state)
                add(match.start("name"), match.end("name"), candidates, 10, state=state,
                    state_span=(offset + match.start("state"), offset + match.end("state")))
            match = LEAD.match(text)
            if match:
                add(match.start("name"), match.end("name"), self._best_prefix(match.group("name")), 8)
        for match in GROUP_LIST.finditer(text):
            if DECOY_BEFORE.search(text[:match.start()]):
                continue   # 'Als Beispiel dienten die Städte Ulm, Bamberg und Jena': examples, not the hosts
            names = re.split(r"\s*,\s*|\s+und\s+", match.group("names"))
            places = [self.resolve(n)[:1] for n in names]
            if all(places):
                first = match.start("names")
                add(first, first + len(names[0]), places[0], 12, members=[p[0] for p in places[1:]])
        for match in TYPED.finditer(text):
            kind = KINDS.get(match.group("kind").casefold())
            name = match.group("name")
            candidates = self._best_prefix(name, kind)
            if candidates:
                score = (8 if heading else 4) + self._context(text, match.start())
                add(match.start(), match.start("name") + self._prefix_length(name, kind), candidates, score, kind)
        landscapes: list[int] = []
        for match in DEMONYM.finditer(text):  # 'Eichenzeller Einrichtungen', 'Dresdner Stadtrat'
            # Not where the sentence opens: 'Wieder Gäste' is no Wied, 'Unser Ziel' no Uns.
            candidates = self._from_demonym(match.group("word")) if text[:match.start()].strip() else []
            if candidates and self.resolve(re.match(r"\S+\s+[\w-]+", text[match.start():]).group(0)):
                candidates = []   # a name of its own, read whole below: 'Altenburger Land' is a district
            landscape = LANDSCAPE.match(text, match.end("word"))
            if landscape:
                # A landscape named after a town: 'Oldenburger Münsterland' is not Oldenburg, 'Lüneburger Heide'
                # neither Lüneburg nor the town of Heide.
                candidates, landscapes = [], landscapes + [landscape.start("noun")]
            if candidates:
                add(match.start(), match.end("word"), candidates, 0.5 + self._context(text, match.start()))
        for match in _starts(NAME, text):
            if is_first_name_before(text, match.start()) or match.start() in landscapes:
                continue   # 'Antje Pohl': a surname, not the town of that name; 'Lüneburger Heide': a landscape
            candidates = self._best_prefix(match.group(0))
            if candidates and _common_word(text, match.start(), self._prefix_length(match.group(0)), candidates):
                continue
            if candidates and not (match.start() == 0 and not heading and text[len(match.group(0)):][:1] in ".,"):
                score = (6 if heading else 1) + self._context(text, match.start())
                add(match.start(), match.start() + self._prefix_length(match.group(0)), candidates, score)
            elif candidates:
                add(match.start(), match.end(), candidates, 0.5)  # a dateline: where the press office sits
        return found

    def _from_demonym(self, word: str) -> list[Place]:
        """The municipality an adjective in -er is made from: Eichenzeller, Kölner, Dresdner, Bremer."""
        stem = word[:-2]
        for name in (stem, stem + "en") + ((stem[:-1] + "en",) if stem.endswith("n") else ()):
            found = self.g.by_name("municipality", name)
            if found:
                return found
        return []

    def fuzzy(self, name: str, state: Place | None) -> list[Place]:
        """A municipality of `state` whose name is a near miss of `name` (a typo in a heading)."""
        if state is None or len(name) < 5:
            return []
        choices = {p.key: p.name for p in self.g.municipalities.values() if p.state_key == state.key}
        best = process.extractOne(name, choices, scorer=fuzz.ratio, score_cutoff=90)
        return [self.g.municipalities[best[2]]] if best else []

    def _context(self, text: str, start: int) -> float:
        before = text[max(0, start - 45):start]
        if DECOY_BEFORE.search(before.rstrip("derm ")) or DECOY_BEFORE.search(before):
            return -20
        if VENUE_BEFORE.search(before):
            return -0.5
        if ORG_BEFORE.search(before):
            return -3
        score = 0.0
        if re.search(r"\b(in|nach|im)\s+(der\s+|dem\s+)?$", before):
            score += 2
        elif re.search(r"(?:[Ss]trategie|[Kk]onzept)\s+für\s+(?:die|den|das)?\s*$", before):
            score += 2  # 'eine Digitalstrategie für die Verbandsgemeinde Schweich': whom the event is for
        if HOST_VERBS.search(text):
            score += 1
        return score

    def _best_prefix(self, name: str, kind: str | None = None) -> list[Place]:
        words = name.split()
        for n in range(len(words), 0, -1):
            found = self.resolve(" ".join(words[:n]), kind)
            if found:
                return found
        return []

    def _prefix_length(self, name: str, kind: str | None = None) -> int:
        words = name.split()
        for n in range(len(words), 0, -1):
            if self.resolve(" ".join(words[:n]), kind):
                return len(" ".join(words[:n]))
        return len(name)

    def group_from_adjective(self, name: str) -> list[Place]:
        """'Lippische Kommunen' -> a group of the municipalities of Kreis Lippe."""
        match = re.match(r"^(?P<adjective>[A-ZÄÖÜ]\w+?isch)(e|en)\s+(Kommunen|Gemeinden|Städte)$", name.strip())
        if not match:
            return []
        if self._adjectives is None:
            self._adjectives = {}
            for district in self.g.districts.values():
                short = re.sub(r"^(Landkreis|Kreis)\s+", "", district.name)
                self._adjectives.setdefault(re.sub(r"e$", "", short).casefold() + "isch", district)
        district = self._adjectives.get(match.group("adjective").casefold())
        if district is None:
            return []
        return [Place("group", normalise(name).replace(" ", "-"), name.strip(), district_key=district.key,
                      state_key=district.state_key, district_name=district.name, kind="Kommunalverbund")]


# A place adjective before a capitalised noun; the noun keeps 'Hamburger' or 'Berliner' alone from counting.
DEMONYM = re.compile(r"(?<![\w-])(?P<word>[A-ZÄÖÜ][a-zäöüß]{2,}er)\s+[A-ZÄÖÜ][a-zäöüß]")
# A landscape's noun after a place adjective: the region around or near the town, not the town.
LANDSCAPE = re.compile(r"\s+(?P<noun>[A-ZÄÖÜ][a-zäöüß]*land|Heide|Börde|Marsch|Seenplatte|Schweiz|Bucht)\b")
# Words that open a sentence far more often than they name the municipality of the same name.
SENTENCE_WORDS = {"Acht", "Weil", "Meine", "Ohne", "Aus", "Au", "Horst"}
# An article (also in 'im', 'zum') right before a lone word makes it a noun ('an dieser Stelle', 'im Saal'); a
# town's name goes without one ('das digitale Ulm' has an adjective between), a district's or a region's may
# not ('die Uckermark', 'im Allgäu').
ARTICLE_BEFORE = re.compile(r"\b(?:[Dd](?:er|ie|as|en|em|es|iese[mnrs]?)|[IiAa]m|[Zz]u[mr]|[Vv]om|[Bb]eim|"
                            r"[Ee]ine?[mnrs]?|[Jj]ede[mnrs]?|[Uu]nsere[mnrs]?)\s+$")
PLACE_BEFORE = re.compile(r"\b(?:in|nach|aus|bei|von|vom|zu|für|über|bis|ab|Stadt|Gemeinde|Markt)\s+$", re.I)
SHORT_LINE = 40       # a list item or a heading of a name alone


def _common_word(text: str, start: int, length: int, candidates: list[Place]) -> bool:
    """True when a one-word mention of a municipality reads as an ordinary German word here."""
    word = text[start:start + length]
    if " " in word or any(p.category not in ("municipality", "town") for p in candidates):
        return False
    if word in SENTENCE_WORDS and not text[:start].strip():
        return True
    before = text[max(0, start - 30):start]
    if ARTICLE_BEFORE.search(before):
        return True  # an article right before it: 'die Burg', 'an dieser Stelle', 'im Saal'
    # A word the lexicon knows as a common noun ('Bescheid gibt es …', 'ihr Wissen', 'Wetter- und Klima…') names
    # the town only after a preposition of place ('in Wissen') or alone on a line (a list of member towns).
    return common_noun(word.rstrip("-")) and not PLACE_BEFORE.search(before) and len(text) > SHORT_LINE


def _starts(pattern: str, text: str):
    """Matches of `pattern` at every capitalised word, so 'In Bautzen' still yields 'Bautzen'."""
    compiled = re.compile(pattern)
    for word in re.finditer(r"(?<![\w.-])[A-ZÄÖÜ]", text):
        match = compiled.match(text, word.start())
        if match:
            yield match


def is_first_name_before(text: str, start: int) -> bool:
    """Whether the word just before `start` is a German first name (the name at `start` is then a surname)."""
    before = re.search(r"\b([A-ZÄÖÜ][a-zäöüß]+)\s+$", text[max(0, start - 30):start])
    return before is not None and is_first_name(before.group(1))
