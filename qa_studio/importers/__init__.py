"""Importers: contact-centre exports and spreadsheets in, interactions and transcripts stored.

Call ``qa_studio.importers.api`` (``detect_format``, ``preview``, ``run_import``,
``import_transcripts``); the other modules are its parts — one per source format (``tabular``,
``jsonsource``, ``connect``, ``genesys``, ``zendesk``, ``transcript_formats``), the shared field
converters (``fields``, ``vocabulary``, ``mapping``, ``speakers``) and the one-transaction
``pipeline``. Nothing here imports Qt: the import dialog runs these functions on a worker thread.
"""
