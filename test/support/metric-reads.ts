import type { CfnTemplate } from '../../core/template/types';
import type { EmittedMetric } from './emf';

/** A metric as an alarm or a dashboard widget reads it. */
export interface MetricRead {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly by: string;
}

/** The dashboard body with every token stood in for, so it parses as the JSON CloudWatch gets. */
function dashboardBody(body: unknown): { widgets: { properties?: { metrics?: unknown[][] } }[] } {
  const join = (body as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const text = join
    ? join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0])
    : String(body);
  return JSON.parse(text);
}

/** Every metric the alarms and dashboards of `templates` read, with dimensions that are literal. */
export function metricReads(templates: Record<string, CfnTemplate>): MetricRead[] {
  const reads: MetricRead[] = [];
  for (const template of Object.values(templates))
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      const p = (r.Properties ?? {}) as Record<string, unknown>;
      if (r.Type === 'AWS::CloudWatch::Alarm' && typeof p.MetricName === 'string') {
        const dims = (p.Dimensions ?? []) as { Name: string; Value: unknown }[];
        reads.push({
          namespace: p.Namespace as string,
          name: p.MetricName,
          dimensions: Object.fromEntries(dims.map((d) => [d.Name, String(d.Value)])),
          by: `alarm ${id}`,
        });
      }
      if (r.Type === 'AWS::CloudWatch::Dashboard')
        for (const widget of dashboardBody(p.DashboardBody).widgets)
          for (const m of widget.properties?.metrics ?? []) {
            const [namespace, name, ...rest] = m.filter((x) => typeof x === 'string') as string[];
            const dims: Record<string, string> = {};
            for (let i = 0; i + 1 < rest.length; i += 2) dims[rest[i]!] = rest[i + 1]!;
            reads.push({
              namespace: namespace!,
              name: name!,
              dimensions: dims,
              by: `dashboard ${id}`,
            });
          }
    }
  return reads;
}

/** Emitted metrics nothing reads (the same namespace, name and dimensions), as readable lines. */
export function unread(emitted: readonly EmittedMetric[], reads: readonly MetricRead[]): string[] {
  const key = (m: { namespace: string; name: string; dimensions: Record<string, string> }) =>
    JSON.stringify([m.namespace, m.name, Object.entries(m.dimensions).sort()]);
  const read = new Set(reads.map(key));
  return emitted.filter((m) => !read.has(key(m))).map(key);
}
