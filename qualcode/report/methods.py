"""The report's methods paragraph: the units of analysis, each statistic and how its interval
was computed, and the qualcode version, written from the figures' own metadata (the agreement
report's and the saturation report's), so it says what was actually done."""

from __future__ import annotations

from qualcode.analysis.saturation import describe_saturation
from qualcode.report.build import ReportData
from qualcode.report.html import para, section


def saturation_sentence(sat: dict[str, object]) -> str:
    line = describe_saturation(sat)
    return line[0].upper() + line[1:] + "."


def methods_section(data: ReportData) -> str:
    paragraphs = [
        f"Counts are of {data.counted_text()}. A code counts its own codings; rows marked "
        "“(+ children)” add its sub-codes' (documents and participants counted once). Words "
        "coded are the words in the union of each coder's spans in a document, summed over "
        "coders and documents. Codes by attribute count codings per value of each text "
        "attribute of the participants. Co-occurrence counts pairs of codings of two codes by "
        "one coder whose spans share at least one character."
    ]
    a = data.agreement
    if a is not None:
        boot = a["bootstrap"]
        methods = "; ".join(a["kappa_interval"]["methods"].values())
        kappa = "Cohen's kappa" if a["kappa"] == "cohen_kappa" else "Fleiss' kappa"
        paragraphs.append(
            f"Intercoder agreement compares {', '.join(a['coders'])} by {a['unit']}: each code "
            f"is a present/absent rating of every {a['unit']} in the documents the coders "
            f"coded, and the pooled row takes every ({a['unit']}, code) pair as one unit. "
            f"Percent agreement, {kappa} and Krippendorff's alpha (nominal) are reported. Kappa's "
            f"{a['kappa_interval']['ci']:.0%} interval: {methods}. Alpha's "
            f"{boot['ci']:.0%} interval: {boot['method']}, {boot['samples']:,} samples "
            f"(seed {boot['seed']}); codes resample {boot['resampled']['codes']}, the pooled "
            f"row {boot['resampled']['pooled']}. An interval is withheld where fewer than "
            f"{boot['min_resampled']} units can be resampled."
        )
    elif data.agreement_error:
        paragraphs.append(f"Intercoder agreement was not computed: {data.agreement_error}.")
    sat = data.saturation
    s = sat["saturation"]
    orders = sat["random_orders"]
    paragraphs.append(
        "Saturation follows Guest, Namey and Chen (2020): documents are taken in interview "
        f"order (by {sat['order']}), each as the set of codes applied in it; the base is the "
        f"first {s['base']} documents, a run is {s['run']} consecutive documents after it "
        "(runs start at each document in turn), and saturation is reached at the end of the "
        "first run whose new codes, divided by the base's codes, are at most "
        f"{s['threshold']:.0%}. The band is the {orders['band']} of cumulative codes over "
        f"{orders['permutations']:,} random orders (seed {orders['seed']}). "
        + saturation_sentence(sat)
    )
    paragraphs.append(
        f"Made with qualcode {data.version} on {data.generated:%Y-%m-%d}. Every figure here is "
        "the one the qualcode command line prints with --json for the same project."
    )
    return section("methods", "Methods", *(para(p) for p in paragraphs))
