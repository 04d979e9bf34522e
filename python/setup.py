"""Records, in the installed package, the checkout's build/ folder it was installed
from (waggle/_built.py), so that `pip install ./python` of a checkout finds that
checkout's build/libwaggle.so without WAGGLE_LIB. Everything else is in
pyproject.toml."""
import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class build_py_with_path(build_py):
    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "waggle", "_built.py")
        build = os.path.join(os.path.dirname(HERE), "build")
        with open(target, "w", encoding="utf-8") as f:
            f.write("# written by setup.py when the package was built\n")
            f.write("BUILD_DIR = %r\n" % build)


setup(cmdclass={"build_py": build_py_with_path})
