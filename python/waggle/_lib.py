"""The C library, libwaggle.so, through ctypes: where it is found, the few
functions of include/waggle/job.h and whatif.h the package calls, and the
structures they take (laid out as in those headers).

Where the library is looked for, first match wins:
  1. $WAGGLE_LIB: the file itself, or the folder that holds libwaggle.so;
  2. PREFIX/lib of the `waggle` command found on PATH (what `make install` puts
     side by side: PREFIX/bin/waggle, PREFIX/lib/libwaggle.so);
  3. the build/ folder of the source checkout this package sits in (python/ of the
     repository, used without installing), or of the checkout it was installed
     from (`pip install ./python` records it in waggle/_built.py);
  4. the system's search (ldconfig: /usr/local/lib, /usr/lib, ...).
"""
import ctypes
import ctypes.util
import os
import shutil

WG_OK, WG_EINPUT, WG_ENOMEM, WG_EIO, WG_EINTR = 0, 1, 2, 3, 4


class Error(Exception):
    """A waggle error: the library's messages (file:line:col: key: message), one a line.

    status is 1 for bad input (the command's exit status 2), 2 out of memory, 3 a
    file could not be read or written, 4 interrupted."""

    def __init__(self, messages, status):
        self.messages = list(messages)
        self.status = status
        super().__init__("\n".join(self.messages) or "waggle: error (status %d)" % status)


class _DiagEntry(ctypes.Structure):
    _fields_ = [("is_error", ctypes.c_int), ("text", ctypes.c_char_p)]


class _Diag(ctypes.Structure):
    _fields_ = [("items", ctypes.POINTER(_DiagEntry)), ("count", ctypes.c_size_t),
                ("cap", ctypes.c_size_t), ("errors", ctypes.c_size_t),
                ("status", ctypes.c_int), ("oom", ctypes.c_int)]


_PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64)


class _RunParams(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_int), ("progress", ctypes.c_void_p),
                ("progress_ud", ctypes.c_void_p), ("stop", ctypes.POINTER(ctypes.c_int)),
                ("no_stats", ctypes.c_int)]


class _WriteParams(ctypes.Structure):
    _fields_ = [("argc", ctypes.c_int), ("argv", ctypes.POINTER(ctypes.c_char_p)),
                ("kind", ctypes.c_char_p), ("ranks", ctypes.c_int),
                ("manifest_extra", ctypes.c_char_p),
                ("render", ctypes.c_void_p)]   # wg_job_write_params (job.h), field for field


class _Final(ctypes.Structure):
    _fields_ = [("reach_pos", ctypes.c_uint32), ("reach_neg", ctypes.c_uint32),
                ("peak_critics", ctypes.c_uint32), ("peak_step", ctypes.c_uint32),
                ("steps", ctypes.c_uint32), ("answers", ctypes.c_uint64),
                ("cost", ctypes.c_double)]   # wg_final (output.h), field for field


def _candidates():
    env = os.environ.get("WAGGLE_LIB")
    if env:
        yield os.path.join(env, "libwaggle.so") if os.path.isdir(env) else env
        return
    cmd = shutil.which("waggle")
    if cmd:
        prefix = os.path.dirname(os.path.dirname(os.path.realpath(cmd)))
        yield os.path.join(prefix, "lib", "libwaggle.so")
        # a checkout's build/waggle sits beside build/libwaggle.so
        yield os.path.join(os.path.dirname(os.path.realpath(cmd)), "libwaggle.so")
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(os.path.dirname(os.path.dirname(here)), "build", "libwaggle.so")
    try:
        from ._built import BUILD_DIR
        yield os.path.join(BUILD_DIR, "libwaggle.so")
    except ImportError:
        pass
    found = ctypes.util.find_library("waggle")
    if found:
        yield found


_lib = None
_path = None


def library_path():
    """The path of the libwaggle.so this package uses (loading it if needed)."""
    load()
    return _path


