// The report's one style sheet: no web fonts (the system's, with Traditional Chinese
// faces named), colours by class for SVG fills, legend swatches and chips alike, a
// single column that fits a phone (where a chart keeps a readable size, 520 units at
// least, and scrolls sideways in its own box), and print rules (A4, figures kept whole, data tables
// printed open, colours kept). A constant: a page that serves the report can allow
// exactly this sheet by its hash in a Content-Security-Policy (`REPORT_STYLE`).

/** Fill colours by class; `ink` is the colour of a count written on the fill. */
export const PALETTE: Readonly<Record<string, { fill: string; ink: string }>> = {
  // The data map's ratings and the risk tiers.
  'f-red': { fill: '#c62828', ink: '#ffffff' },
  'f-amber': { fill: '#f2a900', ink: '#1a1a1a' },
  'f-green': { fill: '#2e7d32', ink: '#ffffff' },
  'f-failed': { fill: '#9e9e9e', ink: '#1a1a1a' },
  // Evidence freshness.
  'f-current': { fill: '#2e7d32', ink: '#ffffff' },
  'f-due-soon': { fill: '#f2c94c', ink: '#1a1a1a' },
  'f-lapsed': { fill: '#ef6c00', ink: '#1a1a1a' },
  'f-escalated': { fill: '#8e0000', ink: '#ffffff' },
  'f-none': { fill: '#cfd8dc', ink: '#1a1a1a' },
  // Gap severities.
  'f-critical': { fill: '#6a0000', ink: '#ffffff' },
  'f-high': { fill: '#c62828', ink: '#ffffff' },
  'f-medium': { fill: '#f2a900', ink: '#1a1a1a' },
  'f-low': { fill: '#90a4ae', ink: '#1a1a1a' },
  // Gap trend.
  'f-opened': { fill: '#c62828', ink: '#ffffff' },
  'f-reopened': { fill: '#ef6c00', ink: '#1a1a1a' },
  'f-expired': { fill: '#f2c94c', ink: '#1a1a1a' },
  'f-closed': { fill: '#2e7d32', ink: '#ffffff' },
  'f-accepted': { fill: '#78909c', ink: '#ffffff' },
  'f-open-line': { fill: '#1f3a93', ink: '#ffffff' },
  // Review results.
  'f-effective': { fill: '#2e7d32', ink: '#ffffff' },
  'f-partially-effective': { fill: '#9ccc65', ink: '#1a1a1a' },
  'f-not-effective': { fill: '#c62828', ink: '#ffffff' },
  'f-not-applicable': { fill: '#b0bec5', ink: '#1a1a1a' },
  'f-unanswered': { fill: '#4e342e', ink: '#ffffff' },
  'f-open': { fill: '#90caf9', ink: '#1a1a1a' },
  // Risk factors.
  'f-sensitivity': { fill: '#5e35b1', ink: '#ffffff' },
  'f-role': { fill: '#00838f', ink: '#ffffff' },
  'f-mobility': { fill: '#ad1457', ink: '#ffffff' },
};

const fills = Object.entries(PALETTE)
  .map(([cls, c]) => `.${cls}{fill:${c.fill};stroke:${c.fill}}.sw.${cls}{background:${c.fill}}.chip.${cls}{background:${c.fill};color:${c.ink}}text.in.${cls}{fill:${c.ink};stroke:none}`)
  .join('\n');

