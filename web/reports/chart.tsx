// One uPlot chart and the same numbers as a table (screen readers read the table; the canvas is
// hidden from them). Bars for categories, a line for days and hours of the week. uPlot styles its
// elements through the CSSOM (el.style), which CSP style-src 'self' allows.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: number[];
  color: string;
}

export interface ChartProps {
  /** Names the chart for the test and the page (data-chart). */
  name: string;
  title: string;
  /** One label per point (the x axis and the table's first column). */
  keys: string[];
  series: Series[];
  kind: 'bars' | 'line';
  /** The table's first column header. */
  keyHeader: string;
  /** Axis tick labels for a line chart: every nth key only. */
  tickEvery?: number;
  format: (n: number) => string;
  wide?: boolean;
  /** Counts: whole-number ticks only (no "1,5 contacts"). */
  whole?: boolean;
}

const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

const HEIGHT = 220;

export function Plot({ keys, series, kind, tickEvery, whole }: Pick<ChartProps, 'keys' | 'series' | 'kind' | 'tickEvery' | 'whole'>) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !keys.length) return;
    const xs = keys.map((_, i) => i);
    const bars = uPlot.paths.bars!({ size: [0.7, 60], align: 0 });
    const plot = new uPlot(
      {
        width: Math.max(300, el.clientWidth || 460),
        height: HEIGHT,
        legend: { show: series.length > 1 },
        cursor: { show: kind === 'line', points: { show: false } },
        scales: { x: { time: false, range: kind === 'bars' ? [-0.5, keys.length - 0.5] : undefined }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          {
            splits: () => xs.filter((i) => i % (tickEvery ?? 1) === 0),
            values: (_u, splits) => splits.map((i) => keys[i] ?? ''),
            rotate: kind === 'bars' && keys.length > 6 ? -45 : 0,
            size: kind === 'bars' && keys.length > 6 ? 90 : 40,
            gap: 4,
          },
          { size: 50, incrs: whole ? WHOLE_STEPS : undefined },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: kind === 'bars' ? s.color : undefined,
            width: kind === 'bars' ? 0 : 2,
            paths: kind === 'bars' ? bars : undefined,
            points: { show: false },
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)],
      el,
    );
    return () => plot.destroy();
  }, [keys.join('\u0000'), series.map((s) => s.values.join(',')).join(';'), kind, whole]);
  return <div class="plot" ref={box} aria-hidden="true" data-points={String(keys.length)} />;
}

export function Chart(p: ChartProps) {
  return (
    <section class={`chart${p.wide ? ' wide' : ''}`} data-chart={p.name}>
      <h2>{p.title}</h2>
      <Plot keys={p.keys} series={p.series} kind={p.kind} tickEvery={p.tickEvery} whole={p.whole} />
      <div class="scroll">
        <table class="figures">
          <caption>{p.title}</caption>
          <thead>
            <tr>
              <th scope="col">{p.keyHeader}</th>
              {p.series.map((s) => (
                <th scope="col">{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.keys.map((k, i) => (
              <tr>
                <th scope="row">{k}</th>
                {p.series.map((s) => (
                  <td class="n">{p.format(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
