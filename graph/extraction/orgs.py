"""Organisation names and role phrases: where they start and end, and their nominative form."""

from __future__ import annotations

import re

from graph.extraction.names import is_first_name
from graph.text.sentences import common_noun

_ROLE_STEMS = (r"[Bb]ürgermeister|[Ll]eiter|[Rr]eferent|[Bb]eauftragte|[Kk]oordinator|[Bb]erater|[Rr]edakteur|"
               r"[Gg]eschäftsführer|[Dd]irektor|[Ll]otse|[Ll]otsin|[Ll]andrat|[Ll]andrätin|[Dd]ezernent|[Ss]precher|"
               r"[Pp]räsident|[Ss]ekretär|[Mm]anager|[Bb]aurat|[Vv]orsitzende|[Vv]orstand|[Mm]itarbeiter|[Ll]eitung|"
               r"[Mm]inister|[Bb]eigeordnete|[Pp]rokurist|[Ff]örderer|[Ss]peaker|[Kk]ämmerer|[Jj]ournalist|[Ee]xpert|"
               r"[Tt]rainer|[Gg]esellschafter|[Ww]issenschaftler|[Gg]ründer|[Vv]ertreter|[Pp]lanerin|[Pp]laner")
# A capital first letter, then the stem anywhere: 'Landrat' and 'Referentin' as well as 'Oberbürgermeister'.
ROLE = rf"(?:(?=[A-ZÄÖÜ])[\w-]*(?:{_ROLE_STEMS})(?:in|innen|en|er|e|s|n|r)?|CDO|CIO|Chief Digital Officer)"
# Up to three words before the role noun, also lower-case adjectives ('stellvertretender Geschäftsführer').
_ROLE_PREFIX = r"(?:[A-Z][\w-]*|(?!(?:der|des|die|den|dem|oder|sowie|ebenso|seine|ihre|unsere)\s)[a-zäöü]+(?:er|e|es|en))\s+"
ROLE_WORD = re.compile(rf"^(?:(?:{_ROLE_PREFIX}){{0,3}}[\w-]*(?:{_ROLE_STEMS})(?:in|innen|en|er|e|s|n|r)?\b.*|"
                       rf"(?:CDO|CIO|Chief Digital Officer)\b.*)", re.S)
ORG_HEAD = re.compile(r"(Stadt|stadt\b|Gemeinde|Kreis|kreis|Amt\b|Ministerium|Hochschule|Universität|Agentur|agentur|"
                      r"Institut|Zentrum|zentrum|GmbH|e\.\s?V\.|Verband|verband|Verwaltung|verwaltung|Stiftung|"
                      r"Foundation|Gemeindetag|Städtetag|Landkreistag|Rechenzentrum|Akademie|akademie|Büro|büro|"
                      r"Geschäftsstelle|Initiative|Netzwerk|Behörde|Landratsamt|Kanzlei|Region\b|Campus|campus\b|"
                      # the head of a compound: 'Bundesministerium', 'Fachhochschule', 'Fraunhofer-Institut'
                      r"ministerium|hochschule|universität|institut|behörde)")
# Local authorities as a speaker's employer: 'der Stadt Selb', 'des Landkreises Hof', 'der Verbandsgemeinde Prüm'.
AUTHORITY = r"(?:Stadt|Hansestadt|Gemeinde|Landgemeinde|Marktgemeinde|Markt|Landkreis|Kreis|Verbandsgemeinde|" \
            r"Samtgemeinde|Amt|Region|Kreisstadt|Große[n]? Kreisstadt)"
