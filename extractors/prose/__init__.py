"""Prose: the numbers in a document's body text as typed, traceable facts.

page_lines      a page's text lines with size and boldness; running lines dropped; body / heading /
                caption / note
sentences       blocks, section paths, sentences with their boxes; `table_boxes` to exclude
nlp             the spaCy pipeline (blank English + sentencizer), built once; the pattern files
quantities      number shapes -> one token per quantity with value, unit, rounding radius
cues            cue words -> what each quantity is said to be
phrases         the counted noun phrase, head noun and unit, subject, period, verb
statements      one sentence's facts (fact_types: the `Fact` record)
relations       relations inside a sentence; lists: totals with their listed parts
facts           paragraphs: cross-sentence relations, groups; `extract_facts(sentences)`
"""
