/**
 * The app's charts, built with Observable Plot (axes, legends, tooltips come with it). Each
 * function takes plain data and returns the chart element for PlotFigure.svelte.
 */
import * as Plot from '@observablehq/plot';

const FONT = 'system-ui, sans-serif';

export interface HeatmapOptions {
  /** Row labels (y, top to bottom) and column labels (x, left to right). */
  rows: readonly string[];
  cols: readonly string[];
  /** values[r][c]; null = no value (drawn empty). */
  values: readonly (readonly (number | null)[])[];
  /**
   * sequential: counts and similarities (white → blue); diverging: signed scores, positive red
   * (conductance: towards the task); gain: signed differences, positive green (an improvement).
   */
  scheme?: 'sequential' | 'diverging' | 'gain';
  label: string;
  /** How a cell's number is printed (null: no text in the cells). */
  format?: ((v: number) => string) | null;
  xLabel?: string;
  yLabel?: string;
  /** Domain of the colour scale; default from the data (symmetric for diverging). */
  domain?: [number, number];
  width?: number;
  cellWidth?: number;
  cellHeight?: number;
  marginLeft?: number;
}

interface Cell { row: string; col: string; value: number | null }

function longest(labels: readonly string[]): number {
  return labels.reduce((m, l) => Math.max(m, l.length), 0);
}

export function heatmap(o: HeatmapOptions): Element {
  const data: Cell[] = [];
  o.values.forEach((row, r) => row.forEach((value, c) => data.push({ row: o.rows[r]!, col: o.cols[c]!, value })));
  const finite = data.map((d) => d.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const extent = finite.length ? Math.max(...finite.map(Math.abs)) : 0;
  const signed = o.scheme === 'diverging' || o.scheme === 'gain';
  // An all-zero matrix still gets a readable scale.
  const domain: [number, number] = o.domain ?? (signed ? [-(extent || 1), extent || 1] : [Math.min(0, ...finite), Math.max(...finite, 0) || 1]);
  const format = o.format === undefined ? (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2)) : o.format;
  // Room for the longest row label, and for the rotated axis label left of it (it overlapped the
  // first letters of short labels).
  const marginLeft = o.marginLeft ?? Math.min(260, 12 + 6.5 * longest(o.rows)) + (o.yLabel ? 18 : 0);
  const cellWidth = o.cellWidth ?? Math.max(34, Math.min(64, 900 / Math.max(1, o.cols.length)));
  const rotate = longest(o.cols) * 6 > cellWidth;
  const marginBottom = rotate ? Math.min(180, 24 + 3.7 * longest(o.cols)) : 30;
  const cellHeight = o.cellHeight ?? 26;
  const width = o.width ?? marginLeft + 20 + o.cols.length * cellWidth;
  const marks: Plot.Markish[] = [
    Plot.cell(data, { x: 'col', y: 'row', fill: (d: Cell) => (d.value === null ? null : d.value), inset: 0.5, tip: true, title: (d: Cell) => `${d.row} × ${d.col}: ${d.value === null ? 'no value' : format ? format(d.value) : d.value}` }),
  ];
  if (format && o.cols.length <= 24 && o.rows.length <= 40) {
    const strong = 0.6 * Math.max(Math.abs(domain[0]), Math.abs(domain[1]));
    marks.push(
      Plot.text(data.filter((d) => d.value !== null), {
        x: 'col', y: 'row', text: (d: Cell) => format(d.value!), fontSize: 10,
        fill: (d: Cell) => (Math.abs(d.value!) > strong ? 'white' : 'black'),
      }),
    );
  }
  const color: Plot.ScaleOptions =
    o.scheme === 'diverging' ? { type: 'diverging', scheme: 'RdBu', reverse: true, domain, pivot: 0, legend: true, label: o.label }
    : o.scheme === 'gain' ? { type: 'diverging', scheme: 'PiYG', domain, pivot: 0, legend: true, label: o.label }
    : { type: 'linear', scheme: 'Blues', domain, legend: true, label: o.label };
  return Plot.plot({
    style: { fontFamily: FONT, fontSize: '11px' },
    width,
    height: 30 + marginBottom + o.rows.length * cellHeight,
    marginLeft,
    marginBottom,
    padding: 0,
    x: { domain: [...o.cols], label: o.xLabel ?? null, tickRotate: rotate ? -35 : 0 },
    y: { domain: [...o.rows], label: o.yLabel ?? null },
    color,
    marks,
  });
}

export interface Series {
  name: string;
  points: { x: number; y: number }[];
  /** A shaded interval around the line (e.g. a 95 % bootstrap interval), same x values. */
  band?: { x: number; lo: number; hi: number }[];
}

/** Three significant digits, trailing zeros dropped: tick labels fit the left margin. */
const TICK_FORMAT = '.3~g';

