export interface IncidentTimes {
  startedAt: Date | null;
  detectedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
}

export interface IncidentMetrics {
  /** detected − started: how long the fraud ran before anyone (or anything) noticed. */
  timeToDetectSeconds: number | null;
  /** mitigated (entered monitoring) − detected. */
  timeToMitigateSeconds: number | null;
  /** resolved − detected. */
  timeToResolveSeconds: number | null;
}

const secondsBetween = (from: Date | null, to: Date | null) =>
  from && to ? Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000) : null;

/** The three incident metrics in seconds; null until both ends are known. */
export function incidentMetrics(times: IncidentTimes): IncidentMetrics {
  return {
    timeToDetectSeconds: secondsBetween(times.startedAt, times.detectedAt),
    timeToMitigateSeconds: secondsBetween(times.detectedAt, times.mitigatedAt),
    timeToResolveSeconds: secondsBetween(times.detectedAt, times.resolvedAt),
  };
}

/** 93784 → "1 d 2 h 3 min"; under a minute → "45 s". For people, not machines. */
export function humanDuration(seconds: number | null): string {
  if (seconds === null) return 'not yet known';
  if (seconds < 60) return `${seconds} s`;
  const parts: string[] = [];
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  return parts.join(' ');
}