# The rest of a list of fields after 'für': ', Landwirtschaft, Forsten und Tourismus'.
SERIES_AFTER_FOR = re.compile(r"\s*[A-ZÄÖÜ][\w-]*(?:\s*,\s*[A-ZÄÖÜ][\w-]*)*\s+und\s+[A-ZÄÖÜ]")
# A ministry's second field list: 'Bundesministerium des Innern, für Bau und Heimat'.
FOR_AFTER_COMMA = re.compile(r"\s*für\s+[A-ZÄÖÜ]")
# The rest of a ministry's name after its first comma: ', Stadtentwicklung und Bauwesen', ', für Bau und Heimat'.
MINISTRY_FIELDS = re.compile(r",(?:\s*für)?(?:\s*[A-ZÄÖÜ][\w-]*\s*,)*\s*[A-ZÄÖÜ][\w-]*\s+und\s+[A-ZÄÖÜ][\w-]*")
# Legal forms written in lower case ('CoWorkLand eG', 'Digitalagentur gGmbH'): part of the name.
LEGAL_FORMS = {"e.V.", "e. V.", "eG", "gGmbH", "mbH", "gUG", "AöR", "gAöR"}
# Role abbreviations; any other short capitals in brackets name an organisation ('(BBSR)', '(LfULG)', '(IESE)').
ROLE_ABBREVIATIONS = re.compile(r"^(?:CEO|CIO|CDO|CTO|COO|CFO|CISO|MdB|MdL|MdEP|OB)$")
ACRONYM = re.compile(r"\b[A-ZÄÖÜ]{2,}[a-zöü]?[A-ZÄÖÜ]*\b")   # 'IAO', 'AöR', 'VKU'
# Heads after which a lower-case brand is the name: 'Agentur neuland.digital', 'Planungsbüro neuland+'.
BRAND_HEAD = re.compile(r"(?:^|\w)(?:[Aa]gentur|[Ii]nitiative|[Pp]rojekt|[Pp]lattform|[Nn]etzwerk|[Bb]üro)$")
LOWER_NAME = re.compile(r"[a-zäöü][\w&+-]*[.@][\w.&+@-]+")       # 'digital.interkommunal', 'netzpolitik.org'
CONNECTORS = {"für", "und", "der", "des", "am", "an", "im", "zu", "von", "de", "&"}
DESCRIPTORS = re.compile(r"^(Beratungsfirma|Firma|Unternehmen|Agentur)\s+(?=[A-ZÄÖÜ„])")
QUOTED_NAME = re.compile(r"„[^“”\"„]{2,60}[“”\"]")
_TOKEN = re.compile(r"\([A-ZÄÖÜ]{2,8}\)|e\.\s?V\.|Co\.\s?KG|St\.(?=\s?[A-ZÄÖÜ])|\w+(?:[-/.@]\w+)*-?|\S")
GENITIVE = re.compile(r"^(\w*(?:[Kk]reis|[Aa]mt|[Vv]erband|[Tt]ag|[Bb]und|[Mm]inisterium|[Ii]nstitut|[Zz]entrum|"
                      r"[Nn]etzwerk|[Vv]erein|[Bb]üro))(es|s)$")
# Nouns whose ending looks like an adjective's ('Geschäftsstelle', 'Servicestelle', 'Kapelle').
NOUN_ENDING = re.compile(r"(?:stelle|quelle|welle|zelle|kapelle|tabelle|modelle?|kartelle?)$")
FEMININE = re.compile(r"(e|ät|ung|schaft|heit|keit|ion|ei|ur|ik|stelle|stadt|agentur)$")
NEUTER = re.compile(r"(um|amt|institut|büro|werk|zentrum|forum|netzwerk|ministerium)$", re.I)


def phrase_at(text: str, start: int) -> tuple[str | None, tuple[int, int]]:
    """The organisation name starting at `start` (nominative) and its raw span in `text`."""
    words, quoted_end = [], start
    for match in _TOKEN.finditer(text, start):
        if match.start() < quoted_end:
            continue
        token = match.group(0)
        quoted = QUOTED_NAME.match(text, match.start()) if token == "„" and words else None
        if quoted and words[-1].group(0)[0].isupper():
            words.append(quoted)  # 'Zweckverband Allianz „Thüringer Becken“', 'Agentur „Inixmedia“'
            quoted_end = quoted.end()
            continue
        if token == "zu" and re.match(r"\s+(?:Gast|Besuch|Wort)\b", text[match.end():]):
            break  # 'war von der Hochschule Hof zu Gast': an idiom, not 'Stiftung zu X'
        if token == "und" and words and _person_follows(text, match.end()):
            break  # 'Stiftung Digitale Chancen und Matthias Berg': a second person, not more of the name
        if token[0].isupper() or (token.startswith("(") and len(token) > 1) or token in LEGAL_FORMS \
                or token[0].isdigit():
            words.append(match)
            continue
        brand = LOWER_NAME.fullmatch(token) or (token[0].islower() and text.startswith("+", match.end()))
        if brand and words and BRAND_HEAD.search(words[-1].group(0)):
            words.append(match)  # 'Agentur neuland.digital', 'Planungsbüro neuland+'
            continue
        if token == "+" and words and match.start() == words[-1].end():
            words.append(match)  # 'Planungsbüro Neuland+'
            continue
        if token == "," and (any(w.group(0) == "für" for w in words) and SERIES_AFTER_FOR.match(text, match.end())
                             or FOR_AFTER_COMMA.match(text, match.end()) and ORG_HEAD.search(words[0].group(0))):
            words.append(match)  # 'Staatsministerium für Ernährung, Landwirtschaft, Forsten und Tourismus'
            continue
        if token in CONNECTORS or (token[0].islower() and words and words[-1].group(0) == "für"):
            following = re.match(r"\s*(\S+)(?:\s+(\S+))?", text[match.end():])
            if token == "für" and following and following.group(1)[0].islower() and following.group(2) \
                    and following.group(2)[0].isupper() and words:
                words.append(match)
                continue
            if following and words and (following.group(1)[0].isupper() or following.group(1) in CONNECTORS
                                        or words[-1].group(0) == "für"):
                if token == "in" or (token == "und" and not words[-1].group(0).endswith("-")
                                      and following.group(1) not in CONNECTORS and
                                      not following.group(1)[0].isupper()):
                    break
                words.append(match)
                continue
        break
    while words and (words[-1].group(0) in CONNECTORS or words[-1].group(0)[0].islower()
                     or words[-1].group(0) == ",") and words[-1].group(0) not in LEGAL_FORMS \
            and not LOWER_NAME.fullmatch(words[-1].group(0)):
        words.pop()
    if not words:
        return None, (start, start)
    raw_start, raw_end = words[0].start(), words[-1].end()
    raw = text[raw_start:raw_end]
    return nominative(raw), (raw_start, raw_end)


