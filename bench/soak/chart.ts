/** One chart's series: a column of the CSV drawn as a line. */
export interface Series {
  name: string;
  values: ReadonlyArray<number | null>;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An inline SVG line chart: no library, the HTML file opens anywhere. */
const svgChart = (
  title: string,
  unit: string,
  times: readonly number[],
  series: readonly Series[],
): string => {
  const w = 900;
  const h = 220;
  const pad = 40;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(1e-9, ...all);
  const tMax = Math.max(1, ...times);
  const x = (t: number): number => pad + ((w - 2 * pad) * t) / tMax;
  const y = (v: number): number => h - pad - ((h - 2 * pad) * v) / max;
  const lines = series.map((s, i) => {
    const points = s.values
      .map((v, j) => (v === null ? null : `${x(times[j] ?? 0).toFixed(1)},${y(v).toFixed(1)}`))
      .filter((p): p is string => p !== null)
      .join(' ');
    const colour = COLOURS[i % COLOURS.length] ?? '#000';
    return `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points}"/>
<text x="${w - pad + 4}" y="${pad + 14 * i}" font-size="11" fill="${colour}">${escape(s.name)}</text>`;
  });
  return `<h2>${escape(title)}</h2>
<svg width="${w + 160}" height="${h}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#999"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#999"/>
<text x="${pad}" y="${pad - 8}" font-size="11">max ${max.toFixed(1)} ${escape(unit)}</text>
<text x="${w - pad}" y="${h - pad + 16}" font-size="11" text-anchor="end">${tMax.toFixed(0)} s</text>
${lines.join('\n')}
</svg>`;
};

export const htmlReport = (
  title: string,
  summary: string,
  times: readonly number[],
  charts: ReadonlyArray<{ title: string; unit: string; series: Series[] }>,
): string => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body style="font-family: sans-serif">
<h1>${escape(title)}</h1>
<pre>${escape(summary)}</pre>
${charts.map((c) => svgChart(c.title, c.unit, times, c.series)).join('\n')}
</body></html>
`;
