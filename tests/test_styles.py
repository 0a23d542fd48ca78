"""The styles table (deepcomposer_edu/styles.py): names, aliases, "genre", packs and corpora that exist."""

import pytest

from deepcomposer_edu import styles
from deepcomposer_edu.audio.instruments import PACKS
from deepcomposer_edu.data import list_corpora
from deepcomposer_edu.errors import InvalidArgumentError


def test_every_style_names_a_shipped_corpus_and_a_real_pack():
    corpora = set(list_corpora())
    for style in styles.STYLES:
        assert style.corpus in corpora, style.name
        assert style.pack in PACKS, style.name
        assert style.pack in styles.PACKS
        assert style.tempo > 0 and style.meter[0] > 0 and style.meter[1] in (1, 2, 4, 8, 16)
    assert set(styles.PACKS) == set(PACKS)


def test_every_corpus_has_exactly_one_style():
    assert sorted(style.corpus for style in styles.STYLES) == sorted(list_corpora())


def test_names_and_aliases_are_unambiguous():
    words = [styles.normalise(w) for style in styles.STYLES for w in (style.name, *style.aliases)]
    assert len(words) == len(set(words))


@pytest.mark.parametrize("word, name", [
    ("jig", "irish"), ("Reel", "irish"), ("Bach", "chorale"), ("String Quartet", "classical"),
    ("cinematic", "classical"), ("chinese", "chinese_folk"), ("  folk ", "german_folk"), ("O'Neills", "irish"),
])
def test_aliases_find_their_style(word, name):
    assert styles.get_style(word).name == name


def test_genre_is_another_word_for_style():
    assert "genre" in styles.STYLE_WORDS
    assert styles.resolve_style(genre="jig") == styles.resolve_style(style="jig") == styles.get_style("irish")
    assert styles.resolve_style(style="jig", genre="reel").name == "irish"  # two words for one style agree
    with pytest.raises(InvalidArgumentError, match="disagree"):
        styles.resolve_style(style="jig", genre="chorale")
    assert styles.resolve_style(default="chorale").name == "chorale"


def test_unknown_style_lists_the_styles():
    with pytest.raises(InvalidArgumentError, match="unknown style 'dubstep'.*chorale, german_folk"):
        styles.get_style("dubstep")
    assert styles.find_style("dubstep") is None
    with pytest.raises(InvalidArgumentError, match="no style given"):
        styles.resolve_style()


def test_typical_meter_is_the_commonest_meter_of_its_corpus():
    from deepcomposer_edu.data import corpus_info

    for style in styles.STYLES:
        meters = corpus_info(style.corpus)["meters"]
        assert "{}/{}".format(*style.meter) == max(meters, key=meters.get), style.name
