"""waggle from Python: word of mouth on customer networks, simulated agent by agent.

    import waggle
    r = waggle.run("scenarios/demo.yaml", runs=50, seed=1)
    r.summary[r.summary.metric == "reach_negative"]      # pandas DataFrames
    r                                                    # in Jupyter: the charts

run() and compare() call libwaggle.so, the library the `waggle` command is made of,
through the one pipeline (wg_job: open -> build -> run -> write), so a folder written
from Python holds the same CSV bytes as `waggle run` with the same scenario, seed and
runs. The DataFrames are read from that folder; read() opens a folder written by the
command or by Python.
"""
import ctypes
import json
import os
import shutil
import tempfile
import threading
import weakref

from ._lib import Error, library_path
from . import _lib
from ._network import network_file
from ._result import Chart, Comparison, Result, read

__all__ = ["run", "compare", "read", "Result", "Comparison", "Chart", "Error",
           "library_path", "__version__"]
__version__ = "0.1.0"
Error.__module__ = "waggle"


def _sets(runs, seed, set):
    out = []
    for k, v in (set or {}).items():
        if isinstance(v, str):
            text = v
        else:
            # JSON is YAML: numbers, true/false, lists and maps read back as written
            text = json.dumps(v)
        out.append("%s=%s" % (k, text))
    if runs is not None:
        out.append("runs=%d" % int(runs))
    if seed is not None:
        out.append("seed=%d" % int(seed))
    return out


def _is_path(s):
    return "\n" not in s and (os.path.exists(s) or s.endswith((".yaml", ".yml")))


class _Source:
    """A scenario as the library opens it: a file path, or a YAML text with the
    folder its relative paths resolve against; the network (if given) as a
    temporary edge-list file replacing the scenario's `network:`."""

    def __init__(self, scenario, network, runs, seed, set):
        self.tmp = None
        self.labels = None
        self.path = self.text = None
        self.name = "python"
        if isinstance(scenario, os.PathLike):
            scenario = os.fspath(scenario)
        if isinstance(scenario, dict):
            self.text = json.dumps(scenario, ensure_ascii=False)
            self.name = str(scenario.get("name", "python"))
        elif isinstance(scenario, str) and _is_path(scenario):
            self.path = scenario
            self.name = scenario
        elif isinstance(scenario, str):
            self.text = scenario
        else:
            raise TypeError("waggle: scenario must be a file path, a YAML string or a dict, "
                            "not %s" % type(scenario).__name__)
        self.sets = _sets(runs, seed, set)
        if network is not None:
            self.tmp = tempfile.mkdtemp(prefix="waggle-net-")
            spec, self.labels = network_file(network, self.tmp)
            self.sets.insert(0, "network=" + json.dumps(spec))

    def label(self):
        return self.path or "<%s>" % self.name

    def argv(self, cmd, threads):
        a = ["python:", cmd, self.label()]
        for s in self.sets:
            a += ["--set", s]
        if threads:
            a += ["-t", str(threads)]
        return a

    def open(self, d, by_path, by_text, handle):
        """Open the scenario into handle (a ctypes.c_void_p) with the sets: by_path
        (path, sets, nsets, out, diag) for a file, by_text (text, length, label, dir,
        sets, nsets, out, diag) for a text, whose relative paths resolve against the
        current folder."""
        sets, nsets, _keep = _lib.strings(self.sets)
        if self.path is not None:
            st = by_path(self.path.encode(), sets, nsets, ctypes.byref(handle), d.ref)
        else:
            t = self.text.encode("utf-8")
            st = by_text(t, len(t), self.label().encode(), os.getcwd().encode(), sets, nsets,
                         ctypes.byref(handle), d.ref)
        d.check(st)

    def close(self):
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


def _run_in_thread(fn):
    """Run fn(stop) in a thread while the caller waits; Ctrl-C (KeyboardInterrupt)
    sets the engine's stop flag, which it polls between steps, and re-raises once
    the run has stopped."""
    stop = ctypes.c_int(0)
    box = {}

    def body():
        try:
            box["value"] = fn(stop)
        except BaseException as e:  # handed to the caller's thread
            box["error"] = e

    t = threading.Thread(target=body, daemon=True)
    t.start()
    try:
        while t.is_alive():
            t.join(0.1)
    except KeyboardInterrupt:
        stop.value = 1
        t.join()
        raise
    if "error" in box:
        raise box["error"]
    return box["value"]


def _run_params(lib, threads, stop):
    rp = _lib._RunParams()
    lib.wg_job_run_params_default(ctypes.byref(rp))
    rp.threads = int(threads or 0)
    rp.stop = ctypes.pointer(stop)
    return rp


def _write_params(lib, argv, kind):
    wp = _lib._WriteParams()
    lib.wg_job_write_params_default(ctypes.byref(wp))
    arr, n, keep = _lib.strings(argv)
    wp.argc = n
    wp.argv = arr
    wp.kind = kind.encode()
    return wp, (arr, keep)


