// Grafana dashboard JSON (schema 39) from short panel specs: a datasource and a job variable,
// panels laid out left to right in rows of 24 grid units. Used by scripts/tools/dashboards.ts.

export interface PanelTarget {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  title: string;
  type: 'timeseries' | 'stat' | 'bargauge' | 'heatmap' | 'table' | 'gauge' | 'state-timeline';
  targets: PanelTarget[];
  unit?: string;
  /** Grid width out of 24. @defaultValue 12 */
  width?: number;
  description?: string;
  stacked?: boolean;
  /** Value range for gauges and heatmap colours. */
  min?: number;
  max?: number;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  file: string;
  description: string;
  panels: PanelSpec[];
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function panelJson(panel: PanelSpec, id: number, x: number, y: number): Record<string, unknown> {
  const width = panel.width ?? 12;
  const height = panel.type === 'stat' || panel.type === 'gauge' ? 5 : 8;
  const defaults: Record<string, unknown> = { unit: panel.unit ?? 'short' };
  if (panel.min !== undefined) defaults.min = panel.min;
  if (panel.max !== undefined) defaults.max = panel.max;
  if (panel.stacked) defaults.custom = { stacking: { mode: 'normal', group: 'A' }, fillOpacity: 60 };
  return {
    id,
    type: panel.type,
    title: panel.title,
    ...(panel.description ? { description: panel.description } : {}),
    datasource: DATASOURCE,
    gridPos: { h: height, w: width, x, y },
    fieldConfig: { defaults, overrides: [] },
    options:
      panel.type === 'heatmap'
        ? { calculate: false, yAxis: { axisPlacement: 'left' }, color: { scheme: 'Oranges', mode: 'scheme' } }
        : panel.type === 'bargauge'
          ? { orientation: 'horizontal', displayMode: 'gradient', reduceOptions: { calcs: ['lastNotNull'] } }
          : panel.type === 'table'
            ? { showHeader: true }
            : { reduceOptions: { calcs: ['lastNotNull'] }, legend: { displayMode: 'list', placement: 'bottom' } },
    targets: panel.targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: t.expr,
      ...(t.legend ? { legendFormat: t.legend } : {}),
      ...(panel.type === 'table' ? { instant: true, format: 'table' } : { range: true }),
    })),
  };
}

/** The Grafana dashboard JSON (schema 39): a datasource and a job variable, panels laid out in rows of 24. */
export function dashboardJson(spec: DashboardSpec): Record<string, unknown> {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = spec.panels.map((panel, i) => {
    const width = panel.width ?? 12;
    if (x + width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const json = panelJson(panel, i + 1, x, y);
    x += width;
    rowHeight = Math.max(rowHeight, (json.gridPos as { h: number }).h);
    return json;
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['ballast', 'kafka'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {} },
        {
          name: 'job',
          label: 'Ballast job',
          type: 'query',
          datasource: DATASOURCE,
          query: { query: 'label_values(ballast_model_ready, job)', refId: 'job' },
          definition: 'label_values(ballast_model_ready, job)',
          includeAll: true,
          allValue: '.+',
          multi: true,
          refresh: 2,
          current: {},
        },
      ],
    },
    panels,
  };
}
