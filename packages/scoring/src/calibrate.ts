import { bandIndex } from "./histogram.ts";
import type { StageChange } from "./types.ts";

/** A lead as calibration sees it: its stage history and its current combined score. */
export interface CalibrationLead {
  history: readonly Pick<StageChange, "to" | "score">[];
  /** Current combined score; used when the lead never became an MQL. */
  score: number;
}

/** Outcomes in one score band. */
export interface CalibrationBand {
  from: number;
  to: number;
  leads: number;
  /** Leads with an outcome: reached SQL (good) or rejected / lost before SQL (bad). */
  decided: number;
  sql: number;
  won: number;
  lost: number;
  /** sql / decided, null without decided leads. */
  sqlRate: number | null;
  /** won / (won + lost), null without closed leads. */
  winRate: number | null;
}

/** How well a threshold splits good leads from bad ones. */
export interface ThresholdQuality {
  threshold: number;
  above: { decided: number; sqlRate: number | null };
  below: { decided: number; sqlRate: number | null };
  /** Youden's J = true-positive rate − false-positive rate; 0 = no better than chance, 1 = perfect. */
  youden: number | null;
}

/** The dashboard's calibration panel. */
export interface Calibration {
  bands: CalibrationBand[];
  current: ThresholdQuality;
  /** True when there is enough data and the threshold clearly separates (J ≥ 0.2, higher SQL rate above). */
  separates: boolean;
  /** The threshold with the best J, null when there are too few outcomes to say. */
  suggestedThreshold: number | null;
  suggested: ThresholdQuality | null;
  /** Plain-language reason when `suggestedThreshold` is null or the data is thin. */
  note: string | null;
}

/** Minimum good and bad outcomes before a suggestion is made. */
export const CALIBRATION_MIN_OUTCOMES = 5;

/**
 * Calibrates the MQL threshold from what sales did with the leads. A lead's score is its score
 * when it became an MQL (from the stage history), else its current score. Good = reached SQL or
 * won; bad = rejected back to nurture or lost without reaching SQL; others are undecided and only
 * counted. The suggested threshold maximises Youden's J over the observed scores (ties: nearest to
 * the current one). Caveat shown to users: leads below the threshold rarely reach sales, so the
 * data under-represents them; treat a suggestion well below the current threshold with care.
 */
export function calibrate(
  leads: readonly CalibrationLead[],
  options: { threshold: number; edges?: number[] },
): Calibration {
  const edges = options.edges ?? [0, 10, 20, 30, 35, 40, 50, 75, 100];
  const points = leads.map(outcomeOf);
  const bands: CalibrationBand[] = [];
  for (let i = 0; i <= edges.length; i++) {
    bands.push({
      from: i === 0 ? Number.NEGATIVE_INFINITY : (edges[i - 1] as number),
      to: i === edges.length ? Number.POSITIVE_INFINITY : (edges[i] as number),
      leads: 0,
      decided: 0,
      sql: 0,
      won: 0,
      lost: 0,
      sqlRate: null,
      winRate: null,
    });
  }
  for (const p of points) {
    const band = bands[bandIndex(p.score, edges)] as CalibrationBand;
    band.leads++;
    if (p.good !== null) band.decided++;
    if (p.good) band.sql++;
    if (p.won) band.won++;
    if (p.lost) band.lost++;
  }
  for (const b of bands) {
    b.sqlRate = b.decided === 0 ? null : b.sql / b.decided;
    b.winRate = b.won + b.lost === 0 ? null : b.won / (b.won + b.lost);
  }

  const decided = points.filter((p) => p.good !== null);
  const goods = decided.filter((p) => p.good).length;
  const bads = decided.length - goods;
  const current = quality(decided, options.threshold);
  const enough = goods >= CALIBRATION_MIN_OUTCOMES && bads >= CALIBRATION_MIN_OUTCOMES;
  const separates =
    enough &&
    current.youden !== null &&
    current.youden >= 0.2 &&
    (current.above.sqlRate ?? 0) > (current.below.sqlRate ?? 0);
  if (!enough) {
    return {
      bands,
      current,
      separates,
      suggestedThreshold: null,
      suggested: null,
      note: `Too few outcomes to suggest a threshold: ${goods} good and ${bads} bad leads, ${CALIBRATION_MIN_OUTCOMES} of each needed.`,
    };
  }
  let best: ThresholdQuality = current;
  const candidates = [...new Set(decided.map((p) => Math.ceil(p.score)))].sort((x, y) => x - y);
  for (const t of candidates) {
    const q = quality(decided, t);
    const better = (q.youden ?? -1) > (best.youden ?? -1);
    const tie =
      q.youden === best.youden && Math.abs(t - options.threshold) < Math.abs(best.threshold - options.threshold);
    if (better || tie) best = q;
  }
  return { bands, current, separates, suggestedThreshold: best.threshold, suggested: best, note: null };
}

interface Outcome {
  score: number;
  good: boolean | null;
  won: boolean;
  lost: boolean;
}

function outcomeOf(lead: CalibrationLead): Outcome {
  const mql = lead.history.find((c) => c.to === "mql" && c.score !== null);
  const score = mql?.score ?? lead.score;
  const reachedSql = lead.history.some((c) => c.to === "sql" || c.to === "won");
  const won = lead.history.some((c) => c.to === "won");
  const lost = !won && lead.history.some((c) => c.to === "lost");
  const rejected = lead.history.some((c) => c.to === "nurture");
  const good = reachedSql ? true : lost || rejected ? false : null;
  return { score, good, won, lost };
}

function quality(decided: readonly Outcome[], threshold: number): ThresholdQuality {
  let aboveGood = 0;
  let aboveAll = 0;
  let belowGood = 0;
  let belowAll = 0;
  for (const p of decided) {
    if (p.score >= threshold) {
      aboveAll++;
      if (p.good) aboveGood++;
    } else {
      belowAll++;
      if (p.good) belowGood++;
    }
  }
  const goods = aboveGood + belowGood;
  const bads = decided.length - goods;
  const youden = goods === 0 || bads === 0 ? null : aboveGood / goods - (aboveAll - aboveGood) / bads;
  return {
    threshold,
    above: { decided: aboveAll, sqlRate: aboveAll === 0 ? null : aboveGood / aboveAll },
    below: { decided: belowAll, sqlRate: belowAll === 0 ? null : belowGood / belowAll },
    youden,
  };
}
