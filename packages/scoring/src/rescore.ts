import { type ReplayStep, type RescoreResult, rescoreLead } from "./replay.ts";
import type { RuleSet, ScoreState } from "./types.ts";

/** A lead as the background job loads it: id, stored state and history. */
export interface RescoreInput {
  id: number | string;
  state: ScoreState;
  steps: readonly ReplayStep[];
}

/** One re-scored lead; write it only if the stored `seq` still equals `expectedSeq`. */
export interface RescoreOutput extends RescoreResult {
  id: number | string;
  /** The `seq` the state had when loaded. If the row's seq moved on, ingest wrote in between: re-load and retry. */
  expectedSeq: number;
}

/** Progress of a re-scoring run, for the dashboard's progress bar and for resuming after a restart. */
export interface RescoreProgress {
  ruleSetVersion: number;
  /** Id of the last lead done; the next chunk starts after it. */
  cursor: number | string | null;
  done: number;
  total: number;
  /** 0…1 */
  fraction: number;
  finished: boolean;
}

/** A progress record for a run that has not started. */
export function startRescore(ruleSet: RuleSet, total: number): RescoreProgress {
  return {
    ruleSetVersion: ruleSet.version,
    cursor: null,
    done: 0,
    total,
    fraction: total === 0 ? 1 : 0,
    finished: total === 0,
  };
}

/**
 * Re-scores one chunk of leads (loaded by the job in id order after `progress.cursor`) and
 * advances the progress. Pure: the job writes `results` in one short transaction per chunk so
 * ingest is never blocked for long, then persists the returned progress.
 *
 * Publishing makes ingest score new events with the new version at once; leads not yet reached
 * keep their old-version points until their chunk comes. A result whose `expectedSeq` no longer
 * matches the stored row lost a race with ingest: re-load that lead and re-score it again.
 */
export function rescoreChunk(
  chunk: readonly RescoreInput[],
  ruleSet: RuleSet,
  now: number,
  progress: RescoreProgress,
): { results: RescoreOutput[]; progress: RescoreProgress } {
  const results = chunk.map((lead) => ({
    id: lead.id,
    expectedSeq: lead.state.seq,
    ...rescoreLead(lead.steps, lead.state, ruleSet, now),
  }));
  const done = progress.done + chunk.length;
  const last = chunk[chunk.length - 1];
  const finished = chunk.length === 0 || done >= progress.total;
  return {
    results,
    progress: {
      ...progress,
      cursor: last ? last.id : progress.cursor,
      done,
      fraction: progress.total === 0 ? 1 : Math.min(1, done / progress.total),
      finished,
    },
  };
}
