import type { FormatOptions, PolicyReport } from '../report.ts';
import { formatGithub } from './github.ts';
import { formatHuman } from './human.ts';
import { formatJson } from './json.ts';
import { formatMarkdown } from './markdown.ts';
import { formatSarif } from './sarif.ts';

export const OUTPUT_FORMATS = ['human', 'json', 'github', 'sarif', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions extends FormatOptions {
  /** Base for SARIF's relative URIs. */
  baseDir?: string;
  /** JSON: print one report as a bare object (the established `iam-risk-score` shape). */
  single?: boolean;
}

/** Renders reports in one of the output formats. Pure: returns the text to print. */
export function renderReports(
  reports: readonly PolicyReport[],
  format: OutputFormat,
  options: RenderOptions,
): string {
  switch (format) {
    case 'human':
      return formatHuman(reports, options);
    case 'json':
      return formatJson(reports, options);
    case 'github':
      return formatGithub(reports, options);
    case 'sarif':
      return formatSarif(reports, options);
    case 'markdown':
      return formatMarkdown(reports, options);
  }
}
