// @pure
// Health checks as Docker runs them (daemon/health.go): the probe command, its timing defaults,
// and how one probe result moves the container's Health (starting → healthy/unhealthy).
import type { HealthConfig } from './docker-types.ts';
import type { Health, HealthLogEntry } from './model.ts';

const SECOND = 1_000_000_000;
export const DEFAULTS = { interval: 30 * SECOND, timeout: 30 * SECOND, startPeriod: 0, startInterval: 5 * SECOND, retries: 3 } as const;
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT = 4096;

export interface HealthPlan { cmd: string[]; intervalMs: number; timeoutMs: number; startPeriodMs: number; startIntervalMs: number; retries: number }

/** The probe to run, or null when there is none (no Test, or NONE). */
export function healthPlan(cfg: HealthConfig | undefined): HealthPlan | null {
  const test = cfg?.Test ?? [];
  if (!test.length || test[0] === 'NONE') return null;
  const cmd = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test[0] === 'CMD' ? test.slice(1) : test;
  if (!cmd.length) return null;
  const ms = (ns: number | undefined, d: number) => Math.round((ns && ns > 0 ? ns : d) / 1e6);
  return {
    cmd, intervalMs: ms(cfg?.Interval, DEFAULTS.interval), timeoutMs: ms(cfg?.Timeout, DEFAULTS.timeout),
    startPeriodMs: ms(cfg?.StartPeriod, DEFAULTS.startPeriod), startIntervalMs: ms(cfg?.StartInterval, DEFAULTS.startInterval),
    retries: cfg?.Retries && cfg.Retries > 0 ? cfg.Retries : DEFAULTS.retries,
  };
}

export const initialHealth = (): Health => ({ Status: 'starting', FailingStreak: 0, Log: [] });

/**
 * One probe's result applied: success makes it healthy; failures count towards `retries`, except
 * during the start period while still starting (Docker ignores those).
 */
export function applyProbe(h: Health, entry: HealthLogEntry, retries: number, inStartPeriod: boolean): Health {
  const Log = [...h.Log, { ...entry, Output: entry.Output.slice(0, MAX_OUTPUT) }].slice(-MAX_LOG_ENTRIES);
  if (entry.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log };
  if (inStartPeriod && h.Status === 'starting') return { ...h, Log };
  const FailingStreak = h.FailingStreak + 1;
  return { Status: FailingStreak >= retries ? 'unhealthy' : h.Status, FailingStreak, Log };
}
