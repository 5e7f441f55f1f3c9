import type { RcaReport } from '../report-schema';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import { renderSlack } from './slack';
import { renderSns, type SnsRendering } from './sns';
import { renderText } from './text';

/** Options a renderer may use; renderers ignore the ones that do not concern them. */
export interface RenderOptions {
  /** ANSI colours in the `text` format (the caller decides: TTY and `NO_COLOR` unset). */
  color?: boolean;
}

/** A renderer: a pure function of the report to the string one channel shows. */
export type Renderer = (report: RcaReport, options: RenderOptions) => string;

/** `Subject: …`, one `Attribute name: value` line per message attribute, a blank line, the message. */
function snsPreview(publish: SnsRendering): string {
  const attributes = Object.entries(publish.messageAttributes).map(([name, attribute]) => `Attribute ${name}: ${attribute.StringValue}`);
  return [`Subject: ${publish.subject}`, ...attributes, '', publish.message].join('\n');
}

/**
 * Every output format, by name (the k8sgpt "output map"). This map is the extension point: a
 * channel renderer is added here — renderers returning a payload object (a Slack Block Kit message,
 * an SNS publish request) are wrapped to return it as pretty JSON — and the CLI's `--format` choices
 * follow automatically from `RENDER_FORMATS`.
 */
export const RENDERERS = {
  text: (report, options) => renderText(report, { color: options.color }),
  json: (report) => renderJson(report),
  markdown: (report) => renderMarkdown(report),
  // Previews of what the channels receive: the Slack webhook payload as sent (JSON), and the SNS
  // Publish request as a person reads it: subject, message attributes, then the message verbatim.
  slack: (report) => JSON.stringify(renderSlack(report), null, 2),
  sns: (report) => snsPreview(renderSns(report, { format: 'text' })),
} as const satisfies Record<string, Renderer>;

/** A format name: `text`, `json`, `markdown`, `slack`, `sns` (and any channel added to `RENDERERS`). */
export type RenderFormat = keyof typeof RENDERERS;

/** The format names, in display order. */
export const RENDER_FORMATS = Object.keys(RENDERERS) as RenderFormat[];

/** Whether `value` names a format. */
export function isRenderFormat(value: string): value is RenderFormat {
  return Object.prototype.hasOwnProperty.call(RENDERERS, value);
}

/** Renders the report in the given format. Pure; the result has no trailing newline. */
export function render(report: RcaReport, format: RenderFormat, options: RenderOptions = {}): string {
  const renderer: Renderer = RENDERERS[format];
  return renderer(report, options);
}
