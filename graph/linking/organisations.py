"""One organisation, one IRI, across reports: which organisation names name the same organisation.

Records write an organisation's name as the report does: with or without its legal form, with
other spacing or case ("aconium GmbH" / "aconium", "atene KOM GmbH" / "ateneKOM GmbH"). Names are
compared by a normalised form (`normalise`): case-folded, German letters transliterated (ä → ae,
ß → ss), a trailing legal form dropped (e.V., GmbH, gGmbH, mbH, AG, eG, KdöR, SE, "GmbH & Co. KG" …)
and spaces, hyphens and punctuation ignored. Words in parentheses stay: "Stadt Halle (Westf.)" is
not "Stadt Halle".

- Names with the same normalised form are one organisation, across all record files of a build.
- Names whose normalised forms differ but that look alike are candidates for the steward (data/links/
  organisations.yaml, `kommunalgraph organisations`), kept apart until decided: `same` joins them,
  `different` keeps them apart, and no later run changes a decision. Two names look alike when
  * the words of one are a run of the other's words ("Stadt Hattersheim" / "Stadt Hattersheim am
    Main", "Detecon" / "Detecon International"), or
  * rapidfuzz's token_set_ratio of their words is at least NEAR = 95. It is 100 when the words of one
    are among the other's in any order ("Fraunhofer IESE" / "Fraunhofer-Institut für Experimentelles
    Software Engineering (IESE)"), and near 100 for a misspelt word. Not 90: in the published data
    (issue 14) the pairs at 90 to 94 were all different organisations sharing a place name ("VHS
    Schleswig-Holstein" / "Ministerium für Inneres … des Landes Schleswig-Holstein"), and there was
    none between 95 and 99; below 90 are "Landkreis Cham" / "Landkreis Hof" and the like.
  Only names that share the rarest word of either, its first or last five letters, or their second
  rarest word when that is in at most COMMON names are compared, so a national build does not compare
  every pair ("Gemeinde Adelsried" meets "Gemeinde Adelsriedt" by "^adels", not every other Gemeinde
  by "gemeinde"); a name misspelt at both ends of its rarest word is therefore not found.

The key of an organisation's IRI ({base}id/organisation/{key}) is the slug of its name without
the legal form; when its names give several such slugs ("atene-kom" / "atenekom", or the names a
`same` decision joins) the alphabetically first. So an organisation named one way only keeps the
IRI it had before this module (the slug of its name) unless the name carries a legal form; the
mapper points a moved IRI to the new one (dcterms:isReplacedBy, a 301).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from graph.iri import slug
from graph.records.record import Record

NEAR = 95
# A word in more names than this is not compared by when the name has a rarer one: at national
# scale "gemeinde" is in thousands of names, and pairing by it compared every Gemeinde with every other.
COMMON = 50
AFFIX = 5   # letters at either end of a name's rarest word that block a misspelling with its right spelling
# A legal form at the end of a name, after a space or comma: the longest forms first.
_LEGAL_FORM = re.compile(
    r"[\s,]+(?:gmbh\s*&\s*co\.?\s*kg(?:aa)?|ggmbh|gmbh|mbh|g?ag|e\.\s?v\.?|ev|e\.?\s?g\.?|kd[öo]e?r|a[öo]e?r|"
    r"k[öo]e?r|se|ug(?:\s*\(haftungsbeschr(?:ä|ae)nkt\))?|gbr|ohg|kg)\W*$", re.IGNORECASE)
_GERMAN = (("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))


def without_legal_form(name: str) -> str:
    """The name without a trailing legal form: 'Digitalagentur Thüringen GmbH' → 'Digitalagentur Thüringen'."""
    short = _LEGAL_FORM.sub("", name.strip())
    return short if short.strip() else name.strip()


def words(name: str) -> tuple[str, ...]:
    """The folded words of a name without its legal form: 'Büro-Haus GmbH' → ('buero', 'haus')."""
    text = unicodedata.normalize("NFC", without_legal_form(name))
    for plain, folded in _GERMAN:
        text = text.replace(plain, folded)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return tuple(re.findall(r"[a-z0-9]+", text.casefold()))


def normalise(name: str) -> str:
    """The form names are compared by: 'atene KOM GmbH' and 'ateneKOM GmbH' → 'atenekom'."""
    return "".join(words(name))


def key_of(names) -> str:
    """The IRI key of an organisation written with `names`: the alphabetically first slug without legal form."""
    return min(slug(without_legal_form(name)) or slug(name) for name in names)


def names_in(record: Record) -> list[str]:
    """Every organisation name the record writes: publisher, organisations, owners, organisers, speakers'."""
    found = [record.report["publisher"]]
    for spec in record.data.get("organisations", []):
        found += [spec["name"], spec.get("part_of")]
    found += [spec.get("owner") for spec in record.data.get("strategies", [])]
    for event in record.events:
        found += event.get("organisers", [])
        found += [s.get("organisation") for talk in event.get("talks", []) for s in talk.get("speakers", [])]
    return [name for name in found if name]


