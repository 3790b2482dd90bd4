"""How German reports introduce speakers, and the forms that name people who did not give a talk (issue 3).

People, organisations and sentences are invented; the forms are taken from real reports.
"""

from __future__ import annotations

import pytest

OPENING = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. "


def speakers_of(extractor, tmp_path, text: str) -> list[dict]:
    """The speakers of the first drafted event of `text`."""
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    event = extractor.extract(path)["events"][0]
    return [s for t in event.get("talks", []) for s in t["speakers"]]


@pytest.mark.parametrize("sentence, names", [
    ("Unter den Gästen waren Ministerin Anna Roth und Uwe Kranz, die mitdiskutierten.", []),
    ("Auch Oberbürgermeister Uwe Kranz war zu Gast und sprach mit den Jugendlichen.", []),
    ("Als Gast hielt Anna Roth einen Vortrag über Open Data.", ["Anna Roth"]),
])
def test_a_guest_list_names_who_came_not_who_spoke(extractor, tmp_path, sentence, names):
    assert [s["name"] for s in speakers_of(extractor, tmp_path, OPENING + sentence + "\n")] == names