export const REPORT_STYLE = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#555;--rule:#d0d7de;--panel:#f6f8fa}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;color:var(--ink);background:#fff;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang TC","Noto Sans CJK TC","Microsoft JhengHei",sans-serif;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:980px;margin:0 auto;padding:16px}
header.report{border-bottom:3px solid var(--ink);margin-bottom:16px}
h1{font-size:1.6rem;margin:.2em 0}
h2{font-size:1.3rem;margin:1.6em 0 .4em;padding-top:.4em;border-top:1px solid var(--rule)}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
p.sub,p.note{color:var(--muted);margin:.2em 0 .8em}
nav.toc ol{display:flex;flex-wrap:wrap;gap:.3em 1.4em;padding-left:0;margin:.4em 0;list-style-position:inside}
ul.glance{list-style:none;padding:0;margin:.6em 0;display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px}
ul.glance li{background:var(--panel);border:1px solid var(--rule);border-radius:6px;padding:8px 10px}
ul.glance b{display:block;font-size:1.5rem;line-height:1.2}
dl.provenance{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:.4em 0;font-size:.9rem}
dl.provenance dt{color:var(--muted)}
dl.provenance dd{margin:0;overflow-wrap:anywhere}
figure.figure{margin:1em 0 1.4em;break-inside:avoid;page-break-inside:avoid}
figcaption{font-weight:600;margin-bottom:.3em}
.chart-box{overflow-x:auto;-webkit-overflow-scrolling:touch}
svg.chart{display:block;width:100%;height:auto;font-size:12px}
svg.chart text{fill:var(--ink)}
svg.chart text.tick{fill:var(--muted);font-size:11px}
svg.chart text.total{fill:var(--ink);font-size:12px}
svg.chart text.in{font-size:11px;font-weight:600}
svg.chart text.colhead{font-weight:600}
svg.chart .grid{stroke:#e5e9ee;stroke-width:1}
svg.chart .axis{stroke:#8c959f;stroke-width:1}
svg.chart .track{fill:#eef1f4;stroke:none}
svg.chart rect{stroke-width:0}
svg.chart .line{fill:none;stroke-width:2.5}
svg.chart .dot{stroke:#fff;stroke-width:1}
svg.chart .place-box{fill:#fff;stroke:#8c959f;stroke-width:1.5}
svg.chart .place-name{font-weight:700;font-size:15px}
svg.chart .place-line{font-size:12px}
svg.chart .place-small{font-size:11px;fill:var(--muted)}
svg.chart .flow path{fill:none}
svg.chart .flow.flagged path{stroke:#c62828}
svg.chart .flow.covered path{stroke:#78909c;stroke-dasharray:6 4}
svg.chart .head.flagged{fill:#c62828}
svg.chart .head.covered{fill:#78909c}
svg.chart .flow-label{fill:#fff;stroke:#8c959f;stroke-width:1}
svg.chart .flow.flagged text{fill:#8e0000;font-weight:700}
${fills}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;margin:.3em 0;font-size:.85rem}
ul.legend li{display:flex;align-items:center;gap:6px}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;border:1px solid rgba(0,0,0,.2)}
.sw.sw-line{height:3px;border:0;width:16px}
.sw.flow-flagged{background:#c62828;height:3px;width:18px;border:0}
.sw.flow-covered{background:repeating-linear-gradient(90deg,#78909c 0 6px,transparent 6px 10px);height:3px;width:18px;border:0}
details.data{margin:.4em 0}
details.data summary{cursor:pointer;color:#0b5cad}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;margin:.4em 0;font-size:.88rem;min-width:50%}
caption{text-align:left;font-weight:600;padding:.2em 0}
th,td{border:1px solid var(--rule);padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:var(--panel)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.wide td{font-size:.82rem}
.chip{display:inline-block;padding:0 6px;border-radius:8px;font-size:.8rem;font-weight:600;white-space:nowrap}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
footer.report{margin-top:2em;padding-top:.6em;border-top:1px solid var(--rule);color:var(--muted);font-size:.85rem}
@media (max-width:600px){body{font-size:14px}main{padding:10px}h1{font-size:1.3rem}dl.provenance{grid-template-columns:1fr}svg.chart{min-width:520px}}
@page{size:A4;margin:14mm 12mm}
@media print{
body{font-size:10pt}
main{max-width:none;padding:0}
nav.toc{display:none}
h2{break-after:avoid;page-break-after:avoid}
section.part{break-before:page;page-break-before:always}
section.part:first-of-type{break-before:auto;page-break-before:auto}
details.data summary{color:var(--ink)}
details::details-content{content-visibility:visible;display:block}
.table-wrap,.chart-box{overflow:visible}
svg.chart{min-width:0}
table{font-size:8.5pt}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
}
`.trim();
