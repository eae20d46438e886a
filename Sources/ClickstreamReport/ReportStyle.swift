/// The page's only stylesheet, inline (the report loads nothing): readable from a phone (360 px) to a laptop;
/// wide time charts scroll sideways on a phone instead of shrinking their labels below legibility.
enum ReportStyle {
    static let css = """
    :root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
    header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
    header { padding-top: 16px; }
    h1 { font-size: 1.6rem; margin: 0.4em 0 0.2em; }
    h2 { font-size: 1.25rem; margin: 0 0 0.4em; }
    h3 { font-size: 1.05rem; margin: 1em 0 0.3em; }
    p.meta, p.source, figcaption { color: var(--muted); font-size: 0.9rem; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85em; overflow-wrap: anywhere; }
    nav ul { list-style: none; padding: 0; margin: 8px 0 16px; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.9rem; }
    a { color: #0550ae; }
    section { border-top: 1px solid var(--line); padding: 16px 0 8px; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 0; }
    .tile { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 0; }
    .tile dt { color: var(--muted); font-size: 0.85rem; }
    .tile dd { margin: 0; font-size: 1.5rem; font-weight: 600; font-variant-numeric: tabular-nums; }
    figure { margin: 8px 0; }
    .chart-scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
    svg.chart { display: block; width: 100%; height: auto; font-size: 12px; font-family: inherit; }
    svg.line-chart, svg.bar-chart, svg.timeline-chart { min-width: 560px; }
    svg.hbar-chart { max-width: 620px; }
    svg.chart text { fill: var(--ink); }
    svg.chart .axis-title { fill: var(--muted); font-size: 12px; }
    svg.chart .grid { stroke: #eaeef2; stroke-width: 1; }
    svg.chart .baseline, svg.chart .tick { stroke: var(--muted); stroke-width: 1; }
    .table-scroll { overflow-x: auto; max-width: 100%; }
    table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; margin: 6px 0 10px; }
    caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
    th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
    td.num, th.num { text-align: right; }
    td { overflow-wrap: break-word; }
    details { margin: 4px 0 10px; }
    summary { cursor: pointer; color: #0550ae; font-size: 0.9rem; }
    .empty { color: var(--muted); font-style: italic; }
    .big { font-size: 2rem; font-weight: 600; margin: 0; }
    footer { color: var(--muted); font-size: 0.85rem; padding: 16px; }
    @media (max-width: 480px) { body { font-size: 15px; } h1 { font-size: 1.3rem; } .tile dd { font-size: 1.25rem; } }
    """
}
