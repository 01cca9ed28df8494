extension ConsoleAssets {
    /// `/assets/console.js`: fetches each page's data from the Prometheus API and draws it.
    ///
    /// Dashboards are read as Grafana reads them: each target's `expr` with `$__rate_interval`
    /// (max(4 × scrape interval, step + scrape interval)), `$__interval` (the step) and
    /// `$__range` resolved; the step is the range over the panel's width in pixels, rounded
    /// to a nice interval and never below the scrape interval; `legendFormat` names series
    /// (`{{label}}` replaced); `fieldConfig.defaults` gives the unit, min, max and thresholds.
    /// It draws timeseries, stat, gauge, bargauge, heatmap (`le` buckets, de-accumulated),
    /// table, text and row panels, and says "panel type X not drawn" for any other.
    public static let script = #"""
        // The workbook console: draws the stack's Grafana dashboards from their JSON, and a query
        // page like Prometheus's graph tab, with data from Prometheus's HTTP API.
        //
        // It asks only what Prometheus documents (GET /api/v1/query_range, /api/v1/query and
        // /api/v1/label/__name__/values, answered in the {"status", "data"} envelope), so the pages
        // work the same over the workbook's own API and over a real Prometheus.
        //   https://prometheus.io/docs/prometheus/latest/querying/api/
        // The dashboards are read as Grafana's JSON model describes them: panels placed by gridPos
        // on 24 columns, targets with expr and legendFormat, fieldConfig.defaults for units and
        // thresholds.
        //   https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
        "use strict";

        (function () {
          const root = document.getElementById("console");
          if (!root) return;

          /** The page's settings, from the data- attributes the server wrote. */
          const settings = {
            api: root.dataset.api || "",
            scrapeInterval: positiveNumber(root.dataset.scrapeInterval, 5),
            refresh: positiveNumber(root.dataset.refresh, 5),
          };

          /** The time ranges offered, each ending now. */
          const RANGES = [
            { name: "5m", label: "Last 5 minutes", seconds: 300 },
            { name: "15m", label: "Last 15 minutes", seconds: 900 },
            { name: "1h", label: "Last 1 hour", seconds: 3600 },
          ];

          /** Series colours, in the order series are drawn. */
          const PALETTE = ["#73bf69", "#f2cc0c", "#8ab8ff", "#ff780a", "#f2495c", "#5794f2", "#b877d9", "#705da0", "#37872d", "#fade2a"];

          /** Grafana's colour names, as thresholds and overrides write them. */
          const NAMED_COLORS = {
            green: "#73bf69", red: "#f2495c", yellow: "#fade2a", orange: "#ff9830", blue: "#5794f2",
            purple: "#b877d9", text: "#ccccdc", transparent: "transparent",
          };

          /** Heatmap colour schemes: from few to many observations. */
          const SCHEMES = {
            Oranges: ["#feedde", "#fd8d3c", "#a63603"], Reds: ["#fee5d9", "#fb6a4a", "#a50f15"],
            Blues: ["#eff3ff", "#6baed6", "#08519c"], Greens: ["#edf8e9", "#74c476", "#006d2c"],
            Purples: ["#f2f0f7", "#9e9ac8", "#54278f"], Greys: ["#f7f7f7", "#969696", "#252525"],
          };

          /** Steps Grafana-like intervals are rounded to, in seconds. */
          const NICE_INTERVALS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 21600, 43200, 86400];

          // MARK: Helpers

          function positiveNumber(text, fallback) {
            const number = Number(text);
            return number > 0 ? number : fallback;
          }

          /** An HTML element with attributes and children (strings become text, never HTML). */
          function html(tag, attributes, ...children) {
            const element = document.createElement(tag);
            for (const [name, value] of Object.entries(attributes || {})) {
              if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value);
            }
            element.append(...children.filter((child) => child !== null && child !== undefined));
            return element;
          }

          const SVG = "http://www.w3.org/2000/svg";

          /** An SVG element with attributes and children. */
          function svg(tag, attributes, ...children) {
            const element = document.createElementNS(SVG, tag);
            for (const [name, value] of Object.entries(attributes || {})) {
              if (value !== undefined && value !== null) element.setAttribute(name, value);
            }
            element.append(...children.filter((child) => child !== null && child !== undefined));
            return element;
          }

          /** Seconds written the way PromQL reads a duration: 300s, 500ms. */
          function promDuration(seconds) {
            if (Number.isInteger(seconds)) return seconds + "s";
            return Math.max(1, Math.round(seconds * 1000)) + "ms";
          }

          /** A Grafana or PromQL duration (30s, 1m, 1h, 500ms) in seconds, or NaN. */
          function parseDuration(text) {
            const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(String(text || "").trim());
            if (!match) return NaN;
            const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[match[2]];
            return Number(match[1]) * unit;
          }

          /** A sample value as Prometheus writes it ("1.5", "+Inf", "-Inf", "NaN") as a number. */
          function sampleValue(text) {
            if (text === "+Inf" || text === "Inf") return Infinity;
            if (text === "-Inf") return -Infinity;
            return Number(text);
          }

          function clamp(value, low, high) {
            return Math.min(high, Math.max(low, value));
          }

          // MARK: The Prometheus API

          /** The data of a GET to the API, or an Error whose message is what Prometheus said. */
          async function api(path, parameters) {
            const query = new URLSearchParams(parameters).toString();
            let response;
            try {
              response = await fetch(settings.api + path + "?" + query, { headers: { Accept: "application/json" } });
            } catch (error) {
              throw new Error("cannot reach the Prometheus API: " + error.message);
            }
            const text = await response.text();
            let body;
            try {
              body = JSON.parse(text);
            } catch (error) {
              const first = text.split("\n").find((line) => line.trim() !== "") || "";
              throw new Error(`HTTP ${response.status} from ${path}, not JSON: ${first.slice(0, 160)}`);
            }
            if (body.status !== "success") {
              const kind = body.errorType ? body.errorType + ": " : "";
              throw new Error(kind + (body.error || `HTTP ${response.status} from ${path}`));
            }
            return body.data;
          }

          /**
           * The series in a query's data: [{metric, points: [[t, v]]}], whatever its result type.
           * A scalar or string becomes one series without labels.
           */
          function toSeries(data) {
            switch (data.resultType) {
              case "matrix":
                return data.result.map((item) => ({
                  metric: item.metric || {},
                  points: (item.values || []).map(([t, v]) => [Number(t), sampleValue(v)]),
                }));
              case "vector":
                return data.result.map((item) => ({ metric: item.metric || {}, points: [[Number(item.value[0]), sampleValue(item.value[1])]] }));
              case "scalar":
                return [{ metric: {}, points: [[Number(data.result[0]), sampleValue(data.result[1])]] }];
              case "string":
                return [{ metric: {}, points: [[Number(data.result[0]), NaN]], text: data.result[1] }];
              default:
                throw new Error("unknown result type " + data.resultType);
            }
          }

          // MARK: Time, step and Grafana's variables

          /** The nice interval nearest (in ratio) to `seconds`. */
          function roundInterval(seconds) {
            let best = NICE_INTERVALS[0];
            for (const nice of NICE_INTERVALS) {
              if (Math.abs(Math.log(nice / seconds)) < Math.abs(Math.log(best / seconds))) best = nice;
            }
            return best;
          }

          /**
           * The step of a range query, as Grafana chooses it: the range over the panel's data points
           * (maxDataPoints, by default its width in pixels), rounded to a nice interval, and never
           * below the panel's minimum interval, which defaults to the scrape interval.
           */
          function stepFor(rangeSeconds, width, panel, target) {
            const points = positiveNumber(panel && panel.maxDataPoints, Math.max(100, Math.round(width)));
            const minimum = Math.max(
              settings.scrapeInterval,
              parseDuration(panel && panel.interval) || 0,
              parseDuration(target && target.interval) || 0,
            );
            // Prometheus refuses a range of more than 11,000 steps.
            return Math.max(roundInterval(rangeSeconds / points), minimum, rangeSeconds / 11000);
          }

          /**
           * Grafana's built-in variables for a query with this step and range, and the dashboard's own.
           * $__rate_interval is max(4 × scrape interval, step + scrape interval): the shortest window
           * that holds at least four scrapes and never skips a sample between two steps.
           */
          function builtInVariables(step, rangeSeconds, dashboardVariables) {
            const scrape = settings.scrapeInterval;
            const range = Math.round(rangeSeconds);
            return Object.assign({}, dashboardVariables, {
              __interval: promDuration(step),
              __interval_ms: String(Math.round(step * 1000)),
              __rate_interval: promDuration(Math.max(4 * scrape, step + scrape)),
              __range: range + "s",
              __range_s: String(range),
              __range_ms: String(range * 1000),
            });
          }

          /** `text` with $name, ${name} and [[name]] replaced where `variables` knows the name. */
          function interpolate(text, variables) {
            return String(text).replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, braced, bracketed, plain) => {
              const name = braced || bracketed || plain;
              return Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : whole;
            });
          }

          /** The dashboard's template variables at their current values (custom, constant, textbox…). */
          function dashboardVariables(dashboard) {
            const variables = {};
            for (const variable of (dashboard.templating && dashboard.templating.list) || []) {
              let value = variable.current && variable.current.value;
              if (value === undefined && variable.options && variable.options.length) value = variable.options[0].value;
              if (value === undefined) value = variable.query || "";
              if (Array.isArray(value)) value = value.length === 1 ? value[0] : "(" + value.join("|") + ")";
              if (value === "$__all") value = ".*";
              variables[variable.name] = String(value);
            }
            return variables;
          }

          // MARK: Units, colours, names

          /** `value` written in Grafana's unit `unit` (s, ms, percentunit, percent, reqps, short, bytes). */
          function formatValue(value, unit, decimals) {
            if (value === null || value === undefined) return "–";
            if (Number.isNaN(value)) return "NaN";
            if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
            switch (unit) {
              case "percentunit": return plain(value * 100, decimals) + "%";
              case "percent": return plain(value, decimals) + "%";
              case "s": return duration(value, decimals);
              case "ms": return duration(value / 1000, decimals);
              case "reqps": return scaled(value, 1000, ["", " K", " Mil", " Bil"], decimals) + " req/s";
              case "short": return scaled(value, 1000, ["", " K", " Mil", " Bil", " Tri"], decimals);
              case "bytes": return scaled(value, 1024, [" B", " KiB", " MiB", " GiB", " TiB"], decimals);
              case undefined: case "": case "none": return plain(value, decimals);
              default: return plain(value, decimals) + " " + unit;
            }
          }

          /** A number with the given decimals, or about three significant digits, trailing zeros dropped. */
          function plain(value, decimals) {
            if (Number.isInteger(decimals)) return value.toFixed(decimals);
            const size = Math.abs(value);
            if (size === 0) return "0";
            if (size >= 1e15 || size < 1e-9) return value.toExponential(2);
            const digits = size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : Math.min(9, 2 - Math.floor(Math.log10(size)));
            const text = value.toFixed(digits);
            return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
          }

          function scaled(value, base, suffixes, decimals) {
            let index = 0;
            while (Math.abs(value) >= base && index < suffixes.length - 1) {
              value /= base;
              index += 1;
            }
            return plain(value, decimals) + suffixes[index];
          }

          function duration(seconds, decimals) {
            const size = Math.abs(seconds);
            if (size === 0) return "0 s";
            if (size < 1e-6) return plain(seconds * 1e9, decimals) + " ns";
            if (size < 1e-3) return plain(seconds * 1e6, decimals) + " µs";
            if (size < 1) return plain(seconds * 1e3, decimals) + " ms";
            if (size < 60) return plain(seconds, decimals) + " s";
            if (size < 3600) return plain(seconds / 60, decimals) + " min";
            if (size < 86400) return plain(seconds / 3600, decimals) + " hour";
            return plain(seconds / 86400, decimals) + " day";
          }

          /** A CSS colour for a Grafana colour name (green, dark-red, #ff0000, rgb(…)). */
          function cssColor(name) {
            if (!name) return NAMED_COLORS.green;
            const base = String(name).replace(/^(super-light|light|semi-dark|dark)-/, "");
            return NAMED_COLORS[base] || name;
          }

          /** The panel's thresholds, or Grafana's default: green, and red from 80. */
          function thresholdsOf(panel) {
            const thresholds = fieldDefaults(panel).thresholds;
            if (thresholds && Array.isArray(thresholds.steps) && thresholds.steps.length) return thresholds;
            return { mode: "absolute", steps: [{ color: "green", value: null }, { color: "red", value: 80 }] };
          }

          /** The colour of the highest threshold step `value` reaches; percentage steps are of min…max. */
          function thresholdColor(value, thresholds, min, max) {
            let color = thresholds.steps[0].color;
            for (const step of thresholds.steps) {
              if (step.value === null || step.value === undefined) continue;
              const limit = thresholds.mode === "percentage" ? min + ((max - min) * step.value) / 100 : step.value;
              if (value >= limit) color = step.color;
            }
            return cssColor(color);
          }

          function fieldDefaults(panel) {
            return (panel.fieldConfig && panel.fieldConfig.defaults) || {};
          }

          /**
           * A series' name from the target's legendFormat, {{label}} replaced by the label's value;
           * without one, the series as Prometheus writes it: name{label="value", …}.
           */
          function seriesName(metric, legendFormat, expr) {
            if (legendFormat && legendFormat !== "__auto") {
              return legendFormat.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, label) => metric[label] || "");
            }
            const name = metric.__name__ || "";
            const labels = Object.keys(metric).filter((key) => key !== "__name__").sort().map((key) => `${key}="${metric[key]}"`);
            if (!name && labels.length === 0) return expr;
            return labels.length ? name + "{" + labels.join(", ") + "}" : name;
          }

          /** Ticks at a nice step (1, 2, 2.5 or 5 × 10ⁿ) covering min…max, about `count` of them. */
          function niceTicks(min, max, count) {
            const raw = (max - min) / Math.max(1, count);
            const magnitude = 10 ** Math.floor(Math.log10(raw));
            const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw * 0.999);
            const low = Math.floor(min / step + 1e-9) * step;
            const high = Math.ceil(max / step - 1e-9) * step;
            const ticks = [];
            for (let index = 0; low + index * step <= high + step * 1e-9; index += 1) {
              ticks.push(Number((low + index * step).toPrecision(12)));
            }
            return { min: low, max: high, ticks };
          }

          /** Time labels: a step of nice seconds that leaves at least `spacing` pixels between labels. */
          function timeTicks(start, end, width, spacing) {
            const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
            const wanted = ((end - start) * spacing) / Math.max(1, width);
            const step = steps.find((candidate) => candidate >= wanted) || steps[steps.length - 1];
            const ticks = [];
            for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push(t);
            return { step, ticks };
          }

          function timeLabel(seconds, withSeconds) {
            const date = new Date(seconds * 1000);
            const two = (number) => String(number).padStart(2, "0");
            return two(date.getHours()) + ":" + two(date.getMinutes()) + (withSeconds ? ":" + two(date.getSeconds()) : "");
          }

          // MARK: The time-range picker

          /**
           * The range picker and live switch into `slot`; `onChange` runs when either changes and,
           * while live, every refresh interval. The chosen range stays in the URL (?range=15m).
           */
          function makeRangePicker(slot, defaultName, onChange) {
            const url = new URL(window.location.href);
            const chosen = RANGES.find((range) => range.name === url.searchParams.get("range")) ||
              RANGES.find((range) => range.name === defaultName) || RANGES[1];
            const select = html("select", { "aria-label": "time range" },
              ...RANGES.map((range) => html("option", { value: range.name, selected: range === chosen ? "selected" : null }, range.label)));
            const live = html("input", { type: "checkbox", checked: "checked" });
            const refresh = html("button", { type: "button", title: "refresh now" }, "↻");
            slot.append(select, html("label", { class: "live" }, live, ` live (every ${settings.refresh} s)`), refresh);

            const picker = {
              get range() { return RANGES.find((range) => range.name === select.value) || chosen; },
            };
            select.addEventListener("change", () => {
              const next = new URL(window.location.href);
              next.searchParams.set("range", select.value);
              window.history.replaceState(null, "", next);
              onChange();
            });
            refresh.addEventListener("click", onChange);
            window.setInterval(() => {
              if (live.checked && !document.hidden) onChange();
            }, settings.refresh * 1000);
            return picker;
          }

          /** "now-15m" → "15m", for the dashboard's default range. */
          function dashboardRangeName(dashboard) {
            const from = dashboard.time && dashboard.time.from;
            const match = /^now-(\w+)$/.exec(from || "");
            return match ? match[1] : "15m";
          }

          // MARK: The dashboard page

          async function startDashboard() {
            const name = root.dataset.dashboard;
            const lesson = root.dataset.lesson || "";
            const container = document.getElementById("panels");
            let dashboard;
            try {
              const response = await fetch("/dashboards/" + name + ".json");
              if (!response.ok) throw new Error(`/dashboards/${name}.json answered ${response.status} ${response.statusText}`);
              dashboard = await response.json();
            } catch (error) {
              container.append(html("p", { class: "error" }, "Cannot load the dashboard: " + error.message));
              root.dataset.state = "error";
              return;
            }
            document.getElementById("dashboard-title").textContent = dashboard.title || name;
            const variables = dashboardVariables(dashboard);
            const served = (root.dataset.served || "").split(" ").filter((folder) => folder);
            const views = flattenPanels(dashboard.panels || []).map((panel) => makePanelView(panel, lesson, served));
            for (const view of views) container.append(view.element);

            const picker = makeRangePicker(document.getElementById("range-picker"), dashboardRangeName(dashboard), update);
            function update() {
              const end = Date.now() / 1000;
              for (const view of views) view.update(picker.range.seconds, end, variables);
            }
            update();
            let resizing = 0;
            window.addEventListener("resize", () => {
              window.clearTimeout(resizing);
              resizing = window.setTimeout(() => views.forEach((view) => view.redraw()), 150);
            });
            root.dataset.state = "ready";
          }

          /** The panels in order, those inside collapsed rows included after their row. */
          function flattenPanels(panels) {
            const flat = [];
            for (const panel of panels) {
              flat.push(panel);
              if (panel.type === "row" && Array.isArray(panel.panels)) flat.push(...panel.panels);
            }
            return flat;
          }

          /**
           * The lessons (`NN-slug`) a panel's queries pick with `lesson=` or `lesson=~` that this
           * server does not run, as numbers: `lesson serve 5` has no data for a lesson 6 panel.
           */
          function lessonsNotServed(panel, served) {
            const numbers = new Set();
            for (const target of panel.targets || []) {
              for (const match of String(target.expr || "").matchAll(/lesson=~?"([^"]*)"/g)) {
                for (const folder of match[1].split("|")) {
                  if (/^[0-9]{2}-[a-z0-9-]+$/.test(folder) && !served.includes(folder)) numbers.add(Number(folder.slice(0, 2)));
                }
              }
            }
            return [...numbers].sort((a, b) => a - b);
          }

          /** A panel's element on the 24-column grid, and how to fetch its data and draw it. */
          function makePanelView(panel, lesson, served) {
            const grid = panel.gridPos || { x: 0, y: 0, w: 12, h: 8 };
            const type = panel.type || "unknown";
            const mine = lesson && (panel.targets || []).some((target) => String(target.expr || "").includes(lesson));
            const element = html("section", {
              class: "panel" + (type === "row" ? " row-panel" : "") + (mine ? " mine" : ""),
              "data-type": type, "data-state": "loading",
              style: `--x: ${(grid.x || 0) + 1}; --y: ${(grid.y || 0) + 1}; --w: ${grid.w || 12}; --h: ${type === "row" ? 1 : grid.h || 8}`,
            });
            const title = html("h2", { class: "panel-title", title: panel.description || null }, panel.title || "");
            const status = html("span", { class: "panel-status" });
            const body = html("div", { class: "panel-body" });
            element.append(html("header", {}, title, status), body);
            if (mine) title.append(html("span", { class: "badge" }, "this lesson"));

            let generation = 0;
            let last = null;

            function setState(state, message) {
              element.dataset.state = state;
              status.textContent = state === "error" ? "error" : "";
              status.title = message || "";
            }

            function draw() {
              if (!last) return;
              body.replaceChildren();
              const errors = last.results.filter((result) => result.error);
              for (const result of errors) {
                body.append(html("div", { class: "error" }, `${result.target.refId || "query"}: ${result.error}`));
              }
              const series = last.results.flatMap((result) => result.series || []);
              const hasPoints = series.some((item) => item.points.length > 0);
              if (!hasPoints) {
                const elsewhere = served.length ? lessonsNotServed(panel, served) : [];
                if (!errors.length && elsewhere.length) {
                  const which = elsewhere.map((number) => `lesson ${number}`).join(" and ");
                  const commands = elsewhere.map((number) => `swift run lesson serve ${number}`).join(", ");
                  body.append(html("div", { class: "no-data" },
                    html("span", {}, `No data: this panel reads ${which}, which this server does not run.`),
                    html("span", {}, "See it with ", html("code", {}, commands), " or ", html("code", {}, "swift run lesson serve all"), ".")));
                } else if (!errors.length) {
                  body.append(html("div", { class: "no-data" }, "No data"));
                }
                setState(errors.length ? "error" : "nodata", errors.map((result) => result.error).join("\n"));
                return;
              }
              try {
                DRAWERS[type].draw(body, panel, series, last);
                setState(errors.length ? "error" : "drawn", errors.map((result) => result.error).join("\n"));
              } catch (error) {
                body.append(html("div", { class: "error" }, "cannot draw this panel: " + error.message));
                setState("error", error.message);
                console.error("panel " + JSON.stringify(panel.title) + ": " + error.stack);
              }
            }

            async function update(rangeSeconds, end, variables) {
              if (!DRAWERS[type]) {
                if (element.dataset.state === "loading") {
                  body.append(html("div", { class: "unsupported" }, `panel type ${type} not drawn`));
                  setState("unsupported");
                }
                return;
              }
              if (DRAWERS[type].static) {
                if (element.dataset.state === "loading") {
                  DRAWERS[type].draw(body, panel);
                  setState("drawn");
                }
                return;
              }
              const current = ++generation;
              const width = Math.max(100, body.clientWidth || element.clientWidth || 600);
              const targets = (panel.targets || []).filter((target) => !target.hide && (target.expr || "").trim() !== "");
              const results = await Promise.all(targets.map((target) =>
                runTarget(panel, target, DRAWERS[type].instant, rangeSeconds, end, width, variables)));
              if (current !== generation) return;
              const step = results.length ? results[0].step : stepFor(rangeSeconds, width, panel);
              last = { results, start: end - rangeSeconds, end, step };
              draw();
            }

            return { element, update, redraw: draw };
          }

          /**
           * One target's series: a range query over the time range (or an instant query at its end,
           * for tables and instant targets), its expression with Grafana's variables resolved.
           */
          async function runTarget(panel, target, instantPanel, rangeSeconds, end, width, variables) {
            const step = stepFor(rangeSeconds, width, panel, target);
            const expr = interpolate(target.expr, builtInVariables(step, rangeSeconds, variables));
            const result = { target, expr, step };
            try {
              let data;
              if (instantPanel || (target.instant === true && target.range !== true)) {
                data = await api("/api/v1/query", { query: expr, time: end.toFixed(3) });
              } else {
                // Aligned to the step, as Grafana aligns it, so points do not wander between refreshes.
                const start = Math.floor((end - rangeSeconds) / step) * step;
                const alignedEnd = Math.floor(end / step) * step;
                data = await api("/api/v1/query_range", { query: expr, start: String(start), end: String(alignedEnd), step: String(step) });
              }
              const legend = interpolate(target.legendFormat || "", variables);
              result.series = toSeries(data).map((item, index) => Object.assign(item, {
                name: seriesName(item.metric, legend, expr),
                refId: target.refId || "",
                index,
              }));
            } catch (error) {
              result.error = error.message;
            }
            return result;
          }

          // MARK: Drawing the panels

          /** How each panel type is drawn; a type missing here is shown as not drawn. */
          const DRAWERS = {
            timeseries: { draw: drawTimeSeries },
            graph: { draw: drawTimeSeries },
            stat: { draw: drawStat },
            gauge: { draw: drawGauge },
            bargauge: { draw: drawBarGauge },
            heatmap: { draw: drawHeatmap },
            table: { draw: drawTable, instant: true },
            text: { draw: drawText, static: true },
            row: { draw: () => {}, static: true },
          };

          let canvasCount = 0;

          /**
           * An <svg> filling what `parent` leaves it once `below` (a legend) is placed under it,
           * sized in pixels, with a clip path `clip` for marks that must stay inside the plot.
           */
          function makeCanvas(parent, below) {
            const frame = html("div", { class: "chart" });
            parent.append(frame);
            if (below) parent.append(below);
            const width = Math.max(20, frame.clientWidth);
            const height = Math.max(10, frame.clientHeight);
            const canvas = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
            frame.append(canvas);
            canvasCount += 1;
            const clip = "plot-clip-" + canvasCount;
            return { frame, canvas, width, height, clip };
          }

          /** Adds the clip path `clip` that keeps marks inside `plot`. */
          function clipTo(canvas, clip, plot) {
            canvas.append(svg("clipPath", { id: clip },
              svg("rect", { x: plot.left, y: plot.top - 2, width: plot.right - plot.left, height: plot.bottom - plot.top + 4 })));
          }

          /** The series' colour: an override's fixed colour for its name, else the palette's. */
          function colorOf(panel, item, position) {
            for (const override of (panel.fieldConfig && panel.fieldConfig.overrides) || []) {
              const matcher = override.matcher || {};
              if (matcher.id === "byName" && matcher.options === item.name) {
                const property = (override.properties || []).find((candidate) => candidate.id === "color");
                if (property && property.value && property.value.fixedColor) return cssColor(property.value.fixedColor);
              }
            }
            return PALETTE[position % PALETTE.length];
          }

          /** Lines over time: axes, one path per series (broken at gaps), a legend and a hover tooltip. */
          function drawTimeSeries(body, panel, series, frame) {
            const defaults = fieldDefaults(panel);
            const custom = defaults.custom || {};
            const unit = defaults.unit;
            const showLegend = !(panel.options && panel.options.legend && panel.options.legend.showLegend === false);
            const legend = showLegend ? html("div", { class: "legend" }) : null;
            const colored = series.map((item, position) => Object.assign(item, { color: colorOf(panel, item, position) }));
            if (legend) {
              for (const item of colored) {
                legend.append(html("span", { class: "legend-item" }, html("i", { style: `background: ${item.color}` }), item.name));
              }
            }
            const { frame: chart, canvas, width, height, clip } = makeCanvas(body, legend);

            const values = colored.flatMap((item) => item.points.map((point) => point[1])).filter(Number.isFinite);
            const thresholds = thresholdLines(panel);
            let low = Number.isFinite(defaults.min) ? defaults.min : Math.min(...values, custom.axisSoftMin ?? Infinity);
            let high = Number.isFinite(defaults.max) ? defaults.max : Math.max(...values, custom.axisSoftMax ?? -Infinity);
            if (!Number.isFinite(low) || !Number.isFinite(high)) { low = 0; high = 1; }
            if (low === high) {
              const pad = Math.abs(low) * 0.1 || 1;
              low -= pad;
              high += pad;
            }
            const y = niceTicks(low, high, Math.max(2, Math.floor(height / 45)));
            const labels = y.ticks.map((tick) => formatValue(tick, unit, defaults.decimals));
            const plot = {
              left: 10 + 6.5 * Math.max(...labels.map((label) => label.length)),
              right: width - 10, top: 8, bottom: height - 22,
            };
            const xOf = (t) => plot.left + ((t - frame.start) / (frame.end - frame.start)) * (plot.right - plot.left);
            const yOf = (v) => plot.bottom - ((v - y.min) / (y.max - y.min)) * (plot.bottom - plot.top);

            const axes = svg("g", { class: "axes" });
            y.ticks.forEach((tick, index) => {
              axes.append(svg("line", { class: "grid", x1: plot.left, x2: plot.right, y1: yOf(tick), y2: yOf(tick) }));
              axes.append(svg("text", { x: plot.left - 6, y: yOf(tick) + 4, "text-anchor": "end" }, labels[index]));
            });
            const time = timeTicks(frame.start, frame.end, plot.right - plot.left, 80);
            for (const tick of time.ticks) {
              axes.append(svg("line", { class: "grid", x1: xOf(tick), x2: xOf(tick), y1: plot.top, y2: plot.bottom }));
              axes.append(svg("text", { x: xOf(tick), y: height - 6, "text-anchor": "middle" }, timeLabel(tick, time.step < 60)));
            }
            canvas.append(axes);
            clipTo(canvas, clip, plot);
            for (const line of thresholds) {
              if (line.value < y.min || line.value > y.max) continue;
              canvas.append(svg("line", {
                class: "threshold", x1: plot.left, x2: plot.right, y1: yOf(line.value), y2: yOf(line.value), stroke: line.color,
              }));
            }

            const lineWidth = positiveNumber(custom.lineWidth, 1.5);
            const fill = clamp(Number(custom.fillOpacity) || 0, 0, 100) / 100;
            const maxGap = frame.step * 1.5 + 1e-6;
            for (const item of colored) {
              const segments = segmentsOf(item.points, maxGap);
              const d = segments.map((segment) => {
                const [first, ...rest] = segment;
                // A lone point is drawn as a dot: a zero-length line with round caps.
                if (!rest.length) return `M${xOf(first[0]).toFixed(1)},${yOf(first[1]).toFixed(1)}h0.01`;
                return `M${xOf(first[0]).toFixed(1)},${yOf(first[1]).toFixed(1)}` +
                  rest.map((point) => `L${xOf(point[0]).toFixed(1)},${yOf(point[1]).toFixed(1)}`).join("");
              }).join("");
              if (!d) continue;
              if (fill > 0) {
                const base = yOf(clamp(0, y.min, y.max)).toFixed(1);
                const area = segments.filter((segment) => segment.length > 1).map((segment) =>
                  `M${xOf(segment[0][0]).toFixed(1)},${base}` +
                  segment.map((point) => `L${xOf(point[0]).toFixed(1)},${yOf(point[1]).toFixed(1)}`).join("") +
                  `L${xOf(segment[segment.length - 1][0]).toFixed(1)},${base}Z`).join("");
                if (area) canvas.append(svg("path", { class: "area", d: area, fill: item.color, "fill-opacity": fill, "clip-path": `url(#${clip})` }));
              }
              canvas.append(svg("path", { class: "series", d, stroke: item.color, "stroke-width": lineWidth, "clip-path": `url(#${clip})` },
                svg("title", {}, item.name)));
            }
            addTooltip(chart, canvas, plot, frame, colored, unit, defaults.decimals);
          }

          /** The points split where a step is missing or a value is not finite. */
          function segmentsOf(points, maxGap) {
            const segments = [];
            let current = [];
            let previous = null;
            for (const point of points) {
              if (!Number.isFinite(point[1])) {
                if (current.length) segments.push(current);
                current = [];
                previous = null;
                continue;
              }
              if (previous !== null && point[0] - previous > maxGap) {
                segments.push(current);
                current = [];
              }
              current.push(point);
              previous = point[0];
            }
            if (current.length) segments.push(current);
            return segments;
          }

          /** Threshold lines, where the panel asks for them (custom.thresholdsStyle, as in Grafana). */
          function thresholdLines(panel) {
            const defaults = fieldDefaults(panel);
            const style = defaults.custom && defaults.custom.thresholdsStyle;
            if (!style || !style.mode || style.mode === "off" || !defaults.thresholds) return [];
            return (defaults.thresholds.steps || [])
              .filter((step) => Number.isFinite(step.value))
              .map((step) => ({ value: step.value, color: cssColor(step.color) }));
          }

          /** A vertical line and the values of every series at the nearest step, following the pointer. */
          function addTooltip(chart, canvas, plot, frame, series, unit, decimals) {
            const cursor = svg("line", { class: "cursor", y1: plot.top, y2: plot.bottom, visibility: "hidden" });
            canvas.append(cursor);
            const tip = html("div", { class: "tooltip", hidden: "hidden" });
            chart.append(tip);
            canvas.addEventListener("mousemove", (event) => {
              const box = canvas.getBoundingClientRect();
              const x = event.clientX - box.left;
              if (x < plot.left || x > plot.right) {
                cursor.setAttribute("visibility", "hidden");
                tip.hidden = true;
                return;
              }
              const t = frame.start + ((x - plot.left) / (plot.right - plot.left)) * (frame.end - frame.start);
              const rows = [];
              for (const item of series) {
                const point = nearestPoint(item.points, t);
                if (point && Math.abs(point[0] - t) <= frame.step) {
                  rows.push(html("div", {}, html("i", { style: `background: ${item.color}` }), `${item.name}: ${formatValue(point[1], unit, decimals)}`));
                }
              }
              cursor.setAttribute("x1", x);
              cursor.setAttribute("x2", x);
              cursor.setAttribute("visibility", "visible");
              tip.replaceChildren(html("div", { class: "tooltip-time" }, timeLabel(t, true)), ...rows.slice(0, 12));
              tip.hidden = false;
              tip.style.left = (x + 12 + 240 > box.width ? Math.max(0, x - 252) : x + 12) + "px";
            });
            canvas.addEventListener("mouseleave", () => {
              cursor.setAttribute("visibility", "hidden");
              tip.hidden = true;
            });
          }

          /** The point nearest `t` in points sorted by time. */
          function nearestPoint(points, t) {
            let low = 0;
            let high = points.length - 1;
            if (high < 0) return null;
            while (low < high) {
              const middle = (low + high) >> 1;
              if (points[middle][0] < t) low = middle + 1; else high = middle;
            }
            const before = points[Math.max(0, low - 1)];
            return Math.abs(before[0] - t) < Math.abs(points[low][0] - t) ? before : points[low];
          }

          /** One number per series, reduced as reduceOptions.calcs says (lastNotNull by default). */
          function reduceSeries(panel, item) {
            const calc = ((panel.options && panel.options.reduceOptions && panel.options.reduceOptions.calcs) || ["lastNotNull"])[0];
            const all = item.points.map((point) => point[1]);
            const finite = all.filter(Number.isFinite);
            switch (calc) {
              case "last": return all.length ? all[all.length - 1] : null;
              case "first": return all.length ? all[0] : null;
              case "firstNotNull": return finite.length ? finite[0] : null;
              case "mean": return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
              case "sum": return finite.reduce((a, b) => a + b, 0);
              case "max": return finite.length ? Math.max(...finite) : null;
              case "min": return finite.length ? Math.min(...finite) : null;
              case "count": return all.length;
              case "delta": case "range": return finite.length ? finite[finite.length - 1] - finite[0] : null;
              default: return finite.length ? finite[finite.length - 1] : null;
            }
          }

          /** The range a gauge or bar spans: fieldConfig min and max, else one the unit or values suggest. */
          function gaugeRange(panel, values) {
            const defaults = fieldDefaults(panel);
            const min = Number.isFinite(defaults.min) ? defaults.min : 0;
            if (Number.isFinite(defaults.max)) return { min, max: defaults.max };
            if (defaults.unit === "percentunit") return { min, max: 1 };
            if (defaults.unit === "percent") return { min, max: 100 };
            const largest = Math.max(...values.filter(Number.isFinite), min + 1);
            return { min, max: niceTicks(min, largest, 4).max };
          }

          /** Big numbers, one per series, coloured by the thresholds, with a sparkline behind. */
          function drawStat(body, panel, series) {
            const defaults = fieldDefaults(panel);
            const options = panel.options || {};
            const thresholds = thresholdsOf(panel);
            const values = series.map((item) => reduceSeries(panel, item));
            const range = gaugeRange(panel, values);
            const grid = html("div", { class: "stats" });
            body.append(grid);
            series.forEach((item, index) => {
              const value = values[index];
              const color = Number.isFinite(value) ? thresholdColor(value, thresholds, range.min, range.max) : NAMED_COLORS.text;
              const cell = html("div", { class: "stat" });
              if (options.colorMode === "background") cell.style.background = color;
              grid.append(cell);
              if (options.graphMode !== "none" && item.points.length > 1) {
                const { canvas, width, height } = makeCanvas(cell);
                const finite = item.points.filter((point) => Number.isFinite(point[1]));
                const low = Math.min(...finite.map((point) => point[1]));
                const high = Math.max(...finite.map((point) => point[1]));
                const t0 = item.points[0][0];
                const t1 = item.points[item.points.length - 1][0];
                const xOf = (t) => ((t - t0) / (t1 - t0 || 1)) * width;
                const yOf = (v) => height - 4 - ((v - low) / (high - low || 1)) * (height * 0.5);
                const d = finite.map((point, i) => `${i ? "L" : "M"}${xOf(point[0]).toFixed(1)},${yOf(point[1]).toFixed(1)}`).join("");
                if (d) canvas.append(svg("path", { class: "sparkline", d, stroke: options.colorMode === "background" ? "#ffffff" : color }));
              }
              cell.append(html("div", { class: "stat-value", style: options.colorMode === "none" || options.colorMode === "background" ? null : `color: ${color}` },
                formatValue(value, defaults.unit, defaults.decimals)));
              if (series.length > 1) cell.append(html("div", { class: "stat-name" }, item.name));
            });
          }

          /** Arcs, one per series, filled to the value in its threshold's colour, the thresholds around. */
          function drawGauge(body, panel, series) {
            const defaults = fieldDefaults(panel);
            const thresholds = thresholdsOf(panel);
            const values = series.map((item) => reduceSeries(panel, item));
            const range = gaugeRange(panel, values);
            const row = html("div", { class: "gauges" });
            body.append(row);
            const sweep = (240 * Math.PI) / 180;
            series.forEach((item, index) => {
              const value = values[index];
              const cell = html("div", { class: "gauge" });
              row.append(cell);
              const { canvas, width, height } = makeCanvas(cell);
              const radius = Math.max(10, Math.min(width / 2, height * 0.62) - 14);
              const cx = width / 2;
              const cy = radius + 12;
              const angle = (fraction) => -sweep / 2 + sweep * clamp(fraction, 0, 1);
              const arc = (from, to, r) => {
                const point = (a) => `${(cx + r * Math.sin(a)).toFixed(1)},${(cy - r * Math.cos(a)).toFixed(1)}`;
                return `M${point(angle(from))}A${r},${r} 0 ${(to - from) * sweep > Math.PI ? 1 : 0} 1 ${point(angle(to))}`;
              };
              const fraction = (v) => (v - range.min) / (range.max - range.min || 1);
              const color = Number.isFinite(value) ? thresholdColor(value, thresholds, range.min, range.max) : NAMED_COLORS.text;
              canvas.append(svg("path", { class: "gauge-track", d: arc(0, 1, radius), "stroke-width": radius * 0.22 }));
              // The thresholds as a thin outer band, as Grafana marks them.
              const steps = thresholds.steps;
              steps.forEach((step, position) => {
                const limit = (s) => (s.value === null || s.value === undefined ? range.min
                  : thresholds.mode === "percentage" ? range.min + ((range.max - range.min) * s.value) / 100 : s.value);
                const from = clamp(fraction(limit(step)), 0, 1);
                const to = position + 1 < steps.length ? clamp(fraction(limit(steps[position + 1])), 0, 1) : 1;
                if (to > from) {
                  canvas.append(svg("path", { class: "gauge-band", d: arc(from, to, radius + radius * 0.18), stroke: cssColor(step.color), "stroke-width": 4 }));
                }
              });
              if (Number.isFinite(value) && fraction(value) > 0) {
                canvas.append(svg("path", { class: "gauge-value", d: arc(0, Math.max(0.002, fraction(value)), radius), stroke: color, "stroke-width": radius * 0.22 }));
              }
              canvas.append(svg("text", { class: "gauge-text", x: cx, y: cy + radius * 0.15, "text-anchor": "middle", fill: color,
                "font-size": Math.max(12, radius * 0.38) }, formatValue(value, defaults.unit, defaults.decimals)));
              if (series.length > 1) cell.append(html("div", { class: "stat-name" }, item.name));
            });
          }

          /** One horizontal bar per series, its length the value's share of min…max, coloured by the thresholds. */
          function drawBarGauge(body, panel, series) {
            const defaults = fieldDefaults(panel);
            const thresholds = thresholdsOf(panel);
            const values = series.map((item) => reduceSeries(panel, item));
            const range = gaugeRange(panel, values);
            const list = html("div", { class: "bars" });
            body.append(list);
            series.forEach((item, index) => {
              const value = values[index];
              const color = Number.isFinite(value) ? thresholdColor(value, thresholds, range.min, range.max) : NAMED_COLORS.text;
              const share = Number.isFinite(value) ? clamp((value - range.min) / (range.max - range.min || 1), 0, 1) : 0;
              const bar = html("div", { class: "bar-track" });
              const line = html("div", { class: "bar" }, html("div", { class: "bar-name" }, item.name), bar,
                html("div", { class: "bar-value", style: `color: ${color}` }, formatValue(value, defaults.unit, defaults.decimals)));
              list.append(line);
              const { canvas, width, height } = makeCanvas(bar);
              canvas.append(svg("path", { class: "bar-fill", d: `M0,0H${Math.max(1, share * width).toFixed(1)}V${height}H0Z`, fill: color }));
            });
          }

          /**
           * A heatmap of histogram buckets: one row per `le`, one column per step, each cell's colour
           * the observations between its bucket's lower and upper bound. Prometheus's buckets are
           * cumulative, so each bucket's own count is its value minus the next smaller bucket's.
           */
          function drawHeatmap(body, panel, series, frame) {
            const options = panel.options || {};
            const unit = (options.yAxis && options.yAxis.unit) || fieldDefaults(panel).unit;
            const buckets = series
              .map((item) => ({ item, bound: sampleValue(item.metric.le !== undefined ? item.metric.le : item.name) }))
              .filter((bucket) => !Number.isNaN(bucket.bound))
              .sort((a, b) => a.bound - b.bound);
            if (!buckets.length) throw new Error("no series has an le label or a numeric legend to sort buckets by");
            const times = [...new Set(buckets.flatMap((bucket) => bucket.item.points.map((point) => point[0])))].sort((a, b) => a - b);
            const lookup = buckets.map((bucket) => new Map(bucket.item.points.map((point) => [point[0], point[1]])));
            const cells = [];
            let most = 0;
            for (const t of times) {
              let below = 0;
              lookup.forEach((values, row) => {
                const cumulative = values.get(t);
                if (!Number.isFinite(cumulative)) return;
                const count = Math.max(0, cumulative - below);
                below = Math.max(below, cumulative);
                cells.push({ t, row, count });
                most = Math.max(most, count);
              });
            }

            const scheme = SCHEMES[(options.color && options.color.scheme) || "Oranges"] || SCHEMES.Oranges;
            const opacityMode = options.color && options.color.mode === "opacity";
            const exponent = options.color && options.color.scale === "linear" ? 1 : positiveNumber(options.color && options.color.exponent, 0.5);
            const shade = (count) => {
              const level = most > 0 ? (count / most) ** exponent : 0;
              return opacityMode ? { fill: cssColor(options.color.fill || "orange"), opacity: 0.1 + 0.9 * level } : { fill: mix(scheme, level), opacity: 1 };
            };

            const labels = buckets.map((bucket) => formatValue(bucket.bound, unit));
            const legend = html("div", { class: "legend heatmap-legend" },
              html("span", {}, "0"),
              html("i", { class: "scale", style: `background: ${opacityMode ? cssColor(options.color.fill || "orange") : `linear-gradient(to right, ${scheme.join(", ")})`}` }),
              html("span", {}, plain(most)));
            const { canvas, width, height } = makeCanvas(body, legend);
            const plot = {
              left: 10 + 6.5 * Math.max(...labels.map((label) => label.length), 1),
              right: width - 10, top: 8, bottom: height - 22,
            };
            const rowHeight = (plot.bottom - plot.top) / buckets.length;
            const xOf = (t) => plot.left + ((t - frame.start) / (frame.end - frame.start)) * (plot.right - plot.left);
            const cellWidth = Math.max(1, (frame.step / (frame.end - frame.start)) * (plot.right - plot.left));
            const gap = clamp(Number(options.cellGap ?? 1), 0, rowHeight / 2);
            // Columns a few pixels wide touch: a gap there would hide the colours.
            const columnGap = cellWidth >= 4 ? Math.min(gap, cellWidth / 2) : 0;

            const axes = svg("g", { class: "axes" });
            const every = Math.max(1, Math.ceil(14 / rowHeight));
            labels.forEach((label, row) => {
              if ((buckets.length - 1 - row) % every !== 0) return;
              const top = plot.bottom - (row + 1) * rowHeight;
              axes.append(svg("text", { x: plot.left - 6, y: top + 10, "text-anchor": "end" }, label));
            });
            const time = timeTicks(frame.start, frame.end, plot.right - plot.left, 80);
            for (const tick of time.ticks) {
              axes.append(svg("text", { x: xOf(tick), y: height - 6, "text-anchor": "middle" }, timeLabel(tick, time.step < 60)));
            }
            canvas.append(axes);
            // Grafana hides empty cells by default: a cell counts only when something fell in it.
            for (const cell of cells.filter((candidate) => candidate.count > 1e-9)) {
              const x = xOf(cell.t) - cellWidth;
              if (x + cellWidth < plot.left) continue;
              const top = plot.bottom - (cell.row + 1) * rowHeight;
              const { fill, opacity } = shade(cell.count);
              const lower = cell.row === 0 ? formatValue(0, unit) : labels[cell.row - 1];
              canvas.append(svg("path", {
                class: "cell", fill, "fill-opacity": opacity.toFixed(3),
                d: `M${Math.max(plot.left, x + columnGap / 2).toFixed(1)},${(top + gap / 2).toFixed(1)}H${(x + cellWidth - columnGap / 2).toFixed(1)}` +
                  `V${(top + rowHeight - gap / 2).toFixed(1)}H${Math.max(plot.left, x + columnGap / 2).toFixed(1)}Z`,
              }, svg("title", {}, `${lower} – ${labels[cell.row]}: ${plain(cell.count)} at ${timeLabel(cell.t, true)}`)));
            }
          }

          /** The colour `level` (0…1) of the way along a three-stop scheme. */
          function mix(scheme, level) {
            const scaledLevel = clamp(level, 0, 1) * (scheme.length - 1);
            const index = Math.min(scheme.length - 2, Math.floor(scaledLevel));
            const part = scaledLevel - index;
            const rgb = (hex) => [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16));
            const from = rgb(scheme[index]);
            const to = rgb(scheme[index + 1]);
            return "rgb(" + from.map((channel, i) => Math.round(channel + (to[i] - channel) * part)).join(",") + ")";
          }

          /** A table: one row per series, its labels as columns and its last value. */
          function drawTable(body, panel, series) {
            const defaults = fieldDefaults(panel);
            const labelNames = [...new Set(series.flatMap((item) => Object.keys(item.metric)))].sort();
            const table = html("table", { class: "data" },
              html("thead", {}, html("tr", {}, ...labelNames.map((name) => html("th", {}, name)), html("th", {}, "Value"))));
            const rows = html("tbody");
            for (const item of series) {
              const point = item.points[item.points.length - 1];
              rows.append(html("tr", {}, ...labelNames.map((name) => html("td", {}, item.metric[name] || "")),
                html("td", { class: "number" }, item.text !== undefined ? item.text : formatValue(point[1], defaults.unit, defaults.decimals))));
            }
            table.append(rows);
            body.append(html("div", { class: "table-scroll" }, table));
          }

          /** A text panel's content, shown as text (its Markdown is not rendered). */
          function drawText(body, panel) {
            body.append(html("div", { class: "text-panel" }, (panel.options && panel.options.content) || panel.content || ""));
          }

          // MARK: The query page

          function startQueryPage() {
            const form = document.getElementById("query-form");
            const input = document.getElementById("expr");
            const output = document.getElementById("query-output");
            const status = document.getElementById("query-status");
            const names = document.getElementById("metric-names");
            const tabs = [...document.querySelectorAll("[data-tab]")];
            const url = new URL(window.location.href);
            input.value = url.searchParams.get("expr") || "";
            // What runs, on refresh too: the expression last executed, not what is being typed.
            let submitted = input.value.trim();
            let tab = url.searchParams.get("tab") === "table" ? "table" : "graph";
            let generation = 0;

            const picker = makeRangePicker(document.getElementById("range-picker"), "15m", () => {
              if (tab === "graph") run();
            });

            function showTab() {
              for (const button of tabs) button.classList.toggle("active", button.dataset.tab === tab);
            }

            async function run() {
              const expr = submitted;
              const next = new URL(window.location.href);
              next.searchParams.set("expr", expr);
              next.searchParams.set("tab", tab);
              window.history.replaceState(null, "", next);
              if (!expr) {
                output.replaceChildren();
                status.textContent = "Type an expression and press Execute.";
                root.dataset.state = "empty";
                return;
              }
              const current = ++generation;
              const began = performance.now();
              const rangeSeconds = picker.range.seconds;
              const end = Date.now() / 1000;
              try {
                let shown;
                if (tab === "table") {
                  const data = await api("/api/v1/query", { query: expr, time: end.toFixed(3) });
                  if (current !== generation) return;
                  shown = showTable(output, data);
                } else {
                  const width = Math.max(100, output.clientWidth);
                  const panel = { type: "timeseries", title: "", targets: [{ refId: "A", expr, legendFormat: "" }] };
                  const result = await runTarget(panel, panel.targets[0], false, rangeSeconds, end, width, {});
                  if (current !== generation) return;
                  if (result.error) throw new Error(result.error);
                  shown = showGraph(output, panel, result, rangeSeconds, end);
                }
                status.textContent = `${shown} · ${Math.round(performance.now() - began)} ms`;
                root.dataset.state = shown.startsWith("0 ") ? "nodata" : "drawn";
              } catch (error) {
                if (current !== generation) return;
                output.replaceChildren(html("div", { class: "error" }, error.message));
                status.textContent = "";
                root.dataset.state = "error";
              }
            }

            function execute() {
              submitted = input.value.trim();
              run();
            }
            form.addEventListener("submit", (event) => {
              event.preventDefault();
              execute();
            });
            input.addEventListener("keydown", (event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                execute();
              }
            });
            for (const button of tabs) {
              button.addEventListener("click", () => {
                tab = button.dataset.tab;
                showTab();
                execute();
              });
            }
            names.addEventListener("change", () => {
              const name = names.value;
              names.value = "";
              if (!name) return;
              const at = input.selectionStart ?? input.value.length;
              input.value = input.value.slice(0, at) + name + input.value.slice(input.selectionEnd ?? at);
              input.focus();
            });
            api("/api/v1/label/__name__/values", {}).then((list) => {
              for (const name of list || []) names.append(html("option", { value: name }, name));
            }, () => {
              names.hidden = true;
            });
            showTab();
            run();
          }

          /** An instant query's answer as a table; returns a summary like "3 series". */
          function showTable(output, data) {
            const series = toSeries(data);
            const table = html("table", { class: "data" },
              html("thead", {}, html("tr", {}, html("th", {}, data.resultType === "matrix" ? "series" : "element"), html("th", {}, "value"))));
            const rows = html("tbody");
            for (const item of series) {
              const label = data.resultType === "scalar" ? "scalar" : data.resultType === "string" ? "string" : seriesName(item.metric, "", "{}");
              const value = item.text !== undefined ? item.text
                : item.points.map((point) => formatValue(point[1]) + (data.resultType === "matrix" ? " @" + point[0] : "")).join("\n");
              rows.append(html("tr", {}, html("td", {}, label), html("td", { class: "number" }, value)));
            }
            table.append(rows);
            output.replaceChildren(series.length ? html("div", { class: "table-scroll" }, table) : html("div", { class: "no-data" }, "No data"));
            return `${series.length} ${data.resultType === "matrix" ? "series" : "elements"} (${data.resultType})`;
          }

          /** A range query's answer as a chart; returns a summary like "2 series". */
          function showGraph(output, panel, result, rangeSeconds, end) {
            const series = result.series;
            const frame = { start: end - rangeSeconds, end, step: result.step };
            const body = html("div", { class: "panel-body query-graph" });
            output.replaceChildren(body);
            if (!series.some((item) => item.points.length)) {
              body.append(html("div", { class: "no-data" }, "No data"));
              return "0 series";
            }
            drawTimeSeries(body, panel, series, frame);
            return `${series.length} series, step ${promDuration(result.step)}`;
          }

          if (root.dataset.view === "dashboard") startDashboard();
          if (root.dataset.view === "query") startQueryPage();
        })();

        """#
}
