import spacy

from pipeline.nlp import parse, split_long

TURN = ("We had to choose between answering the phones and clearing the backlog. "
        "Sarah Jones from Leeds said the casework queue grew every week!\n"
        "In the end the team moved to a rota, because nobody could do both. ")


def test_split_long_pieces_join_back_and_respect_the_limit():
    text = TURN * 40 + "x" * 900 + " tail"
    for limit in (50, 137, 400, 1000):
        pieces = split_long(text, limit)
        assert "".join(pieces) == text
        assert all(0 < len(p) <= limit for p in pieces)


def test_split_long_prefers_line_breaks_then_sentence_ends():
    pieces = split_long(TURN * 3, 200)
    assert all(p.endswith(("\n", ". ", "! ")) for p in pieces[:-1])


def test_short_texts_are_not_split():
    assert split_long("one turn.", 100) == ["one turn."]


def test_a_million_character_turn_parses_with_offsets_intact():
    nlp = spacy.blank("en")  # max_length 1,000,000: one call on this text would fail
    nlp.add_pipe("sentencizer")
    text = (TURN * (1_000_000 // len(TURN) + 2))[:1_000_050]
    assert len(text) > nlp.max_length
    [doc] = parse(nlp, [text])
    assert doc.text == text
    for token in list(doc)[::997]:
        assert text[token.idx:token.idx + len(token.text)] == token.text


def test_chunked_parse_keeps_offsets_entities_sentences_and_chunks(nlp):
    text = TURN * 12
    [whole] = parse(nlp, [text])
    [chunked] = parse(nlp, [text], chunk_chars=500)
    assert chunked.text == text
    assert all(text[t.idx:t.idx + len(t)] == t.text for t in chunked)
    assert [t.text for t in chunked] == [t.text for t in whole]
    for ent in chunked.ents:
        assert text[ent.start_char:ent.end_char] == ent.text
    assert {e.text for e in chunked.ents if e.label_ == "PERSON"} >= {"Sarah Jones"}
    assert len(list(chunked.sents)) >= 36
    assert any("backlog" in c.text for c in chunked.noun_chunks)
    assert all(t.lemma_ and t.pos_ and t.dep_ for t in chunked if not t.is_space)
    # A chunk boundary falls between sentences, so the sentence split is the same as in one pass.
    assert [s.text for s in chunked.sents] == [s.text for s in whole.sents]


def test_parse_keeps_input_order_with_long_and_short_texts_mixed(nlp):
    texts = ["Short one.", TURN * 5, "", "Another short turn here.", TURN * 3]
    docs = parse(nlp, texts, chunk_chars=300)
    assert [d.text for d in docs] == texts


def test_auto_processes_needs_enough_text_and_cores(monkeypatch):
    from pipeline.nlp import auto_processes

    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5, 6, 7}, raising=False)
    assert auto_processes(10_000) == 1
    assert auto_processes(150_000) == 3
    assert auto_processes(10_000_000) == 4
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0}, raising=False)
    assert auto_processes(10_000_000) == 1


def test_worker_processes_give_the_same_parses(nlp, monkeypatch):
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, POS, TAG

    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1}, raising=False)
    texts = [f"Priya told me on day {i} that we moved the casework to the new system." for i in range(12)]
    attrs = [TAG, POS, DEP, HEAD, LEMMA, ENT_IOB, ENT_TYPE]
    alone = parse(nlp, texts, n_process=1)
    workers = parse(nlp, texts, n_process=0, min_chars_per_process=100, batch_size=3)  # two processes
    assert [d.text for d in workers] == texts
    assert all((a.to_array(attrs) == b.to_array(attrs)).all() for a, b in zip(alone, workers))


def test_the_msgpack_hooks_are_frozen_only_during_a_parse():
    import srsly.msgpack

    from pipeline.nlp import _msgpack_hooks_frozen

    decoders = srsly.msgpack.msgpack_decoders
    before = decoders.get_all()
    with _msgpack_hooks_frozen():
        assert "get_all" in vars(decoders) and decoders.get_all() == before
        with _msgpack_hooks_frozen():  # a nested parse leaves the outer snapshot in place
            pass
        assert "get_all" in vars(decoders)
    assert "get_all" not in vars(decoders) and decoders.get_all() == before


def test_parsed_docs_keep_no_tensor(nlp):
    """Nothing downstream reads the tok2vec tensor, and a Doc rebuilt from the parse cache has none."""
    docs = parse(nlp, ["Sarah Jones said the backlog doubled.", TURN * 3], chunk_chars=300)
    assert [d.tensor.size for d in docs] == [0, 0]
    assert nlp("Sarah Jones said the backlog doubled.").tensor.size > 0  # the pipeline does make one
