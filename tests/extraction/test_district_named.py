"""The district of an event's place, recorded when the text names it (made-up sentences)."""
from __future__ import annotations


def municipalities(extractor, tmp_path, text: str, suffix: str = ".txt") -> list[dict]:
    path = tmp_path / f"report{suffix}"
    path.write_text(text, "utf-8")
    return [e["municipality"] for e in extractor.extract(path)["events"]]


def test_a_district_named_as_one_word_is_found_as_written(extractor, tmp_path):
    [place] = municipalities(extractor, tmp_path, "Digital-Botschafter in Westerburg\n\nAm 3. Mai 2023 trafen sich in "
                             "Westerburg Ehrenamtliche aus dem Westerwaldkreis zu einer Schulung.\n")
    assert (place["name"], place.get("district")) == ("Westerburg", "Westerwaldkreis")


def test_a_district_not_named_is_not_recorded(extractor, tmp_path):
    [place] = municipalities(extractor, tmp_path, "Schulung in Westerburg\n\nAm 3. Mai 2023 trafen sich in Westerburg "
                             "Ehrenamtliche zu einer Schulung.\n")
    assert place["name"] == "Westerburg" and "district" not in place


def test_each_town_of_a_districts_schedule_has_the_district(extractor, tmp_path):
    text = ("# Kommunaldialoge im Landkreis Hameln-Pyrmont\n\nDas Projektteam des Landkreises Hameln-Pyrmont lädt im "
            "Herbst 2022 zu Kommunaldialogen über die Smart-City-Strategie ein.\n\nDie Termine im Überblick:\n\n"
            "- **Aerzen:** 21.09., 18:00 Uhr – Domäne\n- **Emmerthal:** 27.09., 18:00 Uhr – Rathaus\n")
    places = municipalities(extractor, tmp_path, text, ".md")
    assert [(p["name"], p.get("district")) for p in places] == [
        ("Aerzen", "Landkreis Hameln-Pyrmont"), ("Emmerthal", "Landkreis Hameln-Pyrmont")]
