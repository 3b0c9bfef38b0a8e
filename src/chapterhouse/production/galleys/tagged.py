"""The bound book's logical structure and identification: each unit arrives from Typst tagged (PDF/UA-1 and
PDF/A-2a checked as it was compiled); joining units with qpdf keeps their pages but not their structure trees,
so this module grafts each unit's tree under one ``Document`` element, renumbers the parent tree the pages and
annotations point into, tags the contents page's links, and writes the XMP identification.

Nothing here re-validates the result against the ISO standards (no veraPDF here): the tests read the structure
tree, language and identification back with pikepdf.
"""

from __future__ import annotations

import pikepdf

Name = pikepdf.Name


class BookStructure:
    """The structure tree being built while units are added to ``book``."""

    def __init__(self, book: pikepdf.Pdf):
        self.book = book
        self.document = book.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.Document,
                                                              K=pikepdf.Array()))
        self.numbers: list[tuple[int, pikepdf.Object]] = []
        self.next_key = 0
        self.role_map: dict[str, pikepdf.Object] = {}
        self.sections: dict[str, pikepdf.Object] = {}

    def add_unit(self, source: pikepdf.Pdf, pages, unit_name: str) -> None:
        """Grafts the unit's tree (copied after its pages, so its /Pg entries point at the book's pages)."""
        if "/StructTreeRoot" not in source.Root:
            return
        root = self.book.copy_foreign(source.Root.StructTreeRoot)
        offset = self.next_key
        entries = list(_number_tree(root.get("/ParentTree")))
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        self.numbers += [(key + offset, value) for key, value in entries]
        self.next_key = offset + max(int(root.get("/ParentTreeNextKey", 0)),
                                     max((key + 1 for key, _ in entries), default=0))
        for role, standard in dict(root.get("/RoleMap", {})).items():
            self.role_map[role] = standard
        kids = root.K if isinstance(root.K, pikepdf.Array) else pikepdf.Array([root.K])
        section = self.book.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.Sect, P=self.document,
                                                             T=pikepdf.String(unit_name), K=pikepdf.Array()))
        for kid in kids:
            # Each unit's own Document element becomes a section of the book's.
            inner = kid.K if kid.get("/S") == Name.Document else pikepdf.Array([kid])
            for element in (inner if isinstance(inner, pikepdf.Array) else [inner]):
                if isinstance(element, pikepdf.Dictionary):
                    element.P = section
                section.K.append(element)
        self.document.K.append(section)
        self.sections[unit_name] = section

    def tag_link(self, annotation: pikepdf.Object, page: pikepdf.Page, unit_name: str) -> None:
        """A link annotation added after typesetting joins the structure as a Link element of its unit."""
        parent = self.sections.get(unit_name, self.document)
        link = self.book.make_indirect(pikepdf.Dictionary(
            Type=Name.StructElem, S=Name.Link, P=parent, Pg=page.obj,
            K=pikepdf.Array([pikepdf.Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page.obj)])))
        parent.K.append(link)
        annotation.StructParent = self.next_key
        self.numbers.append((self.next_key, link))
        self.next_key += 1

    def finish(self) -> None:
        nums = pikepdf.Array()
        for key, value in sorted(self.numbers, key=lambda pair: pair[0]):
            nums.extend([key, value])
        root = self.book.make_indirect(pikepdf.Dictionary(
            Type=Name.StructTreeRoot, K=pikepdf.Array([self.document]),
            ParentTree=self.book.make_indirect(pikepdf.Dictionary(Nums=nums)), ParentTreeNextKey=self.next_key,
            RoleMap=pikepdf.Dictionary(self.role_map)))
        self.document.P = root
        self.book.Root.StructTreeRoot = root
        self.book.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        for page in self.book.pages:
            page.obj.Tabs = Name.S  # tab order follows the structure (PDF/UA-1, for pages with links)


def _number_tree(node) -> list[tuple[int, pikepdf.Object]]:
    if node is None:
        return []
    pairs = []
    if "/Nums" in node:
        nums = list(node.Nums)
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    for kid in node.get("/Kids", []):
        pairs += _number_tree(kid)
    return pairs


def identify(book: pikepdf.Pdf, info: dict[str, str], language: str, archival: bool) -> None:
    """XMP metadata matching the document information: PDF/UA-1 always, PDF/A-2a for the archive copy."""
    with book.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = info.get("Title", "")
        if info.get("Author"):
            meta["dc:creator"] = [info["Author"]]
        if info.get("Subject"):
            meta["dc:description"] = info["Subject"]
        meta["dc:language"] = [language]
        meta["xmp:CreatorTool"] = info.get("Creator", "chapterhouse")
        meta["pdfuaid:part"] = "1"
        if archival:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "A"
        else:
            for key in ("pdfaid:part", "pdfaid:conformance"):
                if key in meta:
                    del meta[key]


def copy_output_intents(book: pikepdf.Pdf, unit: pikepdf.Pdf) -> None:
    """The colour profile Typst embeds in a PDF/A unit, which the archive copy declares as its output intent."""
    if "/OutputIntents" in unit.Root:
        book.Root.OutputIntents = book.copy_foreign(unit.Root.OutputIntents)
