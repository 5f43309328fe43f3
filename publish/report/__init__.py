"""The reviewer's data-quality report of one output folder: `report.html`, page crops and offline GX Data Docs.

`build.write_report(folder, pdf_path)` writes all of it; the publish task calls it inside its temporary
folder and `whitepaper report DIR` calls it on an existing output folder.
"""
