"""The search index's analyzer: English words stemmed, Chinese text split into pairs.

Whoosh's default analyzer keeps a run of Chinese characters as one token, so
腰痛 is not found inside 腰酸背痛 or 针灸 inside a sentence. Here a run of
CJK characters becomes its overlapping pairs (bigrams, as Lucene's CJK
analyzer does): 坐骨神经痛 gives 坐骨 骨神 神经 经痛, so a search for 坐骨
or 神经痛 (its pairs, all required) matches it. The index also keeps each
character alone, so a one-character search (膝) finds it too. Latin words are
lower-cased, stop words dropped and stemmed as before.

The schema stores this analyzer (pickled) in the index: it must stay importable here.
"""

import re

from whoosh.analysis import LowercaseFilter, StemFilter, StopFilter, Token, Tokenizer

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKENS = re.compile(rf"[{_CJK}]+|(?:(?![{_CJK}])\w)+(?:\.(?:(?![{_CJK}])\w)+)*")


def _pieces(match: re.Match, *, singles: bool) -> list[tuple[str, int, int]]:
    text, start = match.group(0), match.start()
    if not re.match(rf"[{_CJK}]", text):
        return [(text, start, match.end())]
    pairs = [(text[i : i + 2], start + i, start + i + 2) for i in range(len(text) - 1)]
    if len(text) == 1 or singles:
        pairs += [(char, start + i, start + i + 1) for i, char in enumerate(text)]
    return pairs


class CjkBigramTokenizer(Tokenizer):
    """Yield Latin words whole and CJK text as overlapping pairs of characters."""

    def __eq__(self, other) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # The index also keeps single characters, so that a one-character search (膝) matches.
        singles = mode != "query"
        pieces = (
            [p for m in _TOKENS.finditer(value) for p in _pieces(m, singles=singles)]
            if tokenize
            else [(value, 0, len(value))]
        )
        for pos, (text, start, end) in enumerate(pieces, start=start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def shop_analyzer():
    """Return the analyzer of the shop's search text (products, conditions, articles)."""
    return CjkBigramTokenizer() | LowercaseFilter() | StopFilter(minsize=1) | StemFilter()
