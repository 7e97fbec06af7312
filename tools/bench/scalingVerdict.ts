// bench:policies' verdict on its medians: the targets of issue 16, and when a run cannot be judged.
import type { PolicyEvaluationResult } from "./policyEvaluationRun";

/** Pack time over baseline time, at 20k resources. */
export const MAX_RATIO_TO_BASELINE = 2;
export const MAX_SCALING_20K_10K = 2.2;
/** The pack's scaling is judged only on a run whose baseline scaled at most this much... */
export const MAX_BASELINE_SCALING = 2.1;
/** ...and in which every measured process got at least this share of a core (CPU time over wall time). */
export const MIN_CPU_SHARE = 0.8;

/** The measurements of one size: one result per run, for the pack and for the baseline. */
export interface SizeMeasurements {
  size: number;
  pack: PolicyEvaluationResult[];
  baseline: PolicyEvaluationResult[];
}

export interface ScalingVerdict {
  /** One line per target missed. */
  missed: string[];
  /** Why the scaling target was not judged, if it was not. */
  unjudged?: string;
  /** The scaling target's figures, when it was judged and met. */
  scalingMet?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const wall = (results: PolicyEvaluationResult[]) => median(results.map((r) => r.ms));

/**
 * Judges median wall times only; CPU time decides nothing but whether a process got a core to itself. A run whose
 * baseline scaled above 2.1 judges the pack's scaling neither way: what moved the baseline can move the pack's
 * figure down as well as up.
 */
export function scalingVerdict(sizes: SizeMeasurements[]): ScalingVerdict {
  const missed: string[] = [];
  const at = (size: number) => sizes.find((s) => s.size === size);
  const s10 = at(10_000);
  const s20 = at(20_000);
  if (s20) {
    const ratio = wall(s20.pack) / wall(s20.baseline);
    if (ratio > MAX_RATIO_TO_BASELINE)
      missed.push(`${s20.pack[0]?.resources} resources: ${ratio.toFixed(2)}x the baseline (target <= ${MAX_RATIO_TO_BASELINE}x)`);
  }
  if (!s10 || !s20) return { missed, unjudged: "the targets are defined at 10k and 20k resources, which this run did not measure" };

  // A process that got much less than a core was timed by the scheduler, not by its work: on a loaded
  // machine wall times of one size can move by 2x between runs, in either direction.
  const share = Math.min(...sizes.flatMap((s) => [...s.pack, ...s.baseline]).map((r) => r.cpuMs / r.ms));
  const scaling = wall(s20.pack) / wall(s10.pack);
  const baseScaling = wall(s20.baseline) / wall(s10.baseline);
  if (share < MIN_CPU_SHARE) {
    return {
      missed,
      unjudged: `a measured process got as little as ${(share * 100).toFixed(0)}% of a core (CPU time over wall time; at least ${MIN_CPU_SHARE * 100}% needed): the machine is loaded, so the wall-time scaling is not judged; the CPU-time readings above are the better guide; run it on an idle machine`,
    };
  }
  if (baseScaling > MAX_BASELINE_SCALING) {
    return {
      missed,
      unjudged: `the baseline scaled ${baseScaling.toFixed(2)} (> ${MAX_BASELINE_SCALING}): the machine moved this run, so the pack's scaling is not judged; run it again`,
    };
  }
  if (scaling > MAX_SCALING_20K_10K) {
    missed.push(`t(20k)/t(10k) = ${scaling.toFixed(2)} (target <= ${MAX_SCALING_20K_10K})`);
    return { missed };
  }
  return {
    missed,
    scalingMet: `t(20k)/t(10k) = ${scaling.toFixed(2)} <= ${MAX_SCALING_20K_10K} with the baseline at ${baseScaling.toFixed(2)} (<= ${MAX_BASELINE_SCALING})`,
  };
}
