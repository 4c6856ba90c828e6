import { describe, expect, it } from 'vitest';
import { mapUrl, placeView } from './ticket-place.ts';

describe('placeView', () => {
  const customer = {
    id: 'c1',
    name: 'Nirmala Jayaraman',
    contactName: 'Nirmala Jayaraman',
    phone: '+91 92128 97021',
  };
  const site = { id: 's1', name: 'Home', address: '144, Main Road, Chennai', lat: 13.18541, lon: 80.357612 };

  it('links the phone for dialling and the site to its position on OpenStreetMap', () => {
    const view = placeView({ customer, site });
    expect(view?.customer).toMatchObject({ phone: '+91 92128 97021', phoneHref: 'tel:+919212897021' });
    expect(view?.site?.mapUrl).toBe(
      'https://www.openstreetmap.org/?mlat=13.18541&mlon=80.35761#map=17/13.18541/80.35761',
    );
  });

  it('names a contact person only when it is not the customer itself', () => {
    expect(placeView({ customer, site: null })?.customer?.contactName).toBeNull();
    expect(
      placeView({ customer: { ...customer, contactName: 'Ravi' }, site: null })?.customer?.contactName,
    ).toBe('Ravi');
  });

  it('is null when the service knows neither customer nor site, or sends no place at all', () => {
    expect(placeView({ customer: null, site: null })).toBeNull();
    expect(placeView(undefined)).toBeNull();
    expect(placeView({ customer: { ...customer, phone: null }, site: null })?.customer?.phoneHref).toBeNull();
  });
});

describe('mapUrl', () => {
  it('puts a marker at the position, south and west as negative numbers', () => {
    expect(mapUrl(-33.8688, -151.2093)).toBe(
      'https://www.openstreetmap.org/?mlat=-33.86880&mlon=-151.20930#map=17/-33.86880/-151.20930',
    );
  });
});
