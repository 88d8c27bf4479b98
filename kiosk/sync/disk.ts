// Disk-usage alarm: statfs of the filesystem holding the audit store, against two thresholds.
import { statfsSync } from 'node:fs';

export type DiskLevel = 'ok' | 'warn' | 'critical' | 'unknown';

export interface DiskStatus {
  readonly level: DiskLevel;
  readonly freeBytes: number | null;
  readonly totalBytes: number | null;
  readonly freeRatio: number | null;
}

export interface DiskThresholds {
  /** Warn when free space falls under this many bytes or this fraction, whichever is larger. */
  readonly warnFreeBytes: number;
  readonly warnFreeRatio: number;
  /** Critical under this many bytes or fraction. */
  readonly criticalFreeBytes: number;
  readonly criticalFreeRatio: number;
}

export const DEFAULT_DISK_THRESHOLDS: DiskThresholds = {
  warnFreeBytes: 512 * 1024 * 1024,
  warnFreeRatio: 0.1,
  criticalFreeBytes: 64 * 1024 * 1024,
  criticalFreeRatio: 0.02,
};

export function diskStatus(path: string, t: DiskThresholds = DEFAULT_DISK_THRESHOLDS): DiskStatus {
  try {
    const s = statfsSync(path);
    const free = Number(s.bavail) * Number(s.bsize);
    const total = Number(s.blocks) * Number(s.bsize);
    const ratio = total > 0 ? free / total : 0;
    const level: DiskLevel =
      free < t.criticalFreeBytes || ratio < t.criticalFreeRatio
        ? 'critical'
        : free < t.warnFreeBytes || ratio < t.warnFreeRatio
          ? 'warn'
          : 'ok';
    return { level, freeBytes: free, totalBytes: total, freeRatio: ratio };
  } catch {
    return { level: 'unknown', freeBytes: null, totalBytes: null, freeRatio: null };
  }
}
