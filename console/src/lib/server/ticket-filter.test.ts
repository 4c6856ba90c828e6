import { describe, expect, it } from 'vitest';
import { apiQuery, readTicketFilter } from './ticket-filter.ts';

const read = (query: string) => readTicketFilter(new URLSearchParams(query));

describe('readTicketFilter', () => {
  it('lists every ticket, newest first, on page 1 when the URL says nothing', () => {
    expect(read('')).toEqual({
      status: '',
      kind: '',
      priority: '',
      technicianId: '',
      deviceId: '',
      sort: 'created',
      dir: 'desc',
      page: 1,
      view: 'list',
    });
  });

  it('sorts each key in its own default direction: soonest SLA, highest priority, earliest visit', () => {
    expect(read('sort=sla').dir).toBe('asc');
    expect(read('sort=priority').dir).toBe('desc');
    expect(read('sort=appointment').dir).toBe('asc');
    expect(read('sort=sla&dir=desc').dir).toBe('desc');
  });

  it('keeps only the statuses the service knows, so a hand-edited URL never fails the page', () => {
    expect(read('status=open,on_site,bogus').status).toBe('open,on_site');
    expect(read('kind=repair&priority=extreme&sort=colour&page=-3').kind).toBe('');
    expect(read('kind=repair&priority=extreme&sort=colour&page=-3')).toMatchObject({
      priority: '',
      sort: 'created',
      page: 1,
    });
  });

  it('drops device and technician ids the API would refuse', () => {
    expect(read('device=sim-ac-00001&technician=t-1')).toMatchObject({
      deviceId: 'sim-ac-00001',
      technicianId: 't-1',
    });
    expect(read('device=../etc&technician=a b')).toMatchObject({ deviceId: '', technicianId: '' });
  });
});

describe('apiQuery', () => {
  it('sends only the filters that are set, with the order', () => {
    expect(apiQuery(read('kind=predictive&device=sim-ac-00001&sort=sla&page=3&view=board'))).toEqual({
      status: undefined,
      kind: 'predictive',
      priority: undefined,
      technicianId: undefined,
      deviceId: 'sim-ac-00001',
      sort: 'sla',
      dir: 'asc',
    });
  });
});
