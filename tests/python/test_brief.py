"""`waggle brief`: the page for a manager, from a run, a compare and a sweep folder,
checked as written and in a real browser (Debian's chromium, headless):

- the page is self-contained: no script, no http(s) URL in any src or href, the
  chart inlined as a base64 PNG, numbers written for people (no 1.24e+04);
- chromium renders it: a screenshot (a non-empty PNG), no console message at
  all (the page has no script, so any message is a browser's complaint: a
  failed load, a bad attribute), no request leaves the page (chromium runs with
  every request sent to a local proxy of this test, which records and refuses
  them: it must record none);
- printing it to PDF gives exactly one page (the /Type /Page objects counted);
- a bad folder: a clear error, exit status 2, nothing written.

Each browser check is first shown to fail on a page made to fail it (a page that
loads an http image and logs a console error; a page of three A4 pages), so a
check that passes means something. Without chromium these tests skip with a
message (tools/install-deps with WG_DEPS_BRIEF=1 installs it); with
WG_REQUIRE_CHROMIUM=1 (.ci/run sets it) its absence fails instead."""
import http.server
import os
import re
import shutil
import socketserver
import subprocess
import threading

import pytest

from conftest import ROOT, WAGGLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

SCENARIO = """\
name: brief test
about: "What does answering the critics on day 2 instead of day 10 buy us?"
step: day
steps: 30
runs: 24
seed: 77
network: {generate: barabasi-albert, nodes: 3000, edges_per_node: 3}
model:
  share: {positive: 0.05, negative: 0.08}
  quality: 0.9
events:
  - {step: 0, seed: {valence: negative, count: 2, by: random}}
  - {step: 0, seed: {valence: positive, count: 3, by: degree}}
  - {step: 10, respond: {count: 40, by: degree, win: 0.2, calm: 0.5}}
variants:
  - {name: answered on day 2, about: "the answer comes on day 2", set: {events.2.step: 2}}
  - {name: a smaller answer, set: {events.2.respond.count: 10}}
  - {name: louder critics, set: {share.negative: 0.12}}
  - {name: answered on day 4, set: {events.2.step: 4}}
  - {name: answered on day 6, set: {events.2.step: 6}}
  - {name: answered on day 8, set: {events.2.step: 8}}
  - {name: twice as many answers, set: {events.2.respond.count: 80}}
  - {name: calmer answers, set: {events.2.respond.calm: 0.8}}
  - {name: better service, set: {quality: 0.95}}
"""


