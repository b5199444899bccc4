from lxml import etree

from litmine.parse.markup import element_text, html_to_text


def test_html_abstract_of_seed_record_becomes_clean_text():
    html = "<p><p>Therapy with <sup>177</sup>Lu-DOTATATE was given.</p></p><p>Next</p>"
    assert html_to_text(html) == "Therapy with 177Lu-DOTATATE was given. Next"


def test_plain_text_passes_through_with_whitespace_folded():
    assert html_to_text("  a\n  b ") == "a b"


def test_pretty_printed_inline_tags_do_not_split_tokens():
    elem = etree.fromstring("<AbstractText>a fast-acting \u03b2\n\t\t<sub>2</sub>-agonist</AbstractText>")
    assert element_text(elem) == "a fast-acting \u03b22-agonist"


def test_inline_tags_keep_real_spaces():
    elem = etree.fromstring("<AbstractText>the <i>TERT</i> gene and <b>bold</b> text</AbstractText>")
    assert element_text(elem) == "the TERT gene and bold text"


def test_mathml_single_letter_identifiers_make_one_word():
    elem = etree.fromstring('<AbstractText>the <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">'
                            '<mml:msub><mml:mi>V</mml:mi><mml:mrow><mml:mi>m</mml:mi><mml:mi>a</mml:mi><mml:mi>x</mml:mi>'
                            '</mml:mrow></mml:msub></mml:math> was high</AbstractText>')
    assert element_text(elem) == "the Vmax was high"
