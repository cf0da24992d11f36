import { html, type Html } from '../html';

const WIDTH = 640;
const LABEL_WIDTH = 200;
const VALUE_WIDTH = 70;
const BAR_HEIGHT = 22;
const GAP = 8;

/**
 * A horizontal bar chart drawn on the server as SVG: sizes are SVG attributes, not inline styles,
 * so the strict CSP (`style-src 'self'`) holds and the chart shows without JavaScript. It is hidden
 * from assistive technologies: the table next to it, with the same numbers, is the accessible
 * version (`figcaption` says so).
 */
export const barChart = (
  caption: string,
  bars: readonly (readonly [string, number])[],
  tableId: string,
): Html => {
  const max = Math.max(1, ...bars.map(([, v]) => v));
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(1, bars.length) * (BAR_HEIGHT + GAP);
  return html`<figure class="fr-mb-4w" role="group" aria-label="${caption}">
    <svg
      width="${WIDTH}"
      height="${height}"
      viewBox="0 0 ${WIDTH} ${height}"
      preserveAspectRatio="xMinYMin meet"
      aria-hidden="true"
      focusable="false"
      xmlns="http://www.w3.org/2000/svg"
    >
      ${bars.map(([label, value], i) => {
        const y = i * (BAR_HEIGHT + GAP);
        const w = Math.round((value / max) * barSpace);
        return html`<g>
          <text
            x="${LABEL_WIDTH - 8}"
            y="${y + BAR_HEIGHT * 0.7}"
            text-anchor="end"
            font-size="14"
            fill="#161616"
          >
            ${label}
          </text>
          <rect
            x="${LABEL_WIDTH}"
            y="${y}"
            width="${Math.max(w, value > 0 ? 2 : 0)}"
            height="${BAR_HEIGHT}"
            fill="#000091"
          ></rect>
          <text x="${LABEL_WIDTH + w + 6}" y="${y + BAR_HEIGHT * 0.7}" font-size="14" fill="#161616"
            >${value}</text
          >
        </g>`;
      })}
    </svg>
    <figcaption class="fr-text--sm">
      ${caption} — les mêmes valeurs sont dans le <a href="#${tableId}">tableau</a>.
    </figcaption>
  </figure>`;
};
