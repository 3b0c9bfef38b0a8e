"""Suggests which of the call's themes a proposal fits best, as advice beside the theme the author chose.

TF-IDF over each theme's name, introduction and guiding questions (scikit-learn), cosine similarity with the
proposal's title, abstract and keywords. Words every theme shares ("security cooperation", "FMS") weigh
little, so the match rests on what sets a theme apart. Runs offline with no model download. Plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# The author's choice is questioned only when another theme beats it clearly.
CLEAR_MARGIN = 0.05


@dataclass(frozen=True)
class ThemeScore:
    slug: str
    name: str
    score: float


@dataclass(frozen=True)
class ThemeFit:
    ranking: tuple[ThemeScore, ...]
    chosen: str

    @property
    def best(self) -> ThemeScore:
        return self.ranking[0]

    @property
    def chosen_score(self) -> float:
        return next((s.score for s in self.ranking if s.slug == self.chosen), 0.0)

    @property
    def suggests_other_theme(self) -> bool:
        return self.best.slug != self.chosen and self.best.score - self.chosen_score >= CLEAR_MARGIN

    def summary(self) -> str:
        """One sentence for editors: which theme scores highest, and whether the author's choice is close to it."""
        chosen = next((s for s in self.ranking if s.slug == self.chosen), None)
        chosen_name = chosen.name if chosen else self.chosen
        if self.best.slug == self.chosen:
            runner_up = self.ranking[1] if len(self.ranking) > 1 else None
            after = f"; next is “{runner_up.name}” ({runner_up.score:.2f})" if runner_up else ""
            return f"The chosen theme “{chosen_name}” scores highest ({self.best.score:.2f}{after})."
        place = next(i for i, s in enumerate(self.ranking, start=1) if s.slug == self.chosen) if chosen else len(self.ranking)
        lead = f"“{self.best.name}” scores highest ({self.best.score:.2f}); the chosen “{chosen_name}” scores {self.chosen_score:.2f}"
        if self.suggests_other_theme:
            return f"{lead}, {_ordinal(place)} of {len(self.ranking)} and not within {CLEAR_MARGIN:.2f} of the best: check the theme."
        return f"{lead}, within {CLEAR_MARGIN:.2f} of the best, so the choice is plausible."


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def theme_document(name: str, introduction: str, questions: Sequence[str]) -> str:
    # The name counts three times: it is the shortest and most telling description of the theme.
    return " ".join([name] * 3 + [introduction, *questions])


def similarities(queries: Sequence[str], documents: Sequence[str]):
    """Cosine similarity of every query with every document (rows × columns), TF-IDF fitted on the documents.

    Shared by theme fit (a proposal against the themes) and reviewer affinity (proposals against reviewers'
    expertise): words every document shares weigh little, so the match rests on what sets one apart.
    """
    fitted = fitted_model(tuple(documents))
    if fitted is None:  # no usable words in any document (empty, or only stop words)
        import numpy as np

        return np.zeros((len(queries), len(documents)))
    vectorizer, document_matrix = fitted
    # The vectorizer's rows are of unit length (its norm="l2"), so their cosine is their dot product:
    # sklearn's cosine_similarity would validate and normalise both again, several times the cost of the product.
    return (vectorizer.transform(queries) @ document_matrix.T).toarray()


@lru_cache(maxsize=8)
def fitted_model(documents: tuple[str, ...]):
    """The TF-IDF model fitted on ``documents`` and their matrix, or None when they hold no usable word.

    Kept per process and keyed by the documents themselves: every submission to a call fits the same themes,
    and every assignment page the same reviewers' expertise, so each is fitted once; an edited theme or a
    reviewer's changed expertise is a new key. ``transform`` does not change a fitted model, so threads share it.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2), min_df=1)
    try:
        document_matrix = vectorizer.fit_transform(documents)
    except ValueError:
        return None
    return vectorizer, document_matrix


def rank_themes(themes: Sequence[tuple[str, str, str]], text: str, chosen: str) -> ThemeFit:
    """``themes`` are (slug, name, document) triples; returns every theme scored, best first."""
    scores = similarities([text], [document for _, _, document in themes])[0]
    ranking = sorted(
        (ThemeScore(slug, name, round(float(score), 4)) for (slug, name, _), score in zip(themes, scores)),
        key=lambda s: s.score,
        reverse=True,
    )
    return ThemeFit(tuple(ranking), chosen)


def warm_up() -> float:
    """Imports scikit-learn and runs one tiny ranking, so the first submission after start-up is not 1.4 s slower.

    Returns the seconds it took (the server prints nothing about it; a test checks it leaves sklearn loaded).
    """
    import time

    started = time.perf_counter()
    rank_themes([("a", "Process", "case process reform"), ("b", "Industry", "industrial base capacity")], "case reform", "a")
    return time.perf_counter() - started
