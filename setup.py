"""Package list for setuptools (everything else is in pyproject.toml).

``[tool.setuptools.packages.find]`` only discovers packages by their folder names, so it cannot
see ``resources/`` as ``qa_studio.resources`` (mapped in ``[tool.setuptools.package-dir]``);
without it in the list, wheels and editable installs leave the demo audio and icons out.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["qa_studio*"]), "qa_studio.resources"])