export function lineChart(o: {
  series: readonly Series[];
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  dots?: boolean;
  /** 'point': evenly spaced categories (e.g. the K values of RMSE@K). */
  xType?: 'linear' | 'log' | 'point';
  yDomain?: [number, number];
}): Element {
  const data = o.series.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  const bands = o.series.flatMap((s) => (s.band ?? []).map((b) => ({ series: s.name, x: b.x, lo: b.lo, hi: b.hi })));
  // A flat series (e.g. every best F1 is 0 on a tiny run) would give Plot an empty domain and ticks
  // like 0.000000: widen it so the axis reads as the value it is.
  const ys = data.map((d) => d.y).filter(Number.isFinite);
  const flat = ys.length > 0 && Math.max(...ys) - Math.min(...ys) < 1e-9;
  const yDomain = o.yDomain ?? (flat ? [Math.max(0, ys[0]! - 0.05), ys[0]! + 0.05] as [number, number] : undefined);
  return Plot.plot({
    style: { fontFamily: FONT, fontSize: '12px' },
    width: o.width ?? 640,
    height: o.height ?? 300,
    marginLeft: 55,
    grid: true,
    x: { label: o.xLabel, type: o.xType ?? 'linear', ...(o.xType === 'point' ? { padding: 0.3 } : {}) },
    y: { label: o.yLabel, domain: yDomain, tickFormat: TICK_FORMAT },
    color: { legend: o.series.length > 1, type: 'categorical' },
    marks: [
      ...(bands.length ? [Plot.areaY(bands, { x: 'x', y1: 'lo', y2: 'hi', z: 'series', fill: 'series', fillOpacity: 0.12 })] : []),
      Plot.line(data, { x: 'x', y: 'y', z: 'series', stroke: 'series', strokeWidth: 1.8 }),
      ...(o.dots === false ? [] : [Plot.dot(data, { x: 'x', y: 'y', fill: 'series', r: 2.5, tip: true })]),
    ],
  });
}

export function scatter(o: {
  points: { x: number; y: number; label: string; group: string }[];
  xLabel: string;
  yLabel: string;
  diagonal?: boolean;
  width?: number;
}): Element {
  const values = o.points.flatMap((p) => [p.x, p.y]);
  const lo = Math.min(0, ...values);
  // At least 0…0.05, so near-zero F1s do not blow a rounding error up to the whole plot.
  const hi = Math.max(0.05, ...values);
  return Plot.plot({
    style: { fontFamily: FONT, fontSize: '12px' },
    width: o.width ?? 480,
    height: o.width ?? 440,
    marginLeft: 55,
    grid: true,
    x: { label: o.xLabel, domain: [lo, hi], tickFormat: TICK_FORMAT },
    y: { label: o.yLabel, domain: [lo, hi], tickFormat: TICK_FORMAT },
    color: { legend: true, type: 'categorical' },
    marks: [
      ...(o.diagonal ? [Plot.line([[lo, lo], [hi, hi]], { stroke: '#999', strokeDasharray: '4 3' })] : []),
      Plot.dot(o.points, { x: 'x', y: 'y', stroke: 'group', r: 3.5, tip: true, title: 'label' }),
    ],
  });
}

export function barChart(o: { bars: { name: string; value: number; group?: string }[]; xLabel: string; width?: number }): Element {
  const names = o.bars.map((b) => b.name);
  return Plot.plot({
    style: { fontFamily: FONT, fontSize: '11px' },
    width: o.width ?? 560,
    height: Math.max(110, 50 + o.bars.length * 22),
    marginLeft: Math.min(260, 12 + 6.5 * longest(names)),
    marginBottom: 40,
    x: { label: o.xLabel, grid: true },
    y: { domain: names, label: null },
    color: { legend: new Set(o.bars.map((b) => b.group)).size > 1, type: 'categorical' },
    marks: [Plot.barX(o.bars, { x: 'value', y: 'name', fill: (b: { group?: string }) => b.group ?? 'value', tip: true }), Plot.ruleX([0])],
  });
}

export interface RankingRow {
  source: string;
  predicted: number | null;
  lo: number;
  hi: number;
  measured: number | null;
  best: boolean;
}

/**
 * The recommend ranking: one row per candidate source (best estimate on top), its 90 % predictive
 * interval as a bar, the predicted F1 as a hollow circle, the measured F1 (where trained) as a
 * filled diamond; the best so far is drawn in the accent colour; `reference` (the target's own
 * single-task F1) as a dashed line, since a source only helps if it beats it.
 */
export function rankingChart(o: { rows: RankingRow[]; reference: number | null; width?: number }): Element {
  const names = o.rows.map((r) => r.source);
  const fill = (r: RankingRow) => (r.best ? '#1d5fa8' : '#b9c7d8');
  return Plot.plot({
    style: { fontFamily: FONT, fontSize: '11px' },
    width: o.width ?? 720,
    height: Math.max(120, 60 + o.rows.length * 24),
    marginLeft: Math.min(220, 12 + 6.5 * longest(names)),
    marginBottom: 40,
    x: { domain: [0, 1], label: (o.width ?? 720) < 420 ? 'transfer F1' : 'transfer F1 into the target (bar: 90 % interval)', grid: true, ticks: (o.width ?? 720) < 420 ? 5 : 10 },
    y: { domain: names, label: null },
    marks: [
      Plot.barX(o.rows, { x1: 'lo', x2: 'hi', y: 'source', fill, fillOpacity: 0.7, insetTop: 7, insetBottom: 7 }),
      ...(o.reference === null ? [] : [Plot.ruleX([o.reference], { stroke: '#555', strokeDasharray: '4 3' })]),
      Plot.dot(o.rows.filter((r) => r.predicted !== null), { x: 'predicted', y: 'source', r: 4.5, stroke: '#222', fill: 'white', strokeWidth: 1.5, tip: true, title: (r: RankingRow) => `${r.source}: predicted ${r.predicted!.toFixed(3)} [${r.lo.toFixed(3)}, ${r.hi.toFixed(3)}]` }),
      Plot.dot(o.rows.filter((r) => r.measured !== null), { x: 'measured', y: 'source', r: 6, symbol: 'diamond', fill: (r: RankingRow) => (r.best ? '#c0392b' : '#e67e22'), stroke: 'white', tip: true, title: (r: RankingRow) => `${r.source}: measured ${r.measured!.toFixed(3)}` }),
    ],
  });
}
