import { captureOutput, type CapturedOutput } from '../../testing/capture-output';
import { FlotaMetrics } from './metrics';

let output: CapturedOutput;
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

describe('FlotaMetrics', () => {
  it('emits each metric under [Service] and [Service, Tenant] in namespace Flota', () => {
    const metrics = new FlotaMetrics({ service: 'api', tenantId: 'acme' });
    metrics.count('Requests');
    metrics.milliseconds('Latency', 12);
    metrics.publish();
    const [blob, ...rest] = output.emf();
    expect(rest).toEqual([]);
    expect(blob!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Flota',
        Dimensions: [['Service'], ['Service', 'Tenant']],
        Metrics: [
          { Name: 'Requests', Unit: 'Count' },
          { Name: 'Latency', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(blob).toMatchObject({ Service: 'api', Tenant: 'acme', Requests: 1, Latency: 12 });
  });

  it('keeps both dimension sets across Powertools auto-flushes and across invocations', () => {
    const metrics = new FlotaMetrics({ service: 'ingest', tenantId: 'acme' });
    for (let i = 0; i < 230; i++) metrics.milliseconds('IngestLag', i);
    metrics.publish();
    metrics.count('RecordsIngested', 5);
    metrics.publish();
    const blobs = output.emf();
    expect(blobs).toHaveLength(4);
    for (const blob of blobs) {
      expect(blob._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service'], ['Service', 'Tenant']]);
      expect(blob.Tenant).toBe('acme');
    }
    expect(blobs.flatMap((b) => (b.IngestLag === undefined ? [] : [b.IngestLag].flat()))).toHaveLength(230);
  });

  it('writes nothing when no metric was recorded', () => {
    new FlotaMetrics({ service: 'api', tenantId: 'acme' }).publish();
    expect(output.json()).toEqual([]);
  });
});
