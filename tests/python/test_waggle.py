"""The Python package against the command: the same scenario, seed and runs give
the same CSV bytes through waggle.run / waggle.compare as through `waggle run` /
`waggle compare` (both are libwaggle.so), networkx graphs and edge lists come in as
the edge-list files the command would read, and errors carry the library's messages."""
import os
import shutil
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest

from conftest import ROOT, WAGGLE
import waggle

DEMO = os.path.join(ROOT, "scenarios", "demo.yaml")
LEVERS = os.path.join(ROOT, "scenarios", "every-lever.yaml")
CSVS = ("series.csv", "summary.csv", "finals.csv")


def command(*args, cwd=None):
    p = subprocess.run([WAGGLE, *args, "-q"], cwd=cwd, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p


def same_bytes(a, b, names=CSVS):
    for n in names:
        with open(os.path.join(a, n), "rb") as fa, open(os.path.join(b, n), "rb") as fb:
            assert fa.read() == fb.read(), n


def test_run_file_same_bytes_as_command(tmp_path):
    command("run", DEMO, "-r", "12", "-s", "7", "-o", str(tmp_path / "cmd"))
    r = waggle.run(DEMO, runs=12, seed=7, threads=2, out=tmp_path / "py")
    same_bytes(tmp_path / "cmd", tmp_path / "py")
    for n in ("series", "summary", "finals"):
        ref = pd.read_csv(tmp_path / "cmd" / (n + ".csv"))
        pd.testing.assert_frame_equal(getattr(r, n), ref)
    assert len(r.finals) == 12 and r.manifest["runs"] == 12 and r.manifest["seed"] == 7


def test_counts_are_the_series(tmp_path):
    r = waggle.run(DEMO, runs=3, seed=2)
    s = r.series
    assert r.counts.shape[:2] == (3, 60) and r.counts.shape[2] >= 8
    flat = r.counts.reshape(3 * 60, -1)
    # the counts: the 8 columns of series.csv up to new_negative, answers (not
    # written there), then the exposures of each valence
    cols = ["exposures_positive", "exposures_negative"]
    assert (flat[:, :8] == s.drop(columns=["run", "step"] + cols).to_numpy()).all()
    assert (flat[:, 9:11] == s[cols].to_numpy()).all()


def test_yaml_text_and_dict_give_the_file_bytes(tmp_path):
    import yaml
    command("run", DEMO, "-r", "5", "-o", str(tmp_path / "cmd"))
    text = open(DEMO, encoding="utf-8").read()
    waggle.run(text, runs=5, out=tmp_path / "text")
    waggle.run(yaml.safe_load(text), runs=5, out=tmp_path / "dict")
    same_bytes(tmp_path / "cmd", tmp_path / "text")
    same_bytes(tmp_path / "cmd", tmp_path / "dict")


def test_set_is_the_commands_set(tmp_path):
    command("run", DEMO, "-r", "4", "--set", "share.negative=0.1", "--set", "quality=0.9",
            "-o", str(tmp_path / "cmd"))
    waggle.run(DEMO, runs=4, set={"share.negative": 0.1, "quality": 0.9}, out=tmp_path / "py")
    same_bytes(tmp_path / "cmd", tmp_path / "py")


def test_networkx_graph_same_bytes_as_its_edge_list(tmp_path):
    g = nx.karate_club_graph()
    for u, v in g.edges:
        g[u][v].pop("weight", None)
    nx.write_edgelist(g, tmp_path / "karate.txt", data=False)
    command("run", DEMO, "-r", "6", "--set",
            "network={file: %s, format: edgelist}" % (tmp_path / "karate.txt"),
            "-o", str(tmp_path / "cmd"))
    r = waggle.run(DEMO, network=g, runs=6, out=tmp_path / "py")
    same_bytes(tmp_path / "cmd", tmp_path / "py")
    assert r.manifest["network"]["nodes"] == 34 and r.manifest["network"]["edges"] == 78
    assert r.labels is None


def test_directed_graph_stays_directed():
    g = nx.gnp_random_graph(60, 0.08, seed=3, directed=True)
    r = waggle.run(DEMO, network=g, runs=2)
    net = r.manifest["network"]
    assert net["directed"] is True
    assert net["edges"] == g.number_of_edges()


def test_weighted_edge_list_and_dataframe(tmp_path):
    edges = [(0, 1, 0.5), (1, 2, 2.0), (2, 3, 1.0), (3, 0, 1.5), (1, 3, 1.0), (3, 4, 0.25),
             (4, 5, 1.0), (5, 6, 3.0), (6, 0, 1.0)]
    a = waggle.run(DEMO, network=edges, runs=3, out=tmp_path / "list")
    df = pd.DataFrame(edges, columns=["source", "target", "weight"])
    b = waggle.run(DEMO, network=df, runs=3, out=tmp_path / "frame")
    same_bytes(tmp_path / "list", tmp_path / "frame")
    with open(tmp_path / "e.txt", "w") as f:
        f.writelines("%d %d %r\n" % e for e in edges)
    command("run", DEMO, "-r", "3", "--set",
            "network={file: %s, format: edgelist, weight: 3}" % (tmp_path / "e.txt"),
            "-o", str(tmp_path / "cmd"))
    same_bytes(tmp_path / "cmd", tmp_path / "list")
    assert a.manifest["network"]["edges"] == 9 and b.manifest["network"]["nodes"] == 7


def test_text_labels_are_renumbered_and_kept():
    g = nx.relabel_nodes(nx.path_graph(5), {i: "person-%d" % i for i in range(5)})
    r = waggle.run(DEMO, network=g, runs=2)
    assert r.labels == ["person-%d" % i for i in range(5)]
    assert r.manifest["network"]["nodes"] == 5


def test_trace_keeps_the_files_ids(tmp_path):
    # a CSV network with names and e-mails: the trace's ids are the file's text
    (tmp_path / "people.csv").write_text(
        "source,target\nann@example.com,bob\nbob,\"Smith, Cy\"\n\"Smith, Cy\",7\n7,ann@example.com\n",
        encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        "name: names\nsteps: 4\nruns: 2\nseed: 3\nnetwork: {file: people.csv}\n"
        "trace: {runs: [0]}\nmodel: {share: 1}\n"
        "events:\n  - {step: 0, seed: {valence: positive, by: id, ids: [\"Smith, Cy\"]}}\n",
        encoding="utf-8")
    command("run", str(tmp_path / "s.yaml"), "-o", str(tmp_path / "cmd"))
    t = waggle.read(tmp_path / "cmd").trace(0)
    assert list(t["id"]) == ["ann@example.com", "bob", "Smith, Cy", "7"]
    seed = t[t["source"] == "seed"]
    assert list(seed["id"]) == ["Smith, Cy"] and seed["parent"].isna().all()
    assert set(t["parent"].dropna()) <= {"ann@example.com", "bob", "Smith, Cy", "7"}
    # integer ids stay integers
    g = nx.relabel_nodes(nx.path_graph(4), {i: 10 * i for i in range(4)})
    nx.write_edgelist(g, tmp_path / "ints.txt", data=False)
    (tmp_path / "i.yaml").write_text(
        "name: ints\nsteps: 4\nruns: 2\nseed: 3\nnetwork: {file: ints.txt}\n"
        "trace: {runs: [0]}\nevents:\n  - {step: 0, seed: {valence: positive, by: id, ids: [20]}}\n",
        encoding="utf-8")
    command("run", str(tmp_path / "i.yaml"), "-o", str(tmp_path / "ints"))
    t = waggle.read(tmp_path / "ints").trace(0)
    assert str(t["id"].dtype) == "Int64" and list(t["id"]) == [0, 10, 20, 30]
    with pytest.raises(FileNotFoundError):
        waggle.read(tmp_path / "ints").trace(1)


def test_compare_same_bytes_as_command(tmp_path):
    command("compare", LEVERS, "-r", "4", "-o", str(tmp_path / "cmd"))
    c = waggle.compare(LEVERS, runs=4, out=tmp_path / "py")
    same_bytes(tmp_path / "cmd", tmp_path / "py", ("compare.csv", "blowup.csv"))
    assert list(c.arms)[0] == "base" and len(c.arms) == 5
    for name, arm in c.arms.items():
        folder = c.blowups.set_index("variant").loc[name, "folder"]
        same_bytes(tmp_path / "cmd" / folder, arm.dir)
    pd.testing.assert_frame_equal(c.table, pd.read_csv(tmp_path / "cmd" / "compare.csv"))


def test_read_a_command_folder(tmp_path):
    command("run", DEMO, "-r", "3", "-o", str(tmp_path / "cmd"))
    r = waggle.read(tmp_path / "cmd")
    assert isinstance(r, waggle.Result)
    pd.testing.assert_frame_equal(r.finals, pd.read_csv(tmp_path / "cmd" / "finals.csv"))
    assert "waggle run" in r.manifest["command"]
    with pytest.raises(FileNotFoundError):
        waggle.read(tmp_path / "nothing")


def test_charts_show_in_jupyter():
    r = waggle.run(DEMO, runs=3)
    assert set(r.charts) == {"curves", "states", "finals"}
    png = r.charts["curves"]._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert r._repr_png_() == png
    html = r._repr_html_()
    assert html.count("<img") == 3 and "blow-ups:" in html


def test_temporary_folder_goes_with_the_result():
    import gc
    r = waggle.run(DEMO, runs=2)
    d = r.dir
    assert os.path.isdir(d)
    del r
    gc.collect()
    assert not os.path.exists(d)


def test_bad_input_raises_the_librarys_messages(tmp_path):
    with pytest.raises(waggle.Error) as e:
        waggle.run("name: x\nsteps: -1\nnetwork: {generate: ring, nodes: 10}\n",
                   out=tmp_path / "bad")
    assert "<python>:2:8: steps:" in str(e.value) and e.value.status == 1
    assert not (tmp_path / "bad").exists()
    with pytest.raises(waggle.Error, match="share.negative"):
        waggle.run(DEMO, set={"share.negative": 2}, out=tmp_path / "bad")
    with pytest.raises(waggle.Error, match="no variants"):
        waggle.compare(DEMO, runs=2)
    with pytest.raises(TypeError):
        waggle.run(42)


def test_library_not_found_names_every_place_tried(tmp_path):
    env = dict(os.environ, WAGGLE_LIB=str(tmp_path / "nowhere.so"),
               PYTHONPATH=os.path.join(ROOT, "python"))
    p = subprocess.run([sys.executable, "-c", "import waggle; waggle.run('x.yaml')"],
                       env=env, cwd=str(tmp_path), capture_output=True, text=True)
    assert p.returncode != 0 and "libwaggle.so not found" in p.stderr
    assert str(tmp_path / "nowhere.so") in p.stderr


def test_pip_install_offline(tmp_path):
    """pip install --no-build-isolation --no-index of a copy of python/ into a venv
    that sees Debian's packages; the installed copy finds build/libwaggle.so by the
    path recorded when it was built (no WAGGLE_LIB) and writes the command's bytes."""
    src = tmp_path / "src"
    shutil.copytree(os.path.join(ROOT, "python"), src / "python",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "_built.py"))
    os.symlink(os.path.dirname(WAGGLE), src / "build")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True)
    py = str(venv / "bin" / "python")
    p = subprocess.run([py, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index",
                        str(src / "python")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("WAGGLE_LIB", "PYTHONPATH")}
    env["PATH"] = "/usr/bin:/bin"
    code = ("import waggle, sys; r = waggle.run(sys.argv[1], runs=3, out=sys.argv[2]); "
            "print(waggle.__file__); print(waggle.library_path())")
    p = subprocess.run([py, "-c", code, DEMO, str(tmp_path / "py")], env=env,
                       cwd=str(tmp_path), capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    where, lib = p.stdout.split()
    assert where.startswith(str(venv)) and lib == str(src / "build" / "libwaggle.so")
    command("run", DEMO, "-r", "3", "-o", str(tmp_path / "cmd"))
    same_bytes(tmp_path / "cmd", tmp_path / "py")


def test_manifest_records_versions_build_time_and_memory():
    r = waggle.run(DEMO, runs=2)
    m = r.manifest
    assert set(m["libraries"]) == {"igraph", "gsl"}
    assert all(isinstance(v, str) and v[0].isdigit() for v in m["libraries"].values())
    assert m["waggle"]["version"] == waggle.__version__
    assert m["peak_memory_mb"] > 1
    assert 0 <= m["network"]["build_seconds"] < 60
