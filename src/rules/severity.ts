/**
 * The one place that maps severities: Code Analyzer's scale (1 Critical … 5 Info), its names, and SARIF levels.
 */
export type Severity = 1 | 2 | 3 | 4 | 5;

export const SEVERITY_NAMES = ['critical', 'high', 'moderate', 'low', 'info'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

export const severityName = (severity: Severity): SeverityName => SEVERITY_NAMES[severity - 1];

/** Parses `critical|high|moderate|low|info` or `1..5` (case-insensitive); undefined when it is neither. */
export const parseSeverity = (value: string | number): Severity | undefined => {
  const text = String(value).trim().toLowerCase();
  const byName = SEVERITY_NAMES.indexOf(text as SeverityName);
  if (byName >= 0) return (byName + 1) as Severity;
  return /^[1-5]$/.test(text) ? (Number(text) as Severity) : undefined;
};

/** SARIF `level`: critical and high are errors, moderate a warning, low and info notes. */
export const sarifLevel = (severity: Severity): 'error' | 'warning' | 'note' =>
  severity <= 2 ? 'error' : severity === 3 ? 'warning' : 'note';
