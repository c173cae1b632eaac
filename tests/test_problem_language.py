"""A refusal answers in the client's language: a problem coded in the catalog reads in
English for `Accept-Language: en` (or a page's `lang=en` cookie) and in Bahasa Indonesia
otherwise; a problem the code still says as an Indonesian sentence is read into English by
the catalog's templates."""

from __future__ import annotations

import pytest

from api.errors import ProblemError, client_language
from contracts.messages import Msg
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers

SETTINGS = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")


def test_a_coded_problem_answers_in_the_language_the_client_asks_for(api_client, demo_engine):
    hr = auth_headers(demo_engine, SETTINGS, "hr")
    indonesian = api_client.get("/api/v1/cases/TIDAK-ADA", headers=hr).json()
    assert (indonesian["title"], indonesian["detail"]) == (
        "Tidak ditemukan",
        "kasus 'TIDAK-ADA' tidak ditemukan",
    )
    asked = {**hr, "Accept-Language": "en-GB,en;q=0.9,id;q=0.8"}
    english = api_client.get("/api/v1/cases/TIDAK-ADA", headers=asked).json()
    assert (english["title"], english["detail"]) == ("Not found", "case 'TIDAK-ADA' not found")
    api_client.cookies.set("lang", "id")  # a page's choice wins over the browser's header
    assert api_client.get("/api/v1/cases/TIDAK-ADA", headers=asked).json()["title"] == (
        "Tidak ditemukan"
    )


@pytest.mark.parametrize(
    ("header", "lang"),
    [("", "id"), ("en-US,en;q=0.9", "en"), ("id-ID,id;q=0.9,en;q=0.8", "id"), ("fr, de", "id")],
)
def test_the_client_language_is_the_first_one_it_names_that_mutasi_speaks(header, lang):
    from starlette.requests import Request

    scope = {"type": "http", "headers": [(b"accept-language", header.encode())] if header else []}
    assert client_language(Request(scope)) == lang


def test_a_problem_keeps_its_indonesian_text_and_reads_in_english():
    refused = ProblemError(
        409,
        Msg(code="problem.not_found"),
        Msg(code="problem.case_case_id_not_found", params={"case_id": "K-1"}),
    )
    assert (refused.title, refused.detail) == ("Tidak ditemukan", "kasus 'K-1' tidak ditemukan")
    assert refused.in_language("en") == ("Not found", "case 'K-1' not found")
    # A workflow's refusal, still an Indonesian sentence, read by the catalog's template.
    refusal = ProblemError(409, "Tidak dapat diproses", "tugas K-1/0/ppk tidak ada pada kasus ini")
    assert refusal.in_language("en") == (
        "Cannot be processed",
        "task K-1/0/ppk is not on this case",
    )