def load():
    """Load libwaggle.so (once) and declare the functions used; raise OSError with
    every place tried when it is not found."""
    global _lib, _path
    if _lib is not None:
        return _lib
    tried = []
    for c in _candidates():
        tried.append(c)
        if os.sep in c and not os.path.exists(c):
            continue
        try:
            lib = ctypes.CDLL(c)
        except OSError:
            continue
        _declare(lib)
        _lib, _path = lib, c
        return lib
    raise OSError("waggle: libwaggle.so not found (build it with `make`, or `make install`, "
                  "or set WAGGLE_LIB); tried: " + ", ".join(tried or ["nothing"]))


def _declare(lib):
    P, I, SZ, U32 = ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t, ctypes.c_uint32
    CP, CPP = ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)
    D = ctypes.POINTER(_Diag)
    sig = {
        "wg_diag_init": (None, [D]),
        "wg_diag_free": (None, [D]),
        "wg_job_open": (I, [CP, CPP, SZ, ctypes.POINTER(P), D]),
        "wg_job_open_text": (I, [CP, SZ, CP, CP, CPP, SZ, ctypes.POINTER(P), D]),
        "wg_job_free": (None, [P]),
        "wg_job_build": (I, [P, D]),
        "wg_job_run_params_default": (None, [ctypes.POINTER(_RunParams)]),
        "wg_job_run": (I, [P, ctypes.POINTER(_RunParams), D]),
        "wg_job_write_params_default": (None, [ctypes.POINTER(_WriteParams)]),
        "wg_job_write": (I, [P, CP, ctypes.POINTER(_WriteParams), D]),
        "wg_job_series": (ctypes.POINTER(U32), [P, ctypes.POINTER(U32), ctypes.POINTER(U32)]),
        "wg_job_series_width": (U32, []),
        "wg_job_final": (I, [P, U32, ctypes.POINTER(_Final), D]),
        "wg_job_seconds": (ctypes.c_double, [P]),
        "wg_scenario_parse": (I, [CP, SZ, CP, CP, CPP, SZ, ctypes.POINTER(P), D]),
        "wg_job_load": (I, [CP, CPP, SZ, ctypes.POINTER(P), D]),
        "wg_whatif_open_scenario": (I, [P, ctypes.POINTER(P), D]),
        "wg_whatif_free": (None, [P]),
        "wg_whatif_run": (I, [P, ctypes.POINTER(_RunParams), D]),
        "wg_whatif_write": (I, [P, CP, ctypes.POINTER(_WriteParams), D]),
        "wg_whatif_arms": (SZ, [P]),
        "wg_whatif_arm_name": (CP, [P, SZ]),
        "wg_whatif_arm_folder": (CP, [P, SZ]),
        "wg_git_revision": (CP, []),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args


class Diag:
    """A wg_diag owned by Python: its messages, and raising them as an Error."""

    def __init__(self):
        self.lib = load()
        self.d = _Diag()
        self.lib.wg_diag_init(ctypes.byref(self.d))

    def entries(self):
        out = []
        for i in range(self.d.count):
            e = self.d.items[i]
            out.append((bool(e.is_error), (e.text or b"").decode("utf-8", "replace")))
        return out

    def notes(self):
        return [t for is_err, t in self.entries() if not is_err]

    def check(self, status):
        if status != WG_OK:
            msgs = [t for is_err, t in self.entries() if is_err]
            if self.d.oom:
                msgs.append("(some messages were lost: out of memory)")
            raise Error(msgs, status)

    def close(self):
        if self.d is not None:
            self.lib.wg_diag_free(ctypes.byref(self.d))
            self.d = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    @property
    def ref(self):
        return ctypes.byref(self.d)


def strings(items):
    """A C array of char * for a list of str (kept alive by the returned tuple)."""
    enc = [s.encode("utf-8") for s in items]
    arr = (ctypes.c_char_p * max(1, len(enc)))(*enc)
    return arr, len(enc), enc
