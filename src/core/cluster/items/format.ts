import type { Condition, LabelSelector } from '../objects';
import type { IconData } from './types';

/** Small presentation helpers shared by the item renderers and the status bar. */

export const PROBLEM_MARK: IconData = { id: 'error', color: 'list.errorForeground' };

export function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

export function selectorText(selector: LabelSelector | undefined): string {
  if (!selector) return '(none)';
  const labels = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} ${(e.values ?? []).join(',')}`.trim());
  return [...labels, ...expressions].join(', ') || '(everything)';
}

/** HH:MM:SS in local time. */
export function clockTime(at: number): string {
  const time = new Date(at);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

export function nextTry(at: number): string {
  return `retrying by itself, next at ${clockTime(at)}`;
}

/** Escapes Markdown in text from the cluster. */
export function md(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!<>|$])/g, '\\$1');
}

/** The same icon, greyed out and not spinning: for the last known state of something the cluster cannot tell now. */
export function staleIcon(icon: IconData): IconData {
  return { id: icon.id.replace(/~spin$/, ''), color: 'disabledForeground' };
}

/** "**Succeeded** True (Ready): Build Ready", saying the reason only when it adds to the type and the message. */
export function conditionLine(condition: Condition): string {
  const reason = condition.reason && condition.reason !== condition.type && condition.reason !== condition.message ? ` (${md(condition.reason)})` : '';
  return `**${md(condition.type)}** ${condition.status}${reason}${condition.message ? `: ${md(condition.message)}` : ''}`;
}
