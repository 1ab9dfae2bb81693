import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

// Only the pieces the dashboard's three chart kinds use, so the bundle stays small.
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/** One data series of a chart (a line, or a set of bars). */
export interface Series {
  label: string;
  data: number[];
  /** Drawn dashed and lighter: the comparison period. */
  dashed?: boolean;
}

/** The colours a chart is drawn with: series colours, grid lines and tick/legend text. */
export interface ChartTheme {
  series: string[];
  grid: string;
  text: string;
}

/** Light-scheme colours, for server rendering and browsers without the theme's custom properties. */
export const DEFAULT_THEME: ChartTheme = {
  series: ["#4656c9", "#1b998b", "#e4572e", "#c98a0b", "#8e5ccf", "#29335c"],
  grid: "rgba(0, 0, 0, 0.1)",
  text: "#4f5566",
};

/**
 * The chart colours of the current colour scheme, read from the theme's custom properties
 * (`--chart-1` … `--chart-6`, `--chart-grid`, `--chart-text` in `styles/theme.css`), so charts stay
 * readable in dark mode.
 */
export function readTheme(element: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: DEFAULT_THEME.series.map((c, i) => read(`--chart-${i + 1}`, c)),
    grid: read("--chart-grid", DEFAULT_THEME.grid),
    text: read("--chart-text", DEFAULT_THEME.text),
  };
}

/** A colour per series index (cycled). */
export function color(i: number, theme: ChartTheme = DEFAULT_THEME): string {
  return theme.series[i % theme.series.length] ?? DEFAULT_THEME.series[0] ?? "#4656c9";
}

/** Chart.js configuration for the dashboard's kinds: time lines, bars, and the funnel (horizontal bars). */
export function chartConfig(
  kind: "line" | "bar" | "funnel",
  labels: string[],
  series: Series[],
  theme: ChartTheme = DEFAULT_THEME,
): ChartConfiguration {
  const axis = { grid: { color: theme.grid }, ticks: { color: theme.text } };
  const base = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: { legend: { display: series.length > 1, labels: { color: theme.text } } },
  };
  if (kind === "line") {
    return {
      type: "line",
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          borderColor: color(i, theme),
          backgroundColor: color(i, theme),
          borderDash: s.dashed ? [6, 4] : [],
          pointRadius: 0,
          borderWidth: s.dashed ? 1.5 : 2,
          tension: 0.2,
        })),
      },
      options: {
        ...base,
        scales: { x: axis, y: { ...axis, beginAtZero: true } },
        interaction: { mode: "index", intersect: false },
      },
    };
  }
  return {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: color(i, theme) })),
    },
    options: {
      ...base,
      indexAxis: kind === "funnel" ? "y" : "x",
      scales: { x: { ...axis, beginAtZero: true }, y: { ...axis, beginAtZero: true } },
    },
  };
}

/** A sparkline: one thin line, no axes, legend or tooltip (the card states the figure). */
export function sparklineConfig(data: number[], index = 0): ChartConfiguration {
  return {
    type: "line",
    data: {
      labels: data.map((_, i) => String(i)),
      datasets: [{ data, borderColor: color(index), borderWidth: 1.5, pointRadius: 0, tension: 0.3, fill: false }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      events: [],
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
    },
  };
}

export { Chart };
