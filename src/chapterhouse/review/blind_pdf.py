"""A reviewer's copy of a PDF attachment: a new PDF holding the pages' drawing and nothing else.

The new file gets the pages only (content streams, fonts, pictures, graphics states); from each page, picture
and form only the keys needed to draw it are kept (:data:`PAGE_KEYS`, :data:`XOBJECT_KEYS`), so the document
information, XMP, annotations and their authors, attachments, JavaScript, form fields, outlines, names, page
labels, structure tree, thumbnails and piece information of the author's file are never copied: the copy's
catalogue is pikepdf's new one. Content streams are written again from their parsed operators, so comments and
marked-content property lists (/ActualText, /Alt) fall away. JPEG pictures lose their EXIF/XMP/comment segments (:func:`.blind_images.bare_jpeg`).
What the pages themselves say is kept, and read back (:func:`pages_text`) so intake can tell the editor when the
pages name an author. Plain Python; no Django.
"""

from __future__ import annotations

import io
import logging

from chapterhouse.review.blind_images import NotAPicture, bare_jpeg

PAGE_KEYS = {"/Type", "/Parent", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate", "/Contents",
             "/Resources", "/UserUnit", "/Group"}
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
RESOURCE_KEYS = {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/ProcSet"}
STREAM_KEYS = {"/Length", "/Filter", "/DecodeParms"}
MARKED_WITH_PROPERTIES = {"BDC": "BMC", "DP": "MP"}
XOBJECT_KEYS = STREAM_KEYS | {"/Type", "/Subtype", "/Width", "/Height", "/BitsPerComponent", "/ColorSpace",
                              "/Decode", "/Mask", "/SMask", "/ImageMask", "/Interpolate", "/Intent", "/BBox",
                              "/Matrix", "/Resources", "/Group", "/FormType", "/SMaskInData"}
# Keys that may sit on any dictionary or stream (fonts and their descriptors and programs included) and say
# something about the file rather than draw it.
UNWANTED_ANYWHERE = ("/Metadata", "/PieceInfo", "/LastModified", "/StructParent", "/StructParents", "/OC")
MAX_DEPTH = 32


class UnreadablePdf(ValueError):
    """The PDF cannot be opened to copy its pages."""


def blind_pdf_copy(data: bytes) -> bytes:
    """The new PDF's bytes; raises UnreadablePdf when the file cannot be opened."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as source, pikepdf.new() as copy:
            return _copy_pages(source, copy)
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, OSError, RecursionError) as error:
        raise UnreadablePdf(str(error) or type(error).__name__) from None


def _copy_pages(source, copy) -> bytes:
    for page in source.pages:
        _push_inherited(page.obj)
        copy.pages.append(page)
    seen: set[tuple[int, int]] = set()
    for page in copy.pages:
        _keep_only(page.obj, PAGE_KEYS)
        if "/Contents" in page.obj:
            page.obj.Contents = copy.make_stream(_drawing_only(page))
        _clean_resources(page.obj.get("/Resources"), seen, 0)
    _drop_everywhere(copy, UNWANTED_ANYWHERE)
    if "/Info" in copy.trailer:
        del copy.trailer["/Info"]
    out = io.BytesIO()
    copy.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def pages_text(data: bytes) -> list[tuple[int, str]]:
    """(page number, text) for each page of a PDF that has text, as pypdf extracts it."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data), strict=False)
    return [(number, text) for number, page in enumerate(reader.pages, start=1)
            if (text := page.extract_text() or "").strip()]


def _push_inherited(page) -> None:
    """Page attributes a page takes from its /Pages ancestors, written on the page itself before it is copied."""
    for key in INHERITED:
        if key in page:
            continue
        node, depth = page.get("/Parent"), 0
        while node is not None and depth < MAX_DEPTH:
            if key in node:
                page[key] = node[key]
                break
            node, depth = node.get("/Parent"), depth + 1


def _drawing_only(content) -> bytes:
    """A page's or form's content stream written again from its parsed operators: comments fall away, and marked
    content keeps its tag but not its property list (/ActualText, /Alt, /E, a layer's hiding), since drawing
    needs neither."""
    import pikepdf

    kept = []
    for instruction in pikepdf.parse_content_stream(content):
        operator = str(instruction.operator)
        if operator in MARKED_WITH_PROPERTIES and len(instruction.operands) == 2:
            kept.append(pikepdf.ContentStreamInstruction([instruction.operands[0]],
                                                         pikepdf.Operator(MARKED_WITH_PROPERTIES[operator])))
        else:
            kept.append(instruction)
    return pikepdf.unparse_content_stream(kept)


def _drop_everywhere(pdf, keys: tuple[str, ...]) -> None:
    for item in pdf.objects:
        _drop_keys(item, keys, 0)


def _drop_keys(item, keys: tuple[str, ...], depth: int) -> None:
    """Removes ``keys`` from a dictionary or stream and from the direct dictionaries and arrays inside it."""
    import pikepdf

    if depth > MAX_DEPTH:
        return
    if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
        for key in keys:
            if key in item:
                del item[key]
        children = [item.get(key) for key in item.keys()]
    elif isinstance(item, pikepdf.Array):
        children = list(item)
    else:
        return
    for child in children:
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            _drop_keys(child, keys, depth + 1)


def _keep_only(dictionary, keys: set[str]) -> None:
    for key in list(dictionary.keys()):
        if key not in keys:
            del dictionary[key]


def _clean_resources(resources, seen: set[tuple[int, int]], depth: int) -> None:
    """Resources with only what drawing needs; forms, patterns and Type 3 fonts have resources of their own."""
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary) or depth > MAX_DEPTH or not _first_visit(resources, seen):
        return
    _keep_only(resources, RESOURCE_KEYS)
    for group in ("/XObject", "/Pattern", "/Font"):
        entries = resources.get(group)
        if not isinstance(entries, pikepdf.Dictionary):
            continue
        for name in list(entries.keys()):
            item = entries[name]
            if group == "/XObject":
                _clean_xobject(item, seen, depth)
            elif isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
                _clean_resources(item.get("/Resources"), seen, depth + 1)


