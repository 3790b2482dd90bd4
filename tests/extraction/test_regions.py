"""Regions no list holds (graph/extraction/regions.py): an ILE or LEADER region's meeting is the region's."""

from __future__ import annotations

import pytest

from graph.extraction import regions


def drafted(extractor, tmp_path, text: str) -> list[tuple]:
    """(place, state, date) of each event drafted from `text`."""
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    return [(e["municipality"]["name"], e.get("state"), e.get("date")) for e in extractor.extract(path)["events"]]


@pytest.mark.parametrize("text, name", [
    ("Digitalisierungsfahrplan für die ILE Hügelland Allianz übergeben", "Hügelland Allianz"),
    ("Die ILE (Integrierte Ländliche Entwicklung) Flusstal Plus mit acht Kommunen", "Flusstal Plus"),
    ("Die Smart Region Oberländer Heide lädt zum Workshop ein.", "Oberländer Heide"),
    ("Das Projekt der LAG Hochwald ist gestartet.", "Hochwald"),
    ("Die LEADER-Regionen Saalegrund und Saaletal luden gemeinsam ein.", "Saalegrund"),
    ("Der Workshop der WeserRegion fand in Bodenwerder statt.", "WeserRegion"),
])
def test_a_region_is_named_by_the_form_in_front_of_it(extractor, text, name):
    found = regions.region(text, 7, extractor.places, extractor.places.state("Bayern"))
    assert found is not None and found.text == name and found.score == regions.SCORE
    assert found.start == 7 + text.index(name) and found.kind == "Region"
    [place] = found.candidates
    assert (place.category, place.name, place.state_key) == ("region", name, "09")


@pytest.mark.parametrize("text", [
    "Die Region Hannover lud zum Workshop ein.",        # a district the lists know
    "Workshop in der Region Trier",                     # a town's surroundings: the town
    "Die ILE-Koordinatoren trafen sich in Landshut.",   # no name after the form
    "Der Regionalverband Hochwald hat den Workshop in Hermeskeil angestoßen.",   # a planning body
    "Ein Workshop für die Region zur Digitalisierung.",
    "Die Region Zukunft lädt ein.",                      # a common noun after a plain Region
])
def test_names_the_lists_know_and_forms_without_a_name_are_no_new_region(extractor, text):
    assert regions.region(text, 0, extractor.places, None) is None


def test_an_ile_meeting_is_for_the_region_not_for_its_venue(extractor, tmp_path):
    assert drafted(extractor, tmp_path, "Auftaktworkshop der ILE Hügelland Allianz\n\nAm 12. März 2024 trafen sich "
                   "die Bürgermeister der fünf Mitgliedskommunen zum Auftaktworkshop in Albertshofen. Der Workshop "
                   "galt dem gemeinsamen Digitalisierungsfahrplan der Allianz in Bayern.\n") == [
        ("Hügelland Allianz", "Bayern", "2024-03-12")]


def test_the_region_a_page_is_about_is_one_it_names_twice(extractor):
    twice = "Die ILE Hügelland Allianz lädt ein. Zur ILE Hügelland Allianz gehören fünf Gemeinden."
    found = regions.page_region(twice, extractor.places, None)
    assert found is not None and found.text == "Hügelland Allianz" and found.start == twice.index("Hügelland")
    assert regions.page_region("Die ILE Hügelland Allianz lädt ein.", extractor.places, None) is None
    assert regions.page_region(twice + " Die LAG Saaletal und die LAG Saaletal auch.", extractor.places, None) is None


def test_a_page_about_a_region_gives_its_event_to_the_region_and_the_state_of_its_towns(extractor, tmp_path):
    """Issue 12's ILE pages name the region in the lead and the venue in the event's sentence."""
    assert drafted(extractor, tmp_path, "Gemeinsam digital\n\nDigitalisierung ist ein Schwerpunkt der ILE Flusstal "
                   "Plus. Zur ILE Flusstal Plus gehören Volkach, Sommerach und Kolitzheim.\n\nAm 4. Juli 2024 fand ein "
                   "Workshop für die Bürgermeister in Volkach statt.\n") == [("Flusstal Plus", "Bayern", "2024-07-04")]


def test_a_page_about_a_districts_own_work_gives_its_events_to_the_district(extractor, tmp_path):
    """A 'Kreistreffen' of the district's municipalities in its town hall is the district's, not the town's."""
    assert drafted(extractor, tmp_path, "Zweites Digitaltreffen in Merzig\n\nAm 9. Mai 2023 kamen die Verantwortlichen "
                   "aus den Städten und Gemeinden des Kreises zum zweiten Kreistreffen im Rathaus Merzig zusammen. "
                   "Eingeladen hatte der Landkreis Merzig-Wadern.\n") == [
        ("Landkreis Merzig-Wadern", "Saarland", "2023-05-09")]


