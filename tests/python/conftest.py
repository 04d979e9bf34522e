"""pytest set-up for the Python package: the package from python/ of this checkout,
the library and the command from $BUILD (default build/)."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("BUILD", "build"))
WAGGLE = os.path.join(BUILD, "waggle")
os.environ.setdefault("WAGGLE_LIB", os.path.join(BUILD, "libwaggle.so"))
sys.path.insert(0, os.path.join(ROOT, "python"))
