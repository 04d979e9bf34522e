"""A network given from Python, written as an edge-list file waggle reads.

network_file(network, folder) writes FOLDER/network.txt ("u v" or "u v w" lines) and
returns (spec, labels): spec is the scenario's `network:` map for it, labels the
list that maps agent ids back to the graph's own node labels when they had to be
renumbered (None when the labels are already non-negative integers, which waggle
keeps as they are).
"""
import math
import numbers
import os
import warnings


def _is_id(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, bool) and 0 <= x < 2 ** 63


def _edges_of(network):
    """(edges, nodes, directed): edges as (u, v, weight or None); nodes is every
    node including isolated ones (None when the input only lists edges)."""
    try:
        import networkx
    except ImportError:
        networkx = None
    if networkx is not None and isinstance(network, networkx.Graph):
        edges = [(u, v, d.get("weight")) for u, v, d in network.edges(data=True)]
        return edges, list(network.nodes), network.is_directed()
    try:
        import pandas
    except ImportError:
        pandas = None
    if pandas is not None and isinstance(network, pandas.DataFrame):
        cols = list(network.columns)
        if len(cols) < 2:
            raise ValueError("waggle: an edge-list DataFrame needs two columns (source, target)")
        w = network["weight"] if "weight" in cols else None
        us, vs = network[cols[0]].tolist(), network[cols[1]].tolist()
        ws = w.tolist() if w is not None else [None] * len(us)
        return list(zip(us, vs, ws)), None, False
    edges = []
    for e in network:
        e = tuple(e)
        if len(e) == 2:
            edges.append((e[0], e[1], None))
        elif len(e) == 3:
            w = e[2]
            if isinstance(w, dict):
                w = w.get("weight")
            edges.append((e[0], e[1], w))
        else:
            raise ValueError("waggle: an edge is (u, v) or (u, v, weight), got %r" % (e,))
    return edges, None, False


def network_file(network, folder):
    if isinstance(network, (str, os.PathLike)):
        return {"file": os.path.abspath(os.fspath(network))}, None
    edges, nodes, directed = _edges_of(network)
    if not edges:
        raise ValueError("waggle: the network has no edges")
    if nodes is None:
        seen, nodes = set(), []
        for u, v, _ in edges:
            for x in (u, v):
                if x not in seen:
                    seen.add(x)
                    nodes.append(x)
    labels = None
    if not all(_is_id(x) for x in nodes):
        # renumber in node order; labels[agent id] is the node
        labels = list(nodes)
        index = {x: i for i, x in enumerate(labels)}
        edges = [(index[u], index[v], w) for u, v, w in edges]
    weighted = any(w is not None for _, _, w in edges)
    ends = set()
    path = os.path.join(folder, "network.txt")
    with open(path, "w", encoding="utf-8") as f:
        for u, v, w in edges:
            ends.add(u)
            ends.add(v)
            if weighted:
                w = 1.0 if w is None else float(w)
                if not math.isfinite(w):
                    raise ValueError("waggle: edge (%r, %r): weight %r is not finite" % (u, v, w))
                f.write("%d %d %r\n" % (u, v, w))
            else:
                f.write("%d %d\n" % (u, v))
    lonely = len(nodes) - len(ends) if labels is None else len(labels) - len(ends)
    if lonely > 0:
        warnings.warn("waggle: %d node(s) without edges left out (an edge list cannot hold them)"
                      % lonely, stacklevel=3)
    spec = {"file": path, "format": "edgelist", "directed": bool(directed)}
    if weighted:
        spec["weight"] = 3
    return spec, labels
