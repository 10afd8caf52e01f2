"""Package data (icons, demo audio, sample files), importable as ``qa_studio.resources``.

Mapped through ``[tool.setuptools.package-dir]`` so that ``importlib.resources`` finds the same
files in an editable install, a wheel and the PyInstaller bundle.
"""