def organisation_alone(inner: str) -> bool:
    """True when the words after the comma are one organisation's name and nothing else (an item of a programme)."""
    name, (start, end) = phrase_at(inner, 0)
    return bool(name) and start == 0 and end >= len(re.sub(r"\s+–\s+[A-ZÄÖÜ]{2,8}$", "", inner.rstrip())) \
        and bool(ORG_HEAD.search(name) or ACRONYM.search(name))


def whole_name(inner: str) -> bool:
    """True when the words are one capitalised name from the first to the last ('Kommunale Datenverarbeitung
    Oldenburg'), however the name ends: in a programme's line that is the speaker's organisation."""
    name, (start, end) = phrase_at(inner, 0)
    return bool(name) and start == 0 and end >= len(inner.rstrip()) and inner[:1].isupper()


def _person_follows(text: str, end: int) -> bool:
    """True when a first name and a capitalised surname follow `end`."""
    following = re.match(r"\s+([A-ZÄÖÜ][\w-]+)\s+[A-ZÄÖÜ][\w-]+", text[end:end + 60])
    return bool(following) and is_first_name(following.group(1))


def nominative(phrase: str) -> str:
    """'Sächsischen Städte- und Gemeindetag' -> 'Sächsischer Städte- und Gemeindetag'; drops '(IESE)' and descriptors."""
    phrase = re.sub(r"\s*\([A-ZÄÖÜ]{2,8}\)\s*$", "", phrase.strip())
    if DESCRIPTORS.match(phrase):   # 'Agentur „Inixmedia“' is Inixmedia
        phrase = DESCRIPTORS.sub("", phrase)
        phrase = re.sub(r"^„([^“”\"]+)[“”\"]$", r"\1", phrase)
    words = phrase.split()
    if not words:
        return phrase
    if len(words) >= 1 and re.fullmatch(r"(des|der)", words[0]):
        words = words[1:]
    if len(words) > 2 and re.fullmatch(r"\w*[Tt]eam", words[0]) and words[1] in ("des", "der"):
        words = words[2:]   # 'Projektteam des Technologie Campus Grafenau': the team's organisation
    head_index = 0
    while head_index < len(words) - 1 and (
            words[head_index].endswith("-") or words[head_index] == "und"
            or (re.search(r"(isch|tsch|lich|ig|al|ell|iv|ert)(en|es|er|em|e)$", words[head_index])
                and not NOUN_ENDING.search(words[head_index])   # 'Geschäftsstelle' is a noun
                # an adjective stands before a noun: 'Initiative D21' and 'Initiative Stadt.Land.Digital' are a noun
                # followed by a name
                and re.match(r"[A-ZÄÖÜ][a-zäöüß]", words[head_index + 1]) and not common_noun(words[head_index]))):
        head_index += 1
    head = words[head_index].rstrip("-")
    gender = "f" if FEMININE.search(head) else "n" if NEUTER.search(head) else "m"
    ending = {"f": "e", "n": "es", "m": "er"}[gender]
    for i in range(head_index):
        if re.search(r"(isch|tsch|lich|ig|al|ell|iv|ert)(en|es|er|em|e)$", words[i]) and words[i][0].isupper():
            words[i] = re.sub(r"(en|es|er|em|e)$", ending, words[i])
    # the genitive of the head noun: 'des Landkreises X', 'des Deutschen Städtetags', 'des Ministeriums für …'
    for i in {0, head_index}:
        genitive = GENITIVE.match(words[i])
        if genitive:
            words[i] = genitive.group(1)
    return " ".join(words)


