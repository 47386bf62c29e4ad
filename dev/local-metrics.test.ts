import { captureOutput } from '../testing/capture-output';
import { FlotaMetrics } from '../functions/shared/metrics';
import { LocalMetrics } from './fleet';

describe('LocalMetrics (the dev fleet)', () => {
  it('prints no EMF, even where Powertools would flush on its own (100 values of one metric)', () => {
    const output = captureOutput();
    try {
      const local = new LocalMetrics({ service: 'ingest', tenantId: 'acme' });
      for (let i = 0; i < 250; i++) local.milliseconds('IngestLag', i);
      local.count('RecordsIngested', 250);
      local.publish();
      expect(output.emf()).toEqual([]);

      // The same calls on the deployed FlotaMetrics do print (3 blobs: two automatic flushes and the publish).
      const real = new FlotaMetrics({ service: 'ingest', tenantId: 'acme' });
      for (let i = 0; i < 250; i++) real.milliseconds('IngestLag', i);
      real.count('RecordsIngested', 250);
      real.publish();
      expect(output.emf()).toHaveLength(3);
    } finally {
      output.restore();
    }
  });
});
