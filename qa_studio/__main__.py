"""``python -m qa_studio`` runs the same entry point as the ``qa-studio`` script."""

from qa_studio.cli import main

raise SystemExit(main())