def _clean_xobject(xobject, seen: set[tuple[int, int]], depth: int) -> None:
    import pikepdf

    if not isinstance(xobject, pikepdf.Stream) or not _first_visit(xobject, seen):
        return
    _keep_only(xobject, XOBJECT_KEYS)
    for mask in ("/SMask", "/Mask"):
        if isinstance(xobject.get(mask), pikepdf.Stream):
            _clean_xobject(xobject[mask], seen, depth)
    if xobject.get("/Subtype") == pikepdf.Name.Form:
        xobject.write(_drawing_only(xobject))
        _clean_resources(xobject.get("/Resources"), seen, depth + 1)
    elif xobject.get("/Subtype") == pikepdf.Name.Image and _is_jpeg(xobject):
        try:
            stripped = bare_jpeg(_jpeg_bytes(xobject))
        except (NotAPicture, pikepdf.PdfError):
            # A JPEG that cannot be taken apart is not passed on with whatever its segments say: grey instead.
            xobject.write(b"\x80", filter=None)
            _keep_only(xobject, XOBJECT_KEYS - {"/Filter", "/DecodeParms", "/SMask", "/Mask", "/Decode"})
            xobject.update({"/Width": 1, "/Height": 1, "/BitsPerComponent": 8, "/ColorSpace": pikepdf.Name.DeviceGray})
            return
        xobject.write(stripped, filter=pikepdf.Name.DCTDecode)


def _filters(stream) -> list:
    import pikepdf

    filters = stream.get("/Filter")
    return list(filters) if isinstance(filters, pikepdf.Array) else [filters] if filters is not None else []


def _is_jpeg(stream) -> bool:
    import pikepdf

    names = _filters(stream)
    return bool(names) and names[-1] == pikepdf.Name.DCTDecode


def _jpeg_bytes(stream) -> bytes:
    """The JPEG file a DCTDecode image holds: its raw data, or what the filters before DCTDecode decode to."""
    import pikepdf

    if len(_filters(stream)) == 1:
        return stream.read_raw_bytes()
    return stream.read_bytes(decode_level=pikepdf.StreamDecodeLevel.generalized)


def _first_visit(item, seen: set[tuple[int, int]]) -> bool:
    """False for an indirect object already cleaned (shared resources, loops); direct objects are always new."""
    if not item.is_indirect:
        return True
    key = item.objgen
    if key in seen:
        return False
    seen.add(key)
    return True
