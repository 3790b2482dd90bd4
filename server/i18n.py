"""Page language: German by default, English by `?lang=en` or Accept-Language; the page texts."""

from __future__ import annotations

from flask import request

from graph.errors import ParameterError

LANGUAGES = ("de", "en")

# Texts of the pages, by key: (German, English).
MESSAGES = {
    "site": ("Kommunalgraph", "Kommunalgraph"),
    "tagline": ("Offene Daten zu Workshops der kommunalen Digitalisierung",
                "Open data on workshops of municipal digitalisation"),
    "skip": ("Zum Inhalt springen", "Skip to content"),
    "nav": ("Hauptnavigation", "Main navigation"),
    "home": ("Start", "Home"),
    "editor": ("SPARQL-Editor", "SPARQL editor"),
    "api": ("API", "API"),
    "ontology": ("Ontologie", "Ontology"),
    "catalog": ("Katalog (DCAT-AP.de)", "Catalogue (DCAT-AP.de)"),
    "downloads": ("Downloads", "Downloads"),
    "other_language": ("English", "Deutsch"),
    "other_language_hint": ("Diese Seite auf Englisch", "This page in German"),
    "type": ("Typ", "Type"),
    "properties": ("Eigenschaften", "Properties"),
    "incoming": ("Wird verwendet von", "Used by"),
    "inferred": ("Abgeleitete Aussagen (aus der Ontologie gefolgert)", "Inferred statements (from the ontology)"),
    "more": ("… und %d weitere", "… and %d more"),
    "truncated": ("Die Liste ist gekürzt; alle Aussagen liefert der SPARQL-Endpunkt.",
                  "The list is shortened; the SPARQL endpoint has all statements."),
    "wikidata": ("Wikidata", "Wikidata"),
    "sources": ("Quelle", "Source"),
    "sources_intro": ("Diese Angaben stammen aus folgenden Sätzen:", "These facts come from these sentences:"),
    "field": ("Angabe", "Field"),
    "sentence": ("Satz", "Sentence"),
    "report": ("Bericht", "Report"),
    "confidence": ("Sicherheit", "Confidence"),
    "neighbourhood": ("Verbindungen", "Connections"),
    "neighbourhood_desc": ("Womit %s verbunden ist", "What %s is connected to"),
    "data": ("Daten", "Data"),
    "iri": ("IRI", "IRI"),
    "events": ("Veranstaltungen", "Events"),
    "talks": ("Vorträge", "Talks"),
    "topics": ("Themen", "Topics"),
    "places": ("Orte", "Places"),
    "speakers": ("Vortragende", "Speakers"),
    "graph_triples": ("Dieser benannte Graph enthält %d Tripel.", "This named graph holds %d triples."),
    "not_found": ("Nicht gefunden", "Not found"),
    "error": ("Fehler", "Error"),
    "back_home": ("Zur Startseite", "To the home page"),
    "intro": ("Der Kommunalgraph sammelt, welche Kommunen welche Workshops zu ihrer Digitalstrategie "
              "durchgeführt haben, wer dort gesprochen hat, zu welchen Themen und mit welchem Ergebnis. "
              "Die Angaben stammen aus Berichten, sind geprüft (SHACL, OWL) und als Linked Open Data "
              "veröffentlicht.",
              "Kommunalgraph records which municipalities held which workshops on their digital strategy, "
              "who spoke there, on which topics and with what outcome. The facts come from reports, are "
              "checked (SHACL, OWL) and published as linked open data."),
    "counts": ("Was der Graph enthält", "What the graph holds"),
    "class": ("Klasse", "Class"),
    "count": ("Anzahl", "Count"),
    "timeline": ("Workshops nach Jahr und Land", "Workshops by year and state"),
    "timeline_desc": ("Jeder Punkt ist ein Workshop; Zeilen sind Bundesländer, Spalten Jahre.",
                      "Each dot is a workshop; rows are federal states, columns years."),
    "topic_overview": ("Themen der Workshops", "Topics of the workshops"),
    "topic_overview_desc": ("Anzahl der Workshops je Thema (einschließlich Unterthemen).",
                            "Number of workshops per topic (including narrower topics)."),
    "examples": ("Beispielabfragen", "Example queries"),
    "open_in_editor": ("im Editor öffnen", "open in the editor"),
    "as_json": ("als JSON", "as JSON"),
    "as_csv": ("als CSV", "as CSV"),
    "municipalities": ("Kommunen", "Municipalities"),
    "workshops": ("Workshops", "Workshops"),
    "publish": ("Daten und Dienste", "Data and services"),
    "sparql_endpoint": ("SPARQL-Endpunkt", "SPARQL endpoint"),
    "void": ("Datensatzbeschreibung (VoID)", "Dataset description (VoID)"),
    "api_docs": ("API-Dokumentation (OpenAPI)", "API documentation (OpenAPI)"),
    "year": ("Jahr", "Year"),
    "state": ("Land", "State"),
    "states": ("Länder", "states"),
    "period": ("Zeitraum", "Period"),
    "no_js": ("Der Editor braucht JavaScript. Ohne JavaScript können Sie Abfragen mit diesem Formular "
              "stellen.", "The editor needs JavaScript. Without it, ask queries with this form."),
    "query": ("Abfrage", "Query"),
    "run": ("Ausführen", "Run"),
    "result_format": ("Ergebnisformat", "Result format"),
    "editor_missing": ("Die Editor-Dateien sind nicht installiert (make install); das Formular funktioniert "
                       "trotzdem.", "The editor files are not installed (make install); the form still works."),
    "classes": ("Klassen", "Classes"),
    "example": ("Beispiel", "Example"),
    "object_properties": ("Beziehungen", "Object properties"),
    "datatype_properties": ("Datenfelder", "Datatype properties"),
    "shapes": ("SHACL-Formen (Prüfregeln)", "SHACL shapes (checks)"),
    "superclasses": ("Oberklassen", "Superclasses"),
    "subclasses": ("Unterklassen", "Subclasses"),
    "domain": ("Gilt für", "Domain"),
    "range": ("Werte", "Range"),
    "inverse": ("Umkehrung", "Inverse"),
    "superproperties": ("Übergeordnet", "Super-properties"),
    "target": ("Prüft", "Target"),
    "path": ("Pfad", "Path"),
    "message": ("Meldung", "Message"),
    "formats": ("Formate", "Formats"),
    "topic_scheme": ("Themenschema", "Topic scheme"),
    "parameters": ("Parameter", "Parameters"),
    "columns": ("Spalten", "Columns"),
    "name": ("Name", "Name"),
    "description": ("Beschreibung", "Description"),
    "required": ("Pflicht", "Required"),
    "file": ("Datei", "File"),
    "size": ("Größe", "Size"),
    "media_type": ("Medientyp", "Media type"),
    "license": ("Lizenz", "Licence"),
    "modified": ("Stand", "Modified"),
    # map and timeline (issue 14)
    "map": ("Wo Workshops stattfanden", "Where workshops took place"),
    "map_state": ("Karte", "Map"),
    "map_state_title": ("Workshops in %s", "Workshops in %s"),
    "map_desc": ("Jeder Punkt ist eine Kommune, die einen Workshop ausgerichtet hat; je größer, desto mehr Workshops.",
                 "Each dot is a municipality that held a workshop; the larger, the more workshops."),
    "map_source": ("Grenzen und Lage: VG250, © GeoBasis-DE / BKG (2016), GeoNutzV.",
                   "Borders and positions: VG250, © GeoBasis-DE / BKG (2016), GeoNutzV."),
    "map_list": ("Die %d Kommunen als Liste", "The %d municipalities as a list"),
    "map_no_point": ("ohne Lage in den Kartendaten", "no position in the map data"),
    "timeline_heat_desc": ("Workshops je Bundesland und Monat: je dunkler ein Feld, desto mehr Workshops; rechts die "
                           "Summe. Ein nur mit dem Jahr datierter Workshop steht im Januar.",
                           "Workshops per federal state and month: the darker a cell, the more workshops; the total "
                           "on the right. A workshop dated by its year only is shown in January."),
    "timeline_undated": ("%d Workshops ohne Datum fehlen.", "%d workshops without a date are left out."),
    # search (issue 14)
    "search": ("Suche", "Search"),
    "search_label": ("Suchbegriff", "Search term"),
    "search_button": ("Suchen", "Search"),
    "search_placeholder": ("z. B. Schönborn, LoRaWAN", "e.g. Schönborn, LoRaWAN"),
    "search_results": ("Suchergebnisse", "Search results"),
    "search_total": ("%d Treffer", "%d hits"),
    "search_none": ("Keine Treffer. Versuchen Sie ein kürzeres Wort oder den Anfang eines Worts.",
                    "No hits. Try a shorter word or the beginning of a word."),
    "search_hint": ("Geben Sie ein Wort ein: Namen von Kommunen, Personen, Organisationen, Themen oder Workshops.",
                    "Enter a word: names of municipalities, people, organisations, topics or workshops."),
    "search_refine": ("Eingrenzen", "Narrow down"),
    "search_clear": ("Filter entfernen", "Remove filter"),
    "search_pages": ("Seiten", "Pages"),
    "previous": ("Zurück", "Previous"),
    "next": ("Weiter", "Next"),
    "topic": ("Thema", "Topic"),
    "kind_Workshop": ("Workshop", "Workshop"), "kind_Talk": ("Vortrag", "Talk"),
    "kind_Event": ("Veranstaltung", "Event"), "kind_Municipality": ("Kommune", "Municipality"),
    "kind_District": ("Kreis", "District"), "kind_FederalState": ("Bundesland", "Federal state"),
    "kind_Region": ("Region", "Region"), "kind_MunicipalGroup": ("Kommunalverbund", "Group of municipalities"),
    "kind_Organisation": ("Organisation", "Organisation"), "kind_Person": ("Person", "Person"),
    "kind_Strategy": ("Strategie", "Strategy"), "kind_Outcome": ("Ergebnis", "Outcome"),
    "kind_Topic": ("Thema", "Topic"), "kind_Report": ("Bericht", "Report"),
    # The review page (server/review.py).
    "review": ("Entwürfe prüfen", "Review drafts"),
    "review_signin_hint": ("Nur für die Redaktion: bitte mit einem Schreib-Token anmelden.",
                           "For stewards only: please sign in with a write token."),
    "review_signin_wrong": ("Dieses Token ist nicht gültig.", "This token is not valid."),
    "review_token": ("Schreib-Token", "Write token"), "review_signin": ("Anmelden", "Sign in"),
    "review_signout": ("Abmelden", "Sign out"), "review_steward": ("Angemeldet als %s.", "Signed in as %s."),
    "review_draft": ("Entwurf", "Draft"), "review_events": ("Veranstaltungen", "Events"),
    "review_open": ("Offene Punkte", "Open items"), "review_none": ("Keine offenen Entwürfe.", "No open drafts."),
    "review_done_accepted": ("Als Datensatz übernommen", "Accepted as a record"),
    "review_done_rejected": ("Abgelehnt und aufbewahrt", "Rejected and kept"),
    "review_back": ("Zurück zur Liste", "Back to the list"), "review_saved": ("Gespeichert.", "Saved."),
    "review_problems": ("%d Problem(e): nichts übernommen", "%d problem(s): nothing accepted"),
    "review_text": ("Berichtstext", "Report text"),
    "review_marks": ("%d extrahierte Angaben sind markiert (Feld und Sicherheit beim Zeigen).",
                     "%d extracted facts are marked (field and confidence on hover)."),
    "review_no_text": ("Der Berichtstext ist nicht verfügbar.", "The report text is not available."),
    "review_open_items": ("Offen (beim Korrigieren aus der review-Liste löschen):",
                          "Open (delete them from the review list once corrected):"),
    "review_yaml": ("Entwurf (YAML) korrigieren, ergänzen, Fehlendes hinzufügen",
                    "Correct the draft (YAML), complete it, add what is missing"),
    "review_upload": ("Neuer Bericht", "New report"),
    "review_upload_file": ("Berichtsdatei (Text, Markdown, HTML)", "Report file (text, Markdown, HTML)"),
    "review_upload_publisher": ("Herausgeber, falls der Text ihn nicht nennt", "Publisher, if the text does not name it"),
    "review_upload_published": ("Veröffentlicht am (JJJJ-MM-TT, JJJJ-MM oder JJJJ), falls bekannt",
                                "Published on (YYYY-MM-DD, YYYY-MM or YYYY), if known"),
    "review_upload_source": ("Webadresse des Berichts, falls bekannt (ein Datum darin datiert ihn)",
                             "Web address of the report, if known (a date in it dates the report)"),
    "review_upload_button": ("Hochladen und Entwurf erstellen", "Upload and draft"),
    "review_save": ("Speichern", "Save"), "review_accept": ("Prüfen und übernehmen", "Check and accept"),
    "review_reason": ("Grund der Ablehnung", "Reason for rejecting"), "review_reject": ("Ablehnen", "Reject"),
    "review_publish": ("Veröffentlichen", "Publish"),
    "review_facts": ("Extrahierte Angaben", "Extracted facts"),
    "review_facts_hint": ("Eine falsche Angabe verwerfen: sie und ihr Beleg verschwinden aus dem Entwurf (Änderungen "
                          "im YAML werden vorher gespeichert). Ein verworfener Name entfernt die Person.",
                          "Reject a wrong fact: it and its evidence leave the draft (edits in the YAML are saved "
                          "first). Rejecting a name removes the person."),
    "review_fact_where": ("Wo", "Where"), "review_fact_field": ("Feld", "Field"),
    "review_fact_value": ("Wert", "Value"), "review_fact_confidence": ("Sicherheit", "Confidence"),
    "review_reject_fact": ("Verwerfen", "Reject"),
    "review_reject_event": ("Veranstaltung %d verwerfen", "Reject event %d"),
    "review_publish_hint": ("Baut alle übernommenen Datensätze mit denselben Prüfungen wie `make build` zu einer "
                            "neuen Version des Graphen; die bisherige bleibt, bis die neue fertig ist.",
                            "Builds every accepted record, with the same checks as `make build`, into a new "
                            "version of the graph; the current one stays until the new one is complete."),
    "review_done_suppressed": ("Zum Entfernen eingetragen (wirksam mit der nächsten Veröffentlichung)",
                               "Entered for removal (in force with the next publish)"),
    "review_suppress": ("Person entfernen", "Remove a person"),
    "review_suppress_hint": ("Auf Widerspruch oder Löschantrag (DSGVO Art. 17/21): die Person wird in "
                             "data/suppressed.yaml eingetragen; die nächste Veröffentlichung entfernt sie aus "
                             "Graph, Seiten, Downloads, Suche und Abgleich, auch aus älteren Versionen.",
                             "On an objection or an erasure request (GDPR Art. 17/21): the person is entered in "
                             "data/suppressed.yaml; the next publish removes them from the graph, pages, "
                             "downloads, search and reconciliation, older versions included."),
    "review_suppress_person": ("Person (IRI oder Schlüssel, z. B. erika-musterfrau)",
                               "Person (IRI or key, e.g. erika-musterfrau)"),
    "review_reason_suppress": ("Grund (wird nicht veröffentlicht)", "Reason (never published)"),
    "review_suppress_button": ("Zum Entfernen eintragen", "Enter for removal"),
    "review_problems_suppress": ("%d Problem(e): niemand eingetragen", "%d problem(s): no one entered"),
    "review_publish_last": ("Letzte Veröffentlichung", "Last publish"),
    "review_publish_none": ("Noch nichts veröffentlicht.", "Nothing published yet."),
    "review_publish_running": ("Wird gebaut (gestartet %s von %s) …", "Building (started %s by %s) …"),
    "review_publish_done": ("Veröffentlicht: Version %s mit %s Berichten und %s Veranstaltungen.",
                            "Published: version %s with %s reports and %s events."),
    "review_publish_failed": ("Nicht veröffentlicht; der Graph ist unverändert.",
                              "Not published; the graph is unchanged."),
}


def choose_language() -> tuple[str, bool]:
    """The page language and whether the client chose it explicitly with `?lang=`.

    :raises ParameterError: if `lang` names a language we do not offer.
    """
    asked = request.args.get("lang")
    if asked is not None:
        if asked not in LANGUAGES:
            raise ParameterError(f"unknown language {asked[:20]!r}; use one of {', '.join(LANGUAGES)}", "lang")
        return asked, True
    return request.accept_languages.best_match(LANGUAGES, default="de") or "de", False


def translator(lang: str):
    """A function that gives the text of a key in `lang` (the key itself if there is none)."""
    index = LANGUAGES.index(lang)

    def t(key: str, *args) -> str:
        text = MESSAGES[key][index] if key in MESSAGES else key
        return text % args if args else text

    return t