def test_without_a_district_cue_or_outside_the_district_the_town_keeps_its_event(extractor, tmp_path):
    assert drafted(extractor, tmp_path, "Digitalwerkstatt in Merzig\n\nAm 9. Mai 2023 lud die Stadt Merzig zur "
                   "Digitalwerkstatt ins Rathaus ein. Gefördert wird sie vom Landkreis Merzig-Wadern.\n")[0][0] == "Merzig"
    # the town lies in another district: no district event
    assert drafted(extractor, tmp_path, "Digitalwerkstatt in Saarlouis\n\nAm 9. Mai 2023 kamen Vertreter der Gemeinden "
                   "des Kreises Merzig-Wadern zu einer Werkstatt in Saarlouis zusammen. Eingeladen hatte der "
                   "Landkreis Merzig-Wadern.\n")[0][0] == "Saarlouis"



@pytest.mark.parametrize("text, district", [
    # the district acting as host, named with 'Landkreis' or as one word
    ("Digitalwerkstatt in Zwiesel\n\nDer Landkreis Regen lädt am 3. März 2024 zur Digitalwerkstatt ins Rathaus "
     "Zwiesel ein.\n", "Landkreis Regen"),
    ("Drittes Forum in Büdingen\n\nDer Wetteraukreis will seine Dienste digital anbieten. Am 3. März 2024 fand das "
     "dritte Digitalforum in Büdingen statt.\n", "Wetteraukreis"),
    # its municipalities as participants, the district named without 'Kreis'
    ("Chatbots im Test\n\nAm 3. März 2024 erprobten Kommunen aus der Prignitz in einem Workshop in Wittenberge "
     "einen Chatbot für die Verwaltung.\n", "Landkreis Prignitz"),
])
def test_a_district_that_hosts_or_gathers_its_municipalities_has_the_event(extractor, tmp_path, text, district):
    assert drafted(extractor, tmp_path, text)[0][0] == district


def test_a_hosting_district_leaves_an_event_outside_it_to_the_town(extractor, tmp_path):
    assert drafted(extractor, tmp_path, "Werkstatt in Saarlouis\n\nDer Landkreis Merzig-Wadern lädt am 9. Mai 2023 zu "
                   "einer Werkstatt in Saarlouis ein.\n")[0][0] == "Saarlouis"


@pytest.mark.parametrize("name, kind, expected", [
    ("Offenbach", None, {"Offenbach am Main", "Offenbach an der Queich"}),   # a bare name: the towns, not the district
    ("Offenbach", "Landkreis", {"Landkreis Offenbach"}),
    ("Prignitz", None, {"Landkreis Prignitz"}),   # no town of that name: the district
    ("Rostock", None, {"Rostock"}),               # the city's own name, not the Landkreis Rostock
])
def test_a_bare_name_is_a_towns_before_a_districts(extractor, name, kind, expected):
    assert {p.name for p in extractor.places.resolve(name, kind)} == expected


@pytest.mark.parametrize("host", ["Das Hessische Ministerium für Digitales", "Die Digitalagentur Thüringen",
                                  "Die Staatskanzlei des Landes Brandenburg"])
def test_an_online_event_a_state_body_hosts_is_the_states(extractor, tmp_path, host):
    state = {"Das Hessische Ministerium für Digitales": "Hessen", "Die Digitalagentur Thüringen": "Thüringen",
             "Die Staatskanzlei des Landes Brandenburg": "Brandenburg"}[host]
    assert drafted(extractor, tmp_path, f"Kommunen im Gespräch\n\n{host} lädt am 1. März 2021 zu einer "
                   "Online-Gesprächsrunde ein. Als Beispiel stellt die Stadt Sömmerda ihr Portal vor.\n")[0][:2] == (
        state, state)


def test_a_state_body_in_a_town_or_a_town_online_keeps_the_town(extractor, tmp_path):
    # in person: the town is the venue and the event is its
    assert drafted(extractor, tmp_path, "Werkstatt in Sömmerda\n\nDas Thüringer Ministerium für Digitales lädt am "
                   "1. März 2021 zu einer Werkstatt ins Rathaus Sömmerda ein.\n")[0][0] == "Sömmerda"
    # online, but the town hosts
    assert drafted(extractor, tmp_path, "Online-Werkstatt\n\nDie Stadt Sömmerda lädt am 1. März 2021 zu einer "
                   "Online-Werkstatt ein.\n")[0][0] == "Sömmerda"


