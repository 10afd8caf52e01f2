"""The demo workspace: a deterministic, realistic contact centre to explore QA Studio with.

``build_demo(ws, DemoSpec(...))`` fills an empty workspace; ``qa-studio demo`` and ``--demo``
call it. See ``builder`` for how later features add their own steps.
"""
