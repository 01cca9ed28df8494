extension ConsoleAssets {
    /// `/assets/console.css`: a dark page like Grafana's, panels on its 24-column grid.
    public static let style = #"""
        /* The workbook console: a dark page like Grafana's, panels on a 24-column grid. */
        :root {
          --background: #111217;
          --panel: #181b1f;
          --border: #2c3235;
          --text: #ccccdc;
          --muted: #8e8e9e;
          --link: #6e9fff;
          --accent: #ff9830;
          --error: #f2495c;
          color-scheme: dark;
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--background); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
        a { color: var(--link); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, textarea, .number { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        h1 { font-size: 20px; margin: 0 0 8px; }
        h2 { font-size: 16px; margin: 24px 0 8px; }
        .muted { color: var(--muted); }

        .top { display: flex; align-items: center; gap: 24px; padding: 8px 16px; border-bottom: 1px solid var(--border); background: var(--panel); }
        .top .brand { color: var(--text); font-weight: 600; }
        .top nav { display: flex; gap: 16px; }
        .page { padding: 16px; }

        table.lessons, table.data { border-collapse: collapse; }
        table.lessons th, table.lessons td, table.data th, table.data td { padding: 4px 12px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
        table.data td.number { white-space: pre; text-align: right; }
        td.number { text-align: right; }
        a.json { font-size: 12px; color: var(--muted); margin-left: 6px; }
        ul.dashboards { padding-left: 20px; }
        .notice { padding: 8px 12px; border-left: 3px solid var(--accent); background: var(--panel); }

        .toolbar { display: flex; justify-content: space-between; align-items: center; gap: 12px; margin-bottom: 12px; flex-wrap: wrap; }
        .dashboard-title { font-size: 16px; font-weight: 600; }
        #range-picker { display: inline-flex; gap: 8px; align-items: center; }
        select, button, textarea { background: var(--background); color: var(--text); border: 1px solid var(--border); border-radius: 2px; padding: 4px 8px; font: inherit; }
        button { cursor: pointer; }
        button:hover { border-color: var(--muted); }
        .live { color: var(--muted); }

        /* Grafana's grid: 24 columns, rows of 30 px with 8 px gaps; each panel sets --x --y --w --h. */
        .panels { display: grid; grid-template-columns: repeat(24, minmax(0, 1fr)); grid-auto-rows: 30px; gap: 8px; }
        .panel {
          grid-column: var(--x) / span var(--w); grid-row: var(--y) / span var(--h);
          display: flex; flex-direction: column; min-width: 0; min-height: 0;
          background: var(--panel); border: 1px solid var(--border); border-radius: 2px; padding: 6px 8px;
        }
        .panel.mine { border-color: var(--accent); }
        .panel header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
        .panel-title { font-size: 13px; font-weight: 500; margin: 0 0 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .panel-title[title] { text-decoration: underline dotted var(--muted); }
        .panel-status { color: var(--error); font-size: 12px; }
        .badge { margin-left: 8px; padding: 0 6px; border-radius: 8px; background: var(--accent); color: #111; font-size: 11px; }
        .row-panel { background: none; border: none; border-bottom: 1px solid var(--border); grid-column: 1 / -1; }
        .row-panel .panel-title { font-size: 15px; font-weight: 600; }
        .panel-body { position: relative; flex: 1; min-height: 0; display: flex; flex-direction: column; }
        @media (max-width: 900px) {
          .panel { grid-column: 1 / -1; grid-row: auto / span var(--h); }
        }

        .chart { position: relative; flex: 1; min-height: 0; }
        .chart svg { position: absolute; inset: 0; display: block; }
        .axes text { fill: var(--muted); font-size: 11px; }
        .axes line.grid { stroke: #2c3235; stroke-width: 1; }
        path.series { fill: none; stroke-linejoin: round; stroke-linecap: round; }
        line.threshold { stroke-dasharray: 6 4; stroke-width: 1; }
        line.cursor { stroke: var(--muted); stroke-width: 1; }
        .tooltip {
          position: absolute; top: 4px; z-index: 2; min-width: 160px; max-width: 240px; pointer-events: none;
          background: #22252b; border: 1px solid var(--border); padding: 6px 8px; font-size: 12px;
        }
        .tooltip[hidden] { display: none; }
        .tooltip-time { color: var(--muted); }
        .tooltip div { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }

        .legend { display: flex; flex-wrap: wrap; gap: 2px 14px; max-height: 30%; overflow: auto; padding-top: 4px; font-size: 12px; }
        .legend i, .tooltip i { display: inline-block; width: 14px; height: 4px; margin-right: 6px; vertical-align: middle; border-radius: 2px; }
        .heatmap-legend { align-items: center; gap: 6px; }
        .heatmap-legend i.scale { width: 120px; height: 8px; margin: 0; }

        .no-data, .unsupported { flex: 1; display: flex; flex-direction: column; gap: 6px; align-items: center; justify-content: center; text-align: center; padding: 0 12px; color: var(--muted); }
        .error { color: var(--error); border-left: 3px solid var(--error); padding: 4px 8px; margin-bottom: 4px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }

        .stats, .gauges { flex: 1; display: flex; gap: 8px; min-height: 0; }
        .stat, .gauge { position: relative; flex: 1; display: flex; flex-direction: column; justify-content: center; align-items: center; min-width: 0; border-radius: 2px; }
        .stat .chart { position: absolute; inset: 0; }
        .stat path.sparkline { fill: none; stroke-width: 1.5; opacity: 0.5; }
        .stat-value { position: relative; font-size: 32px; font-weight: 500; }
        .stat-name { position: relative; font-size: 12px; color: var(--muted); }
        .gauge .chart { width: 100%; }
        path.gauge-track { fill: none; stroke: #2c3235; }
        path.gauge-value, path.gauge-band { fill: none; }
        .gauge-text { font-weight: 500; }
        .bars { flex: 1; display: flex; flex-direction: column; gap: 6px; justify-content: center; }
        .bar { display: grid; grid-template-columns: minmax(60px, 30%) 1fr auto; gap: 8px; align-items: center; }
        .bar-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 12px; }
        .bar-track { position: relative; height: 18px; display: flex; background: #22252b; }
        .bar-value { font-size: 13px; min-width: 60px; text-align: right; }
        .table-scroll { flex: 1; overflow: auto; }
        .text-panel { white-space: pre-wrap; overflow: auto; }

        .query-form { display: flex; flex-direction: column; gap: 8px; margin-bottom: 8px; }
        .query-form textarea { width: 100%; resize: vertical; }
        .query-controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
        .tabs button.active { border-color: var(--accent); color: var(--accent); }
        .query-output { margin-top: 8px; }
        .query-graph { height: 380px; background: var(--panel); border: 1px solid var(--border); padding: 8px; }

        """#
}
