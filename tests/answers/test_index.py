"""The hybrid index: BM25 and sentence embeddings fused, saved to disk and loaded back unchanged."""

from __future__ import annotations

import numpy as np

from rxplain.answers.index import HybridIndex, analyze
from rxplain.answers.vectors import UnitVectors


def labels(index: HybridIndex, hits) -> list[str]:
    return [index.passages[h.row].label for h in hits]


def test_stemming_lets_dose_and_dosing_meet():
    assert analyze("dosing") == analyze("doses") == ["dose"]
    assert analyze("the and of") == []


def test_a_question_finds_the_passage_that_answers_it(tiny_engine):
    index = tiny_engine.index
    vector = tiny_engine.embedder.embed(["which blood tests do I need before starting"])[0]
    hits = index.search("which blood tests do I need before starting", vector)
    assert labels(index, hits)[0] == "labs#which-tests"


def test_bm25_alone_finds_a_passage_by_its_words(tiny_engine):
    hits = tiny_engine.index.search("blurred double vision", None)
    assert labels(tiny_engine.index, hits)[0] == "alcohol#warning-signs"


def test_typos_in_the_question_are_corrected_against_our_words(tiny_engine):
    assert tiny_engine.index.correct(["alcohl", "presciber", "zzzzzz"]) == ["alcohol", "prescriber", "zzzzzz"]


def test_faq_question_vectors_are_a_signal(tiny_engine):
    index = tiny_engine.index
    vector = tiny_engine.embedder.embed(["do I have to fast before blood work"])[0]
    top = index.search("do I have to fast before blood work", vector)[0]
    assert index.passages[top.row].question == "Do I need to fast before my blood test?"
    assert top.question > 0.6


def test_medicine_filter_keeps_passages_of_other_medicines_out(tiny_passages):
    from dataclasses import replace

    from rxplain.answers.engine import AnswerEngine

    other = [replace(p, id=f"other-{p.id}", medicine="othermed") for p in tiny_passages[:3]]
    engine = AnswerEngine.build(tiny_passages + other, [{"slug": "isotretinoin"}, {"slug": "othermed"}],
                                progress=False, embedder=None)
    vector = engine.embedder.embed(["alcohol"])[0]
    mine = engine.index.search("alcohol", vector, medicine="isotretinoin")
    assert mine and all(engine.index.passages[h.row].medicine == "isotretinoin" for h in mine)
    theirs = engine.index.search("alcohol", vector, medicine="othermed")
    assert theirs and all(engine.index.passages[h.row].medicine == "othermed" for h in theirs)


def test_index_saves_and_loads_to_the_same_results(tiny_engine, tmp_path):
    tiny_engine.index.save(tmp_path)
    loaded = HybridIndex.load(tmp_path)
    assert list(loaded.passages) == list(tiny_engine.index.passages)
    vector = tiny_engine.embedder.embed(["can I drink wine"])[0]
    before = tiny_engine.index.search("can I drink wine", vector)
    after = loaded.search("can I drink wine", vector)
    assert [(h.row, round(h.score, 5)) for h in before] == [(h.row, round(h.score, 5)) for h in after]


def test_build_shows_a_progress_bar_on_stderr(tiny_passages, capsys):
    from rxplain.answers.engine import AnswerEngine

    AnswerEngine.build(tiny_passages[:3], [{"slug": "isotretinoin"}], progress=True)
    captured = capsys.readouterr()
    assert "embed" in captured.err and "100%" in captured.err
    assert captured.out == ""


def test_int8_sentence_vectors_keep_the_similarity():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(20, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    units = UnitVectors.from_float(vectors, [5, 5, 10])
    query = vectors[7]
    best = units.best([0, 1, 2], query)
    exact = [max(vectors[a:b] @ query) for a, b in ((0, 5), (5, 10), (10, 20))]
    assert np.allclose(best, exact, atol=0.02)
    assert np.allclose(units.scan(query, 3), best, atol=1e-5)