def _run(lib, d, threads, run_fn, handle):
    """run_fn(handle, run params, diag) in a thread (Ctrl-C stops it), checked."""
    def go(stop):
        rp = _run_params(lib, threads, stop)
        return run_fn(handle, ctypes.byref(rp), d.ref)

    d.check(_run_in_thread(go))


def _write(lib, d, src, cmd, threads, write_fn, handle, dir_):
    """write_fn(handle, dir_, write params, diag), the manifest naming the command cmd."""
    wp, _keep = _write_params(lib, src.argv(cmd, threads), cmd)
    d.check(write_fn(handle, dir_.encode(), ctypes.byref(wp), d.ref))


def _folder(out, src, fill, cls):
    """The folder out (None: a temporary folder, removed when the object returned is
    no longer used, or at once when fill fails) filled by fill(dir_), which returns
    the keyword arguments of cls besides the folder and the labels; then cls over it.
    src is closed either way."""
    temp = out is None
    dir_ = None
    try:
        dir_ = tempfile.mkdtemp(prefix="waggle-run-") if temp else os.fspath(out)
        kw = fill(dir_)
    except BaseException:
        if temp and dir_ is not None:
            shutil.rmtree(dir_, ignore_errors=True)
        raise
    finally:
        src.close()
    r = cls(dir_, labels=src.labels, **kw)
    if temp:
        r._cleanup = weakref.finalize(r, shutil.rmtree, dir_, True)
    return r


def run(scenario, network=None, runs=None, seed=None, threads=None, set=None, out=None):
    """Run every run of a scenario; return a Result (series, summary, finals, manifest,
    charts).

    scenario: a file path, a YAML string or a dict (as the YAML file would read).
    network: a networkx graph, an edge list ([(u, v), ...] or [(u, v, weight), ...],
        or a DataFrame whose first two columns are the ends and an optional `weight`
        column), or the path of a network file; it replaces the scenario's `network:`.
        Graphs are directed when the networkx graph is; node labels are kept (the
        result's .labels maps agents back to them when they had to be renumbered).
    runs, seed: as the scenario's keys (and -r, -s of the command).
    threads: OpenMP threads (default: all cores); results never depend on it.
    set: {KEY: VALUE}, the command's --set KEY=VALUE (e.g. {"share.negative": 0.1}).
    out: the folder to write (as -o DIR); by default a temporary folder removed
        when the result is no longer used.
    """
    src = _Source(scenario, network, runs, seed, set)
    lib = _lib.load()

    def fill(dir_):
        job = ctypes.c_void_p()
        try:
            with _lib.Diag() as d:
                src.open(d, lib.wg_job_open, lib.wg_job_open_text, job)
                d.check(lib.wg_job_build(job, d.ref))
                _run(lib, d, threads, lib.wg_job_run, job)
                counts = _flat_series(lib, job)
                _write(lib, d, src, "run", threads, lib.wg_job_write, job, dir_)
                return {"notes": d.notes(), "counts": counts}
        finally:
            lib.wg_job_free(job)

    return _folder(out, src, fill, Result)


def _flat_series(lib, job):
    """The counts of the last run as an array [run, step, column] (the flat array of
    wg_job_series: series.csv's columns after run,step, then answers), copied before
    the job is freed."""
    runs, steps = ctypes.c_uint32(), ctypes.c_uint32()
    p = lib.wg_job_series(job, ctypes.byref(runs), ctypes.byref(steps))
    if not p:
        return None
    width = lib.wg_job_series_width()
    n = runs.value * steps.value * width
    flat = (ctypes.c_uint32 * n).from_address(ctypes.addressof(p.contents))
    try:
        import numpy
        return numpy.array(flat, dtype=numpy.uint32).reshape(runs.value, steps.value, width)
    except ImportError:
        return list(flat)


def compare(scenario, network=None, runs=None, seed=None, threads=None, set=None, out=None):
    """Run the base and every variant of a scenario with common random numbers (as
    `waggle compare`); return a Comparison (.table: compare.csv, .blowups: blowup.csv,
    .arms: {name: Result}). Arguments as run()."""
    src = _Source(scenario, network, runs, seed, set)
    lib = _lib.load()

    def fill(dir_):
        scen = ctypes.c_void_p()
        w = ctypes.c_void_p()
        try:
            with _lib.Diag() as d:
                src.open(d, lib.wg_job_load, lib.wg_scenario_parse, scen)
                # the what-if owns the scenario from here on, also when it fails
                d.check(lib.wg_whatif_open_scenario(scen, ctypes.byref(w), d.ref))
                _run(lib, d, threads, lib.wg_whatif_run, w)
                _write(lib, d, src, "compare", threads, lib.wg_whatif_write, w, dir_)
                return {"notes": d.notes()}
        finally:
            lib.wg_whatif_free(w)

    return _folder(out, src, fill, Comparison)
