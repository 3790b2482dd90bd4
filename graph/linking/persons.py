"""One person, one IRI, across reports: which speaker mentions name the same person.

Records name speakers as reports do: with or without a title, with initials, with the organisation
and role of the day. Names are compared without titles and with German letters folded ("Dr. Jörg
Müller" = "Jörg Mueller"); an initial agrees with a given name it starts ("J. Müller"). Whether two
agreeing names are one person is decided by evidence, never by the name alone against evidence:

- same organisation → the same person (two spellings of one organisation, graph/linking/organisations.py,
  are the same organisation);
- the same full name and no second organisation to contradict it → the same person;
- otherwise (organisations differ, or only an initial agrees) → a candidate for the steward, kept
  apart until decided.

The steward's decisions live in data/links/persons.yaml (`kommunalgraph persons` lists the open
candidates there); `same` merges, `different` keeps apart, and no later run changes a decision.
A mention is never merged into two people whom the decisions keep apart.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from graph.iri import slug

# Titles and forms of address before a name ("Prof. Dr.-Ing.", "Frau"), each ending at a dot or a word
# boundary, so that "Frauke" keeps its name.
_TITLE = re.compile(r"^(?:(?:prof|dr|dipl|ing|rer|nat|phil|med|jur|habil|h\.\s*c|herrn?|frau|mdb|mdl)(?:\.|\b)[\s-]*)+",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One speaker as one record names them."""

    report: str              # the record's key
    where: str               # its path in the record: events[0].talks[1].speakers[0]
    name: str
    organisation: str = ""
    role: str = ""
    explicit_id: str = ""    # an `id` the record gives: kept as it is

    @property
    def ref(self) -> str:
        """How the decision file names the mention."""
        return f"{self.report}#{self.where}"

    @property
    def described(self) -> str:
        """How a steward recognises the mention."""
        return f"{self.name} ({self.organisation or 'ohne Organisation'}; {self.report})"


@lru_cache(maxsize=65536)  # a national build compares a few thousand names many times
def name_parts(name: str) -> tuple[tuple[str, ...], str]:
    """(given names, surname) without titles, folded: 'Dr. Jörg Müller' → (('joerg',), 'mueller')."""
    tokens = [slug(token) for token in _TITLE.sub("", name.strip()).replace(".", ". ").split()]
    tokens = [token for token in tokens if token]
    if not tokens:
        return (), ""
    return tuple(tokens[:-1]), tokens[-1]


def names_agree(first: str, second: str) -> str | None:
    """'full' if the names are the same, 'initial' if they agree only by an initial (or one gives
    the surname alone), None if they name different people."""
    (given_a, surname_a), (given_b, surname_b) = name_parts(first), name_parts(second)
    if not surname_a or surname_a != surname_b:
        return None
    if not given_a or not given_b:
        return "initial"
    a, b = given_a[0], given_b[0]
    if a == b:
        return "full" if len(a) > 1 else "initial"
    if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return "initial"
    return None


@dataclass
class Candidate:
    """Two mentions that may be one person; the steward decides."""

    first: Mention
    second: Mention
    why: str
    decision: str = "open"

    @property
    def key(self) -> frozenset[str]:
        """The pair, as decisions are looked up."""
        return frozenset({self.first.ref, self.second.ref})


class PersonKeys(dict):
    """Mention ref → person key (a dict, as the mapper reads it), and `names`: person key → the one
    name its label takes. A person has exactly one name (the shapes), but reports spell it
    differently ("Anna Schmidt", "A. Schmidt"); each spelling stays a skos:altLabel."""

    def __init__(self, keys: dict[str, str] | None = None, names: dict[str, str] | None = None):
        super().__init__(keys or {})
        self.names = names or {}


def label_name(names) -> str:
    """The fullest of a person's spellings: fewest initials, then longest, then alphabetical."""
    return min(names, key=lambda n: (sum(word.endswith(".") for word in n.split()), -len(n), n))


def person_keys_with_names(mentions: list[Mention], keys: dict[str, str]) -> PersonKeys:
    """`keys` with the label name of every person the mentions give."""
    spellings: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.ref in keys:
            spellings.setdefault(keys[mention.ref], set()).add(mention.name)
    return PersonKeys(keys, {key: label_name(names) for key, names in spellings.items()})


@dataclass
class Resolution:
    """The person key of every mention, and the candidates the steward has to look at."""

    keys: dict[str, str] = field(default_factory=dict)           # mention ref → person key
    candidates: list[Candidate] = field(default_factory=list)    # undecided and decided ones

    @property
    def open(self) -> list[Candidate]:
        """The candidates no steward has decided yet."""
        return [c for c in self.candidates if c.decision == "open"]


def mentions_in(record) -> list[Mention]:
    """The speaker mentions of one record."""
    found = []
    for i, event in enumerate(record.events):
        for j, talk in enumerate(event.get("talks", [])):
            for k, spec in enumerate(talk.get("speakers", [])):
                found.append(Mention(record.key, f"events[{i}].talks[{j}].speakers[{k}]", spec["name"],
                                     spec.get("organisation", ""), spec.get("role", ""), spec.get("id", "")))
    return found


