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

const COLORS = ["#4656c9", "#1b998b", "#e4572e", "#f3a712", "#8e5ccf", "#29335c"];

/** A colour per series index (cycled). */
export function color(i: number): string {
  return COLORS[i % COLORS.length] ?? "#4656c9";
}

/** Chart.js configuration for the dashboard's kinds: time lines, bars, and the funnel (horizontal bars). */
export function chartConfig(kind: "line" | "bar" | "funnel", labels: string[], series: Series[]): ChartConfiguration {
  const base = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: { legend: { display: series.length > 1 } },
  };
  if (kind === "line") {
    return {
      type: "line",
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          borderColor: color(i),
          backgroundColor: color(i),
          borderDash: s.dashed ? [6, 4] : [],
          pointRadius: 0,
          borderWidth: s.dashed ? 1.5 : 2,
          tension: 0.2,
        })),
      },
      options: { ...base, scales: { y: { beginAtZero: true } }, interaction: { mode: "index", intersect: false } },
    };
  }
  return {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: color(i) })),
    },
    options: {
      ...base,
      indexAxis: kind === "funnel" ? "y" : "x",
      scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
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
