"""Effective paragraph and run formatting, resolved the way Word resolves it.

Word applies formatting in layers, each property on its own, later layers winning (ECMA-376 §17.7.2):
document defaults → table style → numbering level → paragraph style (its basedOn chain, root first) →
character style (its chain) → direct formatting. The checker needs only a few properties — line spacing
(``w:spacing/@w:line`` in twentieths of a point, ``@w:lineRule``), outline level, font size (``w:sz`` in
half-points) and hidden text (``w:vanish``) — so this resolves exactly those, memoised per style combination.

Simplifications, on purpose: conditional table-style formatting (first row, banded rows) is not applied, and
``w:vanish`` is treated as a plain property rather than a toggle (a style that hides text inside a hidden
style would show it in Word; no real chapter does that). ``w:rPr`` inside ``w:pPr`` formats only the
paragraph mark and is not used for the paragraph's text. Plain Python; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from chapterhouse.ooxml.namespaces import w

Props = dict[str, object]

_VAL = w("val")
_FALSE = {"0", "false", "off", "none"}
WORD_DEFAULT_RUN: Props = {"sz": 20, "vanish": False}  # Word's built-in default: 10 pt, visible
WORD_DEFAULT_PARAGRAPH: Props = {"line": 240, "lineRule": "auto"}  # single spacing
MAX_CHAIN = 32  # basedOn chains longer than this are cut: real ones are a handful deep, hostile ones loop


def on(element: etree._Element) -> bool:
    """A WordprocessingML on/off property: present means on unless its value says otherwise."""
    return element.get(_VAL, "true").lower() not in _FALSE


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def _spacing(element: etree._Element, props: Props) -> None:
    line = _int(element.get(_LINE))
    if line is not None:
        props["line"] = line
        props["lineRule"] = element.get(_LINE_RULE, "auto")
    elif element.get(_LINE_RULE):
        props["lineRule"] = element.get(_LINE_RULE)


def _numbering(element: etree._Element, props: Props) -> None:
    for part in element:
        if part.tag == _NUMID:
            props["numId"] = part.get(_VAL, "")
        elif part.tag == _ILVL:
            props["ilvl"] = part.get(_VAL, "0")


def _integer(key: str, positive: bool = False):
    def read(element: etree._Element, props: Props) -> None:
        value = _int(element.get(_VAL))
        if value is not None and (value > 0 or not positive):
            props[key] = value
    return read


def _text(key: str, default: str = ""):
    def read(element: etree._Element, props: Props) -> None:
        props[key] = element.get(_VAL, default)
    return read


def _switch(key: str):
    def read(element: etree._Element, props: Props) -> None:
        props[key] = on(element)
    return read


_SPACING, _LINE, _LINE_RULE = w("spacing"), w("line"), w("lineRule")
_NUMID, _ILVL = w("numId"), w("ilvl")
# Each property the checker uses: the element that sets it and how to read it.
_PARAGRAPH_READERS = {_SPACING: _spacing, w("outlineLvl"): _integer("outlineLvl"), w("numPr"): _numbering,
                      w("pStyle"): _text("pStyle")}
_RUN_READERS = {w("sz"): _integer("sz", positive=True), w("vanish"): _switch("vanish"), w("rStyle"): _text("rStyle")}


def _read(properties: etree._Element | None, readers: dict) -> Props:
    props: Props = {}
    if properties is not None:
        for child in properties.iterchildren(*readers):  # lxml skips the properties not read (fonts, language)
            readers[child.tag](child, props)
    return props


def paragraph_props(ppr: etree._Element | None) -> Props:
    """The paragraph properties the checker uses, from one ``w:pPr``."""
    return _read(ppr, _PARAGRAPH_READERS)


def run_props(rpr: etree._Element | None) -> Props:
    """The run properties the checker uses, from one ``w:rPr``."""
    return _read(rpr, _RUN_READERS)


_STYLE_SCOPED = ("pStyle", "rStyle", "numId", "ilvl")  # references, not formatting: never inherited blindly


@dataclass
class Style:
    id: str
    name: str
    type: str
    based_on: str | None
    ppr: Props
    rpr: Props


@dataclass
class Styles:
    """A document's styles.xml and numbering.xml, answering "what formatting applies here?"."""

    styles: dict[str, Style] = field(default_factory=dict)
    default_ppr: Props = field(default_factory=dict)
    default_rpr: Props = field(default_factory=dict)
    default_paragraph_style: str | None = None
    default_table_style: str | None = None
    numbering: Numbering | dict[tuple[str, str], Props] = field(default_factory=dict)
    _chains: dict[tuple[str, str], tuple[Props, Props]] = field(default_factory=dict)
    _paragraph_bases: dict[tuple, tuple[Props, Props]] = field(default_factory=dict)
    _runs: dict[tuple, Props] = field(default_factory=dict)
    _elements: dict[str, etree._Element] = field(default_factory=dict)  # styleId → w:style, read when first asked

    @classmethod
    def read(cls, styles_root: etree._Element | None, numbering_root: etree._Element | None = None,
             shared: dict | None = None) -> Styles:
        """The styles of a document. ``shared``: a dict kept with the parsed parts (``OoxmlPackage.derived``), so
        that readers of the same parsed styles.xml index it once (the index is only read, never changed)."""
        found = cls()
        if styles_root is not None:
            key = ("style index", styles_root)
            index = shared.get(key) if shared is not None else None
            if index is None:
                index = _StyleIndex.of(styles_root)
                if shared is not None:
                    shared[key] = index
            found.default_ppr = dict(index.default_ppr)
            found.default_rpr = dict(index.default_rpr)
            found.default_paragraph_style = index.default_paragraph_style
            found.default_table_style = index.default_table_style
            found._elements = index.elements
        else:
            found.default_ppr = dict(WORD_DEFAULT_PARAGRAPH)
            found.default_rpr = dict(WORD_DEFAULT_RUN)
        if numbering_root is not None:
            found.numbering = Numbering(numbering_root)
        return found

    def style(self, style_id: str | None) -> Style | None:
        """The style with this id (the first one of that id in styles.xml), read the first time it is asked for."""
        found = self.styles.get(style_id or "")
        if found is None and (style_id or "") in self._elements:
            found = self.styles[style_id] = _read_style(self._elements[style_id])
        return found

    def name(self, style_id: str | None) -> str:
        style = self.style(style_id)
        return style.name if style else (style_id or "")

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and its basedOn ancestors, root first; loops and missing styles end the chain."""
        found: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(found) < MAX_CHAIN:
            style = self.style(style_id)
            if style is None:
                break
            seen.add(style_id)
            found.append(style)
            style_id = style.based_on
        return found[::-1]

    def style_formatting(self, style_id: str | None) -> tuple[Props, Props]:
        """(paragraph props, run props) of a style with its whole basedOn chain applied, root first."""
        key = ("style", style_id or "")
        if key not in self._chains:
            ppr: Props = {}
            rpr: Props = {}
            for style in self.chain(style_id):
                ppr.update(style.ppr)
                rpr.update(style.rpr)
            self._chains[key] = (ppr, rpr)
        return self._chains[key]

    def paragraph_formatting(self, direct: Props, table_style: str | None) -> tuple[Props, Props]:
        """(effective paragraph props, run props before character styles) for a paragraph.

        ``direct`` is the paragraph's own ``w:pPr`` as read by :func:`paragraph_props`.
        """
        style_id = direct.get("pStyle") or self.default_paragraph_style
        key = (style_id, table_style, direct.get("numId"), direct.get("ilvl"),
               tuple(sorted((k, v) for k, v in direct.items() if k not in _STYLE_SCOPED)))
        cached = self._paragraph_bases.get(key)
        if cached is not None:
            return cached
        style_ppr, style_rpr = self.style_formatting(style_id)
        table_ppr, table_rpr = self.style_formatting(table_style) if table_style else ({}, {})
        num_id = direct.get("numId", style_ppr.get("numId"))
        level = direct.get("ilvl", style_ppr.get("ilvl", "0"))
        numbering = self.numbering.get((str(num_id), str(level)), {}) if num_id not in (None, "", "0") else {}
        ppr = {**self.default_ppr, **table_ppr, **numbering, **style_ppr, **direct}
        ppr["pStyle"] = style_id
        rpr = {**self.default_rpr, **table_rpr, **style_rpr}
        self._paragraph_bases[key] = (ppr, rpr)
        return ppr, rpr

    def run_formatting(self, paragraph_rpr: Props, direct: Props) -> Props:
        """Effective run props: the paragraph's run props, then the character style chain, then direct formatting."""
        key = (id(paragraph_rpr), direct.get("rStyle"), direct.get("sz"), direct.get("vanish"))
        cached = self._runs.get(key)
        if cached is not None:
            return cached
        _, char_rpr = self.style_formatting(direct.get("rStyle")) if direct.get("rStyle") else ({}, {})
        effective = {**paragraph_rpr, **char_rpr, **direct}
        self._runs[key] = effective
        return effective


