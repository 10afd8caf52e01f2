"""Offline bundles (issue 6): assignment bundles out to evaluators, results bundles back.

A bundle is one ``.qab`` file — a zip of JSON records, recordings and a manifest holding the
sha256 of every member — optionally encrypted with a passphrase. Evaluators score on their own
laptops, in their own workspaces, and the QA lead merges what comes back without losing either
side's work. Qt-free: the CLI and the UI call ``qa_studio.bundles.api``.
"""