def split_role(inner: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """'Leiter der Presse- und Öffentlichkeitsarbeit der Landeshauptstadt Hannover' -> role and organisation."""
    inner = inner.strip()
    comma = _last_comma(inner)
    if comma >= 0:
        head, tail = inner[:comma], inner[comma + 1:]
        tail = tail.strip()
        org, _ = phrase_at(tail, 0)
        role = head.strip() if ROLE_WORD.match(head.strip()) or ROLE_ABBREVIATIONS.match(head.strip()) else None
        if role is None and organisation_alone(head):
            return None, (phrase_at(head.strip(), 0)[0], head.strip())   # '(Stadtverwaltung Selb, Amt für Digitales)'
        return ((role, role) if role else None), ((org, tail) if org else None)
    best = None
    for match in re.finditer(r"\s(der|des|bei der|bei den|bei|beim|im|vom|von der|von|am)\s+(?=\S)", inner):
        rest = inner[match.end():]
        org, (s, e) = phrase_at(inner, match.end())
        # after 'bei' any proper name is the employer ('bei den Stadtwerken Ludwigsburg-Kornwestheim'), after a
        # plain 'von' too ('Projektleiterin von Smarte.Land.Regionen')
        employer = match.group(1).startswith("bei") and org and org[0].isupper()
        named = match.group(1) == "von" and org and org[0].isupper()
        # a name with an acronym that ends the phrase is an employer too: 'Institutsleiter des Fraunhofer IAO'
        acronym = org and e >= len(inner) - 1 and (ACRONYM.search(org) or org.split()[-1] in LEGAL_FORMS)
        if org is None and match.group(1) == "von" and LOWER_NAME.fullmatch(rest):
            org, s, e = rest, match.end(), len(inner)  # 'Projektleiterin von digital.interkommunal'
            named = True
        if org and (ORG_HEAD.search(inner[s:e]) or employer or named or acronym) and not rest.split(" ")[0].endswith("-"):
            best = (match, dative_plural(org) if employer else org, inner[s:e])
    if best:
        match, org, raw = best
        role = inner[:match.start()].strip()
        return ((role, role) if role else None), (org, raw)
    lead = re.match(r"^(?P<role>CEO|CIO|CDO|CTO|Geschäftsführer(?:in)?|Vorstand|Leiter(?:in)?)\s+(?P<org>[A-ZÄÖÜ].+)$", inner)
    if lead:  # 'CEO Initiative D21 e.V.'
        org, (s, e) = phrase_at(inner, lead.start("org"))
        if org:
            return (lead.group("role"), lead.group("role")), (org, inner[s:e])
    if ORG_HEAD.search(inner) and not ROLE_WORD.match(inner):
        org, (s, e) = phrase_at(inner, 0)
        return None, ((org, inner[s:e]) if org else None)
    if ROLE_WORD.match(inner) or ROLE_ABBREVIATIONS.match(inner):
        return (inner, inner), None
    # a short proper name in brackets or after a comma is an organisation: '(TU Wien)', '(urbanista)', ', BBSR'
    if len(inner.split()) <= 6 and not re.search(r"\d{4}|[.!?]$", inner):
        org, (s, e) = phrase_at(inner, 0)
        if org and e - s >= len(inner) - 1:
            return None, (org, inner[s:e])
        if re.fullmatch(r"[a-zäöü][\w&+.-]{2,30}", inner):
            return None, (inner, inner)
    return None, None


def _last_comma(inner: str) -> int:
    """The last comma that ends a role, not one inside a list of fields after 'für' ('Ministerium für Wirtschaft,
    Arbeit und Verkehr'); -1 when there is none."""
    for comma in reversed([i for i, c in enumerate(inner) if c == ","]):
        if not (" für " in inner[:comma] and SERIES_AFTER_FOR.match(inner, comma + 1)
                or FOR_AFTER_COMMA.match(inner, comma + 1) and ORG_HEAD.search(inner[:comma])):
            return comma
    return -1


def dative_plural(org: str) -> str:
    """'Stadtwerken Ludwigsburg' -> 'Stadtwerke Ludwigsburg' (the employer after 'bei den')."""
    words = org.split()
    if words and words[0].endswith("werken"):
        words[0] = words[0][:-1]
    return " ".join(words)