@dataclass(frozen=True)
class _StyleIndex:
    """What styles.xml says before any style is asked for: its defaults and where each style is."""

    default_ppr: Props
    default_rpr: Props
    default_paragraph_style: str | None
    default_table_style: str | None
    elements: dict[str, etree._Element]  # styleId → w:style

    @classmethod
    def of(cls, styles_root: etree._Element) -> _StyleIndex:
        default_ppr, default_rpr = dict(WORD_DEFAULT_PARAGRAPH), dict(WORD_DEFAULT_RUN)
        default_paragraph_style = default_table_style = None
        elements: dict[str, etree._Element] = {}
        defaults = styles_root.find(w("docDefaults"))
        if defaults is not None:
            default_ppr.update(paragraph_props(defaults.find(f"{w('pPrDefault')}/{w('pPr')}")))
            default_rpr.update(run_props(defaults.find(f"{w('rPrDefault')}/{w('rPr')}")))
        # Indexed only: Word's template defines 160-odd styles, a document uses a handful (see ``Styles.style``).
        for element in styles_root.iter(w("style")):
            style_id, kind = element.get(w("styleId"), ""), element.get(w("type"), "paragraph")
            elements.setdefault(style_id, element)
            if on_attribute(element, "default"):
                if kind == "paragraph" and default_paragraph_style is None:
                    default_paragraph_style = style_id
                elif kind == "table" and default_table_style is None:
                    default_table_style = style_id
        return cls(default_ppr, default_rpr, default_paragraph_style, default_table_style, elements)


