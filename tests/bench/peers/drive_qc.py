"""Codes a qc project the way qc's own coding session does, for ``bench_peers.py``.

Run with qc's own Python (``exports/bench/peers/qc/bin/python``), never qualcode's::

    python drive_qc.py SETTINGS.yaml PLAN.json

``qc code CODER`` opens a document's code file in an editor and, when the editor closes, hands
the lines' codes to ``QCCorpus.update_coded_lines(document, coder, [{line, code_id}])``. There is
no editor here, so this calls that same function with each document's coded lines (0-based line
numbers, as qc stores them). PLAN.json: ``{"coder": NAME, "codings": [[file, line, code], ...]}``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from qualitative_coding.corpus import QCCorpus


def main() -> None:
    settings, plan_path = sys.argv[1], Path(sys.argv[2])
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    by_document: dict[str, list[dict[str, object]]] = defaultdict(list)
    for name, line, code in plan["codings"]:
        by_document[name].append({"line": line, "code_id": code})
    corpus = QCCorpus(settings)
    with corpus.session():
        for name, lines in by_document.items():
            corpus.update_coded_lines(name, plan["coder"], lines)
    print(json.dumps({"documents": len(by_document), "codings": len(plan["codings"])}))


if __name__ == "__main__":
    main()