def resolve(mentions: list[Mention], decisions: dict[frozenset[str], str] | None = None,
            organisations: dict[str, str] | None = None) -> Resolution:
    """Group `mentions` into persons with the rules above and the steward's `decisions`;
    `organisations` gives the organisation key of each organisation name."""
    decisions = decisions or {}
    organisations = organisations or {}
    organisation_of = {m.ref: organisations.get(m.organisation) or slug(m.organisation) for m in mentions}
    mentions = sorted(mentions, key=lambda m: (m.report, m.where))
    out = Resolution()
    groups: dict[str, str] = {m.ref: m.ref for m in mentions}
    blocks: dict[str, list[Mention]] = {}
    for mention in mentions:   # only names with the same surname are compared
        blocks.setdefault(name_parts(mention.name)[1], []).append(mention)
    for block in blocks.values():
        _resolve_block(block, decisions, groups, out.candidates, organisation_of)
    out.keys = _keys(mentions, lambda ref: _root(groups, ref))
    return out


def _root(groups: dict[str, str], ref: str) -> str:
    while groups[ref] != ref:
        groups[ref] = groups[groups[ref]]
        ref = groups[ref]
    return ref


def _resolve_block(block: list[Mention], decisions: dict, groups: dict[str, str], candidates: list,
                   organisation_of: dict[str, str]) -> None:
    """Decide one surname. Mentions with agreeing names and one organisation join at once; then each
    two such groups are compared once: the steward's decision, else the same full name without a
    second organisation joins them, and anything else waits as a candidate for the steward."""
    by_organisation: dict[str, list[Mention]] = {}
    for mention in block:
        by_organisation.setdefault(organisation_of[mention.ref], []).append(mention)
    for organisation, members in by_organisation.items():
        for n, a in enumerate(members):
            for b in members[n + 1:]:
                agree = names_agree(a.name, b.name)
                if organisation and agree and decisions.get(frozenset({a.ref, b.ref})) != "different":
                    groups[_root(groups, a.ref)] = _root(groups, b.ref)
    people: dict[str, list[Mention]] = {}
    for mention in block:
        people.setdefault(_root(groups, mention.ref), []).append(mention)
    decided: dict[frozenset[str], str] = {}     # pair of group roots → the steward's decision
    refs = {m.ref: _root(groups, m.ref) for m in block}
    for pair, decision in decisions.items():
        if all(ref in refs for ref in pair) and len({refs[ref] for ref in pair}) == 2:
            decided[frozenset(refs[ref] for ref in pair)] = decision
    apart, weak = set(), []
    roots = list(people)
    for n, x in enumerate(roots):
        for y in roots[n + 1:]:
            a, b = _representative(people[x]), _representative(people[y])
            agree = names_agree(a.name, b.name)
            pair = frozenset({x, y})
            if agree is None and pair not in decided:
                continue
            organisations = ({organisation_of[m.ref] for m in people[x]} - {""},
                             {organisation_of[m.ref] for m in people[y]} - {""})
            conflict = all(organisations) and not (organisations[0] & organisations[1])
            decision = decided.get(pair)
            if decision == "same":
                weak.append((x, y, True))
            elif decision is None and agree == "full" and not conflict:
                weak.append((x, y, False))
            else:
                apart.add(pair)
                why = "organisations differ" if conflict else "names agree only by an initial"
                candidates.append(Candidate(a, b, why, decision or "open"))
    _join(weak, apart, groups, people, candidates)


def _representative(members: list[Mention]) -> Mention:
    """The mention with the fullest name (most written-out given names, then the longest)."""
    return max(members, key=lambda m: (sum(len(g) > 1 for g in name_parts(m.name)[0]), len(m.name)))


def _join(links: list[tuple[str, str, bool]], apart: set, groups: dict[str, str], people: dict, candidates: list) -> None:
    """Join linked groups, decided links first; a name-only link joins only if the group it would
    join is not kept apart from another group the same name fits (never by name alone)."""
    partners: dict[str, set[str]] = {}
    for x, y, _ in links:
        partners.setdefault(x, set()).add(y)
        partners.setdefault(y, set()).add(x)

    def kept_apart(x: str, y: str) -> bool:
        root_x, root_y = _root(groups, x), _root(groups, y)
        members_x = [r for r in people if _root(groups, r) == root_x]
        members_y = [r for r in people if _root(groups, r) == root_y]
        return any(frozenset({i, j}) in apart for i in members_x for j in members_y)

    for x, y, decided in sorted(links, key=lambda link: not link[2]):
        if not decided:
            fits = list(partners[x] | partners[y])
            if any(kept_apart(i, j) for n, i in enumerate(fits) for j in fits[n + 1:]):
                candidates.append(Candidate(_representative(people[x]), _representative(people[y]),
                                            "the name fits several people kept apart"))
                continue
        if _root(groups, x) != _root(groups, y) and (decided or not kept_apart(x, y)):
            groups[_root(groups, x)] = _root(groups, y)


def _keys(mentions: list[Mention], root) -> dict[str, str]:
    """One key per group: a record's explicit id, else the slug of the fullest name; a key two
    groups would share gets the organisation (or a number) of the later group."""
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(root(mention.ref), []).append(mention)
    keys, taken = {}, set()
    for members in groups.values():   # in order of first mention: earlier reports keep the plain key
        explicit = next((m.explicit_id for m in members if m.explicit_id), "")
        fullest = _representative(members)
        plain = slug(_TITLE.sub("", fullest.name.strip()))
        key = explicit or plain
        if key in taken and not explicit:
            organisation = next((m.organisation for m in members if m.organisation), "")
            key = f"{key}-{slug(organisation)}" if organisation and f"{key}-{slug(organisation)}" not in taken else key
            number = 2
            while key in taken:
                key, number = f"{plain}-{number}", number + 1
        taken.add(key)
        keys.update({m.ref: key for m in members})
    return keys