@dataclass
class Organisation:
    """The names of one normalised form, and the reports that write them."""

    names: dict[str, list[str]]       # name → report keys

    @property
    def name(self) -> str:
        """The name most reports write (ties: the alphabetically first)."""
        return min(self.names, key=lambda n: (-len(self.names[n]), n))

    @property
    def reports(self) -> list[str]:
        """Every report that names it."""
        return sorted({r for reports in self.names.values() for r in reports})


@dataclass
class Candidate:
    """Two organisations that may be one; the steward decides."""

    first: Organisation
    second: Organisation
    why: str
    decision: str = "open"

    @property
    def key(self) -> frozenset[str]:
        """The pair of normalised names, as decisions are looked up."""
        return frozenset({normalise(self.first.name), normalise(self.second.name)})


@dataclass
class Resolution:
    """The IRI key of every name, the candidates, and decisions that contradict each other."""

    keys: dict[str, str] = field(default_factory=dict)              # name → organisation key
    candidates: list[Candidate] = field(default_factory=list)       # undecided and decided ones
    contradictions: list[tuple[str, str]] = field(default_factory=list)   # kept `different`, joined by `same`

    @property
    def open(self) -> list[Candidate]:
        """The candidates no steward has decided yet."""
        return [c for c in self.candidates if c.decision == "open"]

    @property
    def organisations(self) -> int:
        """How many organisations the names are."""
        return len(set(self.keys.values()))


def resolve(names: dict[str, list[str]], decisions: dict[frozenset[str], str] | None = None) -> Resolution:
    """Group `names` (name → reports) into organisations with the rules above and the steward's `decisions`."""
    decisions = decisions or {}
    groups: dict[str, Organisation] = {}
    for name, reports in sorted(names.items()):
        groups.setdefault(normalise(name), Organisation({})).names[name] = list(reports)
    out = Resolution()
    for a, b, why in look_alike(groups):
        decision = decisions.get(frozenset({a, b}), "open")
        out.candidates.append(Candidate(groups[a], groups[b], why, decision))
    parent = {form: form for form in groups}

    def root(form: str) -> str:
        while parent[form] != form:
            parent[form] = parent[parent[form]]
            form = parent[form]
        return form

    for pair, decision in sorted(decisions.items(), key=lambda item: sorted(item[0])):
        if decision == "same" and len(pair) == 2 and pair <= groups.keys():
            a, b = sorted(pair)
            parent[root(a)] = root(b)
    for pair, decision in decisions.items():
        if decision == "different" and len(pair) == 2 and pair <= groups.keys() and len({root(f) for f in pair}) == 1:
            out.contradictions.append(tuple(sorted(groups[f].name for f in pair)))
    # A pair that other `same` decisions already joined is no question any more.
    out.candidates = [c for c in out.candidates if c.decision != "open" or len({root(f) for f in c.key}) == 2]
    joined: dict[str, list[str]] = {}
    for form, group in groups.items():
        joined.setdefault(root(form), []).extend(group.names)
    for members in joined.values():
        key = key_of(members)
        out.keys.update({name: key for name in members})
    return out


def look_alike(groups: dict[str, Organisation]) -> list[tuple[str, str, str]]:
    """(normalised name, normalised name, why) of every two organisations whose names look alike."""
    tokens = {form: words(group.name) for form, group in groups.items()}
    postings: dict[str, set[str]] = {}
    for form, toks in tokens.items():
        for token in set(toks):
            postings.setdefault(token, set()).add(form)
    rarest = {form: sorted(set(toks), key=lambda t: (len(postings[t]), t)) for form, toks in tokens.items() if toks}
    affixes: dict[str, set[str]] = {}
    for form, ranked in rarest.items():
        for key in _affixes(ranked[0]):
            affixes.setdefault(key, set()).add(form)
    pairs = set()
    for form, ranked in rarest.items():
        blocks = [postings[ranked[0]], *(affixes[key] for key in _affixes(ranked[0]))]
        blocks += [postings[t] for t in ranked[1:2] if len(postings[t]) <= COMMON]
        for block in blocks:
            pairs.update(tuple(sorted((form, other))) for other in block if other != form)
    found = []
    for a, b in sorted(pairs):
        why = _why(tokens[a], tokens[b])
        if why:
            found.append((a, b, why))
    return found


def _affixes(word: str) -> list[str]:
    """Blocking keys that a misspelt long word shares with its right spelling: its first and last letters."""
    return [f"^{word[:AFFIX]}", f"{word[-AFFIX:]}$"] if len(word) > AFFIX else []


def _why(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    short, long = sorted((a, b), key=len)
    if any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1)):
        return "one name contains the other"
    score = fuzz.token_set_ratio(" ".join(a), " ".join(b))
    if score >= NEAR:
        return "the words of one name are among the other's" if score == 100 else f"names nearly alike ({score:.0f})"
    return None
