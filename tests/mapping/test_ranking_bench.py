"""The mapping benchmark keeps running and keeps its held-out part apart."""

from bench import mapping


def test_the_benchmark_runs_and_reports_each_language():
    result = mapping.run(smoke=True)
    for part in ("tuned", "heldout"):
        for ranker in ("ranker", "plain_bm25"):
            for lang in ("en", "es"):
                figures = result[part][ranker][lang]
                assert 0 <= figures["top1"] <= figures["top3"] <= 1
                assert 0 <= figures["distractors_below_threshold"] <= 1
    assert result["timing"]["paragraphs"] == 50


def test_the_held_out_paragraphs_are_not_in_the_tuned_set():
    tuned = {row["text"] for row in mapping.labelled("paragraphs.csv")}
    held = mapping.labelled("heldout.csv")
    assert held
    assert not tuned & {row["text"] for row in held}
    assert {row["lang"] for row in held} == {"en", "es"}
