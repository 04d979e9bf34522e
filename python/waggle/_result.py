"""What a run folder holds, as Python objects: DataFrames read from its CSV files
(the same bytes the command writes), its manifest as a dict, its charts as images
that Jupyter shows."""
import base64
import html
import os

import pandas


class Chart:
    """One PNG chart of a folder; Jupyter shows it (_repr_png_)."""

    def __init__(self, path):
        self.path = path

    @property
    def name(self):
        return os.path.splitext(os.path.basename(self.path))[0]

    def png(self):
        with open(self.path, "rb") as f:
            return f.read()

    def _repr_png_(self):
        return self.png()

    def show(self):
        """Display in Jupyter (IPython.display); outside it, print the path."""
        try:
            from IPython.display import Image, display
        except ImportError:
            print(self.path)
            return
        display(Image(data=self.png(), format="png"))

    def __repr__(self):
        return "<waggle chart %s>" % self.path


def _read_manifest(path):
    import yaml
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _table(name, doc, required=True):
    """A property of a folder: its CSV file `name` as a DataFrame, read once (None
    when the file is missing and not required)."""
    return property(lambda self: self._csv(name, required), doc=doc)


class _Folder:
    """Common to a run folder and a compare folder: lazy CSV and manifest reading,
    the charts, and their display in Jupyter."""

    _title = "waggle folder"

    def __init__(self, path, labels=None, notes=None):
        self.dir = os.fspath(path)
        self.labels = labels
        self.notes = list(notes or [])
        self._cache = {}
        self._cleanup = None

    def _csv(self, name, required=True):
        if name not in self._cache:
            p = os.path.join(self.dir, name)
            if not os.path.exists(p):
                if required:
                    raise FileNotFoundError("waggle: %s has no %s" % (self.dir, name))
                return None
            self._cache[name] = pandas.read_csv(p)
        return self._cache[name]

    @property
    def manifest(self):
        """manifest.yaml as a dict (version, command, seed, runs, network, scenario...)."""
        if "manifest" not in self._cache:
            self._cache["manifest"] = _read_manifest(os.path.join(self.dir, "manifest.yaml"))
        return self._cache["manifest"]

    @property
    def charts(self):
        """{name: Chart} of the folder's PNG files (curves, states, finals; compare)."""
        names = sorted(n for n in os.listdir(self.dir) if n.endswith(".png"))
        return {os.path.splitext(n)[0]: Chart(os.path.join(self.dir, n)) for n in names}

    def _first_chart(self):
        ch = self.charts
        for k in self._main_charts:
            if k in ch:
                return ch[k]
        return next(iter(ch.values()), None)

    def _repr_png_(self):
        c = self._first_chart()
        return c.png() if c else None

    def _headline(self):
        return ""

    def _repr_html_(self):
        parts = ["<p><b>%s</b> %s</p>" % (html.escape(self._title), html.escape(self.dir))]
        h = self._headline()
        if h:
            parts.append("<p>%s</p>" % html.escape(h))
        for name, c in self.charts.items():
            if name in self._main_charts:
                b64 = base64.b64encode(c.png()).decode("ascii")
                parts.append('<img alt="%s" src="data:image/png;base64,%s"/>'
                             % (html.escape(name), b64))
        return "\n".join(parts)

    def show(self):
        """Display the charts in Jupyter, one after the other."""
        for c in self.charts.values():
            c.show()

    def keep(self, path):
        """Copy the folder to path (a temporary folder is removed with the result)."""
        import shutil
        shutil.copytree(self.dir, os.fspath(path))
        return read(path)


