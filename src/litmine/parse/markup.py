"""Turn marked-up text (PubMed inline XML, publisher HTML) into clean plain text."""

from __future__ import annotations

import re

from lxml import etree, html

# Pretty-printed XML puts newlines around inline tags ("CO\n<sub>2</sub>\n"): those
# must not become spaces inside a token, so whitespace that touches a tag boundary is
# dropped when the element is inline.
_PRETTY_END = re.compile(r"\n\s*$")
_PRETTY_START = re.compile(r"\s*\n")
_INLINE = {"sub", "sup", "i", "b", "u", "em", "strong", "sc", "span", "a"}


def clean_space(text: str) -> str:
    # str.split() splits on the same Unicode whitespace as \s and is several times faster
    return " ".join(text.split())


def element_text(elem: etree._Element) -> str:
    """All text inside an element, inline markup and MathML flattened."""
    parts: list[str] = []
    _collect(elem, parts)
    return clean_space("".join(parts))


def _local(tag: object) -> str:
    if not isinstance(tag, str):  # comments, processing instructions
        return ""
    return tag.rsplit("}", 1)[-1].split(":")[-1]


def _collect(elem: etree._Element, parts: list[str]) -> None:
    if elem.text:
        parts.append(elem.text)
    for child in elem:
        name = _local(child.tag)
        if name == "":
            pass
        elif name in _INLINE or name == "math":
            # strip the whitespace the pretty-printer put around an inline tag
            if parts and _PRETTY_END.search(parts[-1]):
                parts[-1] = parts[-1].rstrip()
            if name == "math":
                parts.append(_math_text(child))
            else:
                inner: list[str] = []
                _collect(child, inner)
                parts.append("".join(inner).strip())
            if child.tail:
                parts.append(child.tail.lstrip() if _PRETTY_START.match(child.tail) else child.tail)
            continue
        else:
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _math_text(elem: etree._Element) -> str:
    """MathML as running text: leaves concatenated without layout whitespace, and
    prescripts before their base (<mmultiscripts> He <mprescripts/> <none/> 3 -> "3He")."""
    name = _local(elem.tag)
    if name in ("mi", "mn", "mo", "mtext", "ms"):
        return (elem.text or "").strip()
    children = [c for c in elem if _local(c.tag)]
    if name == "mmultiscripts":
        split = next((i for i, c in enumerate(children) if _local(c.tag) == "mprescripts"), len(children))
        pre = "".join(_math_text(c) for c in children[split + 1:])
        return pre + "".join(_math_text(c) for c in children[:split])
    out = ""
    for c in children:
        part = _math_text(c)
        # a multi-letter identifier after a word is a new word ("129Xe MRI"), not a product;
        # single letters run together ("m a x" -> "max")
        if out and len(part) > 1 and part[:2].isalpha() and out[-1].isalnum() and _local(c.tag) in ("mi", "mtext"):
            out += " "
        out += part
    return out


def html_to_text(fragment: str) -> str:
    """Publisher HTML (`<p>`, `<sup>177</sup>Lu`) to plain text, paragraphs kept apart."""
    if not fragment or "<" not in fragment:
        return clean_space(fragment or "")
    root = html.fragment_fromstring(fragment, create_parent="div")
    for block in root.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4"):
        block.tail = " " + (block.tail or "")
    return element_text(root)
