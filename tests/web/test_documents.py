"""Cool URIs: a thing's IRI and the paths of its documents map both ways, under any base."""

from __future__ import annotations

import pytest

from graph.publish.documents import _OWN_ROOTS, DATA_EXTENSIONS, Documents
from graph.iri import KINDS, Minter


def test_no_kind_of_thing_shadows_a_document_root():
    assert not set(_OWN_ROOTS) & set(KINDS.values())


@pytest.mark.parametrize("base", ["https://w3id.org/kommunalgraph/", "https://daten.example.org/kg/",
                                  "http://localhost:8080/"])
def test_every_minted_iri_has_documents_that_lead_back_to_it(base):
    docs, minter = Documents(base), Minter(base)
    iris = [str(minter.thing(kind, "some-key")) for kind in KINDS] + [str(minter.graph("a-report")),
                                                                      "https://w3id.org/kommunalgraph/topic/lorawan",
                                                                      "https://w3id.org/kommunalgraph/topics"]
    for iri in iris:
        page = docs.resolve(docs.page_path(iri))
        assert (page.iri, page.kind, page.media_type) == (iri, "page", None)
        for extension, media_type in DATA_EXTENSIONS.items():
            data = docs.resolve(docs.data_path(iri, extension))
            assert (data.iri, data.kind, data.media_type) == (iri, "data", media_type)
        thing = docs.resolve(docs.local_path(iri))
        assert (thing.iri, thing.kind) == (iri, "thing")


@pytest.mark.parametrize("path", ["/", "/kommunalgraph/", "/kommunalgraph/page", "/kommunalgraph/page/",
                                  "/kommunalgraph/id/../../etc", "/kommunalgraph/id//x", "/kommunalgraph/nothing/x",
                                  "/kommunalgraph/id/a b", "/other/id/municipality/1"])
def test_paths_that_name_no_minted_iri(path):
    assert Documents("https://w3id.org/kommunalgraph/").resolve(path) is None


def test_iris_we_do_not_mint_have_no_documents():
    docs = Documents("https://w3id.org/kommunalgraph/")
    assert docs.page_path("http://www.wikidata.org/entity/Q2966") is None
    assert docs.data_path("https://schema.org/Place", "ttl") is None