class Result(_Folder):
    """One run folder: .series, .summary, .finals (DataFrames), .observed (or None),
    .manifest (dict), .charts; .counts holds the counts as the library returned them
    (runs × steps × columns: those of series.csv after run and step, then answers, the
    critics answered in the step)."""

    _title = "waggle run"
    _main_charts = ("curves", "states", "finals")

    def __init__(self, path, labels=None, notes=None, counts=None):
        super().__init__(path, labels, notes)
        self.counts = counts

    series = _table("series.csv", "series.csv: the counts of every run at every step.")
    summary = _table("summary.csv", "summary.csv: each metric's statistics at every step.")
    finals = _table("finals.csv", "finals.csv: each run's final values.")
    observed = _table("observed.csv", "observed.csv, or None when the scenario has none.",
                      required=False)

    def trace(self, run=0):
        """trace-R.csv (or .csv.gz) of traced run R as a DataFrame. The id and parent
        columns hold the ids as the network gave them: integers (nullable Int64) when
        every id is one, else text; a graph given to run() gets its own node labels
        back when they had to be renumbered."""
        name = None
        for n in ("trace-%d.csv" % run, "trace-%d.csv.gz" % run):
            if os.path.exists(os.path.join(self.dir, n)):
                name = n
                break
        if name is None:
            raise FileNotFoundError("waggle: %s has no trace of run %d (trace: in the scenario, "
                                    "or --trace)" % (self.dir, run))
        if name not in self._cache:
            blank = ["valence", "step_reached", "parent", "generation"]
            df = pandas.read_csv(os.path.join(self.dir, name), dtype={"id": str, "parent": str},
                                 keep_default_na=False, na_values={c: [""] for c in blank})
            ids = df["id"]
            if self.labels is not None:
                lab = self.labels
                df["id"] = [lab[int(x)] for x in ids]
                df["parent"] = [None if pandas.isna(x) else lab[int(x)] for x in df["parent"]]
            elif ids.str.fullmatch(r"[0-9]+").all():
                df["id"] = ids.astype("Int64")
                df["parent"] = df["parent"].astype("Int64")
            self._cache[name] = df
        return self._cache[name]

    def metric(self, name):
        """summary.csv's rows of one metric, indexed by step."""
        s = self.summary
        return s[s.metric == name].set_index("step").drop(columns="metric")

    def _headline(self):
        b = (self.manifest or {}).get("blowup")
        if not b:
            return ""
        return ("blow-ups: %s of %s runs (%.1f %%, 95 %% Wilson interval %.1f-%.1f %%)"
                % (b["blowups"], b["runs"], 100 * b["share"], 100 * b["lo"], 100 * b["hi"]))

    def __repr__(self):
        m = self.manifest or {}
        return "<waggle run %s: %s runs × %s steps>" % (self.dir, m.get("runs"), m.get("steps"))


class Comparison(_Folder):
    """A compare folder: .table (compare.csv), .blowups (blowup.csv), .arms
    ({"base": Result, variant name: Result}), .manifest, .charts."""

    _title = "waggle compare"
    _main_charts = ("compare",)

    table = _table("compare.csv", "compare.csv: each variant against the base.")
    blowups = _table("blowup.csv", "blowup.csv: each arm, its folder and its blow-up share.")

    @property
    def arms(self):
        out = {}
        for _, row in self.blowups.iterrows():
            r = Result(os.path.join(self.dir, row["folder"]), labels=self.labels)
            r._parent = self  # keeps a temporary folder alive while an arm is used
            out[row["variant"]] = r
        return out

    def __repr__(self):
        return "<waggle compare %s: %d arms>" % (self.dir, len(self.blowups))


def read(path):
    """Open a folder written by `waggle run` / `waggle compare` (or by run(), compare()):
    a Comparison when it holds compare.csv, else a Result."""
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise FileNotFoundError("waggle: %s is not a folder" % path)
    if os.path.exists(os.path.join(path, "compare.csv")):
        return Comparison(path)
    if not os.path.exists(os.path.join(path, "series.csv")):
        raise FileNotFoundError("waggle: %s is neither a run folder (series.csv) nor a "
                                "compare folder (compare.csv)" % path)
    return Result(path)