def test_a_district_called_after_a_town_by_its_demonym_is_read_whole(extractor):
    """'Altenburger Land' is a district, not the town of Altenburg named by its adjective."""
    names = [(m.text, m.candidates[0].name) for m in extractor.places.mentions(
        "Eingeladen waren alle Verwaltungen im Altenburger Land und die Altenburger Vereine.", 0, heading=False)]
    assert ("Altenburger Land", "Landkreis Altenburger Land") in names
    assert ("Altenburger", "Altenburg") in names   # the town's adjective before a plain noun stays the town's


def test_all_administrations_of_a_district_make_a_district_page(extractor, tmp_path):
    assert drafted(extractor, tmp_path, "AG Digitalisierung tagte in Schmölln\n\nAm 3. Juli 2025 kamen die "
                   "Verwaltungen im Altenburger Land zur ersten Sitzung der AG Digitalisierung in Schmölln "
                   "zusammen.\n")[0][0] == "Landkreis Altenburger Land"


def test_the_municipalities_in_a_state_make_a_meeting_the_states(extractor, tmp_path):
    assert drafted(extractor, tmp_path, "Digitalkongress in Ulm\n\nAm 17.09.2018 kamen rund 200 Gäste zum Digitalkongress in "
                   "Ulm zusammen, ein Zeichen dafür, wie sehr die Digitalisierung die Kommunen in "
                   "Baden-Württemberg beschäftigt.\n")[0][:2] == ("Baden-Württemberg", "Baden-Württemberg")


def test_the_municipalities_in_the_district_make_a_district_page(extractor, tmp_path):
    assert drafted(extractor, tmp_path, "Einladung zum Workshop\n\nDer Vogelsbergkreis und eine Agentur laden die "
                   "Bürgermeister der Kommunen im Kreis ein. Der Workshop findet am 9. November 2023 im Kreishaus in Lauterbach "
                   "(Hessen) statt.\n")[0][0] == "Vogelsbergkreis"


def test_a_heading_that_labels_its_section_with_a_place_and_state_outweighs_the_region_the_body_repeats(
        extractor, tmp_path):
    """'Altenbeken (Nordrhein-Westfalen): …' names whom the workshop was for; Ostwestfalen-Lippe, named four
    times below it, is what the workshop was about (the seed report's Lippe workshop has this form)."""
    text = ("Altenbeken (Nordrhein-Westfalen): Digitale Agenda für die Gemeindeverwaltung (4.5.2022)\n\n"
            "Im Workshop ging es um die Bündelung der Digitalisierung in Ostwestfalen-Lippe. "
            "Die Arbeitsteilung in OWL stand im Mittelpunkt. Die Teilnehmenden wollen die Förderung in OWL stärken. "
            "Die Ergebnisse sollen in OWL Schule machen.\n")
    assert drafted(extractor, tmp_path, text) == [("Altenbeken", "Nordrhein-Westfalen", "2022-05-04")]


@pytest.mark.parametrize("name, district", [
    ("Kreis Höxter", "Kreis Höxter"), ("Landkreis Gütersloh", "Kreis Gütersloh"),
    ("Kreis Offenbach", "Landkreis Offenbach"),
])
def test_a_district_written_with_its_kreis_is_the_district_not_its_seat(extractor, name, district):
    """The comparison key drops 'Kreis', and a bare name is the town's: the written 'Kreis' must still count."""
    assert [(p.category, p.name) for p in extractor.places.resolve(name)] == [("district", district)]
    assert extractor.places.resolve(name.split()[-1])[0].category == "town"


@pytest.mark.parametrize("body, state", [
    ("der Städtetag Baden-Württemberg", "Baden-Württemberg"),
    ("der Landkreistag Sachsen-Anhalt", "Sachsen-Anhalt"),
    ("das Netzwerk Innenstadt NRW", "Nordrhein-Westfalen"),
])
def test_a_state_body_named_with_its_state_gathers_the_state_not_its_venue(extractor, tmp_path, body, state):
    """The body's name carries the state, not its adjective ('Bayerischer Städtetag' is tested elsewhere)."""
    assert drafted(extractor, tmp_path, f"Digitalkonferenz in Ulm\n\nAm 27. September 2018 kam {body} zu seiner "
                   "Konferenz über die Digitalisierung in Ulm zusammen.\n")[0][:2] == (state, state)


def test_the_municipalities_in_the_land_make_a_meeting_the_states(extractor, tmp_path):
    assert drafted(extractor, tmp_path, "Werkstatt in Potsdam\n\nAm 4. März 2025 tauschten sich in Potsdam bei einer "
                   "Werkstatt die Kommunen im Land Brandenburg über Smart City aus.\n")[0][:2] == (
        "Brandenburg", "Brandenburg")
