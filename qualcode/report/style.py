"""The report's stylesheet, inlined in the page: system fonts only (nothing fetched), verdicts
in colour and in words, and a print layout (A4, figures, quotes and table rows kept whole,
folded tables unfolded)."""

CSS = """
:root { --ink: #1d232b; --muted: #5b6573; --rule: #d5dbe3; --head: #eef2f7;
  --good: #1e7b34; --good-bg: #e3f4e6; --mid: #8a5a00; --mid-bg: #fff2d6;
  --bad: #a61b1b; --bad-bg: #fbe3e3; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--ink); line-height: 1.45; }
body { max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem;
  margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.sub { color: var(--muted); margin-top: 0; }
nav ol { columns: 2; font-size: .95rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .88rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .3rem; }
th, td { border: 1px solid var(--rule); padding: .2rem .5rem; vertical-align: top; }
th { background: var(--head); text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.reliable { color: var(--good); background: var(--good-bg); font-weight: 600; }
td.tentative { color: var(--mid); background: var(--mid-bg); font-weight: 600; }
td.unreliable { color: var(--bad); background: var(--bad-bg); font-weight: 600; }
.glance { display: flex; flex-wrap: wrap; gap: .8rem; padding: 0; list-style: none; }
.glance li { border: 1px solid var(--rule); border-radius: .4rem; padding: .5rem .9rem;
  min-width: 7rem; }
.glance .big { display: block; font-size: 1.6rem; font-weight: 700; }
figure.chart { margin: .8rem 0; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; }
dl.codebook dt { font-weight: 600; margin-top: .5rem; }
dl.codebook dd { margin-left: 1.2rem; }
.crit { color: var(--muted); font-size: .9rem; }
blockquote { border-left: 3px solid var(--rule); margin: .4rem 0 .6rem; padding: .1rem .8rem;
  font-size: .92rem; }
blockquote footer { color: var(--muted); font-size: .82rem; }
.note { color: var(--muted); font-style: italic; }
details summary { cursor: pointer; color: var(--muted); }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  figure, blockquote, tr, dd { break-inside: avoid; }
  h2 { break-after: avoid; }
  /* folded tables print unfolded (::details-content: Chromium 131, Firefox 143, Safari 18.4) */
  details::details-content { content-visibility: visible; display: block; }
  details > summary { display: none; }
  @page { size: A4; margin: 16mm; }
}
"""
