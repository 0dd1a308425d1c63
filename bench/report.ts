/** How results are printed: tables for people, one JSON object per line for programs. */
import type { CellResult, Suite, WorkloadResult } from './harness.js';

const MiB = 1024 * 1024;

/** Bytes as `6.52 MiB` or `341.5 KiB`. */
export const formatBytes = (bytes: number): string =>
  bytes >= MiB ? `${(bytes / MiB).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;

/** ns/op with three significant digits below 1000, as a grouped integer above. */
export const formatNs = (ns: number): string =>
  !Number.isFinite(ns)
    ? '–'
    : ns >= 1000
      ? Math.round(ns).toLocaleString('en-US')
      : ns >= 100
        ? ns.toFixed(0)
        : ns >= 10
          ? ns.toFixed(1)
          : ns.toFixed(2);

const formatRatio = (r: number | undefined): string =>
  r === undefined || !Number.isFinite(r) ? '–' : r >= 100 ? r.toFixed(0) : r.toFixed(2);

/** hwm ÷ live, when both are known. */
export const hwmPerLive = (r: CellResult): number | undefined =>
  r.measures.hwmBytes !== undefined && r.measures.liveBytes !== undefined
    ? r.measures.hwmBytes / r.measures.liveBytes
    : undefined;

const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  left = 1,
): string => {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c < left ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
};

/** The human report of one workload: its table, notes, and target markers. */
export const formatWorkload = (suite: Suite, w: WorkloadResult): string => {
  const out: string[] = [`${w.workload.name}: ${w.workload.title}`];
  const notes: string[] = [];
  const liveKind = w.results.find((r) => r.measures.liveKind !== undefined)?.measures.liveKind;
  const rows = w.results.map((r) => {
    let impl = r.impl;
    if (r.note !== undefined) {
      notes.push(r.note);
      impl += ` [${notes.length}]`;
    }
    if (r.error !== undefined) {
      return [impl, r.ops.toLocaleString('en-US'), 'ERROR', '', '', '', '', '', '', ''];
    }
    const fails =
      r.failures === 0 && r.badData === 0
        ? '0'
        : `${r.failures}${r.badData > 0 ? ` +${r.badData} bad data` : ''}`;
    const hwm = r.measures.hwmBytes;
    return [
      impl,
      r.ops.toLocaleString('en-US'),
      formatNs(r.nsPerOp),
      `${formatNs(r.nsPerOpMin)}–${formatNs(r.nsPerOpMax)}`,
      formatRatio(r.ratio),
      hwm === undefined ? '–' : formatBytes(hwm),
      r.measures.hwmKind ?? '',
      r.measures.liveBytes === undefined ? '–' : formatBytes(r.measures.liveBytes),
      formatRatio(hwmPerLive(r)),
      fails,
    ];
  });
  out.push(
    table(
      [
        'impl',
        'ops/run',
        'ns/op',
        'min–max',
        `x ${suite.reference}`,
        'hwm',
        'hwm counts',
        liveKind === 'final' ? 'final live' : 'peak live',
        'hwm/live',
        'fails/run',
      ],
      rows,
    ),
  );
  notes.forEach((note, i) => out.push(`  [${i + 1}] ${note}`));
  for (const note of w.workload.notes ?? []) out.push(`  · ${note}`);
  if (w.verdicts.length > 0) {
    out.push('  targets (markers, not assertions):');
    for (const { target, verdict } of w.verdicts) {
      const mark = verdict === undefined ? '? n/a ' : verdict.pass ? '✓ pass' : '✗ FAIL';
      out.push(`    ${mark}  ${target.label}${verdict === undefined ? '' : `: ${verdict.value}`}`);
    }
  }
  for (const r of w.results) {
    if (r.error !== undefined) out.push(`  ERROR in ${r.impl}:\n${r.error.replace(/^/gm, '    ')}`);
  }
  return out.join('\n');
};

const finite = (x: number | undefined): number | undefined =>
  x === undefined || !Number.isFinite(x) ? undefined : x;

/** One JSON line per cell. */
export const jsonLines = (w: WorkloadResult, extra: Record<string, unknown>): string[] =>
  w.results.map((r) => {
    const m = r.measures;
    const targets = w.verdicts
      .filter(({ target }) => target.impl === r.impl)
      .map(({ target, verdict }) => ({
        label: target.label,
        pass: verdict?.pass ?? null,
        value: verdict?.value ?? null,
      }));
    const line = {
      suite: r.suite,
      workload: r.workload,
      impl: r.impl,
      ops: r.ops,
      runs: r.runs,
      nsPerOp: finite(r.nsPerOp),
      nsPerOpMin: finite(r.nsPerOpMin),
      nsPerOpMax: finite(r.nsPerOpMax),
      reference: r.reference,
      ratio: finite(r.ratio),
      failures: r.failures,
      badData: r.badData,
      hwmBytes: m.hwmBytes,
      hwmKind: m.hwmKind,
      ...(m.liveKind === 'final'
        ? { finalLiveBytes: m.liveBytes }
        : { peakLiveBytes: m.liveBytes }),
      hwmPerLive: finite(hwmPerLive(r)),
      note: r.note,
      error: r.error,
      targets: targets.length > 0 ? targets : undefined,
      ...extra,
    };
    return JSON.stringify(line);
  });
