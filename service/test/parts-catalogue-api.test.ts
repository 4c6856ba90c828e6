import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceHarness, startService } from './support/harness.ts';

/** The parts catalogue: GET and PUT /api/parts/:sku, and where a part is available. */
describe('the parts catalogue over HTTP', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.close());

  const aPart = (overrides: Record<string, unknown> = {}) => ({
    model: 'split-ac',
    name: 'Scroll compressor 1.5 t',
    failureModes: ['compressor_wear'],
    components: ['compressor'],
    priceCents: 1_250_000,
    returnRequired: true,
    consumable: false,
    ...overrides,
  });
  const put = (sku: string, body: unknown) => service.api(`/api/parts/${sku}`, { method: 'PUT', body });

  describe('GET /api/parts/:sku/availability', () => {
    it('answers 404 for an unknown part, as the part itself does', async () => {
      const part = await service.api('/api/parts/NOPE');
      const availability = await service.api('/api/parts/NOPE/availability');
      expect(part.status).toBe(404);
      expect(availability.status).toBe(404);
      expect(availability.body).toEqual(part.body);
    });

    it('answers an empty list for a catalogue part with no stock anywhere', async () => {
      expect((await put('AC-NEW-COMP', aPart())).status).toBe(200);
      const res = await service.api('/api/parts/AC-NEW-COMP/availability');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [] });
    });
  });

  describe('PUT /api/parts/:sku', () => {
    it.each([
      ['an empty name', ''],
      ['a name of spaces only', '   '],
    ])('answers 400 naming body.name for %s, and keeps the part as it was', async (_case, name) => {
      await put('AC-NAMED', aPart({ name: 'Named part' }));
      const res = await put('AC-NAMED', aPart({ name }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(/^body\.name: /);
      expect((await service.api('/api/parts/AC-NAMED')).body.name).toBe('Named part');
    });

    it('stores the name without the spaces around it', async () => {
      const res = await put('AC-TRIMMED', aPart({ name: '  Capacitor 45 µF  ' }));
      expect(res.status).toBe(200);
      expect(res.body.name).toBe('Capacitor 45 µF');
    });
  });
});
