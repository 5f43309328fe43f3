"""PDF -> plain records, with no publisher knowledge and no file writing (imports: pdfplumber and
pdfminer, spaCy, PyYAML for the pattern files, the standard library).

    reader          the one document reader (`whitepaper run`, `whitepaper tables`, the ICDAR bench):
                    open, every page once under the limits, tables stitched, prose when asked
    pdf_open        open a PDF or say in one line why not; limits; repairs and damage as warnings
    page_workers    pages of a long document read by forked processes when cores are idle
    inflate_limit   pdfminer's stream decoding in steps, stopped past the inflated-bytes limit
    deadline        the time budget during a page: a timer signal stops the page being read
    damage          damage warnings' wording (no raw bytes) and the summary line's one damage item
    records         the record types everything after extraction reads (Box, Table)
    orientation     pages whose text runs sideways, turned upright; boxes turned back
    furniture       running heads and feet, page numbers: one margin band, one detector
    fonts           the bold test of a font name
    numbers         a printed number -> value, precision, format problems
    tables/         one page -> its tables (rules, text regions, grids, headers, captions); stitching
    prose/          page text lines -> sentences -> facts (spaCy patterns in prose/patterns/)
"""