def on_attribute(element: etree._Element, local: str) -> bool:
    value = element.get(w(local))
    return value is not None and value.lower() not in _FALSE


def _read_style(element: etree._Element) -> Style:
    style_id = element.get(w("styleId"), "")
    name_element = element.find(w("name"))
    based_on = element.find(w("basedOn"))
    ppr = paragraph_props(element.find(w("pPr")))
    ppr.pop("pStyle", None)
    return Style(
        id=style_id,
        name=(name_element.get(_VAL, "") if name_element is not None else "") or style_id,
        type=element.get(w("type"), "paragraph"),
        based_on=based_on.get(_VAL) if based_on is not None else None,
        ppr=ppr,
        rpr=run_props(element.find(w("rPr"))),
    )


_ABSTRACT_NUM, _ABSTRACT_NUM_ID, _NUM, _NUM_ID_ATTR = w("abstractNum"), w("abstractNumId"), w("num"), w("numId")
_LVL, _ILVL_ATTR, _LVL_OVERRIDE, _PPR = w("lvl"), w("ilvl"), w("lvlOverride"), w("pPr")


class Numbering:
    """(numId, ilvl) → the level's paragraph props, lvlOverride taken into account, read when first asked for.

    A numbering.xml can define thousands of lists (2 MB is seen in real files) of which a chapter uses a few, so
    only the lists asked for are read: the part is indexed once, each (numId, ilvl) resolved on demand."""

    def __init__(self, root: etree._Element):
        self._abstract = {element.get(_ABSTRACT_NUM_ID, ""): element for element in root.iter(_ABSTRACT_NUM)}
        self._nums: dict[str, list[etree._Element]] = {}
        for num in root.iter(_NUM):  # a repeated numId: its definitions apply in order, later levels winning
            self._nums.setdefault(num.get(_NUM_ID_ATTR, ""), []).append(num)
        self._levels: dict[str, dict[str, Props]] = {}

    def get(self, key: tuple[str, str], default: Props | None = None) -> Props | None:
        levels = self._levels.get(key[0])
        if levels is None:
            levels = self._levels[key[0]] = self._read(key[0])
        return levels.get(key[1], default)

    def _read(self, num_id: str) -> dict[str, Props]:
        found: dict[str, Props] = {}
        for num in self._nums.get(num_id, []):
            ref = num.find(_ABSTRACT_NUM_ID)
            abstract = self._abstract.get(ref.get(_VAL, "") if ref is not None else "")
            levels: dict[str, Props] = {}
            if abstract is not None:
                for lvl in abstract.iter(_LVL):
                    levels[lvl.get(_ILVL_ATTR, "0")] = paragraph_props(lvl.find(_PPR))
            for override in num.iter(_LVL_OVERRIDE):
                lvl = override.find(_LVL)
                if lvl is not None:
                    levels[override.get(_ILVL_ATTR, "0")] = paragraph_props(lvl.find(_PPR))
            found.update({level: {k: v for k, v in props.items() if k not in _STYLE_SCOPED}
                          for level, props in levels.items()})
        return found