def waggle(*args, check=True):
    p = subprocess.run([WAGGLE, *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError("waggle %s: exit %d\n%s" % (" ".join(map(str, args)),
                                                       p.returncode, p.stderr))
    return p


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("brief")
    scen = tmp / "brief.yaml"
    scen.write_text(SCENARIO)
    out = {"run": tmp / "run", "compare": tmp / "compare", "sweep": tmp / "sweep"}
    waggle("run", scen, "-o", out["run"], "-q")
    waggle("compare", scen, "-o", out["compare"], "-q")
    waggle("sweep", os.path.join(ROOT, "tests/data/scenarios/ubg.yaml"), "-o", out["sweep"],
           "-r", "4", "-q", "--set", "network.nodes=2000")
    for d in out.values():
        p = waggle("brief", d)
        assert "wrote" in p.stderr
    return out


def page(folder):
    with open(os.path.join(folder, "brief.html"), encoding="utf-8") as f:
        return f.read()


# ---- the page as written ---------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["run", "compare", "sweep"])
def test_self_contained(folders, kind):
    html = page(folders[kind])
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    urls = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html, re.I)
    assert urls, "the chart and the icon are attributes"
    assert all(u.startswith("data:") for u in urls), urls
    assert not re.search(r"https?://", html)
    assert "data:image/png;base64,iVBORw0KGgo" in html   # a PNG, base64
    text = re.sub(r'src="data:[^"]*"', "", html)
    assert not re.search(r"\d[eE][+-]\d", text), "a number not written for people"
    assert "How to reproduce" in html and "seed" in html


def test_compare_page_says_it(folders):
    html = page(folders["compare"])
    # the question, each what-if with its about:, the intervals, blow-up odds per arm
    assert "What does answering the critics on day 2 instead of day 10 buy us?" in html
    for v in ("answered on day 2", "a smaller answer", "louder critics",
              "the answer comes on day 2"):
        assert v in html
    assert html.count("95 %") >= 3
    assert "blow-up odds" in html and "saved / lost" in html
    assert "and 1 more what-ifs in compare.csv" in html   # 9 what-ifs, 8 rows
    # the what-if of the answer has a row of the table, wherever it is in the file
    best = re.search(r"what-ifs, <b>([^<]+)</b>", html).group(1)
    assert html.count("<tr><td>%s" % best) == 1, best
    # numbers of more than three digits carry a thousands separator
    body = re.sub(r"<style>.*?</style>", "", re.sub(r'src="data:[^"]*"', "", html), flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    body = re.sub(r"seed \d+|revision \w+|-o \S+|\S+\.yaml", "", body)
    assert not re.search(r"(?<![\d.,])\d{4,}(?![\d,])", body), re.findall(r"\d{4,}", body)


def test_run_page_and_sweep_page(folders):
    run = page(folders["run"])
    assert "are negative on average" in run and "blows up in" in run
    sweep = page(folders["sweep"])
    assert "fewest at" in sweep and "share.negative" in sweep
    assert "0.8500000000000001" not in sweep


def test_unit_in_words(tmp_path):
    # the scenario's unit: replaces "customers" everywhere, escaped for HTML
    scen = tmp_path / "unit.yaml"
    scen.write_text(SCENARIO.replace("step: day\n", 'unit: "members <of the club>"\nstep: day\n')
                    .replace("runs: 24", "runs: 6"))
    waggle("run", scen, "-o", tmp_path / "run", "-q")
    waggle("brief", tmp_path / "run")
    html = page(tmp_path / "run")
    assert "negative members &lt;of the club&gt; at the end" in html
    assert "<of the club>" not in html
    assert "customers" not in html


def test_out_file_and_bad_folders(folders, tmp_path):
    other = tmp_path / "elsewhere.html"
    waggle("brief", folders["run"], "-o", other)
    assert other.read_text(encoding="utf-8") == page(folders["run"])
    empty = tmp_path / "empty"
    empty.mkdir()
    p = waggle("brief", empty, check=False)
    assert p.returncode == 2
    assert "not a folder of waggle run, compare or sweep" in p.stderr
    assert os.listdir(empty) == []
    p = waggle("brief", tmp_path / "missing", check=False)
    assert p.returncode == 2 and p.stderr
    # a compare.csv without the columns the page needs: named, nothing written
    bad = tmp_path / "bad"
    shutil.copytree(folders["compare"], bad)
    os.remove(bad / "brief.html")
    (bad / "compare.csv").write_text("variant,metric,base_mean\nx,reach_negative,1\n")
    p = waggle("brief", bad, check=False)
    assert p.returncode == 2 and "compare.csv: no column 'variant_mean'" in p.stderr
    assert not (bad / "brief.html").exists()
    help_ = waggle("help", "brief").stdout
    assert help_.startswith("usage: waggle brief DIR [-o FILE]")
    assert waggle("brief", "--help").stdout == help_


# ---- in the browser ----------------------------------------------------------------------------

def need_chromium():
    if CHROMIUM:
        return
    msg = ("chromium is not installed: the brief's browser checks need Debian's chromium "
           "(tools/install-deps with WG_DEPS_BRIEF=1, or apt-get install chromium)")
    if os.environ.get("WG_REQUIRE_CHROMIUM") == "1":
        pytest.fail(msg + "; WG_REQUIRE_CHROMIUM=1 makes this a failure")
    pytest.skip(msg)


# chromium's own calls home (component updates, its clock, accounts), which it makes
# whatever the page: not the page's requests
BROWSER_OWN = re.compile(r"^\S+ (?:https?://)?[a-z0-9.-]*\.(?:google\.com|googleapis\.com|"
                         r"gstatic\.com|gvt1\.com)(?::\d+)?(?:/|$)")


class Proxy(http.server.BaseHTTPRequestHandler):
    """A proxy that records every request chromium sends it and refuses it."""
    seen = []

    def refuse(self):
        Proxy.seen.append("%s %s" % (self.command, self.path))
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = refuse

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def proxy():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def chromium(tmp, port, html_path, *what):
    """Run headless chromium on the page with every request sent to the recording proxy;
    its log (stderr at --v=0), exit status and the requests the proxy saw."""
    profile = tmp / ("profile-%d" % len(list(tmp.iterdir())))
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--disable-background-networking", "--disable-sync",
           "--disable-component-update", "--disable-domain-reliability",
           "--no-default-browser-check", "--hide-scrollbars", "--user-data-dir=%s" % profile,
           "--proxy-server=http://127.0.0.1:%d" % port, "--proxy-bypass-list=<-loopback>",
           "--enable-logging=stderr", "--v=0", *what, "file://%s" % html_path]
    del Proxy.seen[:]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    return p.returncode, p.stderr, [r for r in Proxy.seen if not BROWSER_OWN.search(r)]


def console_problems(log):
    """Console messages (any level: the page has no script) and failed loads in the log."""
    return [line for line in log.splitlines()
            if ":CONSOLE" in line or re.search(r"net::ERR_|Failed to load resource", line)]


def pdf_pages(path):
    data = open(path, "rb").read()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def screenshot_ok(path):
    data = open(path, "rb").read() if os.path.exists(path) else b""
    return len(data) > 1000 and data.startswith(b"\x89PNG\r\n\x1a\n")


def test_browser_checks_can_fail(tmp_path, proxy):
    """The checks below catch a page that requests the network and logs to the console,
    and a page longer than one A4 page."""
    need_chromium()
    noisy = tmp_path / "noisy.html"
    noisy.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head>'
                     '<body><img src="http://example.invalid/x.png">'
                     '<script>console.error("broken page")</script></body></html>')
    rc, log, seen = chromium(tmp_path, proxy, noisy, "--screenshot=%s" % (tmp_path / "n.png"),
                             "--window-size=800,600")
    assert console_problems(log), "a console message went unseen:\n" + log
    assert any("example.invalid" in r for r in seen), seen
    long = tmp_path / "long.html"
    long.write_text("<!DOCTYPE html><html><head><style>@page{size:A4}</style></head><body>" +
                    "".join("<p>line %d</p>" % i for i in range(150)) + "</body></html>")
    rc, log, seen = chromium(tmp_path, proxy, long, "--print-to-pdf=%s" % (tmp_path / "long.pdf"),
                             "--no-pdf-header-footer")
    assert rc == 0, log
    assert pdf_pages(tmp_path / "long.pdf") > 1


@pytest.mark.parametrize("kind", ["run", "compare", "sweep"])
def test_in_chromium(folders, tmp_path, proxy, kind):
    need_chromium()
    html = os.path.join(folders[kind], "brief.html")
    shot = tmp_path / ("%s.png" % kind)
    rc, log, seen = chromium(tmp_path, proxy, html, "--screenshot=%s" % shot,
                             "--window-size=1240,1754")
    assert rc == 0, log
    assert screenshot_ok(shot), "no screenshot:\n" + log
    assert not console_problems(log), "\n".join(console_problems(log))
    assert seen == [], "requests left the page: %s" % seen
    pdf = tmp_path / ("%s.pdf" % kind)
    rc, log, seen = chromium(tmp_path, proxy, html, "--print-to-pdf=%s" % pdf,
                             "--no-pdf-header-footer")
    assert rc == 0, log
    assert not console_problems(log), "\n".join(console_problems(log))
    assert seen == [], "requests left the page: %s" % seen
    assert pdf_pages(pdf) == 1, "%s: %d pages printed" % (kind, pdf_pages(pdf))
