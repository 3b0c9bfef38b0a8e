"""Effective line spacing and font size, resolved layer by layer as Word does, later layers winning.

document defaults → table style → numbering → paragraph style (basedOn chain, root first) → character style
(its chain) → direct formatting.
"""

from __future__ import annotations

from chapterhouse.ooxml.reader import read_manuscript
from tests.docx_factory import DocxFactory, paragraph, run


def spacing(line: int, rule: str = "auto") -> str:
    return f'<w:spacing w:line="{line}" w:lineRule="{rule}"/>'


def style(style_id: str, kind: str = "paragraph", based_on: str | None = None, ppr: str = "", rpr: str = "",
          default: bool = False) -> str:
    flag = ' w:default="1"' if default else ""
    return (f'<w:style w:type="{kind}" w:styleId="{style_id}"{flag}>'
            f'<w:name w:val="{style_id}"/>' + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
            + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + "</w:style>")


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/>'


def layered(*content: str, styles: str = "", defaults: str = "", numbering: str | None = None):
    factory = DocxFactory(styles=styles, numbering=numbering,
                          doc_defaults=defaults or f'<w:pPrDefault><w:pPr>{spacing(276)}</w:pPr></w:pPrDefault>'
                                                   f'<w:rPrDefault><w:rPr>{size(22)}</w:rPr></w:rPrDefault>')
    factory.body += list(content)
    return read_manuscript(factory.build()).paragraphs


def table(style_id: str | None, *cells: str) -> str:
    props = f'<w:tblPr><w:tblStyle w:val="{style_id}"/></w:tblPr>' if style_id else "<w:tblPr/>"
    return f"<w:tbl>{props}<w:tr>" + "".join(f"<w:tc>{cell}</w:tc>" for cell in cells) + "</w:tr></w:tbl>"


NUMBERING = (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:pPr>{spacing(300)}</w:pPr></w:lvl>'
             f'<w:lvl w:ilvl="1"><w:pPr>{spacing(320)}</w:pPr></w:lvl></w:abstractNum>'
             '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
NUMBERED = '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'


def test_document_defaults_apply_when_nothing_else_does():
    [p] = layered(paragraph("Text."))
    assert (p.line, p.line_rule, p.sizes) == (276, "auto", {22: 5})


def test_without_defaults_word_uses_single_spacing_and_ten_point():
    factory = DocxFactory(styles="")
    factory.add("Text.")
    [p] = read_manuscript(factory.build()).paragraphs
    assert (p.line, p.sizes) == (240, {20: 5})


def test_a_table_style_overrides_the_document_defaults_in_its_cells():
    styles = style("Grid", "table", ppr=spacing(360), rpr=size(18))
    heading, cell = layered(paragraph("Out."), table("Grid", paragraph("In.")), styles=styles)
    assert (heading.line, heading.sizes) == (276, {22: 4})
    assert (cell.line, cell.sizes, cell.role) == (360, {18: 3}, "table")


def test_the_default_table_style_applies_to_a_table_without_one():
    styles = style("Plain", "table", ppr=spacing(250), default=True)
    [cell] = layered(table(None, paragraph("In.")), styles=styles)
    assert cell.line == 250


def test_numbering_overrides_the_table_style_and_uses_the_paragraphs_level():
    styles = style("Grid", "table", ppr=spacing(360))
    [cell] = layered(table("Grid", paragraph("Item.", ppr=NUMBERED)), styles=styles, numbering=NUMBERING)
    assert cell.line == 320


def test_a_paragraph_style_overrides_numbering():
    styles = style("ListBody", ppr=spacing(480))
    [p] = layered(paragraph("Item.", style="ListBody", ppr=NUMBERED), styles=styles, numbering=NUMBERING)
    assert p.line == 480


def test_numbering_named_by_the_paragraph_style_applies_too():
    styles = style("Listed", ppr='<w:numPr><w:numId w:val="1"/></w:numPr>')
    [p] = layered(paragraph("Item.", style="Listed"), styles=styles, numbering=NUMBERING)
    assert p.line == 300


def test_a_basedon_chain_applies_from_the_root_the_nearest_ancestor_winning():
    styles = (style("Root", ppr=spacing(240), rpr=size(20)) + style("Middle", based_on="Root", ppr=spacing(360))
              + style("Leaf", based_on="Middle", rpr=size(26)))
    [p] = layered(paragraph("Text.", style="Leaf"), styles=styles)
    assert (p.line, p.sizes) == (360, {26: 5})


def test_each_property_resolves_on_its_own():
    """The rule of spacing comes from one layer and its height from another: w:spacing merges per attribute."""
    styles = style("Exact", ppr='<w:spacing w:line="480" w:lineRule="exact"/>')
    [p] = layered(paragraph("Text.", style="Exact", ppr='<w:spacing w:before="120"/>'), styles=styles)
    assert (p.line, p.line_rule) == (480, "exact")


def test_a_character_style_chain_overrides_the_paragraph_style_and_direct_formatting_overrides_both():
    styles = (style("Body", ppr=spacing(480), rpr=size(24)) + style("Base", "character", rpr=size(28))
              + style("Emph", "character", based_on="Base", rpr="<w:i/>"))
    [p] = layered(paragraph(run("plain ", ""), run("styled ", '<w:rStyle w:val="Emph"/>'),
                            run("direct", f'<w:rStyle w:val="Emph"/>{size(30)}'), style="Body"), styles=styles)
    assert p.sizes == {24: 6, 28: 7, 30: 6}


def test_direct_paragraph_formatting_overrides_every_style():
    styles = style("Body", ppr=spacing(480))
    [p] = layered(paragraph("Text.", style="Body", ppr=spacing(240)), styles=styles)
    assert p.line == 240


def test_run_properties_of_the_paragraph_mark_do_not_format_the_text():
    [p] = layered(paragraph("Text.", ppr=f"<w:rPr>{size(40)}</w:rPr>"))
    assert p.sizes == {22: 5}


def test_the_default_paragraph_style_applies_to_paragraphs_without_a_style():
    styles = style("Normal", ppr=spacing(480), rpr=size(24), default=True)
    [p] = layered(paragraph("Text."), styles=styles)
    assert (p.line, p.sizes, p.style) == (480, {24: 5}, "Normal")


def test_hidden_text_can_come_from_a_style():
    styles = style("Secret", "character", rpr="<w:vanish/>")
    [p] = layered(paragraph(run("shown "), run("hidden", '<w:rStyle w:val="Secret"/>')), styles=styles)
    assert (p.text, p.hidden) == ("shown ", "hidden")


def test_a_basedon_loop_ends_instead_of_hanging():
    styles = style("A", based_on="B", ppr=spacing(300)) + style("B", based_on="A", rpr=size(30))
    [p] = layered(paragraph("Text.", style="A"), styles=styles)
    assert (p.line, p.sizes) == (300, {30: 5})


def test_a_missing_style_falls_back_to_the_defaults():
    [p] = layered(paragraph("Text.", style="NoSuchStyle"))
    assert (p.line, p.sizes) == (276, {22: 5})
